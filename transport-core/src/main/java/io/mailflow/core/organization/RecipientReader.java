package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Unlimited;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.mailflow.core.organization.ConfigEntry.key;
import static io.mailflow.core.organization.ConfigProblems.known;

/**
 * Organization configuration: the recipient sections, read after the topology and before the
 * connectors, in this order: {@code Mailboxes}, {@code MailContacts}, {@code MailUsers},
 * {@code DistributionGroups}; then the references between recipients (members, forwarding,
 * delivery restrictions) are checked against all of them. Names, aliases and addresses are
 * unique across every kind of recipient ({@link RecipientIdentities}).
 */
final class RecipientReader {
    /** Delivery restrictions, read for every kind of recipient ({@link RecipientRestrictions}). */
    private static final List<String> RESTRICTION_KEYS = List.of("MaxReceiveSize", "RequireSenderAuthenticationEnabled",
        "AcceptMessagesOnlyFrom", "AcceptMessagesOnlyFromDLMembers", "RejectMessagesFrom");
    private static final List<String> MAILBOX_KEYS = withRestrictions("Name", "Alias", "Database", "EmailAddresses",
        "ForwardingAddress", "ForwardingSmtpAddress", "DeliverToMailboxAndForward", "RecipientLimits", "MaxSendSize",
        "UserPrincipalName", "Password");
    private static final List<String> GROUP_KEYS = withRestrictions("Name", "Alias", "EmailAddresses", "Members",
        "ExpansionServer", "ReportToOriginatorEnabled");
    private static final List<String> CONTACT_KEYS = withRestrictions("Name", "Alias", "EmailAddresses",
        "ExternalEmailAddress");

    private final ConfigProblems problems;
    private final List<AcceptedDomain> domains;
    private final Map<String, Server> servers;
    private final Map<String, MailboxDatabase> databases;
    private final RecipientIdentities identities;
    private final RecipientReferences references;

    private final List<Mailbox> mailboxes = new ArrayList<>();
    private final List<DistributionGroup> groups = new ArrayList<>();
    private final List<MailContact> contacts = new ArrayList<>();
    private final List<MailUser> mailUsers = new ArrayList<>();
    /** UserPrincipalName (lower case) to the mailbox that signs in with it: a sign-in name names one user. */
    private final Map<String, String> signInNames = new java.util.HashMap<>();
    private final java.util.Set<String> explicitSignInNames = new java.util.HashSet<>();

    /** {@code servers} and {@code databases} are keyed by lower-case Name, as {@link TopologyReader} keeps them. */
    RecipientReader(ConfigProblems problems, List<AcceptedDomain> domains, Map<String, Server> servers,
                    Map<String, MailboxDatabase> databases) {
        this.problems = problems;
        this.domains = domains;
        this.servers = servers;
        this.databases = databases;
        this.identities = new RecipientIdentities(problems);
        this.references = new RecipientReferences(problems, identities);
    }

    private static List<String> withRestrictions(String... keys) {
        return Stream.concat(Stream.of(keys), RESTRICTION_KEYS.stream()).toList();
    }

    Directory read(ConfigEntry top) {
        for (ConfigEntry m : top.objects("Mailboxes", MAILBOX_KEYS)) {
            mailbox(m);
        }
        for (ConfigEntry c : top.objects("MailContacts", CONTACT_KEYS)) {
            externalRecipient(c, false);
        }
        for (ConfigEntry u : top.objects("MailUsers", CONTACT_KEYS)) {
            externalRecipient(u, true);
        }
        List<DistributionGroup> unchecked = new ArrayList<>();
        List<ConfigEntry> uncheckedEntries = new ArrayList<>();
        for (ConfigEntry g : top.objects("DistributionGroups", GROUP_KEYS)) {
            DistributionGroup group = group(g);
            if (group != null) {
                unchecked.add(group);
                uncheckedEntries.add(g);
            }
        }
        for (int i = 0; i < unchecked.size(); i++) {
            references.checkMembers(unchecked.get(i), uncheckedEntries.get(i));
            groups.add(unchecked.get(i));
        }
        references.check(groups);
        return new Directory(mailboxes, groups, contacts, mailUsers);
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
        boolean unique = identities.unique(m, name, alias);
        Forwarding forwarding = forwarding(m, name);
        Unlimited recipientLimits = m.has("RecipientLimits")
            ? m.parsed("RecipientLimits", Forms.unlimited(1, 2_147_483_647)::parse)
            : Unlimited.UNLIMITED;
        Optional<ByteSize> maxSendSize = size(m, "MaxSendSize");
        RecipientRestrictions restrictions = restrictions(m, name, false);
        String upn = userPrincipalName(m);
        Optional<PasswordHash> password = m.has("Password")
            ? Optional.ofNullable(m.parsed("Password", PasswordHash::parse)) : Optional.empty();
        if (name != null && db != null && !addresses.isEmpty() && alias != null && unique && forwarding != null
            && recipientLimits != null && maxSendSize != null && restrictions != null
            && (upn != null || !m.has("UserPrincipalName")) && (password.isPresent() || !m.has("Password"))) {
            Mailbox mailbox = new Mailbox(name, alias, addresses, db.name(), forwarding, recipientLimits, maxSendSize,
                restrictions, upn, password);
            // A default sign-in name (the primary address) is unique with the addresses; a given one is checked here.
            String other = signInNames.putIfAbsent(key(mailbox.userPrincipalName()), name);
            if (other != null && (m.has("UserPrincipalName") || explicitSignInNames.contains(other))) {
                m.problem(m.has("UserPrincipalName") ? "UserPrincipalName" : "Name", "UserPrincipalName "
                    + mailbox.userPrincipalName() + " is already the sign-in name of mailbox " + other);
                return;
            }
            if (m.has("UserPrincipalName")) {
                explicitSignInNames.add(name);
            }
            mailboxes.add(mailbox);
        }
    }

