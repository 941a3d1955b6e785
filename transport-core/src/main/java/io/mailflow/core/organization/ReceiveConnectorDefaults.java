package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Organization model: the receive connectors Exchange creates on a Mailbox server (exchange.md
 * §1.2) and the ones New-ReceiveConnector creates per usage type (§1.3), with every parameter's
 * default declared once here. The loader starts from these and applies the administrator's
 * overrides; the frontend, the simulator and the tests read the same values.
 *
 * <p>Mailflow also shows the implicit Mailbox Transport Delivery connector (port 475), which
 * Exchange hides, as {@code Mailbox Delivery <SRV>} so that it can be listed and tuned.
 */
public final class ReceiveConnectorDefaults {

    // Common to every connector (exchange.md §1.1/§1.2, REFERENCE.md for the hop counts).
    public static final Unlimited MAX_INBOUND_CONNECTION = Unlimited.of(5000);
    public static final Unlimited MAX_INBOUND_CONNECTION_PER_SOURCE = Unlimited.of(20);
    public static final int MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE = 2;
    public static final Unlimited MESSAGE_RATE_LIMIT = Unlimited.UNLIMITED;
    public static final String MESSAGE_RATE_SOURCE = "IPAddress";
    public static final Duration TARPIT_INTERVAL = Duration.ofSeconds(5);
    /** Delay of the reply to a failed AUTH (Exchange 2016 and later). */
    public static final Duration AUTH_TARPIT_INTERVAL = Duration.ofSeconds(5);
    /** Failed AUTH attempts a session may make; the next failure closes it. 0 never closes. */
    public static final int MAX_LOGON_FAILURES = 3;
    public static final boolean REQUIRE_TLS = false;
    public static final Unlimited MAX_PROTOCOL_ERRORS = Unlimited.of(5);
    public static final int MAX_RECIPIENTS_PER_MESSAGE = 200;
    public static final ByteSize MAX_MESSAGE_SIZE = ByteSize.ofMegabytes(36);
    public static final ByteSize MAX_HEADER_SIZE = ByteSize.ofKilobytes(256);
    public static final int MAX_HOP_COUNT = 30;
    public static final int MAX_LOCAL_HOP_COUNT = 8;
    public static final Duration CONNECTION_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration CONNECTION_INACTIVITY_TIMEOUT = Duration.ofMinutes(5);
    /** Mailflow's command line limit in octets, like Postfix's line_length_limit; RFC 5321 asks for at least 512. */
    public static final int MAX_COMMAND_SIZE = 2048;
    public static final boolean REQUIRE_EHLO_DOMAIN = false;
    public static final boolean BARE_LINEFEED_REJECTION_ENABLED = false;
    public static final ProtocolLoggingLevel PROTOCOL_LOGGING_LEVEL = ProtocolLoggingLevel.None;
    /** Every connector Exchange creates is enabled (exchange.md §1.2). */
    public static final boolean ENABLED = true;

    // Sendmail's connection controls (peers.md §2), off by default as in Sendmail.
    /** ConnectionRateThrottle: connections accepted per second per connector; 0 = no limit (op.me default). */
    public static final int CONNECTION_RATE_THROTTLE = 0;
    /** MaxDaemonChildren: cap on simultaneous connections to the connector; Sendmail's 0 (no limit) is unlimited. */
    public static final Unlimited MAX_DAEMON_CHILDREN = Unlimited.UNLIMITED;
    /** AccessMap: no Connect: entries. */
    public static final List<String> ACCESS_MAP = List.of();

    // The Default <SRV> connector (server to server): exchange.md §1.2.
    public static final Unlimited DEFAULT_HUB_MAX_INBOUND_CONNECTION_PER_SOURCE = Unlimited.UNLIMITED;
    public static final int DEFAULT_HUB_MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE = 100;
    public static final int DEFAULT_HUB_MAX_RECIPIENTS_PER_MESSAGE = 5000;
    /** Client Frontend and Client Proxy: 5 messages a minute per authenticated user. */
    public static final Unlimited CLIENT_MESSAGE_RATE_LIMIT = Unlimited.of(5);

    // Exchange's ports (exchange.md §8).
    public static final int DEFAULT_FRONTEND_PORT = 25;
    public static final int CLIENT_FRONTEND_PORT = 587;
    public static final int OUTBOUND_PROXY_FRONTEND_PORT = 717;
    public static final int DEFAULT_PORT = 2525;
    public static final int CLIENT_PROXY_PORT = 465;
    public static final int MAILBOX_DELIVERY_PORT = 475;

