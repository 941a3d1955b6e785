package io.mailflow.categorizer.rules;

import io.mailflow.categorizer.DeliveryRestrictions;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Recipient;

import java.util.Optional;

/**
 * Mail flow rules: {@link RuleDirectory} over an {@link Organization}: its mailboxes and
 * distribution groups (members by name, alias or address, nested groups expanded, each group
 * once so a membership cycle ends) and its accepted domains.
 */
public final class OrganizationRuleDirectory implements RuleDirectory {
    private final Organization organization;
    private final DeliveryRestrictions membership;

    public OrganizationRuleDirectory(Organization organization) {
        this.organization = organization;
        this.membership = new DeliveryRestrictions(organization);
    }

    @Override
    public boolean isMemberOf(SmtpAddress address, String groupIdentity) {
        return organization.findRecipient(address).map(member -> membership.isMemberOf(member, groupIdentity))
            .orElse(false);
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
