package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Form;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.params.ParamTable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Organization model: every Send connector parameter, declared once (STYLE.md §4), in the order
 * {@code Get-SendConnector | fl} prints them. The HOCON loader reads {@code SendConnectors}
 * entries through this table, as it reads receive connectors through
 * {@link ReceiveConnectorParameters}, so the value forms ({@code SMTP:*.contoso.com;1},
 * {@code [10.0.0.1]}, {@code 25MB}, {@code unlimited}, {@code 00:10:00}, {@code $false}) and the
 * problem texts ({@code Port: 0 is outside the range 1-65535}) are the same everywhere.
 * Defaults: exchange.md §4.2 and {@link SendConnector}.
 */
public final class SendConnectorParameters {

    private static final long INT_MAX = Integer.MAX_VALUE;

    /** MaxMessageSize {@code unlimited}: larger than any message. */
    public static final ByteSize UNLIMITED_SIZE = ByteSize.ofBytes(Long.MAX_VALUE);

    /** Set-SendConnector parameters Mailflow knows but does not act on yet: named as such, not as typos. */
    public static final List<String> NOT_IMPLEMENTED = List.of("AuthenticationCredential",
        "CloudServicesMailEnabled", "Comment", "ConnectorType", "DomainSecureEnabled", "ErrorPolicies",
        "ForceHELO", "IgnoreSTARTTLS", "ProtocolLoggingLevel", "RequireOorg", "RequireTLS",
        "SmartHostAuthMechanism", "SourceIPAddress", "TlsAuthLevel", "TlsCertificateName", "TlsDomain",
        "UseExternalDNSServersEnabled");

    // ---- the parameters, in Format-List order --------------------------------------------

    /** {@code SMTP:*.contoso.com;1}; Exchange prints them {@code {SMTP:*;1}}. */
    public static final Param<SendConnector, SendConnector.Builder, List<AddressSpace>> ADDRESS_SPACES =
        Param.of("AddressSpaces", Forms.list(AddressSpace::parse, AddressSpace::toString,
                "at least one address space such as SMTP:*;1 is required"),
            null, SendConnector::addressSpaces, SendConnector.Builder::addressSpaces);

    public static final Param<SendConnector, SendConnector.Builder, Duration> CONNECTION_INACTIVITY_TIME_OUT =
        Param.of("ConnectionInactivityTimeOut", Forms.timeSpan(Duration.ofSeconds(1), Duration.ofDays(1)),
            SendConnector.CONNECTION_INACTIVITY_TIME_OUT, SendConnector::connectionInactivityTimeOut,
            SendConnector.Builder::connectionInactivityTimeOut);

    public static final Param<SendConnector, SendConnector.Builder, Boolean> DNS_ROUTING_ENABLED =
        Param.of("DNSRoutingEnabled", Forms.bool(), SendConnector.DNS_ROUTING_ENABLED,
            SendConnector::dnsRoutingEnabled, SendConnector.Builder::dnsRoutingEnabled);

    public static final Param<SendConnector, SendConnector.Builder, Boolean> ENABLED =
        Param.of("Enabled", Forms.bool(), SendConnector.ENABLED, SendConnector::enabled, SendConnector.Builder::enabled);

    public static final Param<SendConnector, SendConnector.Builder, Boolean> FRONTEND_PROXY_ENABLED =
        Param.of("FrontendProxyEnabled", Forms.bool(), SendConnector.FRONTEND_PROXY_ENABLED,
            SendConnector::frontendProxyEnabled, SendConnector.Builder::frontendProxyEnabled);

    /** The EHLO name; $null (HOCON null) means the sending server's FQDN. */
    public static final Param<SendConnector, SendConnector.Builder, String> FQDN =
        Param.of("Fqdn", Forms.text().check(ReceiveConnectorParameters::isDomainName,
                f -> "'" + f + "' is not a fully qualified domain name"),
            null, SendConnector::fqdn, SendConnector.Builder::fqdn).nullable();

