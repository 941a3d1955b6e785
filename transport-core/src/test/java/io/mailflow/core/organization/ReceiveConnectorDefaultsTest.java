package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReceiveConnectorDefaults: Exchange's default connectors (exchange.md §1.2) and usage types (§1.3). */
class ReceiveConnectorDefaultsTest {

    private static final Server EX01 = new Server("EX01", "ex01.contoso.test", "Default-First-Site-Name");

    private static ReceiveConnector named(List<ReceiveConnector> all, String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void exchangePlacementBindsEveryAddressOnExchangePorts() {
        List<ReceiveConnector> all = ReceiveConnectorDefaults.forServer(EX01);
        assertEquals(List.of("Default Frontend EX01", "Client Frontend EX01", "Outbound Proxy Frontend EX01",
            "Default EX01", "Client Proxy EX01", "Mailbox Delivery EX01"), all.stream().map(ReceiveConnector::name).toList());
        assertEquals(List.of(25, 587, 717, 2525, 465, 475), all.stream().map(c -> c.bindings().get(0).port()).toList());
        assertEquals(List.of(Binding.parse("[::]:25"), Binding.parse("0.0.0.0:25")),
            named(all, "Default Frontend EX01").bindings());
        assertEquals(ReceiveConnectorDefaults.ALL_ADDRESSES, named(all, "Default EX01").remoteIPRanges());
    }

    @Test
    void demoPlacementAddsTheOffsetOnLoopback() {
        List<ReceiveConnector> all = ReceiveConnectorDefaults.forServer(EX01, 10000, "127.0.0.1");
        assertEquals(List.of("127.0.0.1:10025", "127.0.0.1:10587", "127.0.0.1:10717", "127.0.0.1:12525",
            "127.0.0.1:10465", "127.0.0.1:10475"), all.stream().map(c -> c.bindings().get(0).toString()).toList());
    }

    @Test
    void onLoopbackTheServerToServerConnectorsTrustTheNetwork() {
        List<ReceiveConnector> all = ReceiveConnectorDefaults.forServer(EX01, 10000, "127.0.0.1");
        for (String name : List.of("Default EX01", "Mailbox Delivery EX01", "Outbound Proxy Frontend EX01")) {
            ReceiveConnector c = named(all, name);
            assertEquals(EnumSet.of(PermissionGroup.ExchangeServers), c.permissionGroups(), name);
            assertEquals(EnumSet.of(AuthMechanism.ExternalAuthoritative), c.authMechanism(), name);
            assertTrue(ReceiveConnectorParameters.check(c, Set.of()).isEmpty(), name);
        }
        assertEquals(EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.BasicAuthRequireTLS,
            AuthMechanism.ExchangeServer, AuthMechanism.Integrated), named(all, "Client Proxy EX01").authMechanism());
        for (String address : new String[]{"0.0.0.0", "192.0.2.1", "::"}) {
            ReceiveConnector c = named(ReceiveConnectorDefaults.forServer(EX01, 0, address), "Mailbox Delivery EX01");
            assertEquals(EnumSet.of(AuthMechanism.ExchangeServer), c.authMechanism(), address);
        }
        assertEquals(EnumSet.of(AuthMechanism.ExternalAuthoritative),
            named(ReceiveConnectorDefaults.forServer(EX01, 0, "::1"), "Default EX01").authMechanism());
        assertEquals(EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.BasicAuthRequireTLS,
            AuthMechanism.ExchangeServer, AuthMechanism.Integrated),
            named(ReceiveConnectorDefaults.forServer(EX01, 0, "0.0.0.0"), "Outbound Proxy Frontend EX01").authMechanism());
    }

    @Test
    void defaultFrontendIsTheAnonymousInternetEntry() {
        ReceiveConnector c = named(ReceiveConnectorDefaults.forServer(EX01), "Default Frontend EX01");
        assertEquals(TransportRole.FrontendTransport, c.transportRole());
        assertEquals(EnumSet.of(PermissionGroup.AnonymousUsers, PermissionGroup.ExchangeLegacyServers,
            PermissionGroup.ExchangeServers), c.permissionGroups());
        assertEquals(EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.BasicAuthRequireTLS,
            AuthMechanism.ExchangeServer, AuthMechanism.Integrated), c.authMechanism());
        assertEquals(ProtocolLoggingLevel.Verbose, c.protocolLoggingLevel());
        assertEquals(Unlimited.of(5000), c.maxInboundConnection());
        assertEquals(Unlimited.of(20), c.maxInboundConnectionPerSource());
        assertEquals(2, c.maxInboundConnectionPercentagePerSource());
        assertEquals(Unlimited.UNLIMITED, c.messageRateLimit());
        assertEquals("IPAddress", c.messageRateSource());
        assertEquals(200, c.maxRecipientsPerMessage());
    }

    @Test
    void everyConnectorHasTheCommonDefaults() {
        for (ReceiveConnector c : ReceiveConnectorDefaults.forServer(EX01)) {
            assertEquals(Duration.ofSeconds(5), c.tarpitInterval(), c.name());
            assertEquals(Unlimited.of(5), c.maxProtocolErrors(), c.name());
            assertEquals(ByteSize.parse("36 MB"), c.maxMessageSize(), c.name());
            assertEquals(ByteSize.ofKilobytes(256), c.maxHeaderSize(), c.name());
            assertEquals(30, c.maxHopCount(), c.name());
            assertEquals(8, c.maxLocalHopCount(), c.name());
            assertEquals(Duration.ofMinutes(10), c.connectionTimeout(), c.name());
            assertEquals(Duration.ofMinutes(5), c.connectionInactivityTimeout(), c.name());
            assertEquals(2048, c.maxCommandSize(), c.name());
            assertFalse(c.requireEHLODomain(), c.name());
            assertFalse(c.bareLinefeedRejectionEnabled(), c.name());
            assertNull(c.banner(), c.name());
            assertEquals("ex01.contoso.test", c.fqdn(), c.name());
            assertTrue(c.enabled(), c.name());
            assertTrue(c.anonymousExtendedRights().isEmpty(), c.name());
            assertEquals("EX01", c.server(), c.name());
        }
    }

    @Test
    void onlyDefaultFrontendLogsTheProtocol() {
        for (ReceiveConnector c : ReceiveConnectorDefaults.forServer(EX01)) {
            assertEquals(c.name().startsWith("Default Frontend") ? ProtocolLoggingLevel.Verbose : ProtocolLoggingLevel.None,
                c.protocolLoggingLevel(), c.name());
        }
    }

    @Test
    void clientConnectorsLimitFiveMessagesPerUser() {
        List<ReceiveConnector> all = ReceiveConnectorDefaults.forServer(EX01);
        for (String name : List.of("Client Frontend EX01", "Client Proxy EX01")) {
            ReceiveConnector c = named(all, name);
            assertEquals(Unlimited.of(5), c.messageRateLimit(), name);
            assertEquals("User", c.messageRateSource(), name);
        }
        assertEquals(Set.of(PermissionGroup.ExchangeUsers), named(all, "Client Frontend EX01").permissionGroups());
        assertEquals(EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.BasicAuthRequireTLS,
            AuthMechanism.Integrated), named(all, "Client Frontend EX01").authMechanism());
        assertEquals(EnumSet.of(PermissionGroup.ExchangeServers, PermissionGroup.ExchangeUsers),
            named(all, "Client Proxy EX01").permissionGroups());
        assertEquals(TransportRole.HubTransport, named(all, "Client Proxy EX01").transportRole());
    }

    @Test
    void outboundProxyFrontendAcceptsOnlyExchangeServers() {
        ReceiveConnector c = named(ReceiveConnectorDefaults.forServer(EX01), "Outbound Proxy Frontend EX01");
        assertEquals(TransportRole.FrontendTransport, c.transportRole());
        assertEquals(Set.of(PermissionGroup.ExchangeServers), c.permissionGroups());
        assertEquals(Unlimited.of(20), c.maxInboundConnectionPerSource());
    }

    @Test
    void defaultHubConnectorHasServerToServerLimits() {
        ReceiveConnector c = named(ReceiveConnectorDefaults.forServer(EX01), "Default EX01");
        assertEquals(TransportRole.HubTransport, c.transportRole());
        assertEquals(Unlimited.of(5000), c.maxInboundConnection());
        assertEquals(Unlimited.UNLIMITED, c.maxInboundConnectionPerSource());
        assertEquals(100, c.maxInboundConnectionPercentagePerSource());
        assertEquals(5000, c.maxRecipientsPerMessage());
        assertEquals(EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.ExchangeServer,
            AuthMechanism.Integrated), c.authMechanism());
        assertEquals(EnumSet.of(PermissionGroup.ExchangeLegacyServers, PermissionGroup.ExchangeServers,
            PermissionGroup.ExchangeUsers), c.permissionGroups());
    }

    @Test
    void mailboxDeliveryStandsInForTheImplicitConnector() {
        ReceiveConnector c = named(ReceiveConnectorDefaults.forServer(EX01), "Mailbox Delivery EX01");
        assertEquals(TransportRole.MailboxDelivery, c.transportRole());
        assertEquals(475, c.bindings().get(0).port());
        assertEquals(Set.of(PermissionGroup.ExchangeServers), c.permissionGroups());
        assertEquals(Set.of(AuthMechanism.ExchangeServer), c.authMechanism());
    }

    @Test
    void usageTypesSetPermissionGroupsAndAuth() {
        List<Binding> b = List.of(Binding.parse("0.0.0.0:2526"));
        List<IpRange> r = List.of(IpRange.parse("192.0.2.0/24"));
        TransportRole fe = TransportRole.FrontendTransport;
        ReceiveConnector custom = ReceiveConnectorDefaults.forUsage("Custom", "X", EX01, fe, b, r);
        assertEquals(Set.of(PermissionGroup.None), custom.permissionGroups());
        assertEquals(Set.of(AuthMechanism.Tls), custom.authMechanism());
        ReceiveConnector internet = ReceiveConnectorDefaults.forUsage("internet", "X", EX01, fe, b, List.of());
        assertEquals(Set.of(PermissionGroup.AnonymousUsers), internet.permissionGroups());
        assertEquals(List.of(IpRange.parse("0.0.0.0-255.255.255.255")), internet.remoteIPRanges());
        ReceiveConnector internal = ReceiveConnectorDefaults.forUsage("Internal", "X", EX01, fe, List.of(), List.of());
        assertEquals(EnumSet.of(PermissionGroup.ExchangeLegacyServers, PermissionGroup.ExchangeServers),
            internal.permissionGroups());
        assertEquals(EnumSet.of(AuthMechanism.Tls, AuthMechanism.ExchangeServer), internal.authMechanism());
        assertEquals(List.of(Binding.parse("0.0.0.0:25")), internal.bindings());
        ReceiveConnector client = ReceiveConnectorDefaults.forUsage("Client", "X", EX01, fe, List.of(), List.of());
        assertEquals(Set.of(PermissionGroup.ExchangeUsers), client.permissionGroups());
        assertEquals(List.of(Binding.parse("0.0.0.0:587")), client.bindings());
        ReceiveConnector partner = ReceiveConnectorDefaults.forUsage("Partner", "X", EX01, fe, b, r);
        assertEquals(Set.of(PermissionGroup.Partners), partner.permissionGroups());
        assertEquals(Set.of(AuthMechanism.Tls), partner.authMechanism());
    }

    @Test
    void newConnectorsGetTheLimitsOfOtherConnectors() {
        for (String usage : List.of("Custom", "Internet", "Internal", "Client", "Partner")) {
            ReceiveConnector c = ReceiveConnectorDefaults.forUsage(usage, "X", EX01, TransportRole.FrontendTransport,
                List.of(Binding.parse("0.0.0.0:2526")), List.of(IpRange.parse("192.0.2.1")));
            assertEquals(Unlimited.of(5000), c.maxInboundConnection(), usage);
            assertEquals(Unlimited.of(20), c.maxInboundConnectionPerSource(), usage);
            assertEquals(2, c.maxInboundConnectionPercentagePerSource(), usage);
            assertEquals(200, c.maxRecipientsPerMessage(), usage);
            assertEquals(ProtocolLoggingLevel.None, c.protocolLoggingLevel(), usage);
        }
    }

    @Test
    void usageDefaultBindingFollowsTheOffset() {
        ReceiveConnector client = ReceiveConnectorDefaults.forUsage(ReceiveConnectorDefaults.Usage.Client, "X", EX01,
            TransportRole.FrontendTransport, List.of(), List.of(), 10000, "127.0.0.1");
        assertEquals(List.of(Binding.parse("127.0.0.1:10587")), client.bindings());
    }

    @Test
    void customAndPartnerNeedBindingsAndRanges() {
        TransportRole fe = TransportRole.FrontendTransport;
        List<Binding> b = List.of(Binding.parse("0.0.0.0:2526"));
        assertThrows(IllegalArgumentException.class,
            () -> ReceiveConnectorDefaults.forUsage("Custom", "X", EX01, fe, List.of(), List.of(IpRange.parse("10.0.0.1"))));
        assertThrows(IllegalArgumentException.class,
            () -> ReceiveConnectorDefaults.forUsage("Partner", "X", EX01, fe, b, List.of()));
        assertThrows(IllegalArgumentException.class,
            () -> ReceiveConnectorDefaults.forUsage("Internet", "X", EX01, fe, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
            () -> ReceiveConnectorDefaults.forUsage("Relay", "X", EX01, fe, b, List.of()));
    }
}
