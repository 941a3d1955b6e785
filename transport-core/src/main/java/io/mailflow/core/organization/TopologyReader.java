package io.mailflow.core.organization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.mailflow.core.organization.ConfigEntry.key;
import static io.mailflow.core.organization.ConfigProblems.known;

/**
 * Organization configuration: the topology sections, read after AcceptedDomains and before the
 * recipients, in this order: {@code Servers}, {@code AdSites} (or the sites the servers name),
 * {@code AdSiteLinks}, {@code DatabaseAvailabilityGroups}, {@code MailboxDatabases}. Each
 * section may name only what the sections before it defined. The maps are keyed by lower-case
 * Name, in file order.
 */
final class TopologyReader {
    static final String DEFAULT_SITE = "Default-First-Site-Name";
    private static final List<String> SERVER_KEYS = List.of("Name", "Fqdn", "Site", "ServerRole");
    private static final List<String> SITE_KEYS = List.of("Name", "HubSiteEnabled");
    private static final List<String> SITE_LINK_KEYS = List.of("Name", "Sites", "Cost");
    private static final List<String> DAG_KEYS = List.of("Name", "Servers");
    private static final List<String> DATABASE_KEYS = List.of("Name", "Server", "MasterServerOrAvailabilityGroup");
    /** Exchange's default cost of a new IP site link. */
    private static final int DEFAULT_SITE_LINK_COST = 100;

    private final ConfigProblems problems;
    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final Map<String, AdSite> sites = new LinkedHashMap<>();
    private final List<AdSiteLink> siteLinks = new ArrayList<>();
    private final Map<String, DatabaseAvailabilityGroup> dags = new LinkedHashMap<>();
    private final Map<String, MailboxDatabase> databases = new LinkedHashMap<>();

    TopologyReader(ConfigProblems problems) {
        this.problems = problems;
    }

    void read(ConfigEntry top) {
        List<ConfigEntry> serverEntries = top.objects("Servers", SERVER_KEYS);
        for (ConfigEntry s : serverEntries) {
            server(s);
        }
        if (servers.isEmpty()) {
            top.required("Servers", "Servers = [ { Name = EX01, Fqdn = ... } ]");
        }
        adSites(top, serverEntries);
        for (ConfigEntry l : top.objects("AdSiteLinks", SITE_LINK_KEYS)) {
            siteLink(l);
        }
        for (ConfigEntry d : top.objects("DatabaseAvailabilityGroups", DAG_KEYS)) {
            dag(d);
        }
        for (ConfigEntry d : top.objects("MailboxDatabases", DATABASE_KEYS)) {
            database(d);
        }
    }

    Map<String, Server> servers() {
        return servers;
    }

    Map<String, AdSite> sites() {
        return sites;
    }

    List<AdSiteLink> siteLinks() {
        return siteLinks;
    }

    Map<String, DatabaseAvailabilityGroup> dags() {
        return dags;
    }

    Map<String, MailboxDatabase> databases() {
        return databases;
    }

    private void server(ConfigEntry s) {
        String name = s.requiredString("Name");
        String fqdn = s.requiredString("Fqdn");
        String site = s.string("Site");
        ServerRole role = s.enumValue("ServerRole", ServerRole.class);
        if (fqdn != null && !ReceiveConnectorParameters.isDomainName(fqdn)) {
            s.problem("Fqdn", "'" + fqdn + "' is not a fully qualified domain name");
            fqdn = null;
        }
        if (name == null || fqdn == null) {
            return;
        }
        if (servers.containsKey(key(name))) {
            s.problem("Name", "server " + name + " is given twice");
            return;
        }
        servers.put(key(name), new Server(name, fqdn, site == null ? DEFAULT_SITE : site,
            role == null ? ServerRole.Mailbox : role));
    }