    /** {@code Name}; Exchange prints a Send connector by its name. */
    public static final Param<SendConnector, SendConnector.Builder, String> IDENTITY =
        Param.readOnly("Identity", Forms.text(), SendConnector::identity);

    public static final Param<SendConnector, SendConnector.Builder, Boolean> IS_SCOPED_CONNECTOR =
        Param.of("IsScopedConnector", Forms.bool(), SendConnector.IS_SCOPED_CONNECTOR,
            SendConnector::isScopedConnector, SendConnector.Builder::isScopedConnector);

    public static final Param<SendConnector, SendConnector.Builder, ByteSize> MAX_MESSAGE_SIZE =
        Param.of("MaxMessageSize", sizeOrUnlimited(0, INT_MAX), SendConnector.MAX_MESSAGE_SIZE,
            SendConnector::maxMessageSize, SendConnector.Builder::maxMessageSize);

    public static final Param<SendConnector, SendConnector.Builder, String> NAME =
        Param.readOnly("Name", Forms.text(), SendConnector::name);

    /** The remote port, for smart hosts and MX hosts alike (a smart host never carries its own). */
    public static final Param<SendConnector, SendConnector.Builder, Integer> PORT =
        Param.of("Port", Forms.integer(1, 65535), SendConnector.PORT, SendConnector::port, SendConnector.Builder::port);

    /** Host names or IP addresses; Exchange prints an IP address in brackets, {@code {[10.0.0.1]}}. */
    public static final Param<SendConnector, SendConnector.Builder, List<String>> SMART_HOSTS =
        Param.of("SmartHosts", Forms.list(SendConnectorParameters::smartHost, h -> h, null),
            SendConnector.SMART_HOSTS, SendConnector::smartHosts, SendConnector.Builder::smartHosts);

    public static final Param<SendConnector, SendConnector.Builder, Integer> SMTP_MAX_MESSAGES_PER_CONNECTION =
        Param.of("SmtpMaxMessagesPerConnection", Forms.integer(1, Integer.MAX_VALUE),
            SendConnector.SMTP_MAX_MESSAGES_PER_CONNECTION, SendConnector::smtpMaxMessagesPerConnection,
            SendConnector.Builder::smtpMaxMessagesPerConnection);

    /** Server names; the default is every server of the organization (the loader fills it in). */
    public static final Param<SendConnector, SendConnector.Builder, List<String>> SOURCE_TRANSPORT_SERVERS =
        Param.of("SourceTransportServers", Forms.list(SendConnectorParameters::serverName, s -> s,
                "at least one server is required"),
            null, SendConnector::sourceTransportServers, SendConnector.Builder::sourceTransportServers);

    /** The table: Format-List order, the names Mailflow does not implement, and the cross-parameter rules. */
    public static final ParamTable<SendConnector, SendConnector.Builder> TABLE = new ParamTable<>(List.of(
        ADDRESS_SPACES, CONNECTION_INACTIVITY_TIME_OUT, DNS_ROUTING_ENABLED, ENABLED, FRONTEND_PROXY_ENABLED, FQDN,
        IDENTITY, IS_SCOPED_CONNECTOR, MAX_MESSAGE_SIZE, NAME, PORT, SMART_HOSTS, SMTP_MAX_MESSAGES_PER_CONNECTION,
        SOURCE_TRANSPORT_SERVERS),
        NOT_IMPLEMENTED, SendConnector.Builder::from, SendConnector.Builder::build, SendConnectorParameters::check);

    private SendConnectorParameters() {
    }

    /** Every parameter and read-only property, in Format-List order. */
    public static List<Param<SendConnector, SendConnector.Builder, ?>> all() {
        return TABLE.all();
    }

    /** The parameter or property named {@code name} in any case. */
    public static Optional<Param<SendConnector, SendConnector.Builder, ?>> byName(String name) {
        return TABLE.byName(name);
    }

    /** Format-List: every property of {@code connector}, in order, printed as Exchange prints it. */
    public static Map<String, String> toDisplay(SendConnector connector) {
        return TABLE.toDisplay(connector);
    }

