package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;

import java.util.Optional;

/**
 * Mail flow rules: what {@link TransportRuleEngine} asks the directory. Recipients and groups are
 * named as Exchange's RecipientIdParameter names them: by name, alias or any email address.
 * The relay implements it over its directory; {@link OrganizationRuleDirectory} over an
 * {@code Organization}.
 */
public interface RuleDirectory {

    /** True when {@code address} belongs to a member of the group, directly or through nested groups. */
    boolean isMemberOf(SmtpAddress address, String groupIdentity);

    /**
     * True when {@code address} is inside the organization (FromScope/SentToScope InOrganization):
     * a recipient of the directory, or an address in an Authoritative or InternalRelay accepted domain.
     */
    boolean isInOrganization(SmtpAddress address);

    /**
     * The primary SMTP address of the recipient {@code identity} names (a name, an alias, or any of
     * its addresses); empty when the directory has no such recipient. From and SentTo compare
     * recipients through it, so a proxy address matches its mailbox.
     */
    Optional<SmtpAddress> primarySmtpAddress(String identity);
}
