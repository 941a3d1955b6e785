package io.mailflow.categorizer;

import io.mailflow.core.organization.DatabaseAvailabilityGroup;
import io.mailflow.core.organization.DistributionGroup;
import io.mailflow.core.organization.MailboxDatabase;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Server;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Router: categorizer stage after the resolver and the Transport Rule agent (exchange.md §6.3).
 * Finds each resolved recipient's routing destination, its delivery group, and the next hop,
 * stamped as the NextHopSolutionKey of exchange.md §5.2:
 * <ul>
 *   <li>a mailbox database on this server, in a DAG this server belongs to, or on a non-DAG
 *       server of this AD site: {@code SmtpDeliveryToMailbox} (the database);</li>
 *   <li>a database in another DAG: {@code SmtpRelayToDag}; on a non-DAG server of another site:
 *       {@code SmtpRelayToMailboxDeliveryGroup} ({@code Site:<name>;Version:15});</li>
 *   <li>a hub site (HubSiteEnabled) on the least-cost path to either: {@code SmtpRelayToRemoteActiveDirectorySite};</li>
 *   <li>a distribution group whose ExpansionServer is another server: {@code SmtpRelayToServers};</li>
 *   <li>a recipient outside the organization: the Send connector {@link SendConnectorSelector} picks,
 *       or the Unreachable queue, or an NDR when the message is too large for every connector;</li>
 *   <li>a database whose site no site link reaches: the Unreachable queue.</li>
 * </ul>
 * A multi-site DAG is reached through its member site nearest to this one (its primary site).
 * Next hops of databases are computed once per database; the topology is immutable.
 * Reads: MailboxDatabases, DatabaseAvailabilityGroups, Servers (Site), AdSites, AdSiteLinks, SendConnectors.
 */
public final class Router {
    private final Organization organization;
    private final String routingServer;
    private final SiteRouting sites;
    private final SendConnectorSelector selector;
    private final Map<String, NextHopSolutionKey> databaseHops = new ConcurrentHashMap<>();

    /**
     * @param routingServer the server this categorizer runs on, matched against each connector's
     *                      SourceTransportServers and each DAG's members
     */
    public Router(Organization organization, String routingServer) {
        this.organization = organization;
        this.routingServer = routingServer;
        this.sites = new SiteRouting(organization);
        this.selector = new SendConnectorSelector(organization.sendConnectors(), routingServer, sites);
    }

    /** The next hop of a mailbox in {@code database}. */
    public NextHopSolutionKey routeToDatabase(String database) {
        return databaseHops.computeIfAbsent(database, this::databaseHop);
    }

    /** The next hop of a group only {@code group}'s ExpansionServer may expand. */
    public NextHopSolutionKey routeToExpansionServer(DistributionGroup group) {
        Server server = group.expansionServer().flatMap(organization::server).orElseThrow();
        return NextHopSolutionKey.expansionServer(server.fqdn());
    }

    /** The route for recipients of {@code domain} in a message of {@code messageSize} octets. */
    public SendConnectorSelector.Selection routeExternal(String domain, long messageSize) {
        return selector.select(domain, messageSize);
    }

    private NextHopSolutionKey databaseHop(String databaseName) {
        MailboxDatabase db = organization.mailboxDatabase(databaseName).orElse(null);
        if (db == null) {
            return NextHopSolutionKey.unreachable(databaseName);
        }
        String localSite = sites.siteOf(routingServer).orElse("");
        Optional<DatabaseAvailabilityGroup> dag = db.databaseAvailabilityGroup()
            .flatMap(organization::databaseAvailabilityGroup);
        if (dag.isPresent()) {
            if (dag.get().hasMember(routingServer)) {
                return NextHopSolutionKey.mailboxDatabase(db.name());
            }
            Optional<SiteRouting.SitePath> nearest = dag.get().servers().stream()
                .map(s -> sites.siteOf(s).flatMap(site -> sites.path(localSite, site)))
                .flatMap(Optional::stream)
                .min(Comparator.comparingInt(SiteRouting.SitePath::cost).thenComparingInt(SiteRouting.SitePath::hops));
            if (nearest.isEmpty()) {
                return NextHopSolutionKey.unreachable(db.name());
            }
            return sites.firstHubSite(nearest.get()).map(NextHopSolutionKey::remoteSite)
                .orElse(NextHopSolutionKey.dag(dag.get().name()));
        }
        if (sites.sameSite(db.server(), routingServer)) {
            return NextHopSolutionKey.mailboxDatabase(db.name());
        }
        String targetSite = sites.siteOf(db.server()).orElse("");
        Optional<SiteRouting.SitePath> path = sites.path(localSite, targetSite);
        if (path.isEmpty()) {
            return NextHopSolutionKey.unreachable(db.name());
        }
        return sites.firstHubSite(path.get()).map(NextHopSolutionKey::remoteSite)
            .orElse(NextHopSolutionKey.mailboxDeliveryGroup(targetSite));
    }
}
