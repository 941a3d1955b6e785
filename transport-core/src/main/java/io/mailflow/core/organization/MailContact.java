package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.List;

/**
 * A mail contact (Get-MailContact): an address book entry for someone outside the organization.
 * Mail to any of its EmailAddresses is resolved to its ExternalEmailAddress and routed out.
 */
public record MailContact(String name, String alias, List<ProxyAddress> emailAddresses,
                          SmtpAddress externalEmailAddress, RecipientRestrictions restrictions)
    implements ExternalRecipient {
    public MailContact {
        emailAddresses = List.copyOf(emailAddresses);
    }
}
