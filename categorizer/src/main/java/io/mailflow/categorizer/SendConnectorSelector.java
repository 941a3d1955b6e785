package io.mailflow.categorizer;

import io.mailflow.core.organization.AddressSpace;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * SendConnectorSelector: the Router's connector selection for a recipient outside the
 * organization (exchange.md §4.2 CSEL, §6.3), a plain decision over the organization's Send
 * connectors, its sites, the routing server, the recipient domain and the message size.
 *
 * <ol>
 *   <li>Left out: disabled connectors; scoped connectors (IsScopedConnector) whose source servers
 *       are all outside the routing server's AD site; connectors whose source servers no chain of
 *       site links reaches.</li>
 *   <li>Kept: connectors with an address space matching the domain ({@link AddressSpace#matches});
 *       none ⇒ {@link Unreachable}, LastError {@value #NO_MATCHING_CONNECTOR}.</li>
 *   <li>Left out: connectors whose MaxMessageSize is below the message size; every matching one
 *       too small ⇒ {@link TooLarge}, the recipient is NDR'd with {@value #SIZE_LIMIT}. Size is
 *       checked before specificity, as CSEL orders it: a too-small {@code contoso.com} connector
 *       lets a large message take a {@code *} connector that fits.</li>
 *   <li>The most specific matching address space wins (exact domain, then the longest
 *       {@code *.parent}, then {@code *}); ties ⇒ lowest aggregate cost (address-space cost plus
 *       the site-link costs to the nearest source server) ⇒ fewest hops (this server is a source,
 *       then a source in this site, then a remote one) ⇒ lowest connector name in alphanumeric
 *       order (case-insensitive).</li>
 * </ol>
 *
 * <p>When this server is one of the chosen connector's source servers the answer's
 * NextHopSolutionKey is {@code SmartHostConnectorDelivery} with the smart-host list as
 * NextHopDomain, or {@code DnsConnectorDelivery} with the recipient's domain (Exchange uses the
 * address space; the recipient domain gives each destination its own queue). Otherwise the
 * message relays to a source server: {@code SmtpRelayToConnectorSourceServers}.
 * Reads: AddressSpaces, Enabled, SourceTransportServers, IsScopedConnector, MaxMessageSize,
 * DNSRoutingEnabled, SmartHosts; AdSiteLinks through {@link SiteRouting}.
 */
public final class SendConnectorSelector {

    /** Exchange's NDR when the message is larger than every connector that could route it. */
    public static final String SIZE_LIMIT = "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route";

    /** Exchange's LastError for a recipient held in the Unreachable queue (Get-Message). */
    public static final String NO_MATCHING_CONNECTOR = "A matching connector cannot be found to route the external recipient";

    /** The decision for one recipient domain. */
    public sealed interface Selection permits Selected, TooLarge, Unreachable {
    }

    /** Routed through {@code connector}, which matched with {@code addressSpace}, into the queue {@code key}. */
    public record Selected(SendConnector connector, AddressSpace addressSpace, NextHopSolutionKey key)
        implements Selection {
    }

    /** Every matching connector is too small for the message: the recipient fails with {@code status}. */
    public record TooLarge(String status) implements Selection {
    }

    /** No connector matches: the recipient waits in the Unreachable queue with {@code lastError}. */
    public record Unreachable(NextHopSolutionKey key, String lastError) implements Selection {
    }

    /** A usable connector, its distance from the routing server, and the address space it matches best. */
    private record Candidate(SendConnector connector, int siteCost, int hops) {
    }

    private record Match(Candidate candidate, AddressSpace addressSpace) {
        int aggregateCost() {
            return addressSpace.cost() + candidate.siteCost();
        }
    }

    private static final Comparator<AddressSpace> BEST_SPACE = Comparator.comparingInt(AddressSpace::specificity)
        .reversed().thenComparingInt(AddressSpace::cost);

    private static final Comparator<Match> BEST_MATCH = Comparator.<Match>comparingInt(m -> -m.addressSpace().specificity())
        .thenComparingInt(Match::aggregateCost)
        .thenComparingInt(m -> m.candidate().hops())
        .thenComparing(m -> m.candidate().connector().name(), String.CASE_INSENSITIVE_ORDER)
        .thenComparing(m -> m.candidate().connector().name());

    private final String routingServer;
    private final List<Candidate> usable = new ArrayList<>();

    /** Connectors of a one-site organization: every source server is in the routing server's site. */
    public SendConnectorSelector(List<SendConnector> connectors, String routingServer) {
        this(connectors, routingServer, null);
    }

    /**
     * @param connectors    the organization's Send connectors
     * @param routingServer the server the categorizer runs on
     * @param sites         the organization's sites; null when every server shares one site
     */
    public SendConnectorSelector(List<SendConnector> connectors, String routingServer, SiteRouting sites) {
        this.routingServer = Objects.requireNonNull(routingServer);
        String localSite = sites == null ? null : sites.siteOf(routingServer).orElse(null);
        for (SendConnector c : connectors) {
            if (!c.enabled()) {
                continue;
            }
            if (c.isSourceServer(routingServer)) {
                usable.add(new Candidate(c, 0, 0));
                continue;
            }
            int best = Integer.MAX_VALUE;
            int hops = 2;
            for (String source : c.sourceTransportServers()) {
                if (sites == null || localSite == null) {
                    best = 0;
                    hops = 1;
                    break;
                }
                String sourceSite = sites.siteOf(source).orElse(null);
                if (sourceSite == null) {
                    continue;
                }
                if (sourceSite.equalsIgnoreCase(localSite)) {
                    best = 0;
                    hops = 1;
                } else if (!c.isScopedConnector()) {
                    int cost = sites.path(localSite, sourceSite).map(SiteRouting.SitePath::cost).orElse(Integer.MAX_VALUE);
                    best = Math.min(best, cost);
                }
            }
            if (best != Integer.MAX_VALUE) {
                usable.add(new Candidate(c, best, hops));
            }
        }
    }

    /**
     * The route for recipients of {@code recipientDomain} in a message of {@code messageSize} octets.
     */
    public Selection select(String recipientDomain, long messageSize) {
        String domain = recipientDomain.toLowerCase(Locale.ROOT);
        List<Match> matching = new ArrayList<>();
        for (Candidate c : usable) {
            c.connector().addressSpaces().stream().filter(a -> a.matches(domain)).min(BEST_SPACE)
                .ifPresent(a -> matching.add(new Match(c, a)));
        }
        if (matching.isEmpty()) {
            return new Unreachable(NextHopSolutionKey.unreachable(domain), NO_MATCHING_CONNECTOR);
        }
        Match best = matching.stream().filter(m -> m.candidate().connector().maxMessageSize().bytes() >= messageSize)
            .min(BEST_MATCH).orElse(null);
        if (best == null) {
            return new TooLarge(SIZE_LIMIT);
        }
        SendConnector c = best.candidate().connector();
        NextHopSolutionKey key = !c.isSourceServer(routingServer) ? NextHopSolutionKey.connectorSourceServers(c.name())
            : c.dnsRoutingEnabled() ? NextHopSolutionKey.dnsConnector(domain, c.name())
            : NextHopSolutionKey.smartHostConnector(c.smartHostList(), c.name());
        return new Selected(c, best.addressSpace(), key);
    }
}