    /**
     * Set-SendConnector on one connector: applies every change or none.
     *
     * @param changes parameter names (any case) to values in their text forms
     * @throws ParamException with every problem, one {@code Parameter: message} line each
     */
    public static SendConnector set(SendConnector connector, Map<String, String> changes) {
        return TABLE.set(connector, changes);
    }

    /**
     * The cross-parameter rules of Set-SendConnector (exchange.md §4.2): DNS routing and smart
     * hosts exclude each other, DNSRoutingEnabled $false needs at least one smart host, and an
     * address space is given once.
     *
     * @param given the parameters just set, so the problem lands on the one the administrator wrote
     */
    public static List<ParamProblem> check(SendConnector c, Set<String> given) {
        List<ParamProblem> problems = new ArrayList<>();
        String dns = DNS_ROUTING_ENABLED.name();
        String hosts = SMART_HOSTS.name();
        if (!c.dnsRoutingEnabled() && c.smartHosts().isEmpty()) {
            problems.add(new ParamProblem(given.contains(hosts) ? hosts : dns,
                "DNSRoutingEnabled $false needs at least one smart host in SmartHosts"));
        }
        if (c.dnsRoutingEnabled() && !c.smartHosts().isEmpty()) {
            problems.add(new ParamProblem(given.contains(hosts) || !given.contains(dns) ? hosts : dns,
                "SmartHosts are used only with DNSRoutingEnabled $false; set DNSRoutingEnabled = false to relay through "
                    + c.smartHostList()));
        }
        Set<String> spaces = new HashSet<>();
        for (AddressSpace a : c.addressSpaces()) {
            if (!spaces.add(a.domain())) {
                problems.add(new ParamProblem(ADDRESS_SPACES.name(), "address space " + a.domain() + " is given twice"));
            }
        }
        return problems;
    }

    /**
     * One smart host as Exchange keeps it: a host name ({@code smarthost01.contoso.com}, lower
     * case) or an IP address in brackets ({@code 10.0.0.1} and {@code [10.0.0.1]} both give
     * {@code [10.0.0.1]}). A port is refused: Exchange takes it from the connector's Port.
     *
     * @throws IllegalArgumentException in an administrator's words
     */
    public static String smartHost(String text) {
        String t = text.trim();
        if (ReceiveConnectorParameters.isIpLiteral(t)) {
            String bare = t.startsWith("[") ? t.substring(1, t.length() - 1) : t;
            return "[" + bare.toLowerCase(Locale.ROOT) + "]";
        }
        if (ReceiveConnectorParameters.isDomainName(t)) {
            return t.toLowerCase(Locale.ROOT);
        }
        int colon = t.lastIndexOf(':');
        if (colon > 0 && t.substring(colon + 1).matches("\\d+")) {
            throw new IllegalArgumentException("'" + text + "' names a port; a smart host is a host name or an IP "
                + "address, and the connector's Port gives the port");
        }
        throw new IllegalArgumentException("'" + text + "' is not a host name or an IP address such as "
            + "smarthost01.contoso.com or [10.0.0.1]");
    }

    private static String serverName(String text) {
        if (text.isBlank() || text.contains("\\") || text.contains(",")) {
            throw new IllegalArgumentException("'" + text + "' is not a server name such as EX01");
        }
        return text;
    }

    /** A byte size in {@code min-max}, or {@code unlimited}, printed {@code Unlimited} as Exchange does. */
    private static Form<ByteSize> sizeOrUnlimited(long min, long max) {
        Form<ByteSize> sized = Forms.byteSize(min, max);
        return new Form<>() {
            @Override
            public ByteSize parse(String text) {
                if (text.trim().equalsIgnoreCase("unlimited")) {
                    return UNLIMITED_SIZE;
                }
                return sized.parse(text);
            }

            @Override
            public String display(ByteSize value) {
                return value.equals(UNLIMITED_SIZE) ? "Unlimited" : sized.display(value);
            }
        };
    }
}
