package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

/** A directory recipient whose mail goes outside the organization: a mail contact or a mail user. */
public sealed interface ExternalRecipient extends Recipient permits MailContact, MailUser {
    /** Where mail for it is sent (Exchange's targetAddress). */
    SmtpAddress externalEmailAddress();
}
