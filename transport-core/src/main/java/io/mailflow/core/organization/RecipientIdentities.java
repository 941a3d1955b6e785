package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.mailflow.core.organization.ConfigEntry.key;
import static io.mailflow.core.organization.ConfigProblems.lineNote;
import static io.mailflow.core.organization.ConfigProblems.lineOf;

/**
 * Organization configuration: who owns each recipient Name, Alias and address, as
 * {@link RecipientReader} claims them in file order. A second claim is a problem that names the
 * first owner and its line; {@link RecipientReferences} resolves a Name, Alias or address to its
 * owner once every recipient is read.
 */
final class RecipientIdentities {

    /** The recipient that claimed a Name, Alias or address, and the line it did so on. */
    record Owner(String name, int line) {
    }

    private final ConfigProblems problems;
    /** Every address, lower case, to the recipient name that owns it and where it was given. */
    private final Map<String, Owner> addressOwners = new HashMap<>();
    private final Map<String, Owner> recipientNames = new HashMap<>();
    private final Map<String, Owner> recipientAliases = new HashMap<>();

    RecipientIdentities(ConfigProblems problems) {
        this.problems = problems;
    }

    /** Records each address as owned by {@code owner}; an address owned twice is a problem. */
    void claim(List<ProxyAddress> addresses, List<ConfigElement> where, String owner) {
        for (int i = 0; i < addresses.size(); i++) {
            String k = addresses.get(i).address().key();
            ConfigElement e = where.get(i);
            Owner previous = addressOwners.get(k);
            if (previous != null) {
                problems.add(e, addresses.get(i).address() + " is already an address of "
                    + previous.name() + lineNote(previous.line()));
            } else {
                addressOwners.put(k, new Owner(owner == null ? "?" : owner, lineOf(e.origin())));
            }
        }
    }

    /** Claims the recipient's Name and Alias; false when either is taken or the alias is malformed. */
    boolean unique(ConfigEntry r, String name, String alias) {
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

    /** The recipient an address (with {@code @}), a Name or an Alias names, in that order; null if none. */
    Owner owner(String id) {
        if (id.contains("@")) {
            return addressOwners.get(id.toLowerCase(Locale.ROOT));
        }
        Owner byName = recipientNames.get(key(id));
        return byName != null ? byName : recipientAliases.get(key(id));
    }
}
