package io.mailflow.core.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ProxyDestination: where Front End Transport's Outbound Proxy Frontend connector (717) sends a
 * proxied session, as the Transport service tells it for a Send connector with
 * FrontendProxyEnabled $true: the connector's SmartHosts with its Port, or the recipient domain
 * whose MX hosts the FET looks up itself. Both ends of that leg share this codec.
 *
 * <p>Exchange carries the destination in its internal {@code XPROXYTO} verb, whose syntax
 * Microsoft does not publish; Mailflow uses its own verb, {@code XMAILFLOWPROXYTO}, with ESMTP
 * keyword=value arguments (RFC 5321 §4.1.2 esmtp-param), so it can never be mistaken for
 * Exchange's on the wire:
 * <pre>
 * XMAILFLOWPROXYTO SMARTHOSTS=relay.fabrikam.com,[192.0.2.7] PORT=2525
 * XMAILFLOWPROXYTO DOMAIN=fabrikam.com PORT=25
 * </pre>
 *
 * @param smartHosts the hosts to try in order (names or {@code [address]} literals); empty for MX
 * @param domain     the domain whose MX hosts to try, or null with smart hosts
 * @param port       the Send connector's Port, for every host
 */
public record ProxyDestination(List<String> smartHosts, String domain, int port) {

    public static final String VERB = SmtpVerb.XMAILFLOWPROXYTO.name();

    private static final Pattern HOST =
        Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern LITERAL = Pattern.compile("\\[[0-9A-Fa-f:.]+]");

    public ProxyDestination {
        smartHosts = List.copyOf(smartHosts);
        if (smartHosts.isEmpty() == (domain == null)) {
            throw new IllegalArgumentException("a proxy destination is smart hosts or a domain, not both or neither");
        }
        smartHosts.forEach(h -> requireHost(h, true));
        if (domain != null) {
            requireHost(domain, false);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static ProxyDestination smartHosts(List<String> hosts, int port) {
        return new ProxyDestination(hosts, null, port);
    }

    public static ProxyDestination domain(String domain, int port) {
        return new ProxyDestination(List.of(), domain, port);
    }

    public boolean isSmartHosts() {
        return domain == null;
    }

    /** The command line the Transport service sends after EHLO. */
    public String toCommand() {
        return VERB + " " + (isSmartHosts() ? "SMARTHOSTS=" + String.join(",", smartHosts) : "DOMAIN=" + domain)
            + " PORT=" + port;
    }

    /**
     * The destination in a command's argument ({@code SMARTHOSTS=… PORT=…} or {@code DOMAIN=… PORT=…}),
     * or empty when the argument is not exactly that.
     */
    public static Optional<ProxyDestination> parse(String argument) {
        List<String> hosts = null;
        String domain = null;
        Integer port = null;
        for (String word : argument.strip().split(" +")) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String key = word.substring(0, eq).toUpperCase(Locale.ROOT);
            String value = word.substring(eq + 1);
            switch (key) {
                case "SMARTHOSTS" -> {
                    if (hosts != null || value.isEmpty()) {
                        return Optional.empty();
                    }
                    hosts = new ArrayList<>(List.of(value.split(",", -1)));
                }
                case "DOMAIN" -> {
                    if (domain != null) {
                        return Optional.empty();
                    }
                    domain = value;
                }
                case "PORT" -> {
                    if (port != null || !value.matches("[0-9]{1,5}")) {
                        return Optional.empty();
                    }
                    port = Integer.parseInt(value);
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (port == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProxyDestination(hosts == null ? List.of() : hosts, domain, port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The host part of a smart host: {@code [192.0.2.7]} is the address, a name stays a name. */
    public static String hostOf(String smartHost) {
        return smartHost.startsWith("[") ? smartHost.substring(1, smartHost.length() - 1) : smartHost;
    }

    private static void requireHost(String host, boolean literalAllowed) {
        Objects.requireNonNull(host, "host");
        boolean ok = HOST.matcher(host).matches() || (literalAllowed && LITERAL.matcher(host).matches());
        if (!ok) {
            throw new IllegalArgumentException("not a host name" + (literalAllowed ? " or [address]" : "") + ": '"
                + host + "'");
        }
    }
}
