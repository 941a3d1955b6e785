package io.mailflow.core.organization;

import java.util.List;
import java.util.Optional;

/**
 * A distribution group (Get-DistributionGroup); members are names, aliases or addresses.
 * ExpansionServer, when set, is the only server that may expand it: other servers relay the
 * message there (SmtpRelayToServers). ReportToOriginatorEnabled false sends the expanded copy
 * with a null reverse path, so delivery reports go nowhere.
 */
public record DistributionGroup(String name, String alias, List<ProxyAddress> emailAddresses, List<String> members,
                                Optional<String> expansionServer, boolean reportToOriginatorEnabled,
                                RecipientRestrictions restrictions)
    implements Recipient {
    public DistributionGroup {
        emailAddresses = List.copyOf(emailAddresses);
        members = List.copyOf(members);
    }

    /** A group with Exchange's defaults, except that anyone may send to it (as in the demo organization). */
    public DistributionGroup(String name, String alias, List<ProxyAddress> emailAddresses, List<String> members) {
        this(name, alias, emailAddresses, members, Optional.empty(), true, RecipientRestrictions.NONE);
    }
}
