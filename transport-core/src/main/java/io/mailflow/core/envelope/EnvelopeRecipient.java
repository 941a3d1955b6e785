package io.mailflow.core.envelope;

import io.mailflow.core.address.SmtpAddress;

/**
 * One envelope recipient. {@code originalRecipient} is the address as the client gave it (kept as
 * ORCPT when the resolver rewrites it to the primary address); {@code lastResponse} is the SMTP
 * response that settled it, as the tracking log shows in recipient-status.
 */
public record EnvelopeRecipient(SmtpAddress address, SmtpAddress originalRecipient, RecipientStatus status,
                                String lastResponse) {

    public static EnvelopeRecipient ready(SmtpAddress address) {
        return new EnvelopeRecipient(address, address, RecipientStatus.Ready, null);
    }

    public EnvelopeRecipient withAddress(SmtpAddress resolved) {
        return new EnvelopeRecipient(resolved, originalRecipient, status, lastResponse);
    }

    public EnvelopeRecipient delivered(String response) {
        return new EnvelopeRecipient(address, originalRecipient, RecipientStatus.Delivered, response);
    }

    public EnvelopeRecipient failed(String response) {
        return new EnvelopeRecipient(address, originalRecipient, RecipientStatus.Failed, response);
    }

    public boolean isReady() {
        return status == RecipientStatus.Ready;
    }
}
