package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;

import java.util.Objects;

/**
 * The SMTP client's answer for one recipient of one message: the reply to its RCPT TO, or the
 * reply that stood in for it (the MAIL FROM refusal, a local refusal such as 552 5.3.4, or the
 * connection failure). {@link MessageResult#outcomes()} folds in the end-of-data reply.
 */
public record RecipientResult(String address, SmtpReply reply) {

    public RecipientResult {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(reply, "reply");
    }

    public boolean accepted() {
        return reply.isPositive();
    }
}
