package io.mailflow.categorizer;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The Router over a four-site organization: Seattle ─10─ Hub (a hub site) ─10─ Dublin, Seattle
 * ─50─ Sydney, Tokyo joined to nothing. Databases on this server, on another server of the site,
 * in a DAG this server is in or not, behind a hub site, in an unreachable site; and Send
 * connectors whose source servers are local, in the site, or remote.
 */
class RouterTest {
    private static final Organization ORG = OrganizationLoader.parse("""
        Organization { Name = "Test" }
        AcceptedDomains = [ { DomainName = "contoso.test" } ]
        AdSites = [ { Name = Seattle }, { Name = Hub, HubSiteEnabled = true }, { Name = Dublin }, { Name = Sydney }, { Name = Tokyo } ]
        AdSiteLinks = [
          { Name = SEA-HUB, Sites = [Seattle, Hub], Cost = 10 }
          { Name = HUB-DUB, Sites = [Hub, Dublin], Cost = 10 }
          { Name = SEA-SYD, Sites = [Seattle, Sydney], Cost = 50 }
        ]
        Servers = [
          { Name = EX01, Fqdn = "ex01.contoso.test", Site = Seattle }
          { Name = EX02, Fqdn = "ex02.contoso.test", Site = Seattle }
          { Name = EX03, Fqdn = "ex03.contoso.test", Site = Sydney }
          { Name = EX04, Fqdn = "ex04.contoso.test", Site = Dublin }
          { Name = EX05, Fqdn = "ex05.contoso.test", Site = Sydney }
          { Name = EX06, Fqdn = "ex06.contoso.test", Site = Tokyo }
        ]
        DatabaseAvailabilityGroups = [ { Name = DAG-SEA, Servers = [EX01, EX02] }, { Name = DAG-SYD, Servers = [EX03, EX05] } ]
        MailboxDatabases = [
          { Name = LOCAL, Server = EX01 }
          { Name = INSITE, Server = EX02 }
          { Name = SEADAG, MasterServerOrAvailabilityGroup = DAG-SEA, Server = EX02 }
          { Name = SYDDAG, MasterServerOrAvailabilityGroup = DAG-SYD }
          { Name = DUBLIN, Server = EX04 }
          { Name = TOKYO, Server = EX06 }
        ]
        SendConnectors = [
          { Name = "Local", AddressSpaces = ["local.example"], SourceTransportServers = [EX01] }
          { Name = "Same Site", AddressSpaces = ["site.example"], SourceTransportServers = [EX02] }
          { Name = "Sydney", AddressSpaces = ["syd.example;1"], SourceTransportServers = [EX03] }
          { Name = "Dublin", AddressSpaces = ["syd.example;1"], SourceTransportServers = [EX04] }
          { Name = "Scoped", AddressSpaces = ["scoped.example"], SourceTransportServers = [EX03], IsScopedConnector = true }
        ]
        ReceiveConnectors { DefaultConnectors = false }
        """, "test.conf");

    private final Router router = new Router(ORG, "EX01");

    @Test
    void databasesOfThisServerItsSiteAndItsDagAreDeliveredToTheMailbox() {
        assertEquals(NextHopSolutionKey.mailboxDatabase("LOCAL"), router.routeToDatabase("LOCAL"));
        assertEquals(NextHopSolutionKey.mailboxDatabase("INSITE"), router.routeToDatabase("INSITE"));
        assertEquals(NextHopSolutionKey.mailboxDatabase("SEADAG"), router.routeToDatabase("SEADAG"));
    }

    @Test
    void anotherDagIsItsOwnDeliveryGroup() {
        assertEquals(NextHopSolutionKey.dag("DAG-SYD"), router.routeToDatabase("SYDDAG"));
    }

    @Test
    void aHubSiteOnThePathIsTheNextHop() {
        assertEquals(NextHopSolutionKey.remoteSite("Hub"), router.routeToDatabase("DUBLIN"));
        Router inDublin = new Router(ORG, "EX04");
        assertEquals(NextHopSolutionKey.mailboxDatabase("DUBLIN"), inDublin.routeToDatabase("DUBLIN"));
        assertEquals(NextHopSolutionKey.remoteSite("Hub"), inDublin.routeToDatabase("LOCAL"), "the way back passes the hub too");
        assertEquals(NextHopSolutionKey.mailboxDeliveryGroup("Seattle"), new Router(ORG, "EX03").routeToDatabase("INSITE"),
            "from Sydney the direct link has no hub site on it");
    }

    @Test
    void aSiteNoLinkReachesIsUnreachable() {
        assertEquals(NextHopSolutionKey.unreachable("TOKYO"), router.routeToDatabase("TOKYO"));
    }

    @Test
    void connectorsAreChosenByCostThenHopsThenName() {
        assertEquals(NextHopSolutionKey.dnsConnector("local.example", "Local"), selected("local.example").key());
        assertEquals(NextHopSolutionKey.connectorSourceServers("Same Site"), selected("site.example").key());
        // Same address space and cost: Dublin's site is 20 away, Sydney's 50.
        assertEquals("Dublin", selected("syd.example").connector().name());
        assertInstanceOf(SendConnectorSelector.Unreachable.class, router.routeExternal("scoped.example", 1),
            "a scoped connector is not seen from another site");
    }

    private SendConnectorSelector.Selected selected(String domain) {
        return assertInstanceOf(SendConnectorSelector.Selected.class, router.routeExternal(domain, 1));
    }

    @Test
    void sitePathsPreferCostThenHops() {
        SiteRouting sites = new SiteRouting(ORG);
        assertEquals(List.of("Seattle", "Hub", "Dublin"), sites.path("Seattle", "Dublin").orElseThrow().sites());
        assertEquals(20, sites.path("Dublin", "Seattle").orElseThrow().cost());
        assertEquals(70, sites.path("Dublin", "Sydney").orElseThrow().cost());
        assertEquals(java.util.Optional.empty(), sites.path("Seattle", "Tokyo"));
    }
}
