package io.mailflow.categorizer;

/**
 * One bifurcated copy of a message (exchange.md §6.2): the recipients of a next hop that share
 * one content and one envelope. Copy 0 is the message as received; the categorizer makes another
 * copy for each further ExpansionSizeLimit (1000) recipients of one next hop ("chipping"), and a
 * delivery agent sends each copy as its own SMTP transaction. Compared by value.
 *
 * @param number the copy's number within its message, 0 for the original
 */
public record MessageCopy(int number) {
    public static final MessageCopy ORIGINAL = new MessageCopy(0);
}
