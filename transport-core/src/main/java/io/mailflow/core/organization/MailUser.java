package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.List;

/**
 * A mail user (Get-MailUser): an account of the organization whose mailbox is elsewhere. For the
 * transport it is a contact: mail is resolved to its ExternalEmailAddress and routed out.
 */
public record MailUser(String name, String alias, List<ProxyAddress> emailAddresses,
                       SmtpAddress externalEmailAddress, RecipientRestrictions restrictions)
    implements ExternalRecipient {
    public MailUser {
        emailAddresses = List.copyOf(emailAddresses);
    }
}