    /** The port offset of the demo topology: everything 10000 above Exchange's ports, on loopback. */
    public static final int DEMO_PORT_OFFSET = 10000;

    /** Every IPv4 and IPv6 address: the RemoteIPRanges of the default connectors. */
    public static final List<IpRange> ALL_ADDRESSES = List.of(
        IpRange.parse("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        IpRange.parse("0.0.0.0-255.255.255.255"));

    private static final Set<AuthMechanism> FRONTEND_AUTH = EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth,
        AuthMechanism.BasicAuthRequireTLS, AuthMechanism.ExchangeServer, AuthMechanism.Integrated);

    /**
     * AuthMechanism ExternalAuthoritative ("the connection is considered externally secured"):
     * Set-ReceiveConnector allows it only alone or with Tls, and only with PermissionGroups
     * ExchangeServers; every session on such a connector holds the ExchangeServers permissions.
     */
    public static final Set<AuthMechanism> EXTERNALLY_SECURED_AUTH = Set.of(AuthMechanism.ExternalAuthoritative);
    public static final Set<PermissionGroup> EXTERNALLY_SECURED_GROUPS = Set.of(PermissionGroup.ExchangeServers);

    /** New-ReceiveConnector's usage types (exchange.md §1.3). */
    public enum Usage {
        Custom, Internet, Internal, Client, Partner;

        /** Case-insensitive, as PowerShell matches it. */
        public static Usage parse(String text) {
            for (Usage u : values()) {
                if (u.name().equalsIgnoreCase(text.trim())) {
                    return u;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a usage type (Custom, Internet, Internal, Client, Partner)");
        }
    }

    private ReceiveConnectorDefaults() {
    }

    public static String defaultFrontendName(String server) {
        return "Default Frontend " + server;
    }

    public static String clientFrontendName(String server) {
        return "Client Frontend " + server;
    }

    public static String outboundProxyFrontendName(String server) {
        return "Outbound Proxy Frontend " + server;
    }

    public static String defaultName(String server) {
        return "Default " + server;
    }

    public static String clientProxyName(String server) {
        return "Client Proxy " + server;
    }

    public static String mailboxDeliveryName(String server) {
        return "Mailbox Delivery " + server;
    }

    /** Exchange's own placement: Exchange's ports on every IPv4 and IPv6 address. */
    public static List<ReceiveConnector> forServer(Server server) {
        return forServer(server, 0, null);
    }

    /**
     * The six connectors of a Mailbox server, in pipeline order: Default Frontend, Client Frontend,
     * Outbound Proxy Frontend, Default, Client Proxy, Mailbox Delivery.
     *
     * @param portOffset  added to each of Exchange's ports (the demo uses {@value #DEMO_PORT_OFFSET})
     * @param bindAddress the one address to bind, or null for every IPv4 and IPv6 address
     */
    public static List<ReceiveConnector> forServer(Server server, int portOffset, String bindAddress) {
        String srv = server.name();
        ReceiveConnector defaultFrontend = base(defaultFrontendName(srv), server, TransportRole.FrontendTransport,
            bindings(DEFAULT_FRONTEND_PORT, portOffset, bindAddress), ALL_ADDRESSES,
            EnumSet.of(PermissionGroup.AnonymousUsers, PermissionGroup.ExchangeLegacyServers,
                PermissionGroup.ExchangeServers), FRONTEND_AUTH)
            .protocolLoggingLevel(ProtocolLoggingLevel.Verbose)
            .build();
        ReceiveConnector clientFrontend = base(clientFrontendName(srv), server, TransportRole.FrontendTransport,
            bindings(CLIENT_FRONTEND_PORT, portOffset, bindAddress), ALL_ADDRESSES,
            EnumSet.of(PermissionGroup.ExchangeUsers),
            EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.BasicAuthRequireTLS,
                AuthMechanism.Integrated))
            .messageRateLimit(CLIENT_MESSAGE_RATE_LIMIT).messageRateSource("User")
            .build();
        // Server-to-server connectors (Outbound Proxy Frontend too: only Transport services use it):
        // on loopback the network itself is the proof that the peer is one of the organization's
        // servers, so they trust it as Exchange's ExternalAuthoritative does; elsewhere they keep
        // Exchange's groups and mechanisms (and refuse anonymous MAIL).
        boolean trustedNetwork = isLoopback(bindAddress);
        ReceiveConnector outboundProxy = base(outboundProxyFrontendName(srv), server, TransportRole.FrontendTransport,
            bindings(OUTBOUND_PROXY_FRONTEND_PORT, portOffset, bindAddress), ALL_ADDRESSES,
            EnumSet.of(PermissionGroup.ExchangeServers), trustedNetwork ? EXTERNALLY_SECURED_AUTH : FRONTEND_AUTH)
            .build();
        ReceiveConnector hubDefault = base(defaultName(srv), server, TransportRole.HubTransport,
            bindings(DEFAULT_PORT, portOffset, bindAddress), ALL_ADDRESSES,
            trustedNetwork ? EXTERNALLY_SECURED_GROUPS : EnumSet.of(PermissionGroup.ExchangeLegacyServers,
                PermissionGroup.ExchangeServers, PermissionGroup.ExchangeUsers),
            trustedNetwork ? EXTERNALLY_SECURED_AUTH : EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth,
                AuthMechanism.ExchangeServer, AuthMechanism.Integrated))
            .maxInboundConnectionPerSource(DEFAULT_HUB_MAX_INBOUND_CONNECTION_PER_SOURCE)
            .maxInboundConnectionPercentagePerSource(DEFAULT_HUB_MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE)
            .maxRecipientsPerMessage(DEFAULT_HUB_MAX_RECIPIENTS_PER_MESSAGE)
            .build();
        ReceiveConnector clientProxy = base(clientProxyName(srv), server, TransportRole.HubTransport,
            bindings(CLIENT_PROXY_PORT, portOffset, bindAddress), ALL_ADDRESSES,
            EnumSet.of(PermissionGroup.ExchangeServers, PermissionGroup.ExchangeUsers), FRONTEND_AUTH)
            .messageRateLimit(CLIENT_MESSAGE_RATE_LIMIT).messageRateSource("User")
            .build();
        // Exchange's implicit connector has no visible limits (exchange.md §1.2 shows "—"). Mailflow
        // gives it the server-to-server limits of Default <SRV>: only Transport services connect here.
        ReceiveConnector mailboxDelivery = base(mailboxDeliveryName(srv), server, TransportRole.MailboxDelivery,
            bindings(MAILBOX_DELIVERY_PORT, portOffset, bindAddress), ALL_ADDRESSES,
            EnumSet.of(PermissionGroup.ExchangeServers),
            trustedNetwork ? EXTERNALLY_SECURED_AUTH : EnumSet.of(AuthMechanism.ExchangeServer))
            .maxInboundConnectionPerSource(DEFAULT_HUB_MAX_INBOUND_CONNECTION_PER_SOURCE)
            .maxInboundConnectionPercentagePerSource(DEFAULT_HUB_MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE)
            .maxRecipientsPerMessage(DEFAULT_HUB_MAX_RECIPIENTS_PER_MESSAGE)
            .build();
        return List.of(defaultFrontend, clientFrontend, outboundProxy, hubDefault, clientProxy, mailboxDelivery);
    }

    /** {@link #forUsage(Usage, String, Server, TransportRole, List, List, int, String)} with the usage type by name. */
    public static ReceiveConnector forUsage(String usage, String name, Server server, TransportRole role,
                                            List<Binding> bindings, List<IpRange> remoteIPRanges) {
        return forUsage(Usage.parse(usage), name, server, role, bindings, remoteIPRanges, 0, null);
    }

    /**
     * A connector as New-ReceiveConnector creates it for {@code usage}: the usage type's
     * PermissionGroups and AuthMechanism, the limits of "other Receive connectors" (5000 / 20 / 2 %,
     * 200 recipients). Custom and Partner need Bindings and RemoteIPRanges, Internet needs Bindings;
     * Internal and Client default to port 25 and 587 (plus {@code portOffset}, on {@code bindAddress}
     * or 0.0.0.0). Missing RemoteIPRanges default to all IPv4 (Internet) or all addresses.
     *
     * @throws IllegalArgumentException when the usage type needs Bindings or RemoteIPRanges that are empty
     */
    public static ReceiveConnector forUsage(Usage usage, String name, Server server, TransportRole role,
                                            List<Binding> bindings, List<IpRange> remoteIPRanges,
                                            int portOffset, String bindAddress) {
        boolean needsBindings = usage == Usage.Custom || usage == Usage.Internet || usage == Usage.Partner;
        boolean needsRanges = usage == Usage.Custom || usage == Usage.Partner;
        if (needsBindings && bindings.isEmpty()) {
            throw new IllegalArgumentException("a connector of usage type " + usage + " needs Bindings");
        }
        if (needsRanges && remoteIPRanges.isEmpty()) {
            throw new IllegalArgumentException("a connector of usage type " + usage + " needs RemoteIPRanges");
        }
        String v4 = bindAddress == null ? "0.0.0.0" : bindAddress;
        List<Binding> b = !bindings.isEmpty() ? bindings : switch (usage) {
            case Internal -> List.of(new Binding(v4, DEFAULT_FRONTEND_PORT + portOffset));
            case Client -> List.of(new Binding(v4, CLIENT_FRONTEND_PORT + portOffset));
            default -> bindings;
        };
        List<IpRange> r = !remoteIPRanges.isEmpty() ? remoteIPRanges
            : usage == Usage.Internet ? List.of(IpRange.parse("0.0.0.0-255.255.255.255")) : ALL_ADDRESSES;
        Set<PermissionGroup> groups = switch (usage) {
            case Custom -> EnumSet.of(PermissionGroup.None);
            case Internet -> EnumSet.of(PermissionGroup.AnonymousUsers);
            case Internal -> EnumSet.of(PermissionGroup.ExchangeLegacyServers, PermissionGroup.ExchangeServers);
            case Client -> EnumSet.of(PermissionGroup.ExchangeUsers);
            case Partner -> EnumSet.of(PermissionGroup.Partners);
        };
        Set<AuthMechanism> auth = switch (usage) {
            case Internal -> EnumSet.of(AuthMechanism.Tls, AuthMechanism.ExchangeServer);
            case Client -> EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.BasicAuthRequireTLS,
                AuthMechanism.Integrated);
            default -> EnumSet.of(AuthMechanism.Tls);
        };
        return base(name, server, role, b, r, groups, auth).build();
    }

