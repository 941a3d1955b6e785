package io.mailflow.delivery.mailbox;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Mailbox Transport Delivery's content step: what the store receives for one recipient. Adds
 * the headers a delivering server adds (RFC 5321 §4.4: Return-Path from MAIL FROM) in front of
 * the content as the Transport service spooled it.
 */
public final class MailboxDelivery {
    private MailboxDelivery() {
    }

    public static byte[] contentFor(Envelope envelope, byte[] spooledContent) {
        return contentFor(envelope.sender(), spooledContent);
    }

    /** The same for a message that arrived over SMTP on port 475 ({@code sender} from MAIL FROM). */
    public static byte[] contentFor(Optional<SmtpAddress> sender, byte[] spooledContent) {
        String returnPath = "Return-Path: <" + sender.map(Object::toString).orElse("") + ">\r\n";
        byte[] header = returnPath.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + spooledContent.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(spooledContent, 0, out, header.length, spooledContent.length);
        return out;
    }

    /**
     * Stable per (message, recipient) however often the message is recategorized: the receive
     * time, the InternalId and a 64-bit FNV-1a hash of the recipient address.
     */
    public static String deliveryId(Envelope envelope, SmtpAddress recipient) {
        return envelope.receivedAt().getEpochSecond() + ".M" + envelope.internalId() + "R"
            + Long.toHexString(fnv1a(recipient.key()));
    }

    /**
     * For a message handed over on port 475, which has no InternalId here: stable per (Message-ID,
     * recipient), so a Transport service that sends the same copy again (its 250 was lost) finds
     * it delivered, as Exchange's store detects duplicates by Message-ID (DUPLICATEDELIVER).
     */
    public static String deliveryId(String internetMessageId, SmtpAddress recipient) {
        return "X" + Long.toHexString(fnv1a(internetMessageId)) + "R" + Long.toHexString(fnv1a(recipient.key()));
    }

    /** 64-bit FNV-1a of the text's UTF-8 bytes. */
    private static long fnv1a(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
