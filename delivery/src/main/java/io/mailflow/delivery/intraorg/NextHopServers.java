package io.mailflow.delivery.intraorg;

import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.DatabaseAvailabilityGroup;
import io.mailflow.core.organization.MailboxDatabase;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.PermissionGroup;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorDefaults;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.organization.Server;
import io.mailflow.core.organization.ServerRole;
import io.mailflow.core.organization.TransportRole;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * NextHopServers: delivery queue, before the intra-organization SMTP send. Turns a next hop
 * inside the organization (a NextHopSolutionKey of exchange.md §5.2) into the servers to try, in
 * order, each with the endpoint of its receive connector:
 * <ul>
 *   <li>SmtpDeliveryToMailbox (database): Mailbox Transport Delivery (the MailboxDelivery
 *       connector, port 475) of the server holding the database's active copy.</li>
 *   <li>SmtpRelayToDag (DAG): the DAG's members, the active server of the message's database
 *       first, then the others by name.</li>
 *   <li>SmtpRelayToMailboxDeliveryGroup ({@code Site:<site>;Version:15}) and
 *       SmtpRelayToRemoteActiveDirectorySite (site): the Mailbox servers of the site, by name.</li>
 *   <li>SmtpRelayToServers (FQDN): the server with that FQDN (a group's ExpansionServer).</li>
 *   <li>SmtpRelayToConnectorSourceServers (connector): the Send connector's
 *       SourceTransportServers, in their order.</li>
 * </ul>
 * Relays go to the Transport service of each server: its HubTransport connector "Default
 * &lt;server&gt;" (port 2525), else its first HubTransport connector granting ExchangeServers.
 * The endpoint is the connector's first binding; a wildcard binding is reached by the server's
 * FQDN. This server is never a target (a relay to itself would loop), nor are Edge servers,
 * disabled connectors or servers without one. Plain and deterministic: no I/O.
 */
public final class NextHopServers {

    /** One place to connect to: the server, and the host and port of its connector. */
    public record Endpoint(String server, String host, int port) {
    }

    /** The servers to try, in order, or why there are none (the queue's LastError, a 4xx). */
    public sealed interface Decision {
        record Targets(List<Endpoint> endpoints) implements Decision {
            public Targets {
                endpoints = List.copyOf(endpoints);
                if (endpoints.isEmpty()) {
                    throw new IllegalArgumentException("no endpoints: use NoTarget");
                }
            }
        }

        record NoTarget(String response) implements Decision {
        }
    }

    private final Organization organization;
    private final String localServer;

    public NextHopServers(Organization organization, String localServer) {
        this.organization = organization;
        this.localServer = localServer;
    }

    /** True when the database's active copy is on this server: delivered in-process, no socket. */
    public boolean isLocal(String database) {
        return organization.mailboxDatabase(database).map(d -> d.server().equalsIgnoreCase(localServer)).orElse(false);
    }

    /**
     * The servers for {@code key}, in the order to try them.
     *
     * @param database the database of the message's first recipient, when known: SmtpRelayToDag
     *                 tries the server holding its active copy first
     */
    public Decision targets(NextHopSolutionKey key, Optional<String> database) {
        String hop = key.nextHopDomain();
        return switch (key.deliveryType()) {
            case SmtpDeliveryToMailbox -> mailboxDelivery(hop);
            case SmtpRelayToDag -> relay(hop, dagMembers(hop, database));
            case SmtpRelayToMailboxDeliveryGroup -> relay(hop, siteServers(siteOfDeliveryGroup(hop)));
            case SmtpRelayToRemoteActiveDirectorySite -> relay(hop, siteServers(hop));
            case SmtpRelayToServers -> relay(hop, organization.servers().stream()
                .filter(s -> s.fqdn().equalsIgnoreCase(hop)).toList());
            case SmtpRelayToConnectorSourceServers -> relay(hop, sourceServers(hop));
            default -> new Decision.NoTarget("451 4.4.0 " + key.deliveryType()
                + " is not a next hop inside the organization");
        };
    }

    private Decision mailboxDelivery(String database) {
        Optional<MailboxDatabase> db = organization.mailboxDatabase(database);
        if (db.isEmpty()) {
            return new Decision.NoTarget("451 4.4.0 Mailbox database " + database + " is not in the organization");
        }
        String server = db.get().server();
        Optional<Endpoint> endpoint = endpoint(server, TransportRole.MailboxDelivery);
        return endpoint.<Decision>map(e -> new Decision.Targets(List.of(e))).orElseGet(() -> new Decision.NoTarget(
            "451 4.4.0 No Mailbox Transport Delivery connector on " + server + " for " + database));
    }

    private Decision relay(String hop, List<Server> servers) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Server s : servers) {
            if (!s.name().equalsIgnoreCase(localServer) && s.serverRole() == ServerRole.Mailbox) {
                endpoint(s.name(), TransportRole.HubTransport).ifPresent(endpoints::add);
            }
        }
        return endpoints.isEmpty()
            ? new Decision.NoTarget("451 4.4.0 No Transport service to relay to for " + hop)
            : new Decision.Targets(endpoints);
    }

    private List<Server> dagMembers(String dagName, Optional<String> database) {
        Optional<DatabaseAvailabilityGroup> dag = organization.databaseAvailabilityGroup(dagName);
        if (dag.isEmpty()) {
            return List.of();
        }
        Optional<String> active = database.flatMap(organization::mailboxDatabase).map(MailboxDatabase::server)
            .filter(dag.get()::hasMember);
        return dag.get().servers().stream()
            .flatMap(name -> organization.server(name).stream())
            .sorted(Comparator.comparing((Server s) -> !active.map(s.name()::equalsIgnoreCase).orElse(false))
                .thenComparing(Server::name, String.CASE_INSENSITIVE_ORDER))
            .toList();
    }

    private List<Server> siteServers(String site) {
        return organization.servers().stream().filter(s -> s.site().equalsIgnoreCase(site))
            .sorted(Comparator.comparing(Server::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    private List<Server> sourceServers(String connector) {
        return organization.sendConnector(connector).map(SendConnector::sourceTransportServers).orElse(List.of())
            .stream().flatMap(name -> organization.server(name).stream()).toList();
    }

    /** {@code Site:<ADSiteName>;Version:15} → the site's name. */
    static String siteOfDeliveryGroup(String nextHopDomain) {
        String text = nextHopDomain.startsWith("Site:") ? nextHopDomain.substring(5) : nextHopDomain;
        int semi = text.indexOf(';');
        return semi < 0 ? text : text.substring(0, semi);
    }

    /** The endpoint of the server's connector for {@code role}: "Default <server>" first for a relay. */
    private Optional<Endpoint> endpoint(String serverName, TransportRole role) {
        Optional<Server> server = organization.server(serverName);
        if (server.isEmpty()) {
            return Optional.empty();
        }
        List<ReceiveConnector> candidates = organization.receiveConnectorsOn(serverName).stream()
            .filter(c -> c.enabled() && c.transportRole() == role && !c.bindings().isEmpty())
            .filter(c -> role == TransportRole.MailboxDelivery || c.permissionGroups().contains(PermissionGroup.ExchangeServers))
            .sorted(Comparator.comparing((ReceiveConnector c) ->
                !c.name().equalsIgnoreCase(ReceiveConnectorDefaults.defaultName(server.get().name()))))
            .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Binding b = candidates.get(0).bindings().get(0);
        String host = isWildcard(b.address()) ? server.get().fqdn() : b.address();
        return Optional.of(new Endpoint(server.get().name(), host, b.port()));
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
    }
}