    /** A group as given; its Members are checked once every recipient is known. */
    private DistributionGroup group(ConfigEntry g) {
        String name = g.requiredString("Name");
        String alias = g.string("Alias");
        List<ProxyAddress> addresses = emailAddresses(g, name, alias);
        if (alias == null && !addresses.isEmpty()) {
            alias = primary(addresses).address().localPart();
        }
        boolean unique = identities.unique(g, name, alias);
        List<ConfigElement> members = g.list("Members");
        String expansionServer = g.string("ExpansionServer");
        boolean serverKnown = true;
        if (expansionServer != null) {
            Server s = servers.get(key(expansionServer));
            if (s == null) {
                // Reported, and the rest of the entry still checked, so every problem shows at once.
                g.problem("ExpansionServer", "server " + expansionServer + " is not among Servers"
                    + known(servers.values().stream().map(Server::name).toList(), expansionServer));
                serverKnown = false;
            } else {
                expansionServer = s.name();
            }
        }
        Boolean reportToOriginator = g.bool("ReportToOriginatorEnabled");
        RecipientRestrictions restrictions = restrictions(g, name, true);
        if (name == null || addresses.isEmpty() || alias == null || !unique || restrictions == null || !serverKnown) {
            return null;
        }
        return new DistributionGroup(name, alias, addresses, members.stream().map(ConfigElement::text).toList(),
            Optional.ofNullable(expansionServer), !Boolean.FALSE.equals(reportToOriginator), restrictions);
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
            identities.claim(addresses, List.of(new ConfigElement(externalText, c.origin("ExternalEmailAddress"),
                c.path("ExternalEmailAddress"))), name);
        } else {
            addresses = List.of();
        }
        if (alias == null && external != null) {
            alias = external.localPart();
        }
        boolean unique = identities.unique(c, name, alias);
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
            references.add(new ConfigElement(forwardingAddress, m.origin("ForwardingAddress"),
                m.path("ForwardingAddress")), owner, "ForwardingAddress", false);
        }
        if (Boolean.TRUE.equals(both) && forwardingAddress == null && forwardingSmtp == null) {
            m.problem("DeliverToMailboxAndForward", "needs ForwardingAddress or ForwardingSmtpAddress");
            return null;
        }
        return new Forwarding(Optional.ofNullable(forwardingAddress), Optional.ofNullable(forwardingSmtp),
            Boolean.TRUE.equals(both));
    }

    /** UserPrincipalName: the sign-in name, {@code user@suffix}; null when absent or wrong. */
    private static String userPrincipalName(ConfigEntry m) {
        String upn = m.string("UserPrincipalName");
        if (upn != null && SmtpAddress.parse(upn.strip(), false).isEmpty()) {
            m.problem("UserPrincipalName", "'" + upn + "' is not of the form user@domain");
            return null;
        }
        return upn == null ? null : upn.strip();
    }

    /** A size or {@code unlimited}; empty when unlimited or not given, null on a problem. */
    private static Optional<ByteSize> size(ConfigEntry e, String key) {
        if (!e.has(key)) {
            return Optional.empty();
        }
        String text = e.string(key);
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("unlimited")) {
            return Optional.empty();
        }
        ByteSize size = e.parsed(key, Forms.byteSize(1, 2_147_483_647L)::parse);
        return size == null ? null : Optional.of(size);
    }

    /** The delivery restrictions of a recipient; sender references are checked once all recipients are read. */
    private RecipientRestrictions restrictions(ConfigEntry e, String owner, boolean group) {
        Optional<ByteSize> maxReceiveSize = size(e, "MaxReceiveSize");
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
            references.add(el, owner, key, groupsOnly);
            result.add(el.text());
        }
        return result;
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
            identities.claim(result, List.of(new ConfigElement(alias, r.origin(), r.path("Alias"))), owner);
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
                    problems.add(e, a.address() + " is not in an accepted domain ("
                        + String.join(", ", domains.stream().map(AcceptedDomain::domainName).toList()) + ")");
                    continue;
                }
                result.add(a);
                kept.add(e);
            } catch (IllegalArgumentException ex) {
                problems.add(e, "'" + e.text() + "' is not an SMTP address such as SMTP:kate@contoso.test");
            }
        }
        if (elements.isEmpty() && !problems.at(r.path("EmailAddresses"))) {
            r.problem("EmailAddresses", "at least one address is required");
        }
        long primaries = result.stream().filter(ProxyAddress::primary).count();
        if (primaries > 1) {
            r.problem("EmailAddresses", primaries + " addresses are marked primary (SMTP:); exactly one may be");
        } else if (primaries == 0 && !result.isEmpty()) {
            result.set(0, new ProxyAddress(result.get(0).address(), true));
        }
        identities.claim(result, kept, owner);
        return result;
    }

    private static ProxyAddress primary(List<ProxyAddress> addresses) {
        return addresses.stream().filter(ProxyAddress::primary).findFirst().orElse(addresses.get(0));
    }
}
