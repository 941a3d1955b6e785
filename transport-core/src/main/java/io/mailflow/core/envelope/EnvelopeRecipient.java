package io.mailflow.core.envelope;

import io.mailflow.core.address.SmtpAddress;

import java.util.Set;

/**
 * One envelope recipient. {@code originalRecipient} is the address as the client gave it (kept as
 * ORCPT when the resolver rewrites it to the primary address); {@code lastResponse} is the SMTP
 * response that settled it, as the tracking log shows in recipient-status.
 */
public record EnvelopeRecipient(SmtpAddress address, SmtpAddress originalRecipient, RecipientStatus status,
                                String lastResponse, Set<DsnNotify> dsnNotify) {

    public EnvelopeRecipient {
        dsnNotify = dsnNotify == null ? Set.of() : Set.copyOf(dsnNotify);
    }

    /** A recipient whose sender asked for no particular notifications (NOTIFY absent). */
    public EnvelopeRecipient(SmtpAddress address, SmtpAddress originalRecipient, RecipientStatus status,
                             String lastResponse) {
        this(address, originalRecipient, status, lastResponse, Set.of());
    }

    public static EnvelopeRecipient ready(SmtpAddress address) {
        return new EnvelopeRecipient(address, address, RecipientStatus.Ready, null);
    }

    public EnvelopeRecipient withAddress(SmtpAddress resolved) {
        return new EnvelopeRecipient(resolved, originalRecipient, status, lastResponse, dsnNotify);
    }

    public EnvelopeRecipient withNotify(Set<DsnNotify> requested) {
        return new EnvelopeRecipient(address, originalRecipient, status, lastResponse, requested);
    }

    public EnvelopeRecipient withOriginalRecipient(SmtpAddress orcpt) {
        return new EnvelopeRecipient(address, orcpt, status, lastResponse, dsnNotify);
    }

    public EnvelopeRecipient delivered(String response) {
        return new EnvelopeRecipient(address, originalRecipient, RecipientStatus.Delivered, response, dsnNotify);
    }

    public EnvelopeRecipient failed(String response) {
        return new EnvelopeRecipient(address, originalRecipient, RecipientStatus.Failed, response, dsnNotify);
    }

    /** A 4xx on the last attempt: still Ready, with the reason Get-Message shows as LastError. */
    public EnvelopeRecipient deferred(String response) {
        return new EnvelopeRecipient(address, originalRecipient, RecipientStatus.Ready, response, dsnNotify);
    }

    public boolean isReady() {
        return status == RecipientStatus.Ready;
    }
}
