package io.mailflow.core.organization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.TimeSpan;
import io.mailflow.core.params.Unlimited;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
 * usage type. Every problem is collected and thrown together in an
 * {@link OrganizationConfigException}.
 */
public final class OrganizationLoader {

    private static final List<String> TOP_KEYS = List.of("Organization", "AcceptedDomains", "Servers",
        "MailboxDatabases", "Mailboxes", "DistributionGroups", "ReceiveConnectors");
    private static final List<String> ORGANIZATION_KEYS = List.of("Name");
    private static final List<String> ACCEPTED_DOMAIN_KEYS = List.of("Name", "DomainName", "DomainType", "Default");
    private static final List<String> SERVER_KEYS = List.of("Name", "Fqdn", "Site");
    private static final List<String> DATABASE_KEYS = List.of("Name", "Server");
    private static final List<String> MAILBOX_KEYS = List.of("Name", "Alias", "Database", "EmailAddresses");
    private static final List<String> GROUP_KEYS = List.of("Name", "Alias", "EmailAddresses", "Members");
    private static final List<String> RECEIVE_CONNECTORS_KEYS =
        List.of("DefaultConnectors", "PortOffset", "BindAddress", "Connectors");
    private static final List<String> CONNECTOR_KEYS = List.of("Name", "Server", "Usage", "TransportRole",
        "Bindings", "RemoteIPRanges", "PermissionGroups", "AuthMechanism", "Banner", "Fqdn",
        "ProtocolLoggingLevel", "Enabled", "MaxInboundConnection", "MaxInboundConnectionPerSource",
        "MaxInboundConnectionPercentagePerSource", "MessageRateLimit", "MessageRateSource", "TarpitInterval",
        "MaxProtocolErrors", "MaxRecipientsPerMessage", "MaxMessageSize", "MaxHeaderSize", "MaxHopCount",
        "MaxLocalHopCount", "ConnectionTimeout", "ConnectionInactivityTimeout", "MaxCommandSize",
        "RequireEHLODomain", "BareLinefeedRejectionEnabled", "AnonymousExtendedRights");
    /** Set-ReceiveConnector parameters Mailflow knows but does not act on yet: named as such, not as typos. */
    private static final List<String> CONNECTOR_KEYS_NOT_IMPLEMENTED = List.of("AuthTarpitInterval",
        "MaxLogonFailures", "MaxAcknowledgementDelay", "RequireTLS", "EnableAuthGSSAPI", "SizeEnabled",
        "PipeliningEnabled", "ChunkingEnabled", "BinaryMimeEnabled", "EightBitMimeEnabled",
        "EnhancedStatusCodesEnabled", "DeliveryStatusNotificationEnabled", "DomainSecureEnabled",
        "LongAddressesEnabled", "OrarEnabled", "SuppressXAnonymousTls", "SmtpUtf8Enabled", "Comment",
        "DefaultDomain", "TlsCertificateName", "TlsDomainCapabilities", "ExtendedProtectionPolicy",
        "AdvertiseClientSettings", "RejectReservedTopLevelRecipientDomains",
        "RejectReservedSecondLevelRecipientDomains", "RejectSingleLabelRecipientDomains");
    private static final List<String> MESSAGE_RATE_SOURCES = List.of("None", "IPAddress", "User", "All");
    /** Extended rights of the permission groups (exchange.md §1.4), as Add-ADPermission spells them. */
    private static final List<String> EXTENDED_RIGHTS = List.of("Ms-Exch-SMTP-Submit",
        "Ms-Exch-SMTP-Accept-Any-Recipient", "Ms-Exch-SMTP-Accept-Any-Sender",
        "Ms-Exch-SMTP-Accept-Authoritative-Domain-Sender", "Ms-Exch-SMTP-Accept-Authentication-Flag",
        "Ms-Exch-SMTP-Accept-Exch50", "Ms-Exch-Accept-Headers-Routing", "Ms-Exch-Accept-Headers-Organization",
        "Ms-Exch-Accept-Headers-Forest", "Ms-Exch-Bypass-Anti-Spam", "Ms-Exch-Bypass-Message-Size-Limit");

