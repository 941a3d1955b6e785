package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Organization model: a Send connector (Get-SendConnector, exchange.md §4.2) with Exchange's
 * parameter names, the route the categorizer's router picks for recipients outside the
 * organization ({@code SendConnectorSelector}) and the delivery stage's SMTP client follows. The
 * identity is the name: Send connectors belong to the organization, not to one server, and
 * Exchange prints them by name. Parameters, ranges and printed forms in
 * {@link SendConnectorParameters}; HOCON section {@code SendConnectors}.
 *
 * @param name                         unique in the organization
 * @param addressSpaces                the recipient domains it routes to, at least one
 * @param smartHosts                   host names or bracketed IP literals ({@code [10.0.0.1]}) to relay
 *                                     through; empty with DNS routing
 * @param dnsRoutingEnabled            true: look up the recipient domain's MX; false: use smartHosts
 * @param port                         the remote port, for smart hosts and MX hosts alike
 * @param maxMessageSize               messages larger than this do not take the connector
 * @param smtpMaxMessagesPerConnection messages sent over one connection before it is closed
 * @param connectionInactivityTimeOut  idle time after which an outbound connection is closed
 * @param frontendProxyEnabled         relay through Front End Transport (Outbound Proxy Frontend)
 * @param enabled                      a disabled connector routes nothing
 * @param sourceTransportServers       the servers that may send through it
 * @param fqdn                         the name given in EHLO, or null for the server's FQDN
 * @param isScopedConnector            usable only in its source servers' AD site
 */
public record SendConnector(String name,
                            List<AddressSpace> addressSpaces,
                            List<String> smartHosts,
                            boolean dnsRoutingEnabled,
                            int port,
                            ByteSize maxMessageSize,
                            int smtpMaxMessagesPerConnection,
                            Duration connectionInactivityTimeOut,
                            boolean frontendProxyEnabled,
                            boolean enabled,
                            List<String> sourceTransportServers,
                            String fqdn,
                            boolean isScopedConnector) {

    public static final List<String> SMART_HOSTS = List.of();
    public static final boolean DNS_ROUTING_ENABLED = true;
    public static final int PORT = 25;
    /** 25 MB: Set-SendConnector's default (REFERENCE.md settles the conflict with 10 MB). */
    public static final ByteSize MAX_MESSAGE_SIZE = ByteSize.ofMegabytes(25);
    public static final int SMTP_MAX_MESSAGES_PER_CONNECTION = 20;
    public static final Duration CONNECTION_INACTIVITY_TIME_OUT = Duration.ofMinutes(10);
    public static final boolean FRONTEND_PROXY_ENABLED = false;
    public static final boolean ENABLED = true;
    public static final boolean IS_SCOPED_CONNECTOR = false;

    public SendConnector {
        Objects.requireNonNull(name);
        addressSpaces = List.copyOf(addressSpaces);
        smartHosts = List.copyOf(smartHosts);
        sourceTransportServers = List.copyOf(sourceTransportServers);
        Objects.requireNonNull(maxMessageSize);
        Objects.requireNonNull(connectionInactivityTimeOut);
    }

    /**
     * New-SendConnector {@code name} with Exchange's defaults: DNS routing, port 25, 25 MB,
     * usable by {@code sourceTransportServers}.
     */
    public static SendConnector withDefaults(String name, List<AddressSpace> addressSpaces,
                                             List<String> sourceTransportServers) {
        return new SendConnector(name, addressSpaces, SMART_HOSTS, DNS_ROUTING_ENABLED, PORT, MAX_MESSAGE_SIZE,
            SMTP_MAX_MESSAGES_PER_CONNECTION, CONNECTION_INACTIVITY_TIME_OUT, FRONTEND_PROXY_ENABLED, ENABLED,
            sourceTransportServers, null, IS_SCOPED_CONNECTOR);
    }

    /** Exchange prints a Send connector by its name. */
    public String identity() {
        return name;
    }

    /** True when {@code server} is one of SourceTransportServers (names compare in any case). */
    public boolean isSourceServer(String server) {
        return sourceTransportServers.stream().anyMatch(s -> s.equalsIgnoreCase(server));
    }

    /** The name given in EHLO from {@code server}: Fqdn, or the server's own FQDN when Fqdn is null. */
    public String fqdnFor(Server server) {
        return fqdn != null ? fqdn : server.fqdn();
    }

    /**
     * The smart hosts as Exchange prints them in a queue's NextHopDomain:
     * {@code [10.10.10.100],[10.10.10.101]}, {@code [172.17.17.7],relay.tailspintoys.com}.
     */
    public String smartHostList() {
        return String.join(",", smartHosts);
    }

    /** A mutable copy, the way Set-SendConnector changes some parameters and keeps the rest. */
    public static final class Builder {
        private String name;
        private List<AddressSpace> addressSpaces;
        private List<String> smartHosts;
        private boolean dnsRoutingEnabled;
        private int port;
        private ByteSize maxMessageSize;
        private int smtpMaxMessagesPerConnection;
        private Duration connectionInactivityTimeOut;
        private boolean frontendProxyEnabled;
        private boolean enabled;
        private List<String> sourceTransportServers;
        private String fqdn;
        private boolean isScopedConnector;

        private Builder(SendConnector c) {
            name = c.name();
            addressSpaces = c.addressSpaces();
            smartHosts = c.smartHosts();
            dnsRoutingEnabled = c.dnsRoutingEnabled();
            port = c.port();
            maxMessageSize = c.maxMessageSize();
            smtpMaxMessagesPerConnection = c.smtpMaxMessagesPerConnection();
            connectionInactivityTimeOut = c.connectionInactivityTimeOut();
            frontendProxyEnabled = c.frontendProxyEnabled();
            enabled = c.enabled();
            sourceTransportServers = c.sourceTransportServers();
            fqdn = c.fqdn();
            isScopedConnector = c.isScopedConnector();
        }

        public static Builder from(SendConnector connector) {
            return new Builder(connector);
        }

        public SendConnector build() {
            return new SendConnector(name, addressSpaces, smartHosts, dnsRoutingEnabled, port, maxMessageSize,
                smtpMaxMessagesPerConnection, connectionInactivityTimeOut, frontendProxyEnabled, enabled,
                sourceTransportServers, fqdn, isScopedConnector);
        }

        public Builder name(String v) { name = v; return this; }
        public Builder addressSpaces(List<AddressSpace> v) { addressSpaces = List.copyOf(v); return this; }
        public Builder smartHosts(List<String> v) { smartHosts = List.copyOf(v); return this; }
        public Builder dnsRoutingEnabled(boolean v) { dnsRoutingEnabled = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder maxMessageSize(ByteSize v) { maxMessageSize = v; return this; }
        public Builder smtpMaxMessagesPerConnection(int v) { smtpMaxMessagesPerConnection = v; return this; }
        public Builder connectionInactivityTimeOut(Duration v) { connectionInactivityTimeOut = v; return this; }
        public Builder frontendProxyEnabled(boolean v) { frontendProxyEnabled = v; return this; }
        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder sourceTransportServers(List<String> v) { sourceTransportServers = List.copyOf(v); return this; }
        public Builder fqdn(String v) { fqdn = v; return this; }
        public Builder isScopedConnector(boolean v) { isScopedConnector = v; return this; }
    }
}
