package io.mailflow.delivery.intraorg;

import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorDefaults;
import io.mailflow.core.organization.Server;
import io.mailflow.core.organization.ServerRole;
import io.mailflow.core.organization.TransportRole;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * OutboundProxyFrontends: delivery queue of a Send connector with FrontendProxyEnabled $true,
 * before the SMTP send. The Transport service does not connect to the destination itself but to
 * the Front End Transport service of a Mailbox server in its own Active Directory site, on that
 * server's "Outbound Proxy Frontend &lt;server&gt;" connector (port 717, exchange.md §1.2, §8):
 * this server first (every Mailbox server runs Front End Transport), then the site's other
 * Mailbox servers by name. The endpoint is the connector's first binding; a wildcard binding is
 * reached by the server's FQDN. Disabled connectors and Edge servers are skipped. Plain and
 * deterministic: no I/O.
 */
public final class OutboundProxyFrontends {
    private final Organization organization;
    private final String localServer;

    public OutboundProxyFrontends(Organization organization, String localServer) {
        this.organization = organization;
        this.localServer = localServer;
    }

    /** The Front End Transport services to try, in order, or why there is none (a 4xx LastError). */
    public NextHopServers.Decision targets() {
        Optional<Server> local = organization.server(localServer);
        if (local.isEmpty()) {
            return new NextHopServers.Decision.NoTarget("451 4.4.0 Server " + localServer + " is not in the organization");
        }
        List<NextHopServers.Endpoint> endpoints = new ArrayList<>();
        organization.servers().stream()
            .filter(s -> s.serverRole() == ServerRole.Mailbox && s.site().equalsIgnoreCase(local.get().site()))
            .sorted(Comparator.comparing((Server s) -> !s.name().equalsIgnoreCase(localServer))
                .thenComparing(Server::name, String.CASE_INSENSITIVE_ORDER))
            .forEach(s -> endpoint(s).ifPresent(endpoints::add));
        return endpoints.isEmpty()
            ? new NextHopServers.Decision.NoTarget("451 4.4.0 No Outbound Proxy Frontend connector in site "
                + local.get().site() + " to proxy through")
            : new NextHopServers.Decision.Targets(endpoints);
    }

    private Optional<NextHopServers.Endpoint> endpoint(Server server) {
        String name = ReceiveConnectorDefaults.outboundProxyFrontendName(server.name());
        return organization.receiveConnectorsOn(server.name()).stream()
            .filter(c -> c.enabled() && c.transportRole() == TransportRole.FrontendTransport
                && c.name().equalsIgnoreCase(name) && !c.bindings().isEmpty())
            .findFirst()
            .map(ReceiveConnector::bindings)
            .map(bindings -> {
                Binding b = bindings.get(0);
                String host = isWildcard(b.address()) ? server.fqdn() : b.address();
                return new NextHopServers.Endpoint(server.name(), host, b.port());
            });
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
    }
}
