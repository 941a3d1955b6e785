package io.mailflow.delivery.intraorg;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NextHopServers: which servers, in which order, for each next hop inside the organization. */
class NextHopServersTest {

    /**
     * Seattle: EX01 (this server), EX02. Dublin: EX04, EX03 (a DAG, DB03 active on EX04) and
     * EX05 (Edge). EX02's 2525 connector is rebound; EX03 binds every address.
     */
    private static final Organization ORG = OrganizationLoader.parse("""
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test", Default = true } ]
        AdSites = [ { Name = Seattle }, { Name = Dublin } ]
        Servers = [
          { Name = EX01, Fqdn = "ex01.contoso.test", Site = Seattle }
          { Name = EX02, Fqdn = "ex02.contoso.test", Site = Seattle }
          { Name = EX04, Fqdn = "ex04.contoso.test", Site = Dublin }
          { Name = EX03, Fqdn = "ex03.contoso.test", Site = Dublin }
          { Name = EX05, Fqdn = "ex05.contoso.test", Site = Dublin, ServerRole = Edge }
        ]
        DatabaseAvailabilityGroups = [ { Name = DAG1, Servers = [EX03, EX04] } ]
        MailboxDatabases = [
          { Name = DB01, Server = EX01 }, { Name = DB02, Server = EX02 }
          { Name = DB03, Server = EX04, MasterServerOrAvailabilityGroup = DAG1 }
          { Name = DB04, Server = EX03, MasterServerOrAvailabilityGroup = DAG1 }
        ]
        SendConnectors = [ { Name = "To Partner", AddressSpaces = ["partner.example"], SourceTransportServers = [EX03, EX02] } ]
        ReceiveConnectors {
          PortOffset = 10000
          BindAddress = "127.0.0.1"
          Connectors = [
            { Name = "Default EX02", Server = EX02, Bindings = ["127.0.0.2:12525"] }
            { Name = "Default EX03", Server = EX03, Bindings = ["0.0.0.0:2525"] }
            { Name = "Mailbox Delivery EX04", Server = EX04, Enabled = false }
          ]
        }
        """, "org.conf");

    private static final NextHopServers FROM_EX01 = new NextHopServers(ORG, "EX01");

    private static List<NextHopServers.Endpoint> targets(NextHopSolutionKey key, String database) {
        return assertInstanceOf(NextHopServers.Decision.Targets.class,
            FROM_EX01.targets(key, Optional.ofNullable(database))).endpoints();
    }

    private static String noTarget(NextHopSolutionKey key) {
        return assertInstanceOf(NextHopServers.Decision.NoTarget.class, FROM_EX01.targets(key, Optional.empty()))
            .response();
    }

    private static NextHopServers.Endpoint at(String server, String host, int port) {
        return new NextHopServers.Endpoint(server, host, port);
    }

    @Test
    void aDatabaseIsDeliveredToMailboxTransportDeliveryOfItsActiveServer() {
        assertTrue(FROM_EX01.isLocal("db01"));
        assertFalse(FROM_EX01.isLocal("DB02"));
        assertEquals(List.of(at("EX02", "127.0.0.1", 10475)), targets(NextHopSolutionKey.mailboxDatabase("DB02"), null));
        assertEquals(List.of(at("EX03", "127.0.0.1", 10475)), targets(NextHopSolutionKey.mailboxDatabase("DB04"), null));
    }

    @Test
    void aDatabaseWithoutAnEnabledDeliveryConnectorOrUnknownHasNoTarget() {
        assertEquals("451 4.4.0 No Mailbox Transport Delivery connector on EX04 for DB03",
            noTarget(NextHopSolutionKey.mailboxDatabase("DB03")));
        assertEquals("451 4.4.0 Mailbox database DB99 is not in the organization",
            noTarget(NextHopSolutionKey.mailboxDatabase("DB99")));
    }

    @Test
    void aDagRelayTriesTheActiveServerOfTheDatabaseFirst() {
        NextHopSolutionKey dag = NextHopSolutionKey.dag("DAG1");
        List<NextHopServers.Endpoint> byName = List.of(at("EX03", "ex03.contoso.test", 2525), at("EX04", "127.0.0.1", 12525));
        assertEquals(byName, targets(dag, null));
        assertEquals(byName, targets(dag, "DB04"));
        assertEquals(List.of(byName.get(1), byName.get(0)), targets(dag, "DB03"));
        assertEquals(byName, targets(dag, "DB01"), "a database outside the DAG changes nothing");
    }

    @Test
    void siteRelaysGoToTheMailboxServersOfTheSiteByNameNeverToEdgeNorToThisServer() {
        List<NextHopServers.Endpoint> dublin = List.of(at("EX03", "ex03.contoso.test", 2525), at("EX04", "127.0.0.1", 12525));
        assertEquals(dublin, targets(NextHopSolutionKey.remoteSite("Dublin"), null));
        assertEquals(dublin, targets(NextHopSolutionKey.mailboxDeliveryGroup("Dublin"), null));
        assertEquals(List.of(at("EX02", "127.0.0.2", 12525)), targets(NextHopSolutionKey.remoteSite("seattle"), null));
        assertEquals("451 4.4.0 No Transport service to relay to for Nowhere",
            noTarget(NextHopSolutionKey.remoteSite("Nowhere")));
    }

    @Test
    void expansionServerAndConnectorSourceServers() {
        assertEquals(List.of(at("EX04", "127.0.0.1", 12525)),
            targets(NextHopSolutionKey.expansionServer("EX04.contoso.test"), null));
        assertEquals("451 4.4.0 No Transport service to relay to for ex01.contoso.test",
            noTarget(NextHopSolutionKey.expansionServer("ex01.contoso.test")));
        assertEquals(List.of(at("EX03", "ex03.contoso.test", 2525), at("EX02", "127.0.0.2", 12525)),
            targets(NextHopSolutionKey.connectorSourceServers("To Partner"), null));
    }

    @Test
    void otherDeliveryTypesAreNotIntraOrganizationHops() {
        assertEquals("451 4.4.0 DnsConnectorDelivery is not a next hop inside the organization",
            noTarget(NextHopSolutionKey.dnsConnector("fabrikam.example", "To Internet")));
        assertEquals("Dublin", NextHopServers.siteOfDeliveryGroup("Site:Dublin;Version:15"));
    }
}