    /** AdSites as given; without them, the sites the servers name. Every server's site must exist. */
    private void adSites(ConfigEntry top, List<ConfigEntry> serverEntries) {
        for (ConfigEntry e : top.objects("AdSites", SITE_KEYS)) {
            String name = e.requiredString("Name");
            Boolean hub = e.bool("HubSiteEnabled");
            if (name == null) {
                continue;
            }
            if (sites.putIfAbsent(key(name), new AdSite(name, Boolean.TRUE.equals(hub))) != null) {
                e.problem("Name", "site " + name + " is given twice");
            }
        }
        boolean given = top.has("AdSites");
        for (ConfigEntry s : serverEntries) {
            String site = s.has("Site") ? s.string("Site") : DEFAULT_SITE;
            if (site == null) {
                continue;
            }
            if (!sites.containsKey(key(site))) {
                if (given && s.has("Site")) {
                    s.problem("Site", "site " + site + " is not among AdSites"
                        + known(sites.values().stream().map(AdSite::name).toList(), site));
                } else {
                    sites.put(key(site), new AdSite(site, false));
                }
            }
        }
    }

    private void siteLink(ConfigEntry l) {
        String name = l.requiredString("Name");
        Integer cost = l.has("Cost") ? l.integer("Cost", 1, 99999) : Integer.valueOf(DEFAULT_SITE_LINK_COST);
        List<ConfigElement> members = l.list("Sites");
        List<String> joined = new ArrayList<>();
        for (ConfigElement m : members) {
            AdSite site = sites.get(key(m.text()));
            if (site == null) {
                problems.add(m, "site " + m.text() + " is not among AdSites"
                    + known(sites.values().stream().map(AdSite::name).toList(), m.text()));
                return;
            }
            joined.add(site.name());
        }
        if (joined.size() < 2) {
            l.problem("Sites", "a site link joins at least two sites");
            return;
        }
        if (name != null && cost != null) {
            siteLinks.add(new AdSiteLink(name, joined, cost));
        }
    }

    private void dag(ConfigEntry d) {
        String name = d.requiredString("Name");
        List<String> members = new ArrayList<>();
        for (ConfigElement m : d.list("Servers")) {
            Server s = servers.get(key(m.text()));
            if (s == null) {
                problems.add(m, "server " + m.text() + " is not among Servers"
                    + known(serverNames(), m.text()));
                return;
            }
            for (DatabaseAvailabilityGroup other : dags.values()) {
                if (other.hasMember(s.name())) {
                    problems.add(m, "server " + s.name() + " is already a member of " + other.name());
                    return;
                }
            }
            members.add(s.name());
        }
        if (members.isEmpty()) {
            d.required("Servers", "Servers (the DAG's member servers)");
            return;
        }
        if (name != null && dags.putIfAbsent(key(name), new DatabaseAvailabilityGroup(name, members)) != null) {
            d.problem("Name", "database availability group " + name + " is given twice");
        }
    }

    /**
     * Server is the one holding the active copy; MasterServerOrAvailabilityGroup names the DAG of
     * a replicated database (or the server again). In a DAG, Server defaults to its first member.
     */
    private void database(ConfigEntry d) {
        String name = d.requiredString("Name");
        String master = d.string("MasterServerOrAvailabilityGroup");
        DatabaseAvailabilityGroup dag = master == null ? null : dags.get(key(master));
        String server = dag == null ? d.requiredString("Server") : d.string("Server");
        if (master != null && dag == null && !servers.containsKey(key(master))) {
            d.problem("MasterServerOrAvailabilityGroup", master + " is neither a server nor a database availability group"
                + known(Stream.concat(servers.values().stream().map(Server::name),
                    dags.values().stream().map(DatabaseAvailabilityGroup::name)).toList(), master));
            return;
        }
        if (name == null || (server == null && dag == null)) {
            return;
        }
        Server s = servers.get(key(server == null ? dag.servers().get(0) : server));
        if (s == null) {
            d.problem("Server", "server " + server + " is not among Servers" + known(serverNames(), server));
            return;
        }
        if (dag != null && !dag.hasMember(s.name())) {
            d.problem("Server", "server " + s.name() + " is not a member of " + dag.name()
                + " (" + String.join(", ", dag.servers()) + ")");
            return;
        }
        if (dag == null && master != null && !master.equalsIgnoreCase(s.name())) {
            d.problem("MasterServerOrAvailabilityGroup", "a database that is not in a DAG is mastered by its Server, "
                + s.name());
            return;
        }
        if (databases.containsKey(key(name))) {
            d.problem("Name", "mailbox database " + name + " is given twice");
            return;
        }
        databases.put(key(name), new MailboxDatabase(name, s.name(),
            dag == null ? Optional.empty() : Optional.of(dag.name())));
    }

    private List<String> serverNames() {
        return servers.values().stream().map(Server::name).toList();
    }
}
