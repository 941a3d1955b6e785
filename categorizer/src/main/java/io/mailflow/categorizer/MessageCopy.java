package io.mailflow.categorizer;

import io.mailflow.categorizer.rules.ContentEdits;
import io.mailflow.core.address.SmtpAddress;

import java.util.Optional;

/**
 * One bifurcated copy of a message (exchange.md §6.2): the recipients of a next hop that share
 * one content and one envelope. Copy 0 is the first of its next hop; the categorizer makes another
 * copy for recipients whose mail flow rules change the content differently, one with a changed
 * MAIL FROM for those a report-suppressing group brought, and one for each further
 * ExpansionSizeLimit (1000) recipients ("chipping"). A delivery agent applies the copy's edits to
 * the spooled content and sends each copy as its own SMTP transaction. Compared by value.
 *
 * @param number the copy's number within its next hop, 0 for the first
 * @param edits  what the Transport Rule agent changes in the content of this copy
 * @param nullReversePath the copy goes out with MAIL FROM &lt;&gt;: its recipients came from a group with
 *                        ReportToOriginatorEnabled $false, so no delivery report may reach the sender
 */
public record MessageCopy(int number, ContentEdits edits, boolean nullReversePath) {
    public static final MessageCopy ORIGINAL = new MessageCopy(0, ContentEdits.NONE, false);

    public MessageCopy(int number, ContentEdits edits) {
        this(number, edits, false);
    }

    /** MAIL FROM of this copy: the message's, or the null reverse path for a report-suppressing group's fork. */
    public Optional<SmtpAddress> reversePath(Optional<SmtpAddress> sender) {
        return nullReversePath ? Optional.empty() : sender;
    }

    /** The content this copy delivers. */
    public byte[] contentOf(byte[] spooled) {
        return edits.isEmpty() ? spooled : edits.apply(spooled);
    }
}