    private static final String DEFAULT_SITE = "Default-First-Site-Name";
    private static final long INT_MAX = Integer.MAX_VALUE;
    /** Keeps Default <SRV> (2525) below 65536. */
    private static final int MAX_PORT_OFFSET = 65535 - ReceiveConnectorDefaults.DEFAULT_PORT;

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
            throw new OrganizationConfigException(List.of(syntaxProblem(e, file)));
        }
        return new Reader(file).organization(config.root());
    }

    /** A HOCON syntax, I/O or substitution error as a problem, without Config's origin prefix. */
    private static ConfigProblem syntaxProblem(ConfigException e, String file) {
        ConfigOrigin origin = e.origin();
        String message = e.getMessage();
        if (origin != null) {
            String prefix = origin.description() + ": ";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
        }
        if (e instanceof ConfigException.IO) {
            // "java.io.FileNotFoundException: /x/org.conf (No such file or directory)" reads better without the class.
            message = e.getCause() instanceof java.io.FileNotFoundException ? "cannot read the file: no such file"
                : message.replaceFirst("^java\\.[\\w.]+: ", "cannot read: ");
        }
        return new ConfigProblem(fileOf(origin, file), origin == null ? -1 : origin.lineNumber(), "", message);
    }

    private static String fileOf(ConfigOrigin origin, String fallback) {
        if (origin == null) {
            return fallback;
        }
        if (origin.resource() != null) {
            return origin.resource();
        }
        return origin.filename() != null ? origin.filename() : fallback;
    }

    /** One pass over one configuration tree, collecting problems as it goes. */
    private static final class Reader {
        private final String file;
        private final List<ConfigProblem> problems = new ArrayList<>();

        private final List<AcceptedDomain> domains = new ArrayList<>();
        private final Map<String, Server> servers = new LinkedHashMap<>();
        private final Map<String, MailboxDatabase> databases = new LinkedHashMap<>();
        private final List<Mailbox> mailboxes = new ArrayList<>();
        private final List<DistributionGroup> groups = new ArrayList<>();
        /** Every address, lower case, to the recipient name that owns it and where it was given. */
        private final Map<String, Owner> addressOwners = new HashMap<>();
        private final Map<String, Owner> recipientNames = new HashMap<>();
        private final Map<String, Owner> recipientAliases = new HashMap<>();

        private record Owner(String name, int line) {
        }

        Reader(String file) {
            this.file = file;
        }

        Organization organization(ConfigObject root) {
            Obj top = new Obj(root, "", TOP_KEYS, List.of());
            String name = null;
            Obj org = top.object("Organization", ORGANIZATION_KEYS, List.of());
            if (org == null) {
                top.required("Organization", "Organization { Name = \"...\" }");
            } else {
                name = org.requiredString("Name");
            }
            for (Obj d : top.objects("AcceptedDomains", ACCEPTED_DOMAIN_KEYS)) {
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
            for (Obj s : top.objects("Servers", SERVER_KEYS)) {
                server(s);
            }
            if (servers.isEmpty()) {
                top.required("Servers", "Servers = [ { Name = EX01, Fqdn = ... } ]");
            }
            for (Obj d : top.objects("MailboxDatabases", DATABASE_KEYS)) {
                database(d);
            }
            for (Obj m : top.objects("Mailboxes", MAILBOX_KEYS)) {
                mailbox(m);
            }
            List<Obj> groupEntries = top.objects("DistributionGroups", GROUP_KEYS);
            List<DistributionGroup> unchecked = new ArrayList<>();
            List<Obj> uncheckedEntries = new ArrayList<>();
            for (Obj g : groupEntries) {
                DistributionGroup group = group(g);
                if (group != null) {
                    unchecked.add(group);
                    uncheckedEntries.add(g);
                }
            }
            for (int i = 0; i < unchecked.size(); i++) {
                groups.add(resolveMembers(unchecked.get(i), uncheckedEntries.get(i)));
            }
            List<ReceiveConnector> connectors = receiveConnectors(top);

            if (!problems.isEmpty()) {
                List<ConfigProblem> sorted = new ArrayList<>(problems);
                sorted.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
                throw new OrganizationConfigException(sorted);
            }
            return new Organization(name, domains, mailboxes, groups, List.copyOf(databases.values()),
                List.copyOf(servers.values()), connectors);
        }

        // ---- directory objects -------------------------------------------------------------

        private void acceptedDomain(Obj d) {
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

        private void server(Obj s) {
            String name = s.requiredString("Name");
            String fqdn = s.requiredString("Fqdn");
            String site = s.string("Site");
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
            servers.put(key(name), new Server(name, fqdn, site == null ? DEFAULT_SITE : site));
        }

        private void database(Obj d) {
            String name = d.requiredString("Name");
            String server = d.requiredString("Server");
            if (name == null || server == null) {
                return;
            }
            Server s = servers.get(key(server));
            if (s == null) {
                d.problem("Server", "server " + server + " is not among Servers" + known(servers.values().stream().map(Server::name).toList(), server));
                return;
            }
            if (databases.containsKey(key(name))) {
                d.problem("Name", "mailbox database " + name + " is given twice");
                return;
            }
            databases.put(key(name), new MailboxDatabase(name, s.name()));
        }

        private void mailbox(Obj m) {
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
            if (name != null && db != null && !addresses.isEmpty() && alias != null && unique) {
                mailboxes.add(new Mailbox(name, alias, addresses, db.name()));
            }
        }

        private DistributionGroup group(Obj g) {
            String name = g.requiredString("Name");
            String alias = g.string("Alias");
            List<ProxyAddress> addresses = emailAddresses(g, name, alias);
            if (alias == null && !addresses.isEmpty()) {
                alias = primary(addresses).address().localPart();
            }
            boolean unique = uniqueIdentity(g, name, alias);
            List<Element> members = g.list("Members");
            if (name == null || addresses.isEmpty() || alias == null || !unique) {
                return null;
            }
            return new DistributionGroup(name, alias, addresses, members.stream().map(Element::text).toList());
        }

        /** Members resolve by name, alias or any address, once every recipient is known. */
        private DistributionGroup resolveMembers(DistributionGroup group, Obj g) {
            List<Element> members = g.list("Members");
            for (Element member : members) {
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
                        + "' is neither a mailbox nor a group of this organization (give its Name, Alias or an address)");
                } else if (owner.equalsIgnoreCase(group.name())) {
                    problem(member.origin(), member.key(), "group " + group.name() + " cannot be a member of itself");
                }
            }
            return group;
        }

        /**
         * EmailAddresses with exactly one primary: the first becomes primary when none is marked.
         * Without EmailAddresses, the default email address policy gives {@code SMTP:alias@default-domain}.
         */
        private List<ProxyAddress> emailAddresses(Obj r, String owner, String alias) {
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
                claim(result, List.of(new Element(alias, r.origin(), r.path("Alias"))), owner);
                return result;
            }
            List<Element> elements = r.list("EmailAddresses");
            List<Element> kept = new ArrayList<>();
            for (Element e : elements) {
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
        private void claim(List<ProxyAddress> addresses, List<Element> where, String owner) {
            for (int i = 0; i < addresses.size(); i++) {
                String k = addresses.get(i).address().key();
                Element e = where.get(i);
                Owner previous = addressOwners.get(k);
                if (previous != null) {
                    problem(e.origin(), e.key(), addresses.get(i).address() + " is already an address of "
                        + previous.name() + lineNote(previous.line()));
                } else {
                    addressOwners.put(k, new Owner(owner == null ? "?" : owner, lineOf(e.origin())));
                }
            }
        }

        private boolean uniqueIdentity(Obj r, String name, String alias) {
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
        private record Placed(ReceiveConnector connector, Obj entry) {
        }

        private List<ReceiveConnector> receiveConnectors(Obj top) {
            Obj rc = top.object("ReceiveConnectors", RECEIVE_CONNECTORS_KEYS, List.of());
            boolean defaults = true;
            int offset = 0;
            String bindAddress = null;
            List<Obj> entries = List.of();
            if (rc != null) {
                Boolean d = rc.bool("DefaultConnectors");
                defaults = d == null || d;
                Long o = rc.integer("PortOffset", 0, MAX_PORT_OFFSET);
                offset = o == null ? 0 : o.intValue();
                bindAddress = rc.string("BindAddress");
                if (bindAddress != null && !isIpLiteral(bindAddress)) {
                    rc.problem("BindAddress", "'" + bindAddress + "' is not an IP address");
                    bindAddress = null;
                }
                entries = rc.objects("Connectors", CONNECTOR_KEYS, CONNECTOR_KEYS_NOT_IMPLEMENTED);
            }
            Map<String, Placed> placed = new LinkedHashMap<>();
            if (defaults) {
                for (Server s : servers.values()) {
                    for (ReceiveConnector c : ReceiveConnectorDefaults.forServer(s, offset, bindAddress)) {
                        placed.put(identityKey(c.server(), c.name()), new Placed(c, null));
                    }
                }
            }
            Map<String, Obj> seen = new HashMap<>();
            for (Obj entry : entries) {
                String name = entry.requiredString("Name");
                Server server = connectorServer(entry);
                if (name == null || server == null) {
                    applyOverrides(entry, placeholder(), offset, bindAddress);
                    continue;
                }
                String id = identityKey(server.name(), name);
                Obj previous = seen.putIfAbsent(id, entry);
                if (previous != null) {
                    entry.problem("Name", "receive connector " + server.name() + "\\" + name + " is given twice"
                        + lineNote(lineOf(previous.origin())));
                    applyOverrides(entry, placeholder(), offset, bindAddress);
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
                        applyOverrides(entry, placeholder(), offset, bindAddress);
                        continue;
                    }
                }
                if (applyOverrides(entry, builder, offset, bindAddress)) {
                    ReceiveConnector c = builder.build();
                    checkTimeouts(entry, c);
                    placed.put(id, new Placed(c, entry));
                }
            }
            List<Placed> all = List.copyOf(placed.values());
            checkBindings(all, rc == null ? top : rc);
            return all.stream().map(Placed::connector).toList();
        }

        private Server connectorServer(Obj entry) {
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
        private ReceiveConnectorBuilder newConnector(Obj entry, String name, Server server, int offset, String bindAddress) {
            ReceiveConnectorDefaults.Usage usage = entry.enumValue("Usage", ReceiveConnectorDefaults.Usage.class);
            if (usage == null && entry.has("Usage")) {
                return null;
            }
            if (usage == null) {
                usage = ReceiveConnectorDefaults.Usage.Custom;
            }
            TransportRole role = entry.enumValue("TransportRole", TransportRole.class);
            List<Binding> bindings = entry.has("Bindings") ? bindings(entry) : List.of();
            List<IpRange> ranges = entry.has("RemoteIPRanges") ? remoteIPRanges(entry) : List.of();
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

        /** Applies every parameter the entry gives; false when one of them is wrong. */
        private boolean applyOverrides(Obj e, ReceiveConnectorBuilder b, int offset, String bindAddress) {
            int before = problems.size();
            if (e.has("TransportRole")) {
                set(e.enumValue("TransportRole", TransportRole.class), b::transportRole);
            }
            if (e.has("Bindings")) {
                set(bindings(e), b::bindings);
            }
            if (e.has("RemoteIPRanges")) {
                set(remoteIPRanges(e), b::remoteIPRanges);
            }
            if (e.has("PermissionGroups")) {
                Set<PermissionGroup> groups = e.enumSet("PermissionGroups", PermissionGroup.class);
                if (groups != null && groups.contains(PermissionGroup.None) && groups.size() > 1) {
                    e.problem("PermissionGroups", "None cannot be combined with other permission groups");
                }
                set(groups, b::permissionGroups);
            }
            if (e.has("AuthMechanism")) {
                set(e.enumSet("AuthMechanism", AuthMechanism.class), b::authMechanism);
            }
            if (e.has("Banner")) {
                if (e.isNull("Banner")) {
                    b.banner(null);
                } else {
                    String banner = e.string("Banner");
                    if (banner != null && !banner.startsWith("220")) {
                        e.problem("Banner", "a banner must start with 220, as in \"220 mail.contoso.test ESMTP\"");
                    } else {
                        set(banner, b::banner);
                    }
                }
            }
            if (e.has("Fqdn")) {
                String fqdn = e.string("Fqdn");
                if (fqdn != null && !isDomainName(fqdn)) {
                    e.problem("Fqdn", "'" + fqdn + "' is not a fully qualified domain name");
                } else {
                    set(fqdn, b::fqdn);
                }
            }
            set(e.enumValue("ProtocolLoggingLevel", ProtocolLoggingLevel.class), b::protocolLoggingLevel);
            set(e.bool("Enabled"), b::enabled);
            set(e.unlimited("MaxInboundConnection", 1, INT_MAX), b::maxInboundConnection);
            set(e.unlimited("MaxInboundConnectionPerSource", 1, 10000), b::maxInboundConnectionPerSource);
            set(asInt(e.integer("MaxInboundConnectionPercentagePerSource", 1, 100)),
                b::maxInboundConnectionPercentagePerSource);
            set(e.unlimited("MessageRateLimit", 1, INT_MAX), b::messageRateLimit);
            set(e.oneOf("MessageRateSource", MESSAGE_RATE_SOURCES), b::messageRateSource);
            set(e.duration("TarpitInterval", Duration.ZERO, Duration.ofDays(1)), b::tarpitInterval);
            set(e.unlimited("MaxProtocolErrors", 0, INT_MAX), b::maxProtocolErrors);
            set(asInt(e.integer("MaxRecipientsPerMessage", 1, 512000)), b::maxRecipientsPerMessage);
            set(e.byteSize("MaxMessageSize", 65536, INT_MAX), b::maxMessageSize);
            set(e.byteSize("MaxHeaderSize", 1, INT_MAX), b::maxHeaderSize);
            set(asInt(e.integer("MaxHopCount", 1, 500)), b::maxHopCount);
            set(asInt(e.integer("MaxLocalHopCount", 0, 50)), b::maxLocalHopCount);
            set(e.duration("ConnectionTimeout", Duration.ofSeconds(1), Duration.ofDays(1)), b::connectionTimeout);
            set(e.duration("ConnectionInactivityTimeout", Duration.ofSeconds(1), Duration.ofDays(1)),
                b::connectionInactivityTimeout);
            set(asInt(e.integer("MaxCommandSize", 512, 65536)), b::maxCommandSize);
            set(e.bool("RequireEHLODomain"), b::requireEHLODomain);
            set(e.bool("BareLinefeedRejectionEnabled"), b::bareLinefeedRejectionEnabled);
            if (e.has("AnonymousExtendedRights")) {
                Set<String> rights = new LinkedHashSet<>();
                for (Element r : e.list("AnonymousExtendedRights")) {
                    String canonical = canonical(EXTENDED_RIGHTS, r.text().trim());
                    if (canonical == null) {
                        problem(r.origin(), r.key(), "unknown extended right '" + r.text() + "'; did you mean "
                            + closest(EXTENDED_RIGHTS, r.text()) + "?");
                    } else {
                        rights.add(canonical);
                    }
                }
                b.anonymousExtendedRights(rights);
            }
            if (problems.size() > before) {
                return false;
            }
            ReceiveConnector c = b.build();
            checkAuth(e, c);
            return problems.size() == before;
        }

        /** AuthMechanism rules of Set-ReceiveConnector (exchange.md §1.1). */
        private void checkAuth(Obj e, ReceiveConnector c) {
            Set<AuthMechanism> auth = c.authMechanism();
            if (auth.contains(AuthMechanism.None) && auth.size() > 1) {
                e.problem("AuthMechanism", "None cannot be combined with other mechanisms");
            }
            if (auth.contains(AuthMechanism.BasicAuthRequireTLS)
                && !(auth.contains(AuthMechanism.BasicAuth) && auth.contains(AuthMechanism.Tls))) {
                e.problem("AuthMechanism", "BasicAuthRequireTLS needs BasicAuth and Tls as well");
            }
            if (auth.contains(AuthMechanism.ExternalAuthoritative)) {
                if (!auth.equals(EnumSet.of(AuthMechanism.ExternalAuthoritative))
                    && !auth.equals(EnumSet.of(AuthMechanism.ExternalAuthoritative, AuthMechanism.Tls))) {
                    e.problem("AuthMechanism", "ExternalAuthoritative can only be combined with Tls");
                }
                if (!c.permissionGroups().equals(EnumSet.of(PermissionGroup.ExchangeServers))) {
                    e.problem("AuthMechanism", "ExternalAuthoritative requires PermissionGroups = ExchangeServers");
                }
            }
        }

        private void checkTimeouts(Obj e, ReceiveConnector c) {
            if (c.connectionTimeout().compareTo(c.connectionInactivityTimeout()) <= 0) {
                String key = e.has("ConnectionTimeout") ? "ConnectionTimeout" : "ConnectionInactivityTimeout";
                e.problem(key, "ConnectionTimeout " + TimeSpan.format(c.connectionTimeout())
                    + " must be greater than ConnectionInactivityTimeout "
                    + TimeSpan.format(c.connectionInactivityTimeout()));
            }
        }

        /**
         * Connectors of one server that listen on the same address and port must tell their
         * clients apart by RemoteIPRanges: no range given to both, no two ranges that overlap
         * without one containing the other (the most specific match must be unique).
         */
        private void checkBindings(List<Placed> all, Obj fallback) {
            for (int j = 0; j < all.size(); j++) {
                for (int i = 0; i < j; i++) {
                    ReceiveConnector a = all.get(i).connector();
                    ReceiveConnector b = all.get(j).connector();
                    if (!a.server().equalsIgnoreCase(b.server())) {
                        continue;
                    }
                    Binding shared = sharedBinding(a, b);
                    if (shared == null) {
                        continue;
                    }
                    String clash = rangeClash(a.remoteIPRanges(), b.remoteIPRanges());
                    if (clash == null) {
                        continue;
                    }
                    Placed later = all.get(j).entry() != null ? all.get(j) : all.get(i);
                    ReceiveConnector other = later == all.get(j) ? a : b;
                    Obj where = later.entry() != null ? later.entry() : fallback;
                    String key = where.has("RemoteIPRanges") ? "RemoteIPRanges"
                        : where.has("Bindings") ? "Bindings" : "Name";
                    where.problem(key, "shares binding " + shared + " with " + other.name() + " and " + clash
                        + "; connectors on one binding need distinct RemoteIPRanges");
                }
            }
        }

        private static Binding sharedBinding(ReceiveConnector a, ReceiveConnector b) {
            for (Binding x : a.bindings()) {
                for (Binding y : b.bindings()) {
                    if (x.port() == y.port() && sameAddress(x.address(), y.address())) {
                        return y;
                    }
                }
            }
            return null;
        }

        private static boolean sameAddress(String x, String y) {
            byte[] a = IpRange.literal(x);
            byte[] b = IpRange.literal(y);
            if (a.length != b.length) {
                return false;
            }
            return java.util.Arrays.equals(a, b) || isAny(a) || isAny(b);
        }

        private static boolean isAny(byte[] address) {
            for (byte v : address) {
                if (v != 0) {
                    return false;
                }
            }
            return true;
        }

        private static String rangeClash(List<IpRange> as, List<IpRange> bs) {
            for (IpRange a : as) {
                for (IpRange b : bs) {
                    if (a.family() != b.family()) {
                        continue;
                    }
                    boolean overlap = a.first().compareTo(b.last()) <= 0 && b.first().compareTo(a.last()) <= 0;
                    if (!overlap) {
                        continue;
                    }
                    boolean same = a.first().equals(b.first()) && a.last().equals(b.last());
                    boolean nested = (a.first().compareTo(b.first()) <= 0 && a.last().compareTo(b.last()) >= 0)
                        || (b.first().compareTo(a.first()) <= 0 && b.last().compareTo(a.last()) >= 0);
                    if (same) {
                        return "both accept " + b;
                    }
                    if (!nested) {
                        return "its range " + b + " partly overlaps " + a;
                    }
                }
            }
            return null;
        }

        private List<Binding> bindings(Obj e) {
            List<Binding> result = new ArrayList<>();
            List<Element> elements = e.list("Bindings");
            boolean ok = true;
            for (Element el : elements) {
                try {
                    Binding b = Binding.parse(el.text().trim());
                    if (!isIpLiteral(b.address())) {
                        throw new IllegalArgumentException("'" + b.address() + "' is not an IP address");
                    }
                    result.add(b);
                } catch (IllegalArgumentException ex) {
                    problem(el.origin(), el.key(), ex.getMessage());
                    ok = false;
                }
            }
            if (elements.isEmpty() && ok && !problemAt(e.path("Bindings"))) {
                e.problem("Bindings", "at least one binding such as 0.0.0.0:25 is required");
                ok = false;
            }
            return ok && !elements.isEmpty() ? result : null;
        }

        private List<IpRange> remoteIPRanges(Obj e) {
            List<IpRange> result = new ArrayList<>();
            List<Element> elements = e.list("RemoteIPRanges");
            boolean ok = true;
            for (Element el : elements) {
                try {
                    result.add(IpRange.parse(el.text()));
                } catch (IllegalArgumentException ex) {
                    problem(el.origin(), el.key(), ex.getMessage());
                    ok = false;
                }
            }
            if (elements.isEmpty() && ok && !problemAt(e.path("RemoteIPRanges"))) {
                e.problem("RemoteIPRanges", "at least one range such as 192.0.2.0/24 is required");
                ok = false;
            }
            return ok && !elements.isEmpty() ? result : null;
        }

        // ---- helpers -----------------------------------------------------------------------

        private static <T> void set(T value, java.util.function.Consumer<T> setter) {
            if (value != null) {
                setter.accept(value);
            }
        }

        private static Integer asInt(Long v) {
            return v == null ? null : v.intValue();
        }

        private static String key(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        private static String identityKey(String server, String name) {
            return key(server) + "\\" + key(name);
        }

        private static boolean isDomainName(String s) {
            return SmtpAddress.parse("postmaster@" + s, true).isPresent() && !s.startsWith("[");
        }

        private static boolean isIpLiteral(String s) {
            try {
                IpRange.literal(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static String known(List<String> names, String given) {
            return names.isEmpty() ? "" : "; did you mean " + closest(names, given) + "?";
        }

        private static String lineNote(int line) {
            return line >= 0 ? " (line " + line + ")" : "";
        }

        private static int lineOf(ConfigOrigin origin) {
            return origin == null ? -1 : origin.lineNumber();
        }

        private boolean problemAt(String keyPath) {
            return problems.stream().anyMatch(p -> p.key().equals(keyPath));
        }

        /** Records a problem once, however many checks reach it. */
        private void problem(ConfigOrigin origin, String key, String message) {
            ConfigProblem p = new ConfigProblem(fileOf(origin, file), lineOf(origin), key, message);
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }

        /** One value of a multi-valued parameter, with where it was written. */
        private record Element(String text, ConfigOrigin origin, String key) {
        }

        /**
         * One HOCON object read with PowerShell's rules: keys match case-insensitively, each
         * key once; unknown keys are problems that suggest the closest known key. Typed getters
         * return null when the key is absent or its value is wrong (and record the problem).
         */
        private final class Obj {
            private final ConfigObject object;
            private final String path;
            private final Map<String, String> actualKeys = new HashMap<>();

            Obj(ConfigObject object, String path, List<String> known, List<String> notImplemented) {
                this.object = object;
                this.path = path;
                for (String actual : object.keySet()) {
                    String canonical = canonical(known, actual);
                    ConfigOrigin at = object.get(actual).origin();
                    String p = path(actual);
                    if (canonical == null) {
                        String unsupported = canonical(notImplemented, actual);
                        if (unsupported != null) {
                            Reader.this.problem(at, p, unsupported + " is an Exchange parameter that Mailflow does not implement");
                        } else {
                            Reader.this.problem(at, p, "unknown key " + actual + "; did you mean " + closest(known, actual) + "?");
                        }
                        continue;
                    }
                    String previous = actualKeys.putIfAbsent(canonical, actual);
                    if (previous != null) {
                        Reader.this.problem(at, path(canonical), canonical + " is given twice (as " + previous + " on line "
                            + lineOf(object.get(previous).origin()) + " and as " + actual + ")");
                    }
                }
            }

            String path(String key) {
                return path.isEmpty() ? key : path + "." + key;
            }

            boolean has(String key) {
                return actualKeys.containsKey(key);
            }

            ConfigOrigin origin() {
                return object.origin();
            }

            ConfigOrigin origin(String key) {
                ConfigValue v = value(key);
                return v == null ? object.origin() : v.origin();
            }

            boolean isNull(String key) {
                ConfigValue v = value(key);
                return v != null && v.valueType() == ConfigValueType.NULL;
            }

            private ConfigValue value(String key) {
                String actual = actualKeys.get(key);
                return actual == null ? null : object.get(actual);
            }

            void problem(String key, String message) {
                Reader.this.problem(origin(key), path(key), message);
            }

            void required(String key, String what) {
                Reader.this.problem(object.origin(), path(key), what + " is required");
            }

            Obj object(String key, List<String> known, List<String> notImplemented) {
                ConfigValue v = value(key);
                if (v == null) {
                    return null;
                }
                if (!(v instanceof ConfigObject o)) {
                    problem(key, "must be an object { ... }");
                    return null;
                }
                return new Obj(o, path(key), known, notImplemented);
            }

            List<Obj> objects(String key, List<String> known) {
                return objects(key, known, List.of());
            }

            List<Obj> objects(String key, List<String> known, List<String> notImplemented) {
                ConfigValue v = value(key);
                if (v == null) {
                    return List.of();
                }
                if (!(v instanceof ConfigList list)) {
                    problem(key, "must be a list [ { ... }, { ... } ]");
                    return List.of();
                }
                List<Obj> result = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    String p = path(key) + "[" + i + "]";
                    if (list.get(i) instanceof ConfigObject o) {
                        result.add(new Obj(o, p, known, notImplemented));
                    } else {
                        Reader.this.problem(list.get(i).origin(), p, "must be an object { Name = ..., ... }");
                    }
                }
                return result;
            }

            /** A single value as text; numbers and booleans as written. */
            String string(String key) {
                ConfigValue v = value(key);
                if (v == null) {
                    return null;
                }
                return switch (v.valueType()) {
                    case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped()).trim();
                    case NULL -> {
                        problem(key, "needs a value");
                        yield null;
                    }
                    default -> {
                        problem(key, "must be a single value, not " + (v.valueType() == ConfigValueType.LIST
                            ? "a list" : "an object"));
                        yield null;
                    }
                };
            }

            String requiredString(String key) {
                if (!has(key)) {
                    required(key, key);
                    return null;
                }
                String s = string(key);
                if (s != null && s.isEmpty()) {
                    problem(key, key + " cannot be empty");
                    return null;
                }
                return s;
            }

            /** true, false, $true, $false in any case. */
            Boolean bool(String key) {
                return parsed(key, text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "$true" -> Boolean.TRUE;
                    case "false", "$false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("'" + text + "' is not $true or $false");
                });
            }

            Long integer(String key, long min, long max) {
                Long n = parsed(key, text -> {
                    try {
                        return Long.parseLong(text.replace(",", ""));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + text + "' is not a whole number");
                    }
                });
                if (n != null && (n < min || n > max)) {
                    problem(key, n + " is outside the range " + min + "-" + max);
                    return null;
                }
                return n;
            }

            Unlimited unlimited(String key, long min, long max) {
                Unlimited u = parsed(key, Unlimited::parse);
                if (u != null && !u.isUnlimited() && (u.orElse(0) < min || u.orElse(0) > max)) {
                    problem(key, u.orElse(0) + " is outside the range " + min + "-" + max + " or unlimited");
                    return null;
                }
                return u;
            }

            ByteSize byteSize(String key, long min, long max) {
                ByteSize b = parsed(key, ByteSize::parse);
                if (b != null && (b.bytes() < min || b.bytes() > max)) {
                    problem(key, b + " is outside the range " + min + "-" + max + " bytes");
                    return null;
                }
                return b;
            }

            /** Exchange's timespan ({@code 00:05:00}, {@code 1.00:00:00}) or a HOCON duration ({@code 5m}). */
            Duration duration(String key, Duration min, Duration max) {
                ConfigValue v = value(key);
                if (v != null && v.valueType() == ConfigValueType.NUMBER) {
                    problem(key, "'" + v.unwrapped() + "' has no unit; give a timespan such as 00:00:05 or a duration such as 5s");
                    return null;
                }
                Duration d = parsed(key, text -> {
                    if (TimeSpan.looksLikeTimeSpan(text)) {
                        return TimeSpan.parse(text);
                    }
                    try {
                        return ConfigFactory.empty().withValue("v", v).getDuration("v");
                    } catch (ConfigException e) {
                        throw new IllegalArgumentException("'" + text
                            + "' is not a timespan such as 00:05:00 or 1.00:00:00, nor a duration such as 5m");
                    }
                });
                if (d != null && (d.compareTo(min) < 0 || d.compareTo(max) > 0)) {
                    problem(key, TimeSpan.format(d) + " is outside the range " + TimeSpan.format(min) + "-"
                        + TimeSpan.format(max));
                    return null;
                }
                return d;
            }

            <E extends Enum<E>> E enumValue(String key, Class<E> type) {
                return parsed(key, text -> enumConstant(type, text));
            }

            /** A HOCON list or a comma-separated string of enum names. */
            <E extends Enum<E>> Set<E> enumSet(String key, Class<E> type) {
                int before = problems.size();
                Set<E> result = EnumSet.noneOf(type);
                for (Element e : list(key)) {
                    try {
                        result.add(enumConstant(type, e.text()));
                    } catch (IllegalArgumentException ex) {
                        Reader.this.problem(e.origin(), e.key(), ex.getMessage());
                    }
                }
                if (result.isEmpty() && problems.size() == before) {
                    problem(key, "needs at least one value");
                }
                return problems.size() == before ? result : null;
            }

            String oneOf(String key, List<String> allowed) {
                return parsed(key, text -> {
                    String c = canonical(allowed, text);
                    if (c == null) {
                        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", allowed));
                    }
                    return c;
                });
            }

            /** A HOCON list, or one string whose values are separated by commas. */
            List<Element> list(String key) {
                ConfigValue v = value(key);
                if (v == null) {
                    return List.of();
                }
                List<Element> result = new ArrayList<>();
                if (v instanceof ConfigList list) {
                    for (int i = 0; i < list.size(); i++) {
                        ConfigValue item = list.get(i);
                        String p = path(key) + "[" + i + "]";
                        switch (item.valueType()) {
                            case STRING, NUMBER, BOOLEAN -> result.add(
                                new Element(String.valueOf(item.unwrapped()).trim(), item.origin(), p));
                            default -> Reader.this.problem(item.origin(), p, "must be a single value");
                        }
                    }
                    return result;
                }
                String text = string(key);
                if (text == null) {
                    return List.of();
                }
                String[] parts = text.split(",");
                for (int i = 0; i < parts.length; i++) {
                    if (!parts[i].isBlank()) {
                        result.add(new Element(parts[i].trim(), v.origin(), path(key)));
                    }
                }
                return result;
            }

            private <T> T parsed(String key, Function<String, T> parser) {
                String text = string(key);
                if (text == null) {
                    return null;
                }
                try {
                    return parser.apply(text);
                } catch (IllegalArgumentException e) {
                    problem(key, e.getMessage());
                    return null;
                }
            }
        }
    }

    private static <E extends Enum<E>> E enumConstant(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", names));
    }

    /** The known spelling of {@code given}, matched case-insensitively; null if none. */
    private static String canonical(List<String> known, String given) {
        for (String k : known) {
            if (k.equalsIgnoreCase(given)) {
                return k;
            }
        }
        return null;
    }

    /** The known key nearest to {@code given} by edit distance, ignoring case. */
    static String closest(List<String> known, String given) {
        String best = known.get(0);
        int bestDistance = Integer.MAX_VALUE;
        String g = given.toLowerCase(Locale.ROOT);
        for (String k : known) {
            int d = distance(k.toLowerCase(Locale.ROOT), g);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