    /** Every parameter at its common default; the callers set what differs per connector. */
    private static ReceiveConnectorBuilder base(String name, Server server, TransportRole role, List<Binding> bindings,
                                                List<IpRange> remoteIPRanges, Set<PermissionGroup> groups,
                                                Set<AuthMechanism> auth) {
        ReceiveConnector c = new ReceiveConnector(name, server.name(), role, bindings, remoteIPRanges, groups, auth,
            null, server.fqdn(), PROTOCOL_LOGGING_LEVEL, ENABLED,
            MAX_INBOUND_CONNECTION, MAX_INBOUND_CONNECTION_PER_SOURCE, MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE,
            MESSAGE_RATE_LIMIT, MESSAGE_RATE_SOURCE, TARPIT_INTERVAL, AUTH_TARPIT_INTERVAL, MAX_LOGON_FAILURES, REQUIRE_TLS,
            MAX_PROTOCOL_ERRORS,
            MAX_RECIPIENTS_PER_MESSAGE, MAX_MESSAGE_SIZE, MAX_HEADER_SIZE, MAX_HOP_COUNT, MAX_LOCAL_HOP_COUNT,
            CONNECTION_TIMEOUT, CONNECTION_INACTIVITY_TIMEOUT, MAX_COMMAND_SIZE, REQUIRE_EHLO_DOMAIN,
            BARE_LINEFEED_REJECTION_ENABLED, Set.of(), CONNECTION_RATE_THROTTLE, MAX_DAEMON_CHILDREN, ACCESS_MAP);
        return ReceiveConnectorBuilder.from(c);
    }

    /** True for a loopback literal (127.0.0.0/8, ::1): only this machine can connect there. */
    static boolean isLoopback(String bindAddress) {
        // Only literals: a host name here must never cost a DNS lookup.
        if (bindAddress == null || !ReceiveConnectorParameters.isIpLiteral(bindAddress)) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** {@code bindAddress:port+offset}, or Exchange's {@code [::]:port} and {@code 0.0.0.0:port}. */
    private static List<Binding> bindings(int exchangePort, int portOffset, String bindAddress) {
        int port = exchangePort + portOffset;
        if (bindAddress == null) {
            return List.of(new Binding("::", port), new Binding("0.0.0.0", port));
        }
        return List.of(new Binding(bindAddress.toLowerCase(Locale.ROOT), port));
    }
}
