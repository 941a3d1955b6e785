package io.mailflow.delivery.dsn;

import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.smtp.SmtpReply;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * DSN: what happened to one recipient, as the delivery queue or the categorizer learned it; one
 * per-recipient block of the delivery status report (RFC 3464 §2.3) and one entry of the
 * human-readable part. The reply is the one that settled the recipient, e.g.
 * {@code 550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found} from the resolver, a remote server's
 * {@code 550 5.7.1 ...}, or {@link #EXPIRED} at MessageExpirationTimeout.
 *
 * @param finalRecipient    the address delivery was attempted to (Final-Recipient)
 * @param originalRecipient the ORCPT parameter as given ({@code rfc822;bob@contoso.com}, xtext), if any
 * @param notifyWhen        the NOTIFY parameter of this recipient; an empty set means it was not given
 * @param action            failed, delayed, delivered or relayed
 * @param reply             the SMTP reply that settled it (Status and Diagnostic-Code)
 * @param remoteMta         the server that gave the reply, e.g. {@code mx.fabrikam.com}, if it was remote
 * @param lastAttempt       when delivery was last attempted (Last-Attempt-Date)
 * @param willRetryUntil    for a delayed recipient, when the message expires (Will-Retry-Until)
 */
public record RecipientNotice(SmtpAddress finalRecipient,
                              Optional<String> originalRecipient,
                              Set<DsnNotify> notifyWhen,
                              DsnAction action,
                              SmtpReply reply,
                              Optional<String> remoteMta,
                              Instant lastAttempt,
                              Optional<Instant> willRetryUntil) {

    /** Exchange's NDR reply for a message that reached MessageExpirationTimeout. */
    public static final SmtpReply EXPIRED = SmtpReply.of(550, "4.4.7", "QUEUE.Expired; message expired");

    public RecipientNotice {
        Objects.requireNonNull(finalRecipient);
        Objects.requireNonNull(originalRecipient);
        notifyWhen = DsnNotify.effective(notifyWhen);
        Objects.requireNonNull(action);
        Objects.requireNonNull(reply);
        Objects.requireNonNull(remoteMta);
        Objects.requireNonNull(lastAttempt);
        Objects.requireNonNull(willRetryUntil);
        if (action == DsnAction.DELAYED && willRetryUntil.isEmpty()) {
            throw new IllegalArgumentException("a delayed recipient needs Will-Retry-Until");
        }
    }

    /** A recipient that failed permanently with {@code reply} at {@code at}. */
    public static RecipientNotice failed(SmtpAddress recipient, SmtpReply reply, Instant at) {
        return new RecipientNotice(recipient, Optional.empty(), Set.of(), DsnAction.FAILED, reply, Optional.empty(),
            at, Optional.empty());
    }

    /** A recipient still pending at DelayNotificationTimeout; {@code reply} is the last deferral. */
    public static RecipientNotice delayed(SmtpAddress recipient, SmtpReply reply, Instant lastAttempt,
                                          Instant willRetryUntil) {
        return new RecipientNotice(recipient, Optional.empty(), Set.of(), DsnAction.DELAYED, reply, Optional.empty(),
            lastAttempt, Optional.of(willRetryUntil));
    }

    /** A recipient delivered with {@code reply} (e.g. {@code 250 2.6.0 ... Queued mail for delivery}). */
    public static RecipientNotice delivered(SmtpAddress recipient, SmtpReply reply, Instant at) {
        return new RecipientNotice(recipient, Optional.empty(), Set.of(), DsnAction.DELIVERED, reply,
            Optional.empty(), at, Optional.empty());
    }

    public RecipientNotice withOriginalRecipient(String orcpt) {
        return new RecipientNotice(finalRecipient, Optional.of(orcpt), notifyWhen, action, reply, remoteMta, lastAttempt,
            willRetryUntil);
    }

    public RecipientNotice withNotify(Set<DsnNotify> newNotify) {
        return new RecipientNotice(finalRecipient, originalRecipient, newNotify, action, reply, remoteMta,
            lastAttempt, willRetryUntil);
    }

    public RecipientNotice withRemoteMta(String host) {
        return new RecipientNotice(finalRecipient, originalRecipient, notifyWhen, action, reply, Optional.of(host),
            lastAttempt, willRetryUntil);
    }

    /** True when this recipient's NOTIFY asks for a DSN of its action (RFC 3461 §4.1). */
    public boolean wantsNotice() {
        return notifyWhen.contains(action.requestedBy());
    }

    /**
     * The Status field: the reply's enhanced status code, or the class of its basic code
     * ({@code 5.0.0}, {@code 4.0.0}, {@code 2.0.0}) when it has none (RFC 3463 §3.1).
     */
    public String status() {
        if (reply.enhancedCode() != null) {
            return reply.enhancedCode();
        }
        return (reply.code() / 100) + ".0.0";
    }
}
