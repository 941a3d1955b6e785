package io.mailflow.core.organization;

import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** OrganizationLoader: Sendmail's connection controls on receive connectors (peers.md §2). */
class OrganizationLoaderSendmailTest {

    private static final String BASE = """
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test" } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
        """;

    private static ReceiveConnector frontend(String parameters) {
        Organization org = OrganizationLoader.parse(BASE + "ReceiveConnectors.Connectors = [ { Name = \"Default Frontend EX01\", "
            + parameters + " } ]\n", "org.conf");
        return org.receiveConnectors().get(0);
    }

    @Test
    void newKeysLoad() {
        ReceiveConnector c = frontend("""
            ConnectionRateThrottle = 10, MaxDaemonChildren = 200,
              AccessMap = ["Connect:trusted.host.example RELAY", "Connect:192.0.2 OK", "Connect:bad.example REJECT",
                           "Connect:spam.example ERROR:\\"550 5.7.1 go away, now\\""]""");
        assertEquals(10, c.connectionRateThrottle());
        assertEquals(Unlimited.of(200), c.maxDaemonChildren());
        assertEquals(List.of("Connect:trusted.host.example RELAY", "Connect:192.0.2 OK", "Connect:bad.example REJECT",
            "Connect:spam.example ERROR:\"550 5.7.1 go away, now\""), c.accessMap());
    }

    @Test
    void keysMatchInAnyCaseAndTakeStrings() {
        ReceiveConnector c = frontend("connectionratethrottle = \"5\", maxdaemonchildren = unlimited, "
            + "accessmap = \"Connect:192.0.2 OK, Connect:bad.example REJECT\"");
        assertEquals(5, c.connectionRateThrottle());
        assertEquals(Unlimited.UNLIMITED, c.maxDaemonChildren());
        assertEquals(List.of("Connect:192.0.2 OK", "Connect:bad.example REJECT"), c.accessMap());
    }

    @Test
    void absentKeysKeepSendmailDefaults() {
        ReceiveConnector c = frontend("MaxHopCount = 60");
        assertEquals(0, c.connectionRateThrottle());
        assertEquals(Unlimited.UNLIMITED, c.maxDaemonChildren());
        assertEquals(List.of(), c.accessMap());
    }

    @Test
    void badValuesAreReportedWithFileLineAndElement() {
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class, () -> OrganizationLoader.parse(BASE + """
            ReceiveConnectors.Connectors = [ { Name = "Default Frontend EX01", ConnectionRateThrottle = -1,
              MaxDaemonChildren = 0,
              AccessMap = ["Connect:192.0.2 OK", "Connect:192.0.2 ACCEPT"] } ]
            """, "org.conf"));
        assertEquals(List.of(
            "org.conf:4: ReceiveConnectors.Connectors[0].ConnectionRateThrottle: -1 is outside the range 0-2147483647",
            "org.conf:5: ReceiveConnectors.Connectors[0].MaxDaemonChildren: 0 is outside the range 1-2147483647 or unlimited",
            "org.conf:6: ReceiveConnectors.Connectors[0].AccessMap[1]: 'Connect:192.0.2 ACCEPT' is not an access map line "
                + "such as Connect:192.0.2 OK (Connect:<host, IP address, IP prefix or [IPv6:...]> then OK, RELAY, REJECT, "
                + "DISCARD or ERROR:\"550 text\")"),
            List.of(e.getMessage().split("\n")));
    }
}
