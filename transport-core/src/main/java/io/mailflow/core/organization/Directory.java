package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The recipients of the organization as the categorizer reads them (Exchange's Active Directory):
 * mailboxes, distribution groups, mail contacts and mail users, indexed by every address, Name
 * and Alias, so that the resolver's lookups and a group's member references cost one hash lookup
 * each, whatever the size of the directory. Immutable.
 */
public final class Directory {
    public static final Directory EMPTY = new Directory(List.of(), List.of(), List.of(), List.of());

    private final List<Mailbox> mailboxes;
    private final List<DistributionGroup> distributionGroups;
    private final List<MailContact> mailContacts;
    private final List<MailUser> mailUsers;
    private final Map<String, Recipient> byAddress;
    private final Map<String, Recipient> byName;
    private final Map<String, Recipient> byAlias;

    public Directory(List<Mailbox> mailboxes, List<DistributionGroup> distributionGroups,
                     List<MailContact> mailContacts, List<MailUser> mailUsers) {
        this.mailboxes = List.copyOf(mailboxes);
        this.distributionGroups = List.copyOf(distributionGroups);
        this.mailContacts = List.copyOf(mailContacts);
        this.mailUsers = List.copyOf(mailUsers);
        int size = mailboxes.size() + distributionGroups.size() + mailContacts.size() + mailUsers.size();
        Map<String, Recipient> addresses = new HashMap<>(size * 3);
        Map<String, Recipient> names = new HashMap<>(size * 2);
        Map<String, Recipient> aliases = new HashMap<>(size * 2);
        List<Recipient> all = new ArrayList<>(size);
        all.addAll(this.mailboxes);
        all.addAll(this.distributionGroups);
        all.addAll(this.mailContacts);
        all.addAll(this.mailUsers);
        for (Recipient r : all) {
            r.emailAddresses().forEach(a -> addresses.putIfAbsent(a.address().key(), r));
            if (r instanceof ExternalRecipient e) {
                addresses.putIfAbsent(e.externalEmailAddress().key(), r);
            }
            names.putIfAbsent(r.name().toLowerCase(Locale.ROOT), r);
            aliases.putIfAbsent(r.alias().toLowerCase(Locale.ROOT), r);
        }
        this.byAddress = addresses;
        this.byName = names;
        this.byAlias = aliases;
    }

    public List<Mailbox> mailboxes() {
        return mailboxes;
    }

    public List<DistributionGroup> distributionGroups() {
        return distributionGroups;
    }

    public List<MailContact> mailContacts() {
        return mailContacts;
    }

    public List<MailUser> mailUsers() {
        return mailUsers;
    }

    public int size() {
        return mailboxes.size() + distributionGroups.size() + mailContacts.size() + mailUsers.size();
    }

    /** The recipient with this address among its EmailAddresses (or its ExternalEmailAddress). */
    public Optional<Recipient> findRecipient(SmtpAddress address) {
        return Optional.ofNullable(byAddress.get(address.key()));
    }

    /** Finds a recipient by address, Name or Alias, as Exchange's member and sender references do. */
    public Optional<Recipient> findByIdentity(String identity) {
        if (identity.indexOf('@') >= 0) {
            return SmtpAddress.parse(identity.trim(), true).flatMap(this::findRecipient);
        }
        String key = identity.trim().toLowerCase(Locale.ROOT);
        Recipient r = byName.get(key);
        return Optional.ofNullable(r != null ? r : byAlias.get(key));
    }

    /** The same directory with another list of mailboxes (the simulator's generated users). */
    public Directory withMailboxes(List<Mailbox> replaced) {
        return new Directory(replaced, distributionGroups, mailContacts, mailUsers);
    }
}
