package io.mailflow.core.organization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamProblem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static io.mailflow.core.organization.ConfigProblems.known;
import static io.mailflow.core.organization.ConfigProblems.lineNote;
import static io.mailflow.core.organization.ConfigProblems.lineOf;

/**
 * Organization configuration: reads the organization (accepted domains, servers, mailbox
 * databases, recipients, receive connectors) from a HOCON file whose keys are Exchange's object
 * and parameter names. Runs once at start, before any stage; every stage then reads the
 * immutable {@link Organization}.
 *
 * <p>Keys match case-insensitively, as PowerShell parameters do; an unknown key is an error that
 * suggests the closest known one. Values take Exchange's forms ({@code unlimited}, {@code 36 MB},
 * {@code 00:05:00}, {@code $true}, comma-separated lists) as well as HOCON's. The default
 * connectors of every server come from {@link ReceiveConnectorDefaults}; entries under
 * {@code ReceiveConnectors.Connectors} override them by Server and Name, or create new ones by
 * usage type. {@code SendConnectors} lists the organization's Send connectors (none by default,
 * as after Exchange's setup). Connector parameters and the {@code RecipientFilterConfig} section
 * are read through the same parameter tables the admin shell uses
 * ({@link ReceiveConnectorParameters}, {@link SendConnectorParameters},
 * {@link RecipientFilterConfigParameters}), so both accept and refuse the same values with the
 * same words. Every problem is collected and thrown together in an
 * {@link OrganizationConfigException}.
 */
public final class OrganizationLoader {

    /** Top-level sections; TransportService (Set-TransportService) is read by the Transport service itself. */
    private static final List<String> TOP_KEYS = List.of("Organization", "AcceptedDomains", "Servers",
        "MailboxDatabases", "Mailboxes", "DistributionGroups", "ReceiveConnectors", "RecipientFilterConfig",
        "SendConnectors", "TransportService", "MailContacts", "MailUsers", "AdSites", "AdSiteLinks",
        "DatabaseAvailabilityGroups", "TransportRules");
    private static final List<String> ORGANIZATION_KEYS = List.of("Name");
    private static final List<String> ACCEPTED_DOMAIN_KEYS = List.of("Name", "DomainName", "DomainType", "Default");
    private static final List<String> SERVER_KEYS = List.of("Name", "Fqdn", "Site", "ServerRole");
    private static final List<String> SITE_KEYS = List.of("Name", "HubSiteEnabled");
    private static final List<String> SITE_LINK_KEYS = List.of("Name", "Sites", "Cost");
    private static final List<String> DAG_KEYS = List.of("Name", "Servers");
    private static final List<String> DATABASE_KEYS = List.of("Name", "Server", "MasterServerOrAvailabilityGroup");
    /** Delivery restrictions, read for every kind of recipient ({@link RecipientRestrictions}). */
    private static final List<String> RESTRICTION_KEYS = List.of("MaxReceiveSize", "RequireSenderAuthenticationEnabled",
        "AcceptMessagesOnlyFrom", "AcceptMessagesOnlyFromDLMembers", "RejectMessagesFrom");
    private static final List<String> MAILBOX_KEYS = withRestrictions("Name", "Alias", "Database", "EmailAddresses",
        "ForwardingAddress", "ForwardingSmtpAddress", "DeliverToMailboxAndForward", "RecipientLimits", "MaxSendSize");
    private static final List<String> GROUP_KEYS = withRestrictions("Name", "Alias", "EmailAddresses", "Members",
        "ExpansionServer", "ReportToOriginatorEnabled");
    private static final List<String> CONTACT_KEYS = withRestrictions("Name", "Alias", "EmailAddresses",
        "ExternalEmailAddress");
    /** Exchange's default cost of a new IP site link. */
    private static final int DEFAULT_SITE_LINK_COST = 100;
    private static final List<String> RECEIVE_CONNECTORS_KEYS =
        List.of("DefaultConnectors", "PortOffset", "BindAddress", "Connectors");
    /** Name and Server say which connector, Usage how to create it; every other key is a parameter of the table. */
    private static final List<String> CONNECTOR_KEYS = Stream.concat(Stream.of("Name", "Server", "Usage"),
        ReceiveConnectorParameters.TABLE.settable().stream().map(Param::name)).toList();
    private static final List<String> RECIPIENT_FILTER_KEYS = RecipientFilterConfigParameters.TABLE.names();
    /** Name says which connector; every other key is a parameter of the Send connector table. */
    private static final List<String> SEND_CONNECTOR_KEYS = Stream.concat(Stream.of("Name"),
        SendConnectorParameters.TABLE.settable().stream().map(Param::name)).toList();

    /** Every key of a TransportRules entry is a parameter of the transport rule table. */
    private static final List<String> TRANSPORT_RULE_KEYS = TransportRuleParameters.TABLE.names();

    private static final String DEFAULT_SITE = "Default-First-Site-Name";
    /** Keeps Default <SRV> (2525) below 65536. */
    private static final int MAX_PORT_OFFSET = 65535 - ReceiveConnectorDefaults.DEFAULT_PORT;

