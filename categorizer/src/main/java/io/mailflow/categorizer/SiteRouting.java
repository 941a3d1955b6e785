package io.mailflow.categorizer;

import io.mailflow.core.organization.AdSite;
import io.mailflow.core.organization.AdSiteLink;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Router's map of the organization's Active Directory sites (exchange.md §6.3): the least-cost
 * path between two sites over IP site links, and the hub sites on it. Paths are compared as
 * Exchange does: lowest sum of link costs, then fewest hops, then the alphanumerically lower
 * sequence of site names. Computed once per pair and kept; the topology is immutable.
 * Reads: AdSites (HubSiteEnabled), AdSiteLinks (Sites, Cost), Servers (Site).
 */
public final class SiteRouting {

    /** A path from one site to another: the sites in order, both ends included, and its cost. */
    public record SitePath(List<String> sites, int cost) {
        public int hops() {
            return sites.size() - 1;
        }
    }

    private static final Comparator<SitePath> BEST = Comparator.comparingInt(SitePath::cost)
        .thenComparingInt(SitePath::hops)
        .thenComparing(p -> String.join("\u0000", p.sites()).toLowerCase(Locale.ROOT));

    private final Map<String, String> siteOfServer = new HashMap<>();
    private final Map<String, AdSite> sites = new HashMap<>();
    private final Map<String, List<AdSiteLink>> linksOfSite = new HashMap<>();
    private final Map<String, Optional<SitePath>> paths = new ConcurrentHashMap<>();

    public SiteRouting(Organization organization) {
        for (Server s : organization.servers()) {
            siteOfServer.put(key(s.name()), s.site());
        }
        for (AdSite site : organization.adSites()) {
            sites.put(key(site.name()), site);
        }
        for (AdSiteLink link : organization.adSiteLinks()) {
            for (String site : link.sites()) {
                linksOfSite.computeIfAbsent(key(site), k -> new ArrayList<>()).add(link);
            }
        }
    }

    /** The AD site of a server; empty for a server the organization does not list. */
    public Optional<String> siteOf(String server) {
        return Optional.ofNullable(siteOfServer.get(key(server)));
    }

    public boolean sameSite(String serverA, String serverB) {
        Optional<String> a = siteOf(serverA);
        return a.isPresent() && a.get().equalsIgnoreCase(siteOf(serverB).orElse(""));
    }

    /** The least-cost path; empty when no chain of site links joins the two sites. */
    public Optional<SitePath> path(String fromSite, String toSite) {
        return paths.computeIfAbsent(key(fromSite) + "\u0000" + key(toSite), k -> search(fromSite, toSite));
    }

    /**
     * The first hub site the path passes through before its destination, where mail must relay
     * (SmtpRelayToRemoteActiveDirectorySite); empty when the path has none.
     */
    public Optional<String> firstHubSite(SitePath path) {
        for (int i = 1; i < path.sites().size() - 1; i++) {
            AdSite site = sites.get(key(path.sites().get(i)));
            if (site != null && site.hubSiteEnabled()) {
                return Optional.of(site.name());
            }
        }
        return Optional.empty();
    }

    private Optional<SitePath> search(String from, String to) {
        PriorityQueue<SitePath> frontier = new PriorityQueue<>(BEST);
        Map<String, SitePath> settled = new HashMap<>();
        frontier.add(new SitePath(List.of(from), 0));
        while (!frontier.isEmpty()) {
            SitePath p = frontier.poll();
            String last = p.sites().get(p.sites().size() - 1);
            if (settled.putIfAbsent(key(last), p) != null) {
                continue;
            }
            if (last.equalsIgnoreCase(to)) {
                return Optional.of(p);
            }
            for (AdSiteLink link : linksOfSite.getOrDefault(key(last), List.of())) {
                for (String next : link.sites()) {
                    if (!settled.containsKey(key(next))) {
                        List<String> sitesSoFar = new ArrayList<>(p.sites());
                        sitesSoFar.add(next);
                        frontier.add(new SitePath(List.copyOf(sitesSoFar), p.cost() + link.cost()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
