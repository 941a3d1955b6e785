package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.ProxyDestination;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * SmtpTarget: where the SMTP client delivers one batch, as a Send connector (or Mailbox Transport
 * Delivery on port 475) resolves it: the next-hop host and port, the name the client announces in
 * EHLO/HELO (the connector's Fqdn, else the server's FQDN), and the two timers.
 * Reads: Port (25), Fqdn, ConnectionInactivityTimeOut (10 min, exchange.md §4.2); the connect
 * timeout has no Exchange name (Postfix's smtp_connect_timeout is 30 s).
 *
 * @param connectTimeout    how long the TCP connect may take
 * @param inactivityTimeout ConnectionInactivityTimeOut; every wait for a reply is RFC 5321
 *                          §4.5.3.2's minimum scaled by {@code inactivityTimeout / 10 min}
 *                          (see {@link SmtpClientTimeouts})
 * @param proxyTo           set when the host is a Front End Transport's Outbound Proxy Frontend
 *                          connector (FrontendProxyEnabled): the destination it is told after EHLO
 */
public record SmtpTarget(String host, int port, String heloName, Duration connectTimeout,
                         Duration inactivityTimeout, Optional<ProxyDestination> proxyTo) {

    /** Exchange's Send connector default Port. */
    public static final int DEFAULT_PORT = 25;
    /** Exchange's Send connector default ConnectionInactivityTimeOut. */
    public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofMinutes(10);
    /** Postfix's smtp_connect_timeout; Exchange does not publish its own. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** A target the client delivers to itself. */
    public SmtpTarget(String host, int port, String heloName, Duration connectTimeout, Duration inactivityTimeout) {
        this(host, port, heloName, connectTimeout, inactivityTimeout, Optional.empty());
    }

    public SmtpTarget {
        Objects.requireNonNull(proxyTo, "proxyTo");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("HELO name must be one non-empty word: '" + heloName + "'");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()
            || inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** A Send connector target with Exchange's defaults. */
    public static SmtpTarget of(String host, int port, String heloName) {
        return new SmtpTarget(host, port, heloName, DEFAULT_CONNECT_TIMEOUT, DEFAULT_INACTIVITY_TIMEOUT);
    }

    /** This target as a Front End Transport that proxies the session on to {@code destination}. */
    public SmtpTarget proxying(ProxyDestination destination) {
        return new SmtpTarget(host, port, heloName, connectTimeout, inactivityTimeout, Optional.of(destination));
    }

    /** {@code host:port}, as the result reports the remote end until the connection tells its address. */
    public String endpoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
