package io.mailflow.delivery.dsn;

import io.mailflow.core.envelope.BodyType;

/**
 * DSN: one generated delivery status notification, ready for the Submission queue. Its envelope
 * is {@code MAIL FROM:<>} (the null reverse-path, RFC 5321 §4.5.5, so that a DSN about this DSN
 * is never generated) and {@code RCPT TO:<envelopeRecipient>}, the original sender.
 *
 * @param envelopeRecipient the original envelope sender, the one recipient of the DSN
 * @param content           the complete RFC 5322 message, CRLF line endings, no line over 998 octets
 * @param messageId         its Message-ID header value, with angle brackets
 * @param action            what it reports: failed (NDR), delayed, delivered or relayed
 * @param bodyType          {@code EightBitMime} when the content has octets over 127 (then BODY=8BITMIME)
 * @param smtpUtf8          true when its header or envelope needs SMTPUTF8 (a UTF-8 sender address)
 */
public record DsnMessage(String envelopeRecipient, byte[] content, String messageId, DsnAction action,
                         BodyType bodyType, boolean smtpUtf8) {

    /** The DSN's MAIL FROM: always the null reverse-path. */
    public String reversePath() {
        return "";
    }
}
