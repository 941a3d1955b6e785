package io.mailflow.core.organization;

import java.util.List;

/** A distribution group (Get-DistributionGroup); members are names, aliases or addresses. */
public record DistributionGroup(String name, String alias, List<ProxyAddress> emailAddresses, List<String> members)
    implements Recipient {
    public DistributionGroup {
        emailAddresses = List.copyOf(emailAddresses);
        members = List.copyOf(members);
    }
}
