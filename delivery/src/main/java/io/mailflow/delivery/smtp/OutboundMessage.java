package io.mailflow.delivery.smtp;

import io.mailflow.delivery.conversion.Octets;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * OutboundMessage: one message a delivery queue hands to the SMTP client, already bifurcated for
 * this next hop. The content is the spooled message, CRLF-normalised and not dot-stuffed (the
 * client stuffs it on the wire).
 *
 * @param id           the caller's id for the message (logged; results come back in batch order)
 * @param mailFrom     the reverse path without brackets; {@code ""} sends the null path {@code <>}
 * @param recipients   forward paths without brackets, at least one
 * @param eightBitMime the content has 8-bit bytes and needs {@code BODY=8BITMIME}
 * @param smtpUtf8     the envelope or headers need SMTPUTF8 (RFC 6531)
 */
public record OutboundMessage(String id, String mailFrom, List<String> recipients, byte[] content,
                              boolean eightBitMime, boolean smtpUtf8) {

    public OutboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(content, "content");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("message " + id + " has no recipients");
        }
        // A CR or LF in a path would let an address inject commands into the session.
        checkPath(mailFrom);
        recipients.forEach(OutboundMessage::checkPath);
    }

    /**
     * A spooled message whose flags say what its content and envelope need, whatever the original
     * client declared: {@code eightBitMime} when it declared BODY=8BITMIME or any octet is 8-bit
     * (clients often send 8-bit text without BODY=); {@code smtpUtf8} when it declared SMTPUTF8
     * or an address or the header section holds UTF-8 (RFC 6531 §3.4, RFC 6532 §3.2).
     */
    public static OutboundMessage detect(String id, String mailFrom, List<String> recipients, byte[] content,
                                         boolean declaredEightBitMime, boolean declaredSmtpUtf8) {
        boolean utf8 = declaredSmtpUtf8 || !Octets.isAscii(mailFrom)
            || recipients.stream().anyMatch(r -> !Octets.isAscii(r)) || Octets.headerHasUtf8(content);
        return new OutboundMessage(id, mailFrom, recipients, content,
            declaredEightBitMime || Octets.hasEightBit(content), utf8);
    }

    /** A 7-bit message. */
    public static OutboundMessage of(String id, String mailFrom, List<String> recipients, byte[] content) {
        return new OutboundMessage(id, mailFrom, recipients, content, false, false);
    }

    private static void checkPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\r' || c == '\n' || c == '<' || c == '>') {
                throw new IllegalArgumentException("invalid character in path: '" + path + "'");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundMessage m && id.equals(m.id) && mailFrom.equals(m.mailFrom)
            && recipients.equals(m.recipients) && Arrays.equals(content, m.content)
            && eightBitMime == m.eightBitMime && smtpUtf8 == m.smtpUtf8;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, mailFrom, recipients, Arrays.hashCode(content), eightBitMime, smtpUtf8);
    }

    @Override
    public String toString() {
        return "OutboundMessage[id=" + id + ", mailFrom=<" + mailFrom + ">, recipients=" + recipients
            + ", " + content.length + " octets" + (eightBitMime ? ", 8BITMIME" : "") + (smtpUtf8 ? ", SMTPUTF8" : "")
            + "]";
    }
}