    private static List<String> withRestrictions(String... keys) {
        return Stream.concat(Stream.of(keys), RESTRICTION_KEYS.stream()).toList();
    }

    private OrganizationLoader() {
    }

    /** Loads an organization file; its {@code include}s resolve relative to it. */
    public static Organization load(Path file) {
        String name = file.toString();
        return read(() -> ConfigFactory.parseFile(file.toFile(), options(name).setAllowMissing(false)), name);
    }

    /** Loads a classpath resource such as {@code mailflow/demo-organization.conf}. */
    public static Organization loadResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = OrganizationLoader.class.getClassLoader();
        return read(() -> ConfigFactory.parseResources(loader, name, options(name).setAllowMissing(false)), name);
    }

    /** Parses HOCON text; {@code originDescription} stands for the file name in problems. */
    public static Organization parse(String hocon, String originDescription) {
        return read(() -> ConfigFactory.parseString(hocon, options(originDescription)), originDescription);
    }

    private static ConfigParseOptions options(String origin) {
        return ConfigParseOptions.defaults().setOriginDescription(origin).setSyntax(ConfigSyntax.CONF);
    }

    private static Organization read(java.util.function.Supplier<Config> parser, String file) {
        Config config;
        try {
            config = parser.get().resolve();
        } catch (ConfigException e) {
            throw new OrganizationConfigException(List.of(ConfigProblems.syntax(e, file)));
        }
        return new Reader(file).organization(config.root());
    }

    /** One pass over one configuration tree, collecting problems as it goes. */
    private static final class Reader {
        private final ConfigProblems problems;

        private final List<AcceptedDomain> domains = new ArrayList<>();
        private final Map<String, Server> servers = new LinkedHashMap<>();
        private final Map<String, MailboxDatabase> databases = new LinkedHashMap<>();
        private final Map<String, AdSite> sites = new LinkedHashMap<>();
        private final List<AdSiteLink> siteLinks = new ArrayList<>();
        private final Map<String, DatabaseAvailabilityGroup> dags = new LinkedHashMap<>();
        private final List<Mailbox> mailboxes = new ArrayList<>();
        private final List<DistributionGroup> groups = new ArrayList<>();
        private final List<MailContact> contacts = new ArrayList<>();
        private final List<MailUser> mailUsers = new ArrayList<>();
        /** References to recipients, checked once every recipient is known. */
        private final List<Reference> references = new ArrayList<>();
        /** Every address, lower case, to the recipient name that owns it and where it was given. */
        private final Map<String, Owner> addressOwners = new HashMap<>();
        private final Map<String, Owner> recipientNames = new HashMap<>();
        private final Map<String, Owner> recipientAliases = new HashMap<>();

        private record Owner(String name, int line) {
        }

        /** A Name, Alias or address naming a recipient; {@code groupsOnly} when it must be a group. */
        private record Reference(ConfigElement element, String owner, String what, boolean groupsOnly) {
        }

        Reader(String file) {
            this.problems = new ConfigProblems(file);
        }

        Organization organization(ConfigObject root) {
            ConfigEntry top = new ConfigEntry(root, "", TOP_KEYS, List.of(), problems);
            String name = null;
            ConfigEntry org = top.object("Organization", ORGANIZATION_KEYS, List.of());
            if (org == null) {
                top.required("Organization", "Organization { Name = \"...\" }");
            } else {
                name = org.requiredString("Name");
            }
            for (ConfigEntry d : top.objects("AcceptedDomains", ACCEPTED_DOMAIN_KEYS)) {
                acceptedDomain(d);
            }
            if (domains.isEmpty() && top.has("AcceptedDomains")) {
                top.problem("AcceptedDomains", "at least one accepted domain is required");
            } else if (domains.isEmpty()) {
                top.required("AcceptedDomains", "AcceptedDomains = [ { DomainName = ... } ]");
            } else if (domains.stream().noneMatch(AcceptedDomain::isDefault)) {
                // Exchange makes the first accepted domain the default one.
                AcceptedDomain first = domains.get(0);
                domains.set(0, new AcceptedDomain(first.name(), first.domainName(), first.domainType(), true));
            }
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
            for (ConfigEntry m : top.objects("Mailboxes", MAILBOX_KEYS)) {
                mailbox(m);
            }
            for (ConfigEntry c : top.objects("MailContacts", CONTACT_KEYS)) {
                externalRecipient(c, false);
            }
            for (ConfigEntry u : top.objects("MailUsers", CONTACT_KEYS)) {
                externalRecipient(u, true);
            }
            List<ConfigEntry> groupEntries = top.objects("DistributionGroups", GROUP_KEYS);
            List<DistributionGroup> unchecked = new ArrayList<>();
            List<ConfigEntry> uncheckedEntries = new ArrayList<>();
            for (ConfigEntry g : groupEntries) {
                DistributionGroup group = group(g);
                if (group != null) {
                    unchecked.add(group);
                    uncheckedEntries.add(g);
                }
            }
            for (int i = 0; i < unchecked.size(); i++) {
                groups.add(resolveMembers(unchecked.get(i), uncheckedEntries.get(i)));
            }
            references.forEach(this::checkReference);
            List<ReceiveConnector> connectors = receiveConnectors(top);
            RecipientFilterConfig recipientFilter = recipientFilterConfig(top);
            List<SendConnector> sendConnectors = sendConnectors(top);
            Organization organization = new Organization(name, domains,
                new Directory(mailboxes, groups, contacts, mailUsers), List.copyOf(databases.values()),
                List.copyOf(servers.values()), List.copyOf(dags.values()), List.copyOf(sites.values()), siteLinks,
                connectors, recipientFilter, sendConnectors, List.of());
            List<TransportRule> transportRules = transportRules(top, organization);

            problems.throwIfAny();
            return organization.withTransportRules(transportRules);
        }

        // ---- transport rules ---------------------------------------------------------------

        /**
         * The TransportRules list: New-TransportRule for each entry, through the transport rule
         * table. Names are unique; the recipients a rule names must exist (checked against the
         * directory just read); rules are ordered by Priority, entries without one keeping their
         * place after those that have one, and renumbered 0..n-1.
         */
        private List<TransportRule> transportRules(ConfigEntry top, Organization directory) {
            List<TransportRule> rules = new ArrayList<>();
            Map<String, ConfigEntry> seen = new HashMap<>();
            List<ConfigEntry> entries = top.objects("TransportRules", TRANSPORT_RULE_KEYS, TransportRuleParameters.NOT_IMPLEMENTED);
            for (int i = 0; i < entries.size(); i++) {
                ConfigEntry entry = entries.get(i);
                String ruleName = entry.requiredString("Name");
                boolean ok = ruleName != null;
                if (ruleName != null) {
                    ConfigEntry previous = seen.putIfAbsent(key(ruleName), entry);
                    if (previous != null) {
                        entry.problem("Name", "transport rule " + ruleName + " is given twice"
                            + lineNote(lineOf(previous.origin())));
                        ok = false;
                    }
                }
                // Unnumbered entries sort after the numbered ones, in file order.
                TransportRule.Builder builder = TransportRule.Builder.from(
                    TransportRule.named(ruleName == null ? "placeholder" : ruleName, Integer.MAX_VALUE - entries.size() + i));
                ok &= ConfigParams.apply(entry, TransportRuleParameters.TABLE, builder);
                if (!ok) {
                    continue;
                }
                TransportRule rule = builder.build();
                for (ParamProblem p : TransportRuleParameters.references(rule, directory)) {
                    entry.problem(p.parameter(), p.message());
                    ok = false;
                }
                if (ok) {
                    rules.add(rule);
                }
            }
            return TransportRuleParameters.normalise(rules);
        }

        // ---- directory objects -------------------------------------------------------------

        private void acceptedDomain(ConfigEntry d) {
            String domainName = d.requiredString("DomainName");
            String name = d.string("Name");
            AcceptedDomain.DomainType type = d.enumValue("DomainType", AcceptedDomain.DomainType.class);
            Boolean isDefault = d.bool("Default");
            if (domainName == null) {
                return;
            }
            String bare = domainName.startsWith("*.") ? domainName.substring(2) : domainName;
            if (SmtpAddress.parse("postmaster@" + bare, true).isEmpty()) {
                d.problem("DomainName", "'" + domainName + "' is not a domain name");
                return;
            }
            for (AcceptedDomain other : domains) {
                if (other.domainName().equalsIgnoreCase(domainName)) {
                    d.problem("DomainName", "accepted domain " + domainName + " is given twice");
                    return;
                }
            }
            if (Boolean.TRUE.equals(isDefault)) {
                domains.stream().filter(AcceptedDomain::isDefault).findFirst().ifPresent(other ->
                    d.problem("Default", "only one accepted domain can be the default, and "
                        + other.domainName() + " already is"));
            }
            domains.add(new AcceptedDomain(name == null ? domainName : name, domainName,
                type == null ? AcceptedDomain.DomainType.Authoritative : type, Boolean.TRUE.equals(isDefault)));
        }

        private void server(ConfigEntry s) {
            String name = s.requiredString("Name");
            String fqdn = s.requiredString("Fqdn");
            String site = s.string("Site");
            ServerRole role = s.enumValue("ServerRole", ServerRole.class);
            if (fqdn != null && !isDomainName(fqdn)) {
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
                d.problem("Server", "server " + server + " is not among Servers" + known(servers.values().stream().map(Server::name).toList(), server));
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
                dag == null ? java.util.Optional.empty() : java.util.Optional.of(dag.name())));
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
                    problem(m.origin(), m.key(), "site " + m.text() + " is not among AdSites"
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
                    problem(m.origin(), m.key(), "server " + m.text() + " is not among Servers"
                        + known(servers.values().stream().map(Server::name).toList(), m.text()));
                    return;
                }
                for (DatabaseAvailabilityGroup other : dags.values()) {
                    if (other.hasMember(s.name())) {
                        problem(m.origin(), m.key(), "server " + s.name() + " is already a member of " + other.name());
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

        private void mailbox(ConfigEntry m) {
            String name = m.requiredString("Name");
            String database = m.requiredString("Database");
            String alias = m.string("Alias");
            MailboxDatabase db = null;
            if (database != null) {
                db = databases.get(key(database));
                if (db == null) {
                    m.problem("Database", "mailbox database " + database + " is not among MailboxDatabases"
                        + known(databases.values().stream().map(MailboxDatabase::name).toList(), database));
                }
            }
            List<ProxyAddress> addresses = emailAddresses(m, name, alias);
            if (alias == null && !addresses.isEmpty()) {
                alias = primary(addresses).address().localPart();
            }
            boolean unique = uniqueIdentity(m, name, alias);
            Forwarding forwarding = forwarding(m, name);
            io.mailflow.core.params.Unlimited recipientLimits = m.has("RecipientLimits")
                ? m.parsed("RecipientLimits", Forms.unlimited(1, 2_147_483_647)::parse)
                : io.mailflow.core.params.Unlimited.UNLIMITED;
            java.util.Optional<io.mailflow.core.params.ByteSize> maxSendSize = size(m, "MaxSendSize");
            RecipientRestrictions restrictions = restrictions(m, name, false);
            if (name != null && db != null && !addresses.isEmpty() && alias != null && unique && forwarding != null
                && recipientLimits != null && maxSendSize != null && restrictions != null) {
                mailboxes.add(new Mailbox(name, alias, addresses, db.name(), forwarding, recipientLimits, maxSendSize,
                    restrictions));
            }
        }

        private DistributionGroup group(ConfigEntry g) {
            String name = g.requiredString("Name");
            String alias = g.string("Alias");
            List<ProxyAddress> addresses = emailAddresses(g, name, alias);
            if (alias == null && !addresses.isEmpty()) {
                alias = primary(addresses).address().localPart();
            }
            boolean unique = uniqueIdentity(g, name, alias);
            List<ConfigElement> members = g.list("Members");
            String expansionServer = g.string("ExpansionServer");
            if (expansionServer != null) {
                Server s = servers.get(key(expansionServer));
                if (s == null) {
                    g.problem("ExpansionServer", "server " + expansionServer + " is not among Servers"
                        + known(servers.values().stream().map(Server::name).toList(), expansionServer));
                    return null;
                }
                expansionServer = s.name();
            }
            Boolean reportToOriginator = g.bool("ReportToOriginatorEnabled");
            RecipientRestrictions restrictions = restrictions(g, name, true);
            if (name == null || addresses.isEmpty() || alias == null || !unique || restrictions == null) {
                return null;
            }
            return new DistributionGroup(name, alias, addresses, members.stream().map(ConfigElement::text).toList(),
                java.util.Optional.ofNullable(expansionServer), !Boolean.FALSE.equals(reportToOriginator), restrictions);
        }

        /** Members resolve by name, alias or any address, once every recipient is known. */
        private DistributionGroup resolveMembers(DistributionGroup group, ConfigEntry g) {
            List<ConfigElement> members = g.list("Members");
            for (ConfigElement member : members) {
                String id = member.text();
                String owner;
                if (id.contains("@")) {
                    Owner o = addressOwners.get(id.toLowerCase(Locale.ROOT));
                    owner = o == null ? null : o.name();
                } else {
                    Owner byName = recipientNames.get(key(id));
                    Owner byAlias = recipientAliases.get(key(id));
                    owner = byName != null ? byName.name() : byAlias != null ? byAlias.name() : null;
                }
                if (owner == null) {
                    problem(member.origin(), member.key(), "member '" + id
                        + "' is not a recipient of this organization: a mailbox, group, mail contact or mail user "
                        + "(give its Name, Alias or an address)");
                } else if (owner.equalsIgnoreCase(group.name())) {
                    problem(member.origin(), member.key(), "group " + group.name() + " cannot be a member of itself");
                }
            }
            return group;
        }

        /** A mail contact or mail user: ExternalEmailAddress, and EmailAddresses (default: the external one). */
        private void externalRecipient(ConfigEntry c, boolean mailUser) {
            String name = c.requiredString("Name");
            String alias = c.string("Alias");
            String externalText = c.requiredString("ExternalEmailAddress");
            SmtpAddress external = null;
            if (externalText != null) {
                String bare = externalText.regionMatches(true, 0, "smtp:", 0, 5) ? externalText.substring(5) : externalText;
                external = SmtpAddress.parse(bare.trim(), true).orElse(null);
                if (external == null) {
                    c.problem("ExternalEmailAddress", "'" + externalText + "' is not an SMTP address");
                } else if (domains.stream().anyMatch(d -> d.matches(bare.substring(bare.indexOf('@') + 1))
                    && d.domainType() == AcceptedDomain.DomainType.Authoritative)) {
                    c.problem("ExternalEmailAddress", external + " is in the authoritative domain "
                        + external.domain() + "; a contact's address must be outside the organization");
                    external = null;
                }
            }
            List<ProxyAddress> addresses;
            if (c.has("EmailAddresses")) {
                addresses = emailAddresses(c, name, alias);
            } else if (external != null) {
                addresses = List.of(new ProxyAddress(external, true));
                claim(addresses, List.of(new ConfigElement(externalText, c.origin("ExternalEmailAddress"),
                    c.path("ExternalEmailAddress"))), name);
            } else {
                addresses = List.of();
            }
            if (alias == null && external != null) {
                alias = external.localPart();
            }
            boolean unique = uniqueIdentity(c, name, alias);
            RecipientRestrictions restrictions = restrictions(c, name, false);
            if (name == null || external == null || addresses.isEmpty() || !unique || restrictions == null) {
                return;
            }
            if (mailUser) {
                mailUsers.add(new MailUser(name, alias, addresses, external, restrictions));
            } else {
                contacts.add(new MailContact(name, alias, addresses, external, restrictions));
            }
        }

        /** ForwardingAddress (a recipient, checked later), ForwardingSmtpAddress, DeliverToMailboxAndForward. */
        private Forwarding forwarding(ConfigEntry m, String owner) {
            String forwardingAddress = m.string("ForwardingAddress");
            String smtp = m.string("ForwardingSmtpAddress");
            Boolean both = m.bool("DeliverToMailboxAndForward");
            SmtpAddress forwardingSmtp = null;
            if (smtp != null) {
                String bare = smtp.regionMatches(true, 0, "smtp:", 0, 5) ? smtp.substring(5) : smtp;
                forwardingSmtp = SmtpAddress.parse(bare.trim(), true).orElse(null);
                if (forwardingSmtp == null) {
                    m.problem("ForwardingSmtpAddress", "'" + smtp + "' is not an SMTP address");
                    return null;
                }
            }
            if (forwardingAddress != null) {
                references.add(new Reference(new ConfigElement(forwardingAddress, m.origin("ForwardingAddress"),
                    m.path("ForwardingAddress")), owner, "ForwardingAddress", false));
            }
            if (Boolean.TRUE.equals(both) && forwardingAddress == null && forwardingSmtp == null) {
                m.problem("DeliverToMailboxAndForward", "needs ForwardingAddress or ForwardingSmtpAddress");
                return null;
            }
            return new Forwarding(java.util.Optional.ofNullable(forwardingAddress),
                java.util.Optional.ofNullable(forwardingSmtp), Boolean.TRUE.equals(both));
        }

        /** A size or {@code unlimited}; empty when unlimited or not given, null on a problem. */
        private java.util.Optional<io.mailflow.core.params.ByteSize> size(ConfigEntry e, String key) {
            if (!e.has(key)) {
                return java.util.Optional.empty();
            }
            String text = e.string(key);
            if (text == null) {
                return null;
            }
            if (text.equalsIgnoreCase("unlimited")) {
                return java.util.Optional.empty();
            }
            io.mailflow.core.params.ByteSize size = e.parsed(key, Forms.byteSize(1, 2_147_483_647L)::parse);
            return size == null ? null : java.util.Optional.of(size);
        }

        /** The delivery restrictions of a recipient; sender references are checked once all recipients are read. */
        private RecipientRestrictions restrictions(ConfigEntry e, String owner, boolean group) {
            java.util.Optional<io.mailflow.core.params.ByteSize> maxReceiveSize = size(e, "MaxReceiveSize");
            Boolean requireAuth = e.bool("RequireSenderAuthenticationEnabled");
            List<String> onlyFrom = senders(e, owner, "AcceptMessagesOnlyFrom", false);
            List<String> onlyFromMembers = senders(e, owner, "AcceptMessagesOnlyFromDLMembers", true);
            List<String> rejectFrom = senders(e, owner, "RejectMessagesFrom", false);
            if (maxReceiveSize == null || (e.has("RequireSenderAuthenticationEnabled") && requireAuth == null)) {
                return null;
            }
            // New-DistributionGroup sets RequireSenderAuthenticationEnabled; a mailbox or contact does not.
            boolean auth = requireAuth != null ? requireAuth
                : group && RecipientRestrictions.GROUP_DEFAULT.requireSenderAuthenticationEnabled();
            return new RecipientRestrictions(maxReceiveSize, auth, onlyFrom, onlyFromMembers, rejectFrom);
        }

        private List<String> senders(ConfigEntry e, String owner, String key, boolean groupsOnly) {
            List<String> result = new ArrayList<>();
            for (ConfigElement el : e.list(key)) {
                references.add(new Reference(el, owner, key, groupsOnly));
                result.add(el.text());
            }
            return result;
        }

        private void checkReference(Reference r) {
            String id = r.element().text();
            Owner owner;
            if (id.contains("@")) {
                owner = addressOwners.get(id.toLowerCase(Locale.ROOT));
            } else {
                Owner byName = recipientNames.get(key(id));
                owner = byName != null ? byName : recipientAliases.get(key(id));
            }
            if (owner == null) {
                problem(r.element().origin(), r.element().key(), r.what() + " '" + id
                    + "' is not a recipient of this organization (give its Name, Alias or an address)");
            } else if (r.groupsOnly() && groups.stream().noneMatch(g -> g.name().equalsIgnoreCase(owner.name()))) {
                problem(r.element().origin(), r.element().key(), r.what() + " '" + id + "' is not a distribution group");
            } else if (r.what().equals("ForwardingAddress") && owner.name().equalsIgnoreCase(r.owner())) {
                problem(r.element().origin(), r.element().key(), "a mailbox cannot forward to itself");
            }
        }

        /**
         * EmailAddresses with exactly one primary: the first becomes primary when none is marked.
         * Without EmailAddresses, the default email address policy gives {@code SMTP:alias@default-domain}.
         */
        private List<ProxyAddress> emailAddresses(ConfigEntry r, String owner, String alias) {
            List<ProxyAddress> result = new ArrayList<>();
            if (!r.has("EmailAddresses")) {
                AcceptedDomain def = domains.stream().filter(AcceptedDomain::isDefault).findFirst()
                    .orElse(domains.isEmpty() ? null : domains.get(0));
                if (alias == null || def == null || def.domainName().startsWith("*.")) {
                    r.required("EmailAddresses", "EmailAddresses (or an Alias, for alias@<default accepted domain>)");
                    return result;
                }
                var address = SmtpAddress.parse(alias + "@" + def.domainName(), true);
                if (address.isEmpty()) {
                    r.problem("Alias", "'" + alias + "' cannot be the local part of an address");
                    return result;
                }
                result.add(new ProxyAddress(address.get(), true));
                claim(result, List.of(new ConfigElement(alias, r.origin(), r.path("Alias"))), owner);
                return result;
            }
            List<ConfigElement> elements = r.list("EmailAddresses");
            List<ConfigElement> kept = new ArrayList<>();
            for (ConfigElement e : elements) {
                try {
                    ProxyAddress a = ProxyAddress.parse(e.text().trim());
                    AcceptedDomain domain = domains.stream().filter(d -> d.matches(a.address().domain()))
                        .findFirst().orElse(null);
                    if (domain == null) {
                        problem(e.origin(), e.key(), a.address() + " is not in an accepted domain ("
                            + String.join(", ", domains.stream().map(AcceptedDomain::domainName).toList()) + ")");
                        continue;
                    }
                    result.add(a);
                    kept.add(e);
                } catch (IllegalArgumentException ex) {
                    problem(e.origin(), e.key(), "'" + e.text() + "' is not an SMTP address such as SMTP:kate@contoso.test");
                }
            }
            if (elements.isEmpty() && !problemAt(r.path("EmailAddresses"))) {
                r.problem("EmailAddresses", "at least one address is required");
            }
            long primaries = result.stream().filter(ProxyAddress::primary).count();
            if (primaries > 1) {
                r.problem("EmailAddresses", primaries + " addresses are marked primary (SMTP:); exactly one may be");
            } else if (primaries == 0 && !result.isEmpty()) {
                result.set(0, new ProxyAddress(result.get(0).address(), true));
            }
            claim(result, kept, owner);
            return result;
        }

        /** Records each address as owned by {@code owner}; an address owned twice is a problem. */
        private void claim(List<ProxyAddress> addresses, List<ConfigElement> where, String owner) {
            for (int i = 0; i < addresses.size(); i++) {
                String k = addresses.get(i).address().key();
                ConfigElement e = where.get(i);
                Owner previous = addressOwners.get(k);
                if (previous != null) {
                    problem(e.origin(), e.key(), addresses.get(i).address() + " is already an address of "
                        + previous.name() + lineNote(previous.line()));
                } else {
                    addressOwners.put(k, new Owner(owner == null ? "?" : owner, lineOf(e.origin())));
                }
            }
        }

        private boolean uniqueIdentity(ConfigEntry r, String name, String alias) {
            boolean unique = true;
            if (name != null) {
                Owner previous = recipientNames.putIfAbsent(key(name), new Owner(name, lineOf(r.origin("Name"))));
                if (previous != null) {
                    r.problem("Name", "a recipient named " + name + " already exists" + lineNote(previous.line()));
                    unique = false;
                }
            }
            if (alias != null) {
                if (SmtpAddress.parse(alias + "@alias.test", false).isEmpty()) {
                    r.problem("Alias", "'" + alias + "' is not an alias (letters, digits, and !#$%&'*+-/=?^_`{|}~.)");
                    return false;
                }
                Owner previous = recipientAliases.putIfAbsent(key(alias),
                    new Owner(name == null ? alias : name, lineOf(r.origin("Alias"))));
                if (previous != null) {
                    r.problem("Alias", "alias " + alias + " already belongs to " + previous.name()
                        + lineNote(previous.line()));
                    unique = false;
                }
            }
            return unique;
        }

        private static ProxyAddress primary(List<ProxyAddress> addresses) {
            return addresses.stream().filter(ProxyAddress::primary).findFirst().orElse(addresses.get(0));
        }

        // ---- receive connectors ------------------------------------------------------------

        /** A connector as built, with the entry that made or changed it (null for an untouched default). */
        private record Placed(ReceiveConnector connector, ConfigEntry entry) {
        }

        private List<ReceiveConnector> receiveConnectors(ConfigEntry top) {
            ConfigEntry rc = top.object("ReceiveConnectors", RECEIVE_CONNECTORS_KEYS, List.of());
            boolean defaults = true;
            int offset = 0;
            String bindAddress = null;
            List<ConfigEntry> entries = List.of();
            if (rc != null) {
                Boolean d = rc.bool("DefaultConnectors");
                defaults = d == null || d;
                Integer o = rc.integer("PortOffset", 0, MAX_PORT_OFFSET);
                offset = o == null ? 0 : o.intValue();
                bindAddress = rc.string("BindAddress");
                if (bindAddress != null && !isIpLiteral(bindAddress)) {
                    rc.problem("BindAddress", "'" + bindAddress + "' is not an IP address");
                    bindAddress = null;
                }
                entries = rc.objects("Connectors", CONNECTOR_KEYS, ReceiveConnectorParameters.NOT_IMPLEMENTED);
            }
            Map<String, Placed> placed = new LinkedHashMap<>();
            if (defaults) {
                for (Server s : servers.values()) {
                    for (ReceiveConnector c : ReceiveConnectorDefaults.forServer(s, offset, bindAddress)) {
                        placed.put(identityKey(c.server(), c.name()), new Placed(c, null));
                    }
                }
            }
            Map<String, ConfigEntry> seen = new HashMap<>();
            for (ConfigEntry entry : entries) {
                String name = entry.requiredString("Name");
                Server server = connectorServer(entry);
                if (name == null || server == null) {
                    applyOverrides(entry, placeholder());
                    continue;
                }
                String id = identityKey(server.name(), name);
                ConfigEntry previous = seen.putIfAbsent(id, entry);
                if (previous != null) {
                    entry.problem("Name", "receive connector " + server.name() + "\\" + name + " is given twice"
                        + lineNote(lineOf(previous.origin())));
                    applyOverrides(entry, placeholder());
                    continue;
                }
                Placed existing = placed.get(id);
                ReceiveConnectorBuilder builder;
                if (existing != null) {
                    if (entry.has("Usage")) {
                        entry.problem("Usage", "Usage applies only to a new connector, and "
                            + existing.connector().name() + " is a default connector (set its parameters instead)");
                    }
                    builder = ReceiveConnectorBuilder.from(existing.connector());
                } else {
                    builder = newConnector(entry, name, server, offset, bindAddress);
                    if (builder == null) {
                        applyOverrides(entry, placeholder());
                        continue;
                    }
                }
                if (applyOverrides(entry, builder)) {
                    placed.put(id, new Placed(builder.build(), entry));
                }
            }
            List<Placed> all = List.copyOf(placed.values());
            checkBindings(all, rc == null ? top : rc);
            return all.stream().map(Placed::connector).toList();
        }

        private Server connectorServer(ConfigEntry entry) {
            String server = entry.string("Server");
            if (server == null) {
                if (servers.size() == 1) {
                    return servers.values().iterator().next();
                }
                if (!servers.isEmpty()) {
                    entry.required("Server", "Server (the organization has several servers)");
                }
                return null;
            }
            Server s = servers.get(key(server));
            if (s == null) {
                entry.problem("Server", "server " + server + " is not among Servers" + known(servers.values().stream().map(Server::name).toList(), server));
            }
            return s;
        }

        /** New-ReceiveConnector: the usage type's defaults (Custom when no Usage is given). */
        private ReceiveConnectorBuilder newConnector(ConfigEntry entry, String name, Server server, int offset, String bindAddress) {
            ReceiveConnectorDefaults.Usage usage = entry.enumValue("Usage", ReceiveConnectorDefaults.Usage.class);
            if (usage == null && entry.has("Usage")) {
                return null;
            }
            if (usage == null) {
                usage = ReceiveConnectorDefaults.Usage.Custom;
            }
            TransportRole role = entry.enumValue("TransportRole", TransportRole.class);
            List<Binding> bindings = entry.has("Bindings") ? ConfigParams.value(entry, ReceiveConnectorParameters.BINDINGS) : List.of();
            List<IpRange> ranges = entry.has("RemoteIPRanges")
                ? ConfigParams.value(entry, ReceiveConnectorParameters.REMOTE_IP_RANGES) : List.of();
            if (bindings == null || ranges == null) {
                return null;
            }
            try {
                // New connectors are created in Front End Transport, as the relay and custom
                // connector procedures (exchange.md §1.3) do, unless TransportRole says otherwise.
                return ReceiveConnectorBuilder.from(ReceiveConnectorDefaults.forUsage(usage, name, server,
                    role == null ? TransportRole.FrontendTransport : role, bindings, ranges, offset, bindAddress));
            } catch (IllegalArgumentException e) {
                String missing = bindings.isEmpty() ? "Bindings" : "RemoteIPRanges";
                entry.required(missing, missing + " (a " + usage + " connector needs "
                    + (usage == ReceiveConnectorDefaults.Usage.Internet ? "Bindings" : "Bindings and RemoteIPRanges") + ")");
                return null;
            }
        }

        /** A throwaway connector, so that a broken entry still gets all its parameters checked. */
        private ReceiveConnectorBuilder placeholder() {
            Server s = new Server("placeholder", "placeholder.invalid", DEFAULT_SITE);
            return ReceiveConnectorBuilder.from(ReceiveConnectorDefaults.forServer(s).get(0));
        }

        /**
         * Applies every parameter the entry gives, through the connector parameter table, then the
         * table's cross-parameter rules; false when something is wrong.
         */
        private boolean applyOverrides(ConfigEntry e, ReceiveConnectorBuilder b) {
            return ConfigParams.apply(e, ReceiveConnectorParameters.TABLE, b);
        }

        // ---- send connectors ---------------------------------------------------------------

        /**
         * The SendConnectors section: New-SendConnector for each entry, over Exchange's defaults
         * ({@link SendConnector#withDefaults}); SourceTransportServers defaults to every server.
         */
        private List<SendConnector> sendConnectors(ConfigEntry top) {
            List<SendConnector> result = new ArrayList<>();
            Map<String, ConfigEntry> seen = new HashMap<>();
            List<String> allServers = servers.values().stream().map(Server::name).toList();
            for (ConfigEntry entry : top.objects("SendConnectors", SEND_CONNECTOR_KEYS, SendConnectorParameters.NOT_IMPLEMENTED)) {
                String name = entry.requiredString("Name");
                boolean ok = name != null;
                if (!entry.has("AddressSpaces")) {
                    entry.required("AddressSpaces", "AddressSpaces (such as [\"SMTP:*;1\"])");
                    ok = false;
                }
                if (name != null) {
                    ConfigEntry previous = seen.putIfAbsent(key(name), entry);
                    if (previous != null) {
                        entry.problem("Name", "send connector " + name + " is given twice"
                            + lineNote(lineOf(previous.origin())));
                        ok = false;
                    }
                }
                SendConnector.Builder builder = SendConnector.Builder.from(SendConnector.withDefaults(
                    name == null ? "placeholder" : name, List.of(AddressSpace.all()),
                    allServers.isEmpty() ? List.of("placeholder") : allServers));
                ok &= ConfigParams.apply(entry, SendConnectorParameters.TABLE, builder);
                List<String> sources = sourceTransportServers(entry);
                if (sources == null) {
                    continue;
                }
                if (ok) {
                    result.add(builder.sourceTransportServers(sources.isEmpty() ? allServers : sources).build());
                }
            }
            return result;
        }

        /** SourceTransportServers as the entry names them, in the servers' own spelling; null when one is unknown. */
        private List<String> sourceTransportServers(ConfigEntry entry) {
            List<String> names = new ArrayList<>();
            boolean ok = true;
            for (ConfigElement el : entry.list("SourceTransportServers")) {
                Server s = servers.get(key(el.text()));
                if (s == null) {
                    problem(el.origin(), el.key(), "server " + el.text() + " is not among Servers"
                        + known(servers.values().stream().map(Server::name).toList(), el.text()));
                    ok = false;
                } else {
                    names.add(s.name());
                }
            }
            return ok ? names : null;
        }

        /** The RecipientFilterConfig section over Exchange's defaults. */
        private RecipientFilterConfig recipientFilterConfig(ConfigEntry top) {
            ConfigEntry section = top.object("RecipientFilterConfig", RECIPIENT_FILTER_KEYS,
                RecipientFilterConfigParameters.TABLE.notImplemented());
            if (section == null) {
                return RecipientFilterConfig.DEFAULT;
            }
            RecipientFilterConfig.Builder b = RecipientFilterConfig.Builder.from(RecipientFilterConfig.DEFAULT);
            ConfigParams.apply(section, RecipientFilterConfigParameters.TABLE, b);
            return b.build();
        }

        /**
         * Connectors of one server that listen on the same address and port must tell their
         * clients apart by RemoteIPRanges: no range given to both, no two ranges that overlap
         * without one containing the other (the most specific match must be unique).
         */
        private void checkBindings(List<Placed> all, ConfigEntry fallback) {
            for (int j = 0; j < all.size(); j++) {
                for (int i = 0; i < j; i++) {
                    // The problem belongs to the later connector an entry gave, against the other one.
                    boolean laterIsJ = all.get(j).entry() != null || all.get(i).entry() == null;
                    Placed later = laterIsJ ? all.get(j) : all.get(i);
                    ReceiveConnector other = (laterIsJ ? all.get(i) : all.get(j)).connector();
                    String clash = ReceiveConnectorParameters.bindingClash(other, later.connector()).orElse(null);
                    if (clash == null) {
                        continue;
                    }
                    ConfigEntry where = later.entry() != null ? later.entry() : fallback;
                    String key = where.has("RemoteIPRanges") ? "RemoteIPRanges"
                        : where.has("Bindings") ? "Bindings" : "Name";
                    where.problem(key, clash);
                }
            }
        }

        // ---- helpers -----------------------------------------------------------------------

        private static String key(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        private static String identityKey(String server, String name) {
            return key(server) + "\\" + key(name);
        }

        private static boolean isDomainName(String s) {
            return ReceiveConnectorParameters.isDomainName(s);
        }

        private static boolean isIpLiteral(String s) {
            return ReceiveConnectorParameters.isIpLiteral(s);
        }

        private boolean problemAt(String keyPath) {
            return problems.at(keyPath);
        }

        private void problem(ConfigOrigin origin, String key, String message) {
            problems.add(origin, key, message);
        }
    }

    /** The known key nearest to {@code given} by edit distance, ignoring case. */
    static String closest(List<String> known, String given) {
        return Forms.closest(known, given);
    }
}
