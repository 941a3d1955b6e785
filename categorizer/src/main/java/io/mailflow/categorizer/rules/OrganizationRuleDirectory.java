package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.DistributionGroup;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Recipient;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Mail flow rules: {@link RuleDirectory} over an {@link Organization}: its mailboxes and
 * distribution groups (members by name, alias or address, nested groups expanded, each group
 * once so a membership cycle ends) and its accepted domains.
 */
public final class OrganizationRuleDirectory implements RuleDirectory {
    private final Organization organization;

    public OrganizationRuleDirectory(Organization organization) {
        this.organization = organization;
    }

    @Override
    public boolean isMemberOf(SmtpAddress address, String groupIdentity) {
        Optional<Recipient> group = organization.findByIdentity(groupIdentity);
        Optional<Recipient> member = organization.findRecipient(address);
        if (group.isEmpty() || !(group.get() instanceof DistributionGroup) || member.isEmpty()) {
            return false;
        }
        Deque<DistributionGroup> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.add((DistributionGroup) group.get());
        while (!pending.isEmpty()) {
            DistributionGroup g = pending.poll();
            if (!seen.add(g.name().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            for (String id : g.members()) {
                Optional<Recipient> m = organization.findByIdentity(id);
                if (m.isEmpty()) {
                    continue;
                }
                if (m.get().equals(member.get())) {
                    return true;
                }
                if (m.get() instanceof DistributionGroup nested) {
                    pending.add(nested);
                }
            }
        }
        return false;
    }

    @Override
    public boolean isInOrganization(SmtpAddress address) {
        if (organization.findRecipient(address).isPresent()) {
            return true;
        }
        return organization.acceptedDomainFor(address.domain())
            .map(d -> d.domainType() != AcceptedDomain.DomainType.ExternalRelay)
            .orElse(false);
    }

    @Override
    public Optional<SmtpAddress> primarySmtpAddress(String identity) {
        return organization.findByIdentity(identity).map(Recipient::primarySmtpAddress);
    }
}
