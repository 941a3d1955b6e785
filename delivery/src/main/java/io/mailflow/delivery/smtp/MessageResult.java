package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one message of a batch on the SMTP client's connection, for the delivery queue
 * to turn into delivered / Retry / DSN per recipient.
 *
 * @param recipients one entry per recipient, in the message's order, with its RCPT TO reply
 * @param dataReply  the reply to DATA or to the end of data; present whenever at least one
 *                   recipient was accepted, and then it decides those recipients' fate
 */
public record MessageResult(List<RecipientResult> recipients, Optional<SmtpReply> dataReply) {

    public MessageResult {
        recipients = List.copyOf(recipients);
        dataReply = dataReply == null ? Optional.empty() : dataReply;
        if (dataReply.isEmpty() && recipients.stream().anyMatch(RecipientResult::accepted)) {
            throw new IllegalArgumentException("accepted recipients need the reply to their data");
        }
    }

    /** Every recipient refused with the same reply, nothing sent: a local refusal or a MAIL FROM refusal. */
    static MessageResult allRefused(List<String> recipients, SmtpReply reply) {
        return new MessageResult(recipients.stream().map(r -> new RecipientResult(r, reply)).toList(),
            Optional.empty());
    }

    /**
     * The reply that decides each recipient: its own RCPT reply when refused, the DATA or
     * end-of-data reply when accepted. A recipient is delivered when its outcome is positive.
     */
    public List<RecipientResult> outcomes() {
        List<RecipientResult> out = new ArrayList<>(recipients.size());
        for (RecipientResult r : recipients) {
            out.add(r.accepted() ? new RecipientResult(r.address(), dataReply.orElseThrow()) : r);
        }
        return out;
    }

    /** The recipients the next hop took responsibility for. */
    public List<String> delivered() {
        return outcomes().stream().filter(RecipientResult::accepted).map(RecipientResult::address).toList();
    }
}
