package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReceiveConnectorParameters: the one table the loader and the admin shell share. Text forms in,
 * Format-List forms out, the loader's problem texts, set() all-or-nothing, cross-parameter rules.
 */
class ReceiveConnectorParametersTest {

    private static final Server EX01 = new Server("EX01", "ex01.contoso.test", "Default-First-Site-Name");
    private static final List<ReceiveConnector> DEFAULTS = ReceiveConnectorDefaults.forServer(EX01);
    private static final ReceiveConnector FRONTEND = DEFAULTS.get(0);

    private static Map<String, String> changes(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    private static ParamException refused(ReceiveConnector c, String... nameValue) {
        return assertThrows(ParamException.class, () -> ReceiveConnectorParameters.set(c, changes(nameValue)));
    }

    // ---- Format-List -------------------------------------------------------------------

    @Test
    void defaultFrontendPrintsAsExchangeFormatList() {
        Map<String, String> fl = ReceiveConnectorParameters.toDisplay(FRONTEND);
        assertEquals("Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer", fl.get("AuthMechanism"));
        assertEquals("", fl.get("Banner"));
        assertEquals("{[::]:25, 0.0.0.0:25}", fl.get("Bindings"));
        assertEquals("False", fl.get("BareLinefeedRejectionEnabled"));
        assertEquals("ex01.contoso.test", fl.get("Fqdn"));
        assertEquals("True", fl.get("Enabled"));
        assertEquals("00:10:00", fl.get("ConnectionTimeout"));
        assertEquals("00:05:00", fl.get("ConnectionInactivityTimeout"));
        assertEquals("Unlimited", fl.get("MessageRateLimit"));
        assertEquals("IPAddress", fl.get("MessageRateSource"));
        assertEquals("5000", fl.get("MaxInboundConnection"));
        assertEquals("20", fl.get("MaxInboundConnectionPerSource"));
        assertEquals("2", fl.get("MaxInboundConnectionPercentagePerSource"));
        assertEquals("256 KB (262,144 bytes)", fl.get("MaxHeaderSize"));
        assertEquals("36 MB (37,748,736 bytes)", fl.get("MaxMessageSize"));
        assertEquals("5", fl.get("MaxProtocolErrors"));
        assertEquals("AnonymousUsers, ExchangeServers, ExchangeLegacyServers", fl.get("PermissionGroups"));
        assertEquals("Verbose", fl.get("ProtocolLoggingLevel"));
        assertEquals("{::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 0.0.0.0-255.255.255.255}", fl.get("RemoteIPRanges"));
        assertEquals("EX01", fl.get("Server"));
        assertEquals("FrontendTransport", fl.get("TransportRole"));
        assertEquals("00:00:05", fl.get("TarpitInterval"));
        assertEquals("0", fl.get("ConnectionRateThrottle"));
        assertEquals("Unlimited", fl.get("MaxDaemonChildren"));
        assertEquals("{}", fl.get("AccessMap"));
        assertEquals("{}", fl.get("AnonymousExtendedRights"));
        assertEquals("Default Frontend EX01", fl.get("Name"));
        assertEquals("EX01\\Default Frontend EX01", fl.get("Identity"));
    }

    @Test
    void orderIsExchangeFormatListOrderWithIdentityLast() {
        List<String> names = new ArrayList<>(ReceiveConnectorParameters.toDisplay(FRONTEND).keySet());
        assertEquals(ReceiveConnectorParameters.all().stream().map(Param::name).toList(), names);
        assertEquals("AuthMechanism", names.get(0));
        assertEquals(List.of("Name", "Identity"), names.subList(names.size() - 2, names.size()));
        assertTrue(names.indexOf("ConnectionTimeout") < names.indexOf("MaxInboundConnection"));
        assertTrue(names.indexOf("MaxHeaderSize") < names.indexOf("MaxHopCount"));
        assertTrue(names.indexOf("PermissionGroups") < names.indexOf("RemoteIPRanges"));
    }

    @Test
    void byNameIgnoresCase() {
        assertEquals("MaxInboundConnectionPerSource",
            ReceiveConnectorParameters.byName("maxinboundconnectionpersource").orElseThrow().name());
        assertEquals("AccessMap", ReceiveConnectorParameters.byName("ACCESSMAP").orElseThrow().name());
        assertTrue(ReceiveConnectorParameters.byName("MaxMesageSize").isEmpty());
        assertTrue(ReceiveConnectorParameters.byName("Identity").orElseThrow().isReadOnly());
    }

    @Test
    void everyParameterReadsBackWhatItPrints() {
        ReceiveConnector custom = ReceiveConnectorBuilder.from(FRONTEND)
            .banner("220 mail.contoso.test ready")
            .anonymousExtendedRights(Set.of(ReceiveConnector.ACCEPT_ANY_RECIPIENT))
            .accessMap(List.of("Connect:192.0.2 OK", "Connect:bad.example ERROR:\"550 5.7.1 go away, now\""))
            .maxDaemonChildren(Unlimited.of(300)).connectionRateThrottle(10)
            .build();
        for (Param<ReceiveConnector, ReceiveConnectorBuilder, ?> p : ReceiveConnectorParameters.all()) {
            if (p.isReadOnly()) {
                continue;
            }
            String printed = p.display(custom);
            ReceiveConnector again = ReceiveConnectorParameters.set(custom, Map.of(p.name(), printed));
            assertEquals(custom, again, p.name() + " = " + printed);
        }
    }

    // ---- text forms in, Format-List forms out ------------------------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "MaxInboundConnection                    | unlimited                     | Unlimited",
        "MaxInboundConnection                    | 1,000                         | 1000",
        "MaxInboundConnectionPerSource           | 100                           | 100",
        "MaxInboundConnectionPerSource           | Unlimited                     | Unlimited",
        "MaxInboundConnectionPercentagePerSource | 100                           | 100",
        "MessageRateLimit                        | 600                           | 600",
        "MessageRateSource                       | user                          | User",
        "MaxProtocolErrors                       | 0                             | 0",
        "MaxRecipientsPerMessage                 | 5000                          | 5000",
        "MaxMessageSize                          | 10MB                          | 10 MB (10,485,760 bytes)",
        "MaxMessageSize                          | 36 MB (37,748,736 bytes)      | 36 MB (37,748,736 bytes)",
        "MaxMessageSize                          | 65536                         | 64 KB (65,536 bytes)",
        "MaxHeaderSize                           | 256KB                         | 256 KB (262,144 bytes)",
        "MaxHopCount                             | 60                            | 60",
        "MaxLocalHopCount                        | 0                             | 0",
        "TarpitInterval                          | 00:00:00                      | 00:00:00",
        "TarpitInterval                          | 10s                           | 00:00:10",
        "ConnectionTimeout                       | 1.00:00:00                    | 1.00:00:00",
        "ConnectionTimeout                       | 20m                           | 00:20:00",
        "ConnectionInactivityTimeout             | 00:01:00                      | 00:01:00",
        "Enabled                                 | $false                        | False",
        "RequireEHLODomain                       | $true                         | True",
        "RequireTLS                              | $true                         | True",
        "MaxLogonFailures                        | 0                             | 0",
        "AuthTarpitInterval                      | 00:00:00                      | 00:00:00",
        "BareLinefeedRejectionEnabled            | true                          | True",
        "ProtocolLoggingLevel                    | none                          | None",
        "TransportRole                           | hubtransport                  | HubTransport",
        "PermissionGroups                        | AnonymousUsers,ExchangeServers | AnonymousUsers, ExchangeServers",
        "PermissionGroups                        | ExchangeServers, AnonymousUsers | AnonymousUsers, ExchangeServers",
        "AuthMechanism                           | TLS,BasicAuth,BasicAuthRequireTLS | Tls, BasicAuth, BasicAuthRequireTLS",
        "Bindings                                | 0.0.0.0:10026                 | {0.0.0.0:10026}",
        "Bindings                                | '\"[::]:25\",\"0.0.0.0:25\"'  | {[::]:25, 0.0.0.0:25}",
        "Bindings                                | '{[::]:25, 0.0.0.0:25}'       | {[::]:25, 0.0.0.0:25}",
        "RemoteIPRanges                          | 192.0.2.0/24                  | {192.0.2.0/24}",
        "RemoteIPRanges                          | '192.0.2.10,192.0.2.20-192.0.2.30,2001:db8::/32' | {192.0.2.10, 192.0.2.20-192.0.2.30, 2001:db8::/32}",
        "Banner                                  | 220 mail.contoso.test ESMTP   | 220 mail.contoso.test ESMTP",
        "Fqdn                                    | mail.contoso.test             | mail.contoso.test",
        "MaxCommandSize                          | 4096                          | 4096",
        "AnonymousExtendedRights                 | ms-exch-smtp-accept-any-recipient | {Ms-Exch-SMTP-Accept-Any-Recipient}",
        "ConnectionRateThrottle                  | 10                            | 10",
        "ConnectionRateThrottle                  | 0                             | 0",
        "MaxDaemonChildren                       | 500                           | 500",
        "MaxDaemonChildren                       | unlimited                     | Unlimited",
        "AccessMap                               | Connect:trusted.host.example RELAY | {Connect:trusted.host.example RELAY}",
        "AccessMap                               | 'Connect:192.0.2 OK, Connect:bad.example REJECT' | {Connect:192.0.2 OK, Connect:bad.example REJECT}",
    })
    void textFormsParseAndPrintAsFormatList(String name, String text, String printed) {
        ReceiveConnector c = ReceiveConnectorParameters.set(FRONTEND, Map.of(name, text));
        assertEquals(printed, ReceiveConnectorParameters.toDisplay(c).get(name));
    }

    @Test
    void valuesLandInTheModel() {
        ReceiveConnector c = ReceiveConnectorParameters.set(FRONTEND, changes(
            "MaxMessageSize", "\"36 MB (37,748,736 bytes)\"", "TarpitInterval", "00:00:10",
            "MaxInboundConnectionPerSource", "unlimited", "RequireEHLODomain", "$true",
            "PermissionGroups", "AnonymousUsers,ExchangeServers", "ConnectionRateThrottle", "5",
            "MaxDaemonChildren", "40", "AccessMap", "Connect:192.0.2 OK"));
        assertEquals(ByteSize.ofMegabytes(36), c.maxMessageSize());
        assertEquals(Duration.ofSeconds(10), c.tarpitInterval());
        assertEquals(Unlimited.UNLIMITED, c.maxInboundConnectionPerSource());
        assertTrue(c.requireEHLODomain());
        assertEquals(Set.of(PermissionGroup.AnonymousUsers, PermissionGroup.ExchangeServers), c.permissionGroups());
        assertEquals(5, c.connectionRateThrottle());
        assertEquals(Unlimited.of(40), c.maxDaemonChildren());
        assertEquals(List.of("Connect:192.0.2 OK"), c.accessMap());
        assertEquals(FRONTEND.maxHopCount(), c.maxHopCount(), "untouched parameters keep their values");
    }

    @Test
    void nullBannerRestoresExchangeBanner() {
        ReceiveConnector custom = ReceiveConnectorParameters.set(FRONTEND, Map.of("Banner", "220 hello"));
        assertNull(ReceiveConnectorParameters.set(custom, Map.of("Banner", "$null")).banner());
    }

    @Test
    void sendmailControlsDefaultToNoLimit() {
        for (ReceiveConnector c : DEFAULTS) {
            assertEquals(0, c.connectionRateThrottle(), c.name());
            assertEquals(Unlimited.UNLIMITED, c.maxDaemonChildren(), c.name());
            assertEquals(List.of(), c.accessMap(), c.name());
        }
        assertEquals("0", ReceiveConnectorParameters.CONNECTION_RATE_THROTTLE.displayDefault());
        assertEquals("Unlimited", ReceiveConnectorParameters.MAX_DAEMON_CHILDREN.displayDefault());
    }

    // ---- refusals: the loader's texts, with the parameter's name ------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "MaxInboundConnectionPerSource           | 0         | MaxInboundConnectionPerSource: 0 is outside the range 1-10000 or unlimited",
        "MaxInboundConnectionPerSource           | 10001     | MaxInboundConnectionPerSource: 10001 is outside the range 1-10000 or unlimited",
        "MaxInboundConnection                    | 0         | MaxInboundConnection: 0 is outside the range 1-2147483647 or unlimited",
        "MaxInboundConnectionPercentagePerSource | 101       | MaxInboundConnectionPercentagePerSource: 101 is outside the range 1-100",
        "MessageRateLimit                        | 0         | MessageRateLimit: 0 is outside the range 1-2147483647 or unlimited",
        "MessageRateSource                       | Sender    | MessageRateSource: 'Sender' is not one of None, IPAddress, User, All",
        "MaxProtocolErrors                       | -1        | MaxProtocolErrors: -1 is outside the range 0-2147483647 or unlimited",
        "MaxRecipientsPerMessage                 | 600000    | MaxRecipientsPerMessage: 600000 is outside the range 1-512000",
        "MaxMessageSize                          | 1KB       | MaxMessageSize: 1 KB (1,024 bytes) is outside the range 65536-2147483647 bytes",
        "MaxMessageSize                          | 3GB       | MaxMessageSize: 3 GB (3,221,225,472 bytes) is outside the range 65536-2147483647 bytes",
        "MaxHeaderSize                           | 0         | MaxHeaderSize: 0 B (0 bytes) is outside the range 1-2147483647 bytes",
        "MaxHopCount                             | 501       | MaxHopCount: 501 is outside the range 1-500",
        "MaxHopCount                             | many      | MaxHopCount: 'many' is not a whole number",
        "MaxLocalHopCount                        | 51        | MaxLocalHopCount: 51 is outside the range 0-50",
        "MaxLogonFailures                        | 11        | MaxLogonFailures: 11 is outside the range 0-10",
        "AuthTarpitInterval                      | 00:10:01  | AuthTarpitInterval: 00:10:01 is outside the range 00:00:00-00:10:00",
        "TarpitInterval                          | 1.00:00:01 | TarpitInterval: 1.00:00:01 is outside the range 00:00:00-1.00:00:00",
        "TarpitInterval                          | 5         | TarpitInterval: '5' has no unit; give a timespan such as 00:00:05 or a duration such as 5s",
        "ConnectionTimeout                       | 2.00:00:00 | ConnectionTimeout: 2.00:00:00 is outside the range 00:00:01-1.00:00:00",
        "ConnectionInactivityTimeout             | 00:00:00  | ConnectionInactivityTimeout: 00:00:00 is outside the range 00:00:01-1.00:00:00",
        "Enabled                                 | maybe     | Enabled: 'maybe' is not $true or $false",
        "ProtocolLoggingLevel                    | Full      | ProtocolLoggingLevel: 'Full' is not one of None, Verbose",
        "PermissionGroups                        | 'None,AnonymousUsers' | PermissionGroups: None cannot be combined with other permission groups",
        "PermissionGroups                        | Everyone  | PermissionGroups: 'Everyone' is not one of None, AnonymousUsers, ExchangeUsers, ExchangeServers, ExchangeLegacyServers, Partners, Custom",
        "AuthMechanism                           | 'None,Tls' | AuthMechanism: None cannot be combined with other mechanisms",
        "AuthMechanism                           | BasicAuthRequireTLS | AuthMechanism: BasicAuthRequireTLS needs BasicAuth and Tls as well",
        "AuthMechanism                           | ExternalAuthoritative | AuthMechanism: ExternalAuthoritative requires PermissionGroups = ExchangeServers",
        "Bindings                                | 127.0.0.1:99999 | Bindings: port 99999 is outside 1-65535",
        "Bindings                                | mail.contoso.test:25 | Bindings: 'mail.contoso.test' is not an IP address",
        "Bindings                                | ''        | Bindings: at least one binding such as 0.0.0.0:25 is required",
        "RemoteIPRanges                          | 10.0.0.0/40 | RemoteIPRanges: prefix /40 is outside 0-32",
        "Banner                                  | Welcome   | Banner: a banner must start with 220, as in \"220 mail.contoso.test ESMTP\"",
        "Fqdn                                    | not a host | Fqdn: 'not a host' is not a fully qualified domain name",
        "MaxCommandSize                          | 100       | MaxCommandSize: 100 is outside the range 512-65536",
        "AnonymousExtendedRights                 | Ms-Exch-SMTP-Accept-Any-Recipent | AnonymousExtendedRights: unknown extended right 'Ms-Exch-SMTP-Accept-Any-Recipent'; did you mean Ms-Exch-SMTP-Accept-Any-Recipient?",
        "ConnectionRateThrottle                  | -1        | ConnectionRateThrottle: -1 is outside the range 0-2147483647",
        "MaxDaemonChildren                       | 0         | MaxDaemonChildren: 0 is outside the range 1-2147483647 or unlimited",
        "TransportRole                           | Edge      | TransportRole: 'Edge' is not one of FrontendTransport, HubTransport, MailboxDelivery",
    })
    void outOfRangeIsRefusedWithTheExactText(String name, String text, String expected) {
        ParamException e = refused(FRONTEND, name, text);
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.problems().size());
        assertEquals(name, e.problems().get(0).parameter());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Connect:trusted.host.example RELAY",
        "Connect:192.0.2 OK",
        "Connect:192.0.2.7 OK",
        "Connect:bad.example REJECT",
        "Connect:spam.example DISCARD",
        "Connect:[IPv6:2001:db8::1] RELAY",
        "Connect:IPv6:2001:db8::1 OK",
        "Connect:spam.example ERROR:\"550 We don't accept mail from spammers\"",
        "Connect:spam.example\tERROR:\"5.7.1:550 go away, now\"",
    })
    void accessMapTakesSendmailConnectLines(String line) {
        ReceiveConnector c = ReceiveConnectorParameters.set(FRONTEND, Map.of("AccessMap", line));
        assertEquals(List.of(line), c.accessMap());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "From:spammer@example.test REJECT",
        "Connect:192.0.2.300 OK",
        "Connect:bad.example ACCEPT",
        "Connect:bad.example ERROR:\"go away\"",
        "Connect:bad.example",
        "Connect: OK",
        "connect:bad.example REJECT",
        "Connect:bad..example REJECT",
    })
    void accessMapRefusesOtherLines(String line) {
        ParamException e = refused(FRONTEND, "AccessMap", "'" + line + "'");
        assertTrue(e.getMessage().startsWith("AccessMap: '" + line + "' is not an access map line such as Connect:192.0.2 OK"),
            e.getMessage());
    }

    // ---- set(): several changes at once, all problems at once ---------------------------

    @Test
    void setAppliesSeveralChangesAtOnce() {
        ReceiveConnector c = ReceiveConnectorParameters.set(FRONTEND, changes(
            "-MaxInboundConnectionPerSource", "100", "maxmessagesize", "25MB",
            "ConnectionTimeout", "00:20:00", "ConnectionInactivityTimeout", "00:15:00"));
        assertEquals(Unlimited.of(100), c.maxInboundConnectionPerSource());
        assertEquals(ByteSize.ofMegabytes(25), c.maxMessageSize());
        assertEquals(Duration.ofMinutes(20), c.connectionTimeout());
        assertEquals(Duration.ofMinutes(15), c.connectionInactivityTimeout());
    }

    @Test
    void setReportsEveryProblemAndChangesNothing() {
        ParamException e = refused(FRONTEND,
            "MaxInboundConnectionPerSource", "0",
            "MaxMesageSize", "10MB",
            "EnableAuthGSSAPI", "$true",
            "Identity", "EX01\\Other",
            "MaxHopCount", "501",
            "Enabled", "$false");
        assertEquals(List.of(
            new ParamProblem("MaxInboundConnectionPerSource", "0 is outside the range 1-10000 or unlimited"),
            new ParamProblem("MaxMesageSize", "unknown parameter MaxMesageSize; did you mean MaxMessageSize?"),
            new ParamProblem("EnableAuthGSSAPI", "EnableAuthGSSAPI is an Exchange parameter that Mailflow does not implement"),
            new ParamProblem("Identity", "Identity is read-only"),
            new ParamProblem("MaxHopCount", "501 is outside the range 1-500")),
            e.problems());
        assertEquals("""
            MaxInboundConnectionPerSource: 0 is outside the range 1-10000 or unlimited
            MaxMesageSize: unknown parameter MaxMesageSize; did you mean MaxMessageSize?
            EnableAuthGSSAPI: EnableAuthGSSAPI is an Exchange parameter that Mailflow does not implement
            Identity: Identity is read-only
            MaxHopCount: 501 is outside the range 1-500""", e.getMessage());
        assertTrue(FRONTEND.enabled());
    }

    @Test
    void sameParameterTwiceInOneSetIsAProblem() {
        ParamException e = refused(FRONTEND, "MaxHopCount", "10", "maxhopcount", "20");
        assertEquals("MaxHopCount: MaxHopCount is given twice", e.getMessage());
    }

    // ---- cross-parameter rules at Set ---------------------------------------------------

    @Test
    void connectionTimeoutMustExceedInactivityTimeout() {
        assertEquals("ConnectionTimeout: ConnectionTimeout 00:04:00 must be greater than ConnectionInactivityTimeout 00:05:00",
            refused(FRONTEND, "ConnectionTimeout", "00:04:00").getMessage());
        assertEquals("ConnectionInactivityTimeout: ConnectionTimeout 00:10:00 must be greater than ConnectionInactivityTimeout 00:10:00",
            refused(FRONTEND, "ConnectionInactivityTimeout", "00:10:00").getMessage());
    }

    @Test
    void requireTlsNeedsTheTlsMechanism() {
        assertEquals("RequireTLS: RequireTLS $true needs AuthMechanism Tls",
            refused(FRONTEND, "RequireTLS", "$true", "AuthMechanism", "BasicAuth").getMessage());
    }

    @Test
    void crossRulesRunOnlyWhenEveryValueIsValid() {
        ParamException e = refused(FRONTEND, "ConnectionTimeout", "00:04:00", "MaxHopCount", "0");
        assertEquals(List.of(new ParamProblem("MaxHopCount", "0 is outside the range 1-500")), e.problems());
    }

    @Test
    void bindingClashIsRefusedAtSet() {
        ReceiveConnector relay = ReceiveConnectorDefaults.forUsage(ReceiveConnectorDefaults.Usage.Custom, "AppRelay",
            EX01, TransportRole.FrontendTransport, List.of(Binding.parse("0.0.0.0:10026")),
            List.of(IpRange.parse("192.0.2.0/24")), 0, null);
        List<ReceiveConnector> all = new ArrayList<>(DEFAULTS);
        all.add(relay);
        ParamException e = assertThrows(ParamException.class, () -> ReceiveConnectorParameters.set(relay,
            Map.of("Bindings", "0.0.0.0:25", "RemoteIPRanges", "0.0.0.0-255.255.255.255"), all));
        assertEquals("RemoteIPRanges: shares binding 0.0.0.0:25 with Default Frontend EX01 and both accept "
            + "0.0.0.0-255.255.255.255; connectors on one binding need distinct RemoteIPRanges", e.getMessage());
        ReceiveConnector narrowed = ReceiveConnectorParameters.set(relay,
            Map.of("Bindings", "0.0.0.0:25", "RemoteIPRanges", "192.0.2.0/24"), all);
        assertEquals(List.of(Binding.parse("0.0.0.0:25")), narrowed.bindings());
        assertEquals(Unlimited.of(7), ReceiveConnectorParameters.set(relay, Map.of("MaxInboundConnectionPerSource", "7"),
            all).maxInboundConnectionPerSource(), "other parameters do not look at bindings");
    }

    // ---- one message style for the loader and the shell ---------------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "MaxInboundConnectionPerSource | 0",
        "MaxMessageSize                | 1KB",
        "TarpitInterval                | soon",
        "ConnectionTimeout             | 00:04:00",
        "Banner                        | Welcome",
        "MessageRateSource             | Sender",
        "ConnectionRateThrottle        | -5",
        "MaxDaemonChildren             | 0",
        "AccessMap                     | Connect:bad.example ACCEPT",
    })
    void loaderAndSetSayTheSame(String name, String text) {
        String fromSet = refused(FRONTEND, name, text).problems().get(0).message();
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class, () -> OrganizationLoader.parse("""
            Organization { Name = "Contoso" }
            AcceptedDomains = [ { DomainName = "contoso.test" } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
            ReceiveConnectors.Connectors = [ { Name = "Default Frontend EX01", %s = "%s" } ]
            """.formatted(name, text), "org.conf"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).key().startsWith("ReceiveConnectors.Connectors[0]." + name), e.getMessage());
        assertEquals(fromSet, e.problems().get(0).message());
        assertFalse(fromSet.isEmpty());
    }
}
