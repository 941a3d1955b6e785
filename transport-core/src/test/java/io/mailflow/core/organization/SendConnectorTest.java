package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.ParamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Send connectors: AddressSpace's text forms and matching, SendConnectorParameters' defaults,
 * printed forms and rules, and the loader's SendConnectors section with file:line:key problems.
 */
class SendConnectorTest {

    /** Four lines; a test's own lines start at line 5. */
    private static final String BASE = """
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test" } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }, { Name = EX02, Fqdn = "ex02.contoso.test" } ]
        ReceiveConnectors { DefaultConnectors = false }
        """;

    private static OrganizationConfigException problems(String extra) {
        return assertThrows(OrganizationConfigException.class, () -> OrganizationLoader.parse(BASE + extra, "org.conf"));
    }

    private static Map<String, String> changes(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    // ---- AddressSpace --------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SMTP:*.contoso.com;1 | *.contoso.com | 1",
        "smtp:Contoso.COM;20  | contoso.com   | 20",
        "*.contoso.com;5      | *.contoso.com | 5",
        "contoso.com          | contoso.com   | 1",
        "*                    | *             | 1",
        "SMTP:*;100           | *             | 100",
        "*.com;3              | *.com         | 3"})
    void addressSpacesTakeExchangesTextForms(String text, String domain, int cost) {
        AddressSpace a = AddressSpace.parse(text);
        assertEquals(domain, a.domain());
        assertEquals(cost, a.cost());
        assertEquals("SMTP:" + domain + ";" + cost, a.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*contoso.com", "a.*.com", "SMTP:*contoso.com;1", "contoso.com;0", "contoso.com;101",
        "contoso.com;x", "X400:c=US;a=;p=Contoso", "SMTP:", "[10.0.0.1]"})
    void invalidAddressSpacesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> AddressSpace.parse(text));
    }

    @Test
    void wildcardsMatchTheParentAndItsSubdomains() {
        AddressSpace sub = AddressSpace.parse("*.contoso.com");
        assertTrue(sub.matches("contoso.com"));
        assertTrue(sub.matches("mail.sales.Contoso.com"));
        assertFalse(sub.matches("notcontoso.com"));
        AddressSpace exact = AddressSpace.parse("contoso.com");
        assertTrue(exact.matches("CONTOSO.com"));
        assertFalse(exact.matches("mail.contoso.com"));
        assertTrue(AddressSpace.parse("*").matches("anything.example"));
    }

    @Test
    void anExactDomainIsMoreSpecificThanTheLongestWildcardThanAShorterOneThanStar() {
        int exact = AddressSpace.parse("sales.contoso.com").specificity();
        int longWildcard = AddressSpace.parse("*.sales.contoso.com").specificity();
        int shortWildcard = AddressSpace.parse("*.com").specificity();
        int star = AddressSpace.parse("*").specificity();
        assertTrue(exact > longWildcard && longWildcard > shortWildcard && shortWildcard > star);
    }

    // ---- the parameter table -------------------------------------------------------------

    @Test
    void aNewConnectorHasExchangesDefaultsAndPrintsAsFormatList() {
        SendConnector c = SendConnector.withDefaults("To Internet", List.of(AddressSpace.all()), List.of("EX01"));
        Map<String, String> fl = SendConnectorParameters.toDisplay(c);
        assertEquals(List.of("AddressSpaces", "ConnectionInactivityTimeOut", "DNSRoutingEnabled", "Enabled",
            "FrontendProxyEnabled", "Fqdn", "Identity", "IsScopedConnector", "MaxMessageSize", "Name", "Port",
            "SmartHosts", "SmtpMaxMessagesPerConnection", "SourceTransportServers"), List.copyOf(fl.keySet()));
        assertEquals("{SMTP:*;1}", fl.get("AddressSpaces"));
        assertEquals("00:10:00", fl.get("ConnectionInactivityTimeOut"));
        assertEquals("True", fl.get("DNSRoutingEnabled"));
        assertEquals("True", fl.get("Enabled"));
        assertEquals("False", fl.get("FrontendProxyEnabled"));
        assertEquals("", fl.get("Fqdn"));
        assertEquals("To Internet", fl.get("Identity"));
        assertEquals("False", fl.get("IsScopedConnector"));
        assertEquals("25 MB (26,214,400 bytes)", fl.get("MaxMessageSize"));
        assertEquals("25", fl.get("Port"));
        assertEquals("{}", fl.get("SmartHosts"));
        assertEquals("20", fl.get("SmtpMaxMessagesPerConnection"));
        assertEquals("{EX01}", fl.get("SourceTransportServers"));
    }

    @Test
    void setChangesEverythingOrNothing() {
        SendConnector c = SendConnector.withDefaults("To Internet", List.of(AddressSpace.all()), List.of("EX01"));
        SendConnector relay = SendConnectorParameters.set(c, changes("SmartHosts", "10.0.0.1, Relay.Contoso.com",
            "DNSRoutingEnabled", "$false", "Port", "2525", "MaxMessageSize", "unlimited",
            "AddressSpaces", "SMTP:*.fabrikam.com;5,contoso.com"));
        assertEquals(List.of("[10.0.0.1]", "relay.contoso.com"), relay.smartHosts());
        assertEquals("[10.0.0.1],relay.contoso.com", relay.smartHostList());
        assertEquals("Unlimited", SendConnectorParameters.MAX_MESSAGE_SIZE.display(relay));
        assertEquals("{SMTP:*.fabrikam.com;5, SMTP:contoso.com;1}", SendConnectorParameters.ADDRESS_SPACES.display(relay));
        ParamException e = assertThrows(ParamException.class,
            () -> SendConnectorParameters.set(c, changes("Port", "0", "SmartHosts", "relay:2525")));
        assertEquals(List.of("Port: 0 is outside the range 1-65535",
                "SmartHosts: 'relay:2525' names a port; a smart host is a host name or an IP address, and the "
                    + "connector's Port gives the port"),
            e.problems().stream().map(Object::toString).toList());
    }

    @Test
    void dnsRoutingAndSmartHostsExcludeEachOther() {
        SendConnector c = SendConnector.withDefaults("To Internet", List.of(AddressSpace.all()), List.of("EX01"));
        ParamException noHosts = assertThrows(ParamException.class,
            () -> SendConnectorParameters.set(c, changes("DNSRoutingEnabled", "$false")));
        assertEquals("DNSRoutingEnabled: DNSRoutingEnabled $false needs at least one smart host in SmartHosts",
            noHosts.getMessage());
        ParamException hostsWithDns = assertThrows(ParamException.class,
            () -> SendConnectorParameters.set(c, changes("SmartHosts", "[127.0.0.1]")));
        assertEquals("SmartHosts: SmartHosts are used only with DNSRoutingEnabled $false; set DNSRoutingEnabled = false "
            + "to relay through [127.0.0.1]", hostsWithDns.getMessage());
    }

    // ---- the loader ----------------------------------------------------------------------

    @Test
    void theBriefsExampleLoads() {
        Organization org = OrganizationLoader.parse(BASE + """
            SendConnectors = [ { Name = "To Internet", AddressSpaces = ["SMTP:*;1"], SmartHosts = ["[127.0.0.1]"],
                                 DNSRoutingEnabled = false, Port = 2525 } ]
            """, "org.conf");
        SendConnector c = org.sendConnector("to internet").orElseThrow();
        assertEquals("To Internet", c.identity());
        assertEquals(List.of(AddressSpace.all()), c.addressSpaces());
        assertEquals(List.of("[127.0.0.1]"), c.smartHosts());
        assertFalse(c.dnsRoutingEnabled());
        assertEquals(2525, c.port());
        assertEquals(ByteSize.ofMegabytes(25), c.maxMessageSize());
        assertEquals(20, c.smtpMaxMessagesPerConnection());
        assertEquals(Duration.ofMinutes(10), c.connectionInactivityTimeOut());
        assertFalse(c.frontendProxyEnabled());
        assertTrue(c.enabled());
        assertEquals(List.of("EX01", "EX02"), c.sourceTransportServers(), "every server by default");
        assertEquals("ex02.contoso.test", c.fqdnFor(org.server("EX02").orElseThrow()));
        assertFalse(c.isScopedConnector());
    }

    @Test
    void everyParameterCanBeGivenInAnyCase() {
        Organization org = OrganizationLoader.parse(BASE + """
            SendConnectors = [ { name = "Fabrikam", addressspaces = "*.fabrikam.com;5, fabrikam.net",
                                 MaxMessageSize = 10MB, SmtpMaxMessagesPerConnection = 50,
                                 ConnectionInactivityTimeOut = "00:02:00", FrontendProxyEnabled = "$true",
                                 Enabled = false, SourceTransportServers = [ex02], Fqdn = "mail.contoso.test",
                                 IsScopedConnector = true } ]
            """, "org.conf");
        SendConnector c = org.sendConnectors().get(0);
        assertEquals(List.of(AddressSpace.parse("*.fabrikam.com;5"), AddressSpace.parse("fabrikam.net")), c.addressSpaces());
        assertTrue(c.dnsRoutingEnabled());
        assertEquals(ByteSize.ofMegabytes(10), c.maxMessageSize());
        assertEquals(50, c.smtpMaxMessagesPerConnection());
        assertEquals(Duration.ofMinutes(2), c.connectionInactivityTimeOut());
        assertTrue(c.frontendProxyEnabled());
        assertFalse(c.enabled());
        assertEquals(List.of("EX02"), c.sourceTransportServers(), "kept in the server's own spelling");
        assertEquals("mail.contoso.test", c.fqdn());
        assertTrue(c.isScopedConnector());
    }

    @Test
    void theDemoHasNoSendConnector() {
        assertEquals(List.of(), OrganizationLoader.loadResource("mailflow/demo-organization.conf").sendConnectors());
    }

    @Test
    void problemsNameFileLineAndKey() {
        OrganizationConfigException e = problems("""
            SendConnectors = [
              { Name = "Bad", AddressSpaces = ["*contoso.com"], Port = 70000 }
              { Name = "NoHosts", AddressSpaces = ["*"], DNSRoutingEnabled = false }
              { Name = "nohosts", AddressSpaces = ["*"] }
              { Name = "Nowhere", AddressSpaces = ["*"], SourceTransportServers = [EX01, EX09] }
              { Name = "Empty" }
              { Name = "Typo", AddressSpaces = ["*"], SmartHost = ["relay.contoso.test"] }
              { Name = "Tls", AddressSpaces = ["*"], RequireTLS = true }
            ]
            """);
        assertEquals(List.of(
            "org.conf:6: SendConnectors[0].AddressSpaces[0]: '*contoso.com' is not an address space: the domain is *, "
                + "*.contoso.com or contoso.com",
            "org.conf:6: SendConnectors[0].Port: 70000 is outside the range 1-65535",
            "org.conf:7: SendConnectors[1].DNSRoutingEnabled: DNSRoutingEnabled $false needs at least one smart host "
                + "in SmartHosts",
            "org.conf:8: SendConnectors[2].Name: send connector nohosts is given twice (line 7)",
            "org.conf:9: SendConnectors[3].SourceTransportServers[1]: server EX09 is not among Servers; did you mean EX01?",
            "org.conf:10: SendConnectors[4].AddressSpaces: AddressSpaces (such as [\"SMTP:*;1\"]) is required",
            "org.conf:11: SendConnectors[5].SmartHost: unknown key SmartHost; did you mean SmartHosts?",
            "org.conf:12: SendConnectors[6].RequireTLS: RequireTLS is an Exchange parameter that Mailflow does not implement"),
            e.problems().stream().map(ConfigProblem::render).toList());
    }
}
