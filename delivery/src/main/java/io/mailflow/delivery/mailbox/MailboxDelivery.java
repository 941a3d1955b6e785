package io.mailflow.delivery.mailbox;

import io.mailflow.core.envelope.Envelope;

import java.nio.charset.StandardCharsets;

/**
 * Mailbox Transport Delivery's content step: what the store receives for one recipient. Adds
 * the headers a delivering server adds (RFC 5321 §4.4: Return-Path from MAIL FROM) in front of
 * the content as the Transport service spooled it.
 */
public final class MailboxDelivery {
    private MailboxDelivery() {
    }

    public static byte[] contentFor(Envelope envelope, byte[] spooledContent) {
        String returnPath = "Return-Path: <" + envelope.sender().map(Object::toString).orElse("") + ">\r\n";
        byte[] header = returnPath.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + spooledContent.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(spooledContent, 0, out, header.length, spooledContent.length);
        return out;
    }

    /** Stable per (message, recipient): the InternalId and the recipient's index in the envelope. */
    public static String deliveryId(Envelope envelope, int recipientIndex) {
        return envelope.receivedAt().getEpochSecond() + ".M" + envelope.internalId() + "R" + recipientIndex;
    }
}
