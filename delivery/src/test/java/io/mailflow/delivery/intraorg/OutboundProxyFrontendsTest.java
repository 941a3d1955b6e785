package io.mailflow.delivery.intraorg;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** OutboundProxyFrontends: which Front End Transport a FrontendProxyEnabled Send connector goes through. */
class OutboundProxyFrontendsTest {

    /** Seattle: EX02, EX01, EX06 (its 717 disabled). Dublin: EX03, EX05 (Edge). Paris: EX07 (its 717 disabled). */
    private static final Organization ORG = OrganizationLoader.parse("""
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test", Default = true } ]
        AdSites = [ { Name = Seattle }, { Name = Dublin }, { Name = Paris } ]
        Servers = [
          { Name = EX02, Fqdn = "ex02.contoso.test", Site = Seattle }
          { Name = EX01, Fqdn = "ex01.contoso.test", Site = Seattle }
          { Name = EX06, Fqdn = "ex06.contoso.test", Site = Seattle }
          { Name = EX03, Fqdn = "ex03.contoso.test", Site = Dublin }
          { Name = EX05, Fqdn = "ex05.contoso.test", Site = Dublin, ServerRole = Edge }
          { Name = EX07, Fqdn = "ex07.contoso.test", Site = Paris }
        ]
        ReceiveConnectors {
          PortOffset = 10000
          BindAddress = "127.0.0.1"
          Connectors = [
            { Name = "Outbound Proxy Frontend EX02", Server = EX02, Bindings = ["0.0.0.0:717"] }
            { Name = "Outbound Proxy Frontend EX06", Server = EX06, Enabled = false }
            { Name = "Outbound Proxy Frontend EX07", Server = EX07, Enabled = false }
          ]
        }
        """, "org.conf");

    @Test
    void thisServerFirstThenTheSitesOthersByName() {
        NextHopServers.Decision d = new OutboundProxyFrontends(ORG, "EX01").targets();
        assertEquals(List.of(new NextHopServers.Endpoint("EX01", "127.0.0.1", 10717),
                new NextHopServers.Endpoint("EX02", "ex02.contoso.test", 717)),
            assertInstanceOf(NextHopServers.Decision.Targets.class, d).endpoints());
    }

    @Test
    void neverAnotherSitesNorADisabledConnector() {
        NextHopServers.Decision d = new OutboundProxyFrontends(ORG, "EX03").targets();
        assertEquals(List.of(new NextHopServers.Endpoint("EX03", "127.0.0.1", 10717)),
            assertInstanceOf(NextHopServers.Decision.Targets.class, d).endpoints());
        assertEquals("451 4.4.0 No Outbound Proxy Frontend connector in site Paris to proxy through",
            assertInstanceOf(NextHopServers.Decision.NoTarget.class, new OutboundProxyFrontends(ORG, "EX07").targets())
                .response());
    }
}
