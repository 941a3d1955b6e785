package io.mailflow.core.organization;

import java.util.ArrayList;
import java.util.List;

/**
 * Organization configuration: the references from one recipient to others (group Members,
 * ForwardingAddress, AcceptMessagesOnlyFrom, AcceptMessagesOnlyFromDLMembers,
 * RejectMessagesFrom), checked by {@link RecipientReader} once every recipient is read, since a
 * reference may name a recipient given further down the file. Each must name a recipient of the
 * organization by Name, Alias or address.
 */
final class RecipientReferences {

    /** A Name, Alias or address naming a recipient; {@code groupsOnly} when it must be a group. */
    private record Reference(ConfigElement element, String owner, String what, boolean groupsOnly) {
    }

    private final ConfigProblems problems;
    private final RecipientIdentities identities;
    private final List<Reference> references = new ArrayList<>();

    RecipientReferences(ConfigProblems problems, RecipientIdentities identities) {
        this.problems = problems;
        this.identities = identities;
    }

    /** Remembers a reference of {@code owner}'s key {@code what}, to be checked by {@link #check}. */
    void add(ConfigElement element, String owner, String what, boolean groupsOnly) {
        references.add(new Reference(element, owner, what, groupsOnly));
    }

    /** Members resolve by name, alias or any address; a group cannot contain itself. */
    void checkMembers(DistributionGroup group, ConfigEntry g) {
        List<ConfigElement> members = g.list("Members");
        for (ConfigElement member : members) {
            String id = member.text();
            RecipientIdentities.Owner o = identities.owner(id);
            String owner = o == null ? null : o.name();
            if (owner == null) {
                problems.add(member, "member '" + id
                    + "' is not a recipient of this organization: a mailbox, group, mail contact or mail user "
                    + "(give its Name, Alias or an address)");
            } else if (owner.equalsIgnoreCase(group.name())) {
                problems.add(member, "group " + group.name() + " cannot be a member of itself");
            }
        }
    }

    /** Checks every reference added, in the order added, against the recipients and {@code groups} read. */
    void check(List<DistributionGroup> groups) {
        for (Reference r : references) {
            check(r, groups);
        }
    }

    private void check(Reference r, List<DistributionGroup> groups) {
        String id = r.element().text();
        RecipientIdentities.Owner owner = identities.owner(id);
        if (owner == null) {
            problems.add(r.element(), r.what() + " '" + id
                + "' is not a recipient of this organization (give its Name, Alias or an address)");
        } else if (r.groupsOnly() && groups.stream().noneMatch(g -> g.name().equalsIgnoreCase(owner.name()))) {
            problems.add(r.element(), r.what() + " '" + id + "' is not a distribution group");
        } else if (r.what().equals("ForwardingAddress") && owner.name().equalsIgnoreCase(r.owner())) {
            problems.add(r.element(), "a mailbox cannot forward to itself");
        }
    }
}
