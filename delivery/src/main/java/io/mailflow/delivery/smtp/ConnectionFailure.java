package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;

import java.util.Objects;

/**
 * Why the SMTP client's connection ended before the batch was done: connect refused or timed
 * out, a 4xx/5xx greeting, EHLO and HELO both refused, a 421 at any point, a reply timeout, the
 * server closing, or a reply the client cannot parse. Messages after the failure point were not
 * attempted; the delivery queue retries them (transient) or returns them to their queue's policy.
 *
 * @param reply       the server's reply, or a local one standing for the failure
 *                    ({@code 451 4.4.1} no answer from host, {@code 451 4.4.2} bad connection)
 * @param fromServer  whether {@code reply} came from the server
 * @param reason      one line for the logs
 * @param isTransient whether a later attempt may succeed (every failure but a 5xx greeting or a
 *                    5xx to both EHLO and HELO)
 */
public record ConnectionFailure(SmtpReply reply, boolean fromServer, String reason, boolean isTransient) {

    public ConnectionFailure {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(reason, "reason");
    }
}
