package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OrganizationLoader: the demo file, overrides, value forms, and every kind of problem with file:line:key. */
class OrganizationLoaderTest {

    /** Seven lines; a test's own lines start at line 8. */
    private static final String BASE = """
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test", Site = "Default-First-Site-Name" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [ { Name = "Kate Smith", Alias = kate, Database = DB01, EmailAddresses = ["SMTP:kate@contoso.test", "smtp:k.smith@contoso.test"] } ]
        DistributionGroups = [ { Name = "Sales", Alias = sales, EmailAddresses = ["SMTP:sales@contoso.test"], Members = [kate, "k.smith@contoso.test"] } ]
        ReceiveConnectors.BindAddress = "127.0.0.1"
        """;

    private static Organization parse(String extra) {
        return OrganizationLoader.parse(BASE + extra, "org.conf");
    }

    private static OrganizationConfigException problems(String hocon) {
        return assertThrows(OrganizationConfigException.class, () -> OrganizationLoader.parse(hocon, "org.conf"));
    }

    private static ReceiveConnector connector(Organization org, String name) {
        return org.receiveConnectors().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static ReceiveConnector withConnector(String parameters) {
        Organization org = parse("ReceiveConnectors.Connectors = [ { Name = \"Default Frontend EX01\", "
            + parameters + " } ]\n");
        return connector(org, "Default Frontend EX01");
    }

    // ---- the demo ------------------------------------------------------------------------

    @Test
    void demoLoadsWithSixConnectorsOnDemoPorts() {
        Organization org = OrganizationLoader.loadResource("mailflow/demo-organization.conf");
        assertEquals("Contoso (demo)", org.name());
        assertEquals(List.of("Default Frontend EX01", "Client Frontend EX01", "Outbound Proxy Frontend EX01",
            "Default EX01", "Client Proxy EX01", "Mailbox Delivery EX01"),
            org.receiveConnectors().stream().map(ReceiveConnector::name).toList());
        assertEquals(List.of("127.0.0.1:10025", "127.0.0.1:10587", "127.0.0.1:10717", "127.0.0.1:12525",
            "127.0.0.1:10465", "127.0.0.1:10475"),
            org.receiveConnectors().stream().map(c -> c.bindings().get(0).toString()).toList());
        assertTrue(org.receiveConnectors().stream().allMatch(c -> c.bindings().size() == 1));
    }

    @Test
    void demoConnectorsHaveExchangeDefaults() {
        Organization org = OrganizationLoader.loadResource("mailflow/demo-organization.conf");
        ReceiveConnector frontend = connector(org, "Default Frontend EX01");
        assertEquals(Unlimited.of(5000), frontend.maxInboundConnection());
        assertEquals(Unlimited.of(20), frontend.maxInboundConnectionPerSource());
        assertEquals(2, frontend.maxInboundConnectionPercentagePerSource());
        assertEquals(ProtocolLoggingLevel.Verbose, frontend.protocolLoggingLevel());
        assertEquals("EX01\\Default Frontend EX01", frontend.identity());
        ReceiveConnector hub = connector(org, "Default EX01");
        assertEquals(Unlimited.UNLIMITED, hub.maxInboundConnectionPerSource());
        assertEquals(100, hub.maxInboundConnectionPercentagePerSource());
        assertEquals(5000, hub.maxRecipientsPerMessage());
        assertEquals(ProtocolLoggingLevel.None, hub.protocolLoggingLevel());
        assertEquals(TransportRole.MailboxDelivery, connector(org, "Mailbox Delivery EX01").transportRole());
    }

    @Test
    void demoDirectoryResolves() {
        Organization org = OrganizationLoader.loadResource("mailflow/demo-organization.conf");
        assertTrue(org.isAcceptedDomain("contoso.test"));
        assertEquals(2, org.mailboxDatabases().size());
        assertTrue(org.mailboxes().size() >= 5);
        Recipient kate = org.findRecipient(SmtpAddress.of("k.smith@contoso.test")).orElseThrow();
        assertEquals("kate@contoso.test", kate.primarySmtpAddress().toString());
        Recipient helpdesk = org.findRecipient(SmtpAddress.of("helpdesk@contoso.test")).orElseThrow();
        assertEquals("Help Desk", helpdesk.name());
        DistributionGroup all = (DistributionGroup) org.findRecipient(SmtpAddress.of("all-staff@contoso.test")).orElseThrow();
        for (String member : all.members()) {
            assertTrue(org.findByIdentity(member).isPresent(), member);
        }
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("org.conf");
        Files.writeString(file, BASE);
        Organization org = OrganizationLoader.load(file);
        assertEquals("Contoso", org.name());
        assertEquals(6, org.receiveConnectors().size());
    }

    // ---- connectors ----------------------------------------------------------------------

    @Test
    void customConnectorIsCreatedFromItsUsageType() {
        Organization org = parse("""
            ReceiveConnectors.Connectors = [ { Name = "AppRelay", Server = EX01, Usage = Custom, TransportRole = FrontendTransport,
              Bindings = ["127.0.0.1:10026"], RemoteIPRanges = ["127.0.0.1", "192.0.2.0/24"], PermissionGroups = [AnonymousUsers],
              AnonymousExtendedRights = ["Ms-Exch-SMTP-Accept-Any-Recipient"], MaxInboundConnection = 5000,
              MaxInboundConnectionPerSource = 20, MaxMessageSize = 10MB, TarpitInterval = "00:00:05", MessageRateLimit = unlimited } ]
            """);
        assertEquals(7, org.receiveConnectors().size());
        ReceiveConnector relay = connector(org, "AppRelay");
        assertEquals(List.of(Binding.parse("127.0.0.1:10026")), relay.bindings());
        assertEquals(List.of(IpRange.parse("127.0.0.1"), IpRange.parse("192.0.2.0/24")), relay.remoteIPRanges());
        assertEquals(Set.of(PermissionGroup.AnonymousUsers), relay.permissionGroups());
        assertEquals(Set.of(AuthMechanism.Tls), relay.authMechanism());
        assertEquals(Set.of(ReceiveConnector.ACCEPT_ANY_RECIPIENT), relay.anonymousExtendedRights());
        assertEquals(ByteSize.ofMegabytes(10), relay.maxMessageSize());
        assertEquals(Unlimited.UNLIMITED, relay.messageRateLimit());
        assertEquals(2, relay.maxInboundConnectionPercentagePerSource());
        assertEquals("ex01.contoso.test", relay.fqdn());
    }

    @Test
    void entryOverridesOnlyWhatItGives() {
        ReceiveConnector c = withConnector("MaxMessageSize = 25MB, Banner = \"220 mail.contoso.test ready\"");
        assertEquals(ByteSize.ofMegabytes(25), c.maxMessageSize());
        assertEquals("220 mail.contoso.test ready", c.banner());
        assertEquals(Unlimited.of(20), c.maxInboundConnectionPerSource());
        assertEquals(ProtocolLoggingLevel.Verbose, c.protocolLoggingLevel());
    }

    @Test
    void defaultConnectorsCanBeTurnedOff() {
        Organization org = parse("""
            ReceiveConnectors.DefaultConnectors = false
            ReceiveConnectors.Connectors = [ { Name = Only, Usage = Internet, Bindings = "127.0.0.1:2525" } ]
            """);
        assertEquals(List.of("Only"), org.receiveConnectors().stream().map(ReceiveConnector::name).toList());
        assertEquals("EX01", org.receiveConnectors().get(0).server());
    }

    @Test
    void portOffsetMovesEveryDefaultConnector() {
        Organization org = parse("ReceiveConnectors.PortOffset = 20000\n");
        assertEquals(22525, connector(org, "Default EX01").bindings().get(0).port());
    }

    // ---- keys ----------------------------------------------------------------------------

    @Test
    void keysMatchInAnyCase() {
        Organization org = OrganizationLoader.parse("""
            organization { name = "Contoso" }
            ACCEPTEDDOMAINS = [ { domainname = "contoso.test" } ]
            servers = [ { name = EX01, fqdn = "ex01.contoso.test" } ]
            receiveconnectors { connectors = [ { name = "Default Frontend EX01", maxmessagesize = 20MB, MAXHOPCOUNT = 40 } ] }
            """, "org.conf");
        ReceiveConnector c = connector(org, "Default Frontend EX01");
        assertEquals(ByteSize.ofMegabytes(20), c.maxMessageSize());
        assertEquals(40, c.maxHopCount());
        assertTrue(org.acceptedDomains().get(0).isDefault(), "the only accepted domain becomes the default");
    }

    @Test
    void unknownKeyIsNamedWithTheClosestKnownKey() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Default Frontend EX01", MaxMesageSize = 10MB } ]
            """);
        assertEquals(1, e.problems().size());
        ConfigProblem p = e.problems().get(0);
        assertEquals(8, p.line());
        assertEquals("ReceiveConnectors.Connectors[0].MaxMesageSize", p.key());
        assertTrue(p.message().contains("MaxMesageSize") && p.message().contains("did you mean MaxMessageSize?"),
            p.message());
    }

    @Test
    void unknownTopLevelKeyIsNamed() {
        OrganizationConfigException e = problems(BASE + "Mailboxs = []\n");
        assertTrue(e.getMessage().startsWith("org.conf:8: Mailboxs: unknown key Mailboxs; did you mean Mailboxes?"),
            e.getMessage());
    }

    @Test
    void exchangeParameterNotImplementedIsSaidSo() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Default Frontend EX01", MaxAcknowledgementDelay = "00:00:30" } ]
            """);
        assertTrue(e.getMessage().contains("MaxAcknowledgementDelay is an Exchange parameter that Mailflow does not implement"),
            e.getMessage());
    }

    @Test
    void sameKeyInTwoCasesIsAProblem() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Default Frontend EX01", MaxHopCount = 10, maxhopcount = 20 } ]
            """);
        assertTrue(e.getMessage().contains("MaxHopCount is given twice"), e.getMessage());
    }

    // ---- value forms ---------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MaxMessageSize = 10MB                              | 10485760",
        "MaxMessageSize = 10 MB                             | 10485760",
        "MaxMessageSize = \"36 MB (37,748,736 bytes)\"     | 37748736",
        "MaxMessageSize = 65536                             | 65536",
    })
    void sizesTakeExchangeForms(String parameter, long bytes) {
        assertEquals(bytes, withConnector(parameter).maxMessageSize().bytes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TarpitInterval = \"00:00:10\"     | 10",
        "TarpitInterval = 10s              | 10",
        "TarpitInterval = 2m               | 120",
        "ConnectionTimeout = \"1.00:00:00\" | 86400",
    })
    void timeSpansTakeExchangeAndHoconForms(String parameter, long seconds) {
        ReceiveConnector c = withConnector(parameter);
        Duration d = parameter.startsWith("Tarpit") ? c.tarpitInterval() : c.connectionTimeout();
        assertEquals(Duration.ofSeconds(seconds), d);
    }

    @Test
    void booleansTakePowerShellForms() {
        assertTrue(withConnector("RequireEHLODomain = \"$true\"").requireEHLODomain());
        assertTrue(withConnector("RequireEHLODomain = true").requireEHLODomain());
        assertFalse(withConnector("Enabled = \"$false\"").enabled());
        assertFalse(withConnector("Enabled = false").enabled());
    }

    @Test
    void unlimitedInAnyCase() {
        assertEquals(Unlimited.UNLIMITED, withConnector("MaxProtocolErrors = Unlimited").maxProtocolErrors());
        assertEquals(Unlimited.UNLIMITED, withConnector("MaxInboundConnection = unlimited").maxInboundConnection());
        assertEquals(Unlimited.of(7), withConnector("MaxInboundConnectionPerSource = 7").maxInboundConnectionPerSource());
    }

    @Test
    void multiValuedParametersTakeCommaStringsAndLists() {
        ReceiveConnector fromString = withConnector("PermissionGroups = \"AnonymousUsers, ExchangeServers\"");
        ReceiveConnector fromList = withConnector("PermissionGroups = [AnonymousUsers, ExchangeServers]");
        assertEquals(Set.of(PermissionGroup.AnonymousUsers, PermissionGroup.ExchangeServers), fromString.permissionGroups());
        assertEquals(fromString.permissionGroups(), fromList.permissionGroups());
        assertEquals(Set.of(AuthMechanism.Tls, AuthMechanism.BasicAuth),
            withConnector("AuthMechanism = \"TLS, basicauth\"").authMechanism());
    }

    @Test
    void nullBannerRestoresExchangeBanner() {
        assertEquals(null, withConnector("Banner = null").banner());
    }

    // ---- directory -----------------------------------------------------------------------

    @Test
    void firstAddressBecomesPrimaryWhenNoneIsMarked() {
        Organization org = parse("""
            Mailboxes = [ { Name = "Chris", Alias = chris, Database = DB01, EmailAddresses = ["smtp:chris@contoso.test", "c@contoso.test"] } ]
            DistributionGroups = []
            """);
        assertEquals("chris@contoso.test", org.mailboxes().get(0).primarySmtpAddress().toString());
        assertEquals(1, org.mailboxes().get(0).emailAddresses().stream().filter(ProxyAddress::primary).count());
    }

    @Test
    void missingAddressesComeFromTheDefaultPolicy() {
        Organization org = parse("Mailboxes = [ { Name = \"Chris\", Alias = chris, Database = DB01 } ]\nDistributionGroups = []\n");
        assertEquals("SMTP:chris@contoso.test", org.mailboxes().get(0).emailAddresses().get(0).toString());
    }

    // ---- problems ------------------------------------------------------------------------

    @Test
    void outOfRangeIsReportedWithFileLineAndKey() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Default Frontend EX01",
              MaxInboundConnectionPerSource = 0 } ]
            """);
        assertEquals("org.conf:9: ReceiveConnectors.Connectors[0].MaxInboundConnectionPerSource: "
            + "0 is outside the range 1-10000 or unlimited", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MaxInboundConnectionPercentagePerSource = 101 | 101 is outside the range 1-100",
        "MaxRecipientsPerMessage = 600000               | 600000 is outside the range 1-512000",
        "MaxMessageSize = 1KB                           | 1 KB (1,024 bytes) is outside the range 65536-2147483647 bytes",
        "MaxMessageSize = 3GB                           | is outside the range 65536-2147483647 bytes",
        "MaxHopCount = 501                              | 501 is outside the range 1-500",
        "MaxLocalHopCount = 51                          | 51 is outside the range 0-50",
        "MaxProtocolErrors = -1                         | -1 is outside the range 0-2147483647 or unlimited",
        "MaxInboundConnection = 0                       | 0 is outside the range 1-2147483647 or unlimited",
        "ConnectionTimeout = \"2.00:00:00\"             | 2.00:00:00 is outside the range 00:00:01-1.00:00:00",
        "ConnectionInactivityTimeout = 0s               | 00:00:00 is outside the range 00:00:01-1.00:00:00",
        "ConnectionTimeout = \"00:04:00\"               | must be greater than ConnectionInactivityTimeout 00:05:00",
        "Banner = \"Welcome\"                            | a banner must start with 220",
        "TarpitInterval = 5                             | has no unit",
        "TarpitInterval = soon                          | is not a timespan",
        "MaxHopCount = many                             | 'many' is not a whole number",
        "Enabled = maybe                                | 'maybe' is not $true or $false",
        "PermissionGroups = \"AnonymousUsers, Everyone\" | 'Everyone' is not one of",
        "PermissionGroups = \"None, AnonymousUsers\"    | None cannot be combined",
        "AuthMechanism = BasicAuthRequireTLS            | BasicAuthRequireTLS needs BasicAuth and Tls",
        "MessageRateSource = Sender                     | 'Sender' is not one of None, IPAddress, User, All",
        "Bindings = [\"127.0.0.1:99999\"]               | port 99999 is outside 1-65535",
        "Bindings = [\"mail.contoso.test:25\"]          | is not an IP address",
        "RemoteIPRanges = [\"10.0.0.0/40\"]             | prefix /40 is outside 0-32",
        "MaxCommandSize = 100                           | 100 is outside the range 512-65536",
        "AnonymousExtendedRights = [\"Ms-Exch-SMTP-Accept-Any-Recipent\"] | did you mean Ms-Exch-SMTP-Accept-Any-Recipient?",
    })
    void eachParameterIsValidated(String parameter, String expected) {
        OrganizationConfigException e = problems(BASE
            + "ReceiveConnectors.Connectors = [ { Name = \"Default Frontend EX01\", " + parameter + " } ]\n");
        assertEquals(1, e.problems().size(), e.getMessage());
        ConfigProblem p = e.problems().get(0);
        assertEquals("org.conf", p.file());
        assertEquals(8, p.line(), e.getMessage());
        assertTrue(p.key().startsWith("ReceiveConnectors.Connectors[0]."), p.key());
        assertTrue(p.message().contains(expected), p.message());
    }

    @Test
    void referencesMustResolve() {
        OrganizationConfigException e = problems("""
            Organization { Name = "Contoso" }
            AcceptedDomains = [ { DomainName = "contoso.test" } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX02 } ]
            Mailboxes = [ { Name = "Kate", Alias = kate, Database = DB09, EmailAddresses = ["SMTP:kate@contoso.test"] } ]
            DistributionGroups = [ { Name = "Sales", Alias = sales, Members = [kate, nobody, "ghost@contoso.test"] } ]
            ReceiveConnectors.Connectors = [ { Name = X, Server = EX03, Usage = Internet, Bindings = "0.0.0.0:2526" } ]
            """);
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(List.of(
            "org.conf:4: MailboxDatabases[0].Server: server EX02 is not among Servers; did you mean EX01?",
            "org.conf:5: Mailboxes[0].Database: mailbox database DB09 is not among MailboxDatabases",
            "org.conf:6: DistributionGroups[0].Members[1]: member 'nobody' is not a recipient of this organization: a mailbox, group, mail contact or mail user (give its Name, Alias or an address)",
            "org.conf:6: DistributionGroups[0].Members[2]: member 'ghost@contoso.test' is not a recipient of this organization: a mailbox, group, mail contact or mail user (give its Name, Alias or an address)",
            "org.conf:7: ReceiveConnectors.Connectors[0].Server: server EX03 is not among Servers; did you mean EX01?"),
            lines);
    }

    @Test
    void addressesAreUniqueAcrossRecipients() {
        OrganizationConfigException e = problems(BASE + """
            Mailboxes = [
              { Name = "Kate Smith", Alias = kate, Database = DB01, EmailAddresses = ["SMTP:kate@contoso.test"] }
              { Name = "Kate Jones", Alias = katej, Database = DB01, EmailAddresses = ["SMTP:KATE@contoso.test"] }
            ]
            DistributionGroups = []
            """);
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("org.conf:10: Mailboxes[1].EmailAddresses[0]: KATE@contoso.test is already an address of Kate Smith (line 9)",
            e.problems().get(0).render());
    }

    @Test
    void addressesMustBeInAnAcceptedDomainAndHaveOnePrimary() {
        OrganizationConfigException e = problems(BASE + """
            Mailboxes = [ { Name = "Kate Smith", Alias = kate, Database = DB01,
              EmailAddresses = ["SMTP:kate@contoso.test", "SMTP:kate2@contoso.test", "smtp:kate@fabrikam.test", "not an address"] } ]
            DistributionGroups = []
            """);
        List<String> messages = e.problems().stream().map(ConfigProblem::render).toList();
        assertEquals(List.of(
            "org.conf:9: Mailboxes[0].EmailAddresses[2]: kate@fabrikam.test is not in an accepted domain (contoso.test)",
            "org.conf:9: Mailboxes[0].EmailAddresses[3]: 'not an address' is not an SMTP address such as SMTP:kate@contoso.test",
            "org.conf:9: Mailboxes[0].EmailAddresses: 2 addresses are marked primary (SMTP:); exactly one may be"),
            messages);
    }

    @Test
    void connectorIdentityIsUnique() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [
              { Name = Relay, Bindings = "127.0.0.1:2526", RemoteIPRanges = "10.0.0.1" }
              { Name = relay, Server = ex01, Bindings = "127.0.0.1:2527", RemoteIPRanges = "10.0.0.2" }
            ]
            """);
        assertEquals("org.conf:10: ReceiveConnectors.Connectors[1].Name: receive connector EX01\\relay is given twice (line 9)",
            e.getMessage());
    }

    @Test
    void sharedBindingNeedsDistinctRemoteRanges() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.PortOffset = 10000
            ReceiveConnectors.Connectors = [
              { Name = Relay, Usage = Custom, Bindings = "127.0.0.1:10025", RemoteIPRanges = "0.0.0.0-255.255.255.255" }
              { Name = Partial, Usage = Custom, Bindings = "0.0.0.0:2600", RemoteIPRanges = "10.0.0.0-10.0.0.20" }
              { Name = Partial2, Usage = Custom, Bindings = "127.0.0.1:2600", RemoteIPRanges = "10.0.0.10-10.0.0.30" }
              { Name = Nested, Usage = Custom, Bindings = "127.0.0.1:2600", RemoteIPRanges = "10.0.0.15" }
            ]
            """);
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(2, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("org.conf:10: ReceiveConnectors.Connectors[0].RemoteIPRanges: shares binding "
            + "127.0.0.1:10025 with Default Frontend EX01 and both accept 0.0.0.0-255.255.255.255"), lines.get(0));
        assertTrue(lines.get(1).startsWith("org.conf:12: ReceiveConnectors.Connectors[2].RemoteIPRanges: shares binding"),
            lines.get(1));
        assertTrue(lines.get(1).contains("partly overlaps"), lines.get(1));
    }

    @Test
    void newCustomConnectorNeedsBindingsAndRanges() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = Relay, RemoteIPRanges = "10.0.0.1" }, { Name = Relay2, Usage = Partner, Bindings = "0.0.0.0:2600" } ]
            """);
        assertEquals(List.of(
            "org.conf:8: ReceiveConnectors.Connectors[0].Bindings: Bindings (a Custom connector needs Bindings and RemoteIPRanges) is required",
            "org.conf:8: ReceiveConnectors.Connectors[1].RemoteIPRanges: RemoteIPRanges (a Partner connector needs Bindings and RemoteIPRanges) is required"),
            List.of(e.getMessage().split("\n")));
    }

    @Test
    void usageOnADefaultConnectorIsAProblem() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Client Frontend EX01", Usage = Client } ]
            """);
        assertTrue(e.getMessage().contains("Usage applies only to a new connector"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        OrganizationConfigException e = problems("""
            Organization { Name = "Contoso" }
            AcceptedDomains = [ { DomainName = "contoso.test" }, { DomainName = "fabrikam.test", Default = true }, { DomainName = "x.test", Default = true } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }, { Name = EX01, Fqdn = "not a host" } ]
            MailboxDatabases = [ { Name = DB01 } ]
            Mailboxes = [ { Name = Kate, Database = DB01 } ]
            ReceiveConnectors {
              Connectors = [ { Name = "Default EX01", MaxHopCount = 0, MaxLocalHopCount = 99, Colour = blue } ]
            }
            """);
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(List.of(
            "org.conf:2: AcceptedDomains[2].Default: only one accepted domain can be the default, and fabrikam.test already is",
            "org.conf:3: Servers[1].Fqdn: 'not a host' is not a fully qualified domain name",
            "org.conf:4: MailboxDatabases[0].Server: Server is required",
            "org.conf:5: Mailboxes[0].Database: mailbox database DB01 is not among MailboxDatabases",
            "org.conf:5: Mailboxes[0].EmailAddresses: EmailAddresses (or an Alias, for alias@<default accepted domain>) is required",
            "org.conf:7: ReceiveConnectors.Connectors[0].Colour: unknown key Colour; did you mean Server?",
            "org.conf:7: ReceiveConnectors.Connectors[0].MaxHopCount: 0 is outside the range 1-500",
            "org.conf:7: ReceiveConnectors.Connectors[0].MaxLocalHopCount: 99 is outside the range 0-50"),
            lines);
    }

    @Test
    void missingOrganizationIsReported() {
        OrganizationConfigException e = problems("Servers = []\n");
        assertTrue(e.getMessage().contains("Organization: Organization { Name = \"...\" } is required"), e.getMessage());
        assertTrue(e.getMessage().contains("AcceptedDomains: AcceptedDomains = [ { DomainName = ... } ] is required"),
            e.getMessage());
    }

    @Test
    void syntaxErrorIsReportedWithItsLine() {
        OrganizationConfigException e = problems("""
            Organization { Name = "Contoso" }
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }
            ReceiveConnectors { Connectors = [ { Name = x, TarpitInterval = 00:00:05 } ] }
            """);
        assertEquals(1, e.problems().size());
        ConfigProblem p = e.problems().get(0);
        assertEquals("org.conf", p.file());
        assertTrue(p.line() >= 2, e.getMessage());
        assertTrue(e.getMessage().startsWith("org.conf:" + p.line() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void unquotedTimeSpanIsASyntaxErrorOnItsLine() {
        OrganizationConfigException e = problems(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Default EX01", TarpitInterval = 00:00:05 } ]
            """);
        assertEquals(8, e.problems().get(0).line(), e.getMessage());
    }

    @Test
    void missingFileIsAProblemNotAStackTrace(@TempDir Path dir) {
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class,
            () -> OrganizationLoader.load(dir.resolve("absent.conf")));
        assertTrue(e.getMessage().contains("absent.conf"), e.getMessage());
        assertFalse(e.getMessage().contains("java.io"), e.getMessage());
    }

    @Test
    void problemsInAFileNameTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("org.conf");
        Files.writeString(file, BASE + "ReceiveConnectors.Connectors = [ { Name = \"Default EX01\", MaxHopCount = 0 } ]\n");
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class, () -> OrganizationLoader.load(file));
        assertEquals(file.toString(), e.problems().get(0).file());
        assertTrue(e.getMessage().startsWith(file + ":8: ReceiveConnectors.Connectors[0].MaxHopCount: "), e.getMessage());
    }

    @Test
    void aMailboxSignsInWithItsUserPrincipalNameAndAPasswordHash() {
        Organization org = OrganizationLoader.parse(BASE + """
            Mailboxes += { Name = "Chris Green", Alias = chris, Database = DB01, UserPrincipalName = "chris@corp.contoso.test",
              Password = "$pbkdf2-sha256$i=100000$Cf5Pe2D7c/Sbs4KmotE53A$3rvZvufgw1QofsheON7RDJJXZXZ44Wh8aZ/kfNLL0eI" }
            """, "org.conf");
        Mailbox kate = (Mailbox) org.findByIdentity("kate").orElseThrow();
        Mailbox chris = (Mailbox) org.findByIdentity("chris").orElseThrow();
        assertEquals("kate@contoso.test", kate.userPrincipalName(), "the primary address when none is given");
        assertTrue(kate.password().isEmpty());
        assertEquals("chris@corp.contoso.test", chris.userPrincipalName());
        assertTrue(chris.password().orElseThrow().matches("P@ssw0rd".toCharArray()));
    }

    @Test
    void aPasswordInClearAndASignInNameUsedTwiceAreProblems() {
        OrganizationConfigException e = problems(BASE + """
            Mailboxes += { Name = "Chris Green", Alias = chris, Database = DB01, Password = "P@ssw0rd" }
            Mailboxes += { Name = "Kate Two", Alias = kate2, Database = DB01, UserPrincipalName = "kate@contoso.test" }
            """);
        assertTrue(e.getMessage().contains("Mailboxes[1].Password: a password is kept only as a hash"), e.getMessage());
        assertTrue(e.getMessage().contains("Mailboxes[2].UserPrincipalName: UserPrincipalName kate@contoso.test is "
            + "already the sign-in name of mailbox Kate Smith"), e.getMessage());
    }
}
