package io.mailflow.core.envelope;

/** Where one recipient of a spooled message stands. A message leaves the spool when none is Ready. */
public enum RecipientStatus {
    /** Waiting for categorization or delivery. */
    Ready,
    /** Delivered to its mailbox or handed to the next hop. */
    Delivered,
    /** Failed permanently; a DSN is owed or was sent. */
    Failed
}
