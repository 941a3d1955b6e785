package io.mailflow.categorizer;

import io.mailflow.categorizer.rules.ContentEdits;

/**
 * One bifurcated copy of a message (exchange.md §6.2): the recipients of a next hop that share
 * one content and one envelope. Copy 0 is the first of its next hop; the categorizer makes another
 * copy for recipients whose mail flow rules change the content differently, and for each further
 * ExpansionSizeLimit (1000) recipients ("chipping"). A delivery agent applies the copy's edits to
 * the spooled content and sends each copy as its own SMTP transaction. Compared by value.
 *
 * @param number the copy's number within its next hop, 0 for the first
 * @param edits  what the Transport Rule agent changes in the content of this copy
 */
public record MessageCopy(int number, ContentEdits edits) {
    public static final MessageCopy ORIGINAL = new MessageCopy(0, ContentEdits.NONE);

    /** The content this copy delivers. */
    public byte[] contentOf(byte[] spooled) {
        return edits.isEmpty() ? spooled : edits.apply(spooled);
    }
}
