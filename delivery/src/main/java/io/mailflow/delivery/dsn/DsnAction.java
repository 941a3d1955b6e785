package io.mailflow.delivery.dsn;

import io.mailflow.core.envelope.DsnNotify;
/**
 * DSN: the Action field of one recipient in a delivery status report (RFC 3464 §2.3.3), with
 * what goes with it in an Exchange-style DSN: the NOTIFY keyword that asks for it, the Subject
 * prefix and the opening line of the human-readable part. One DSN carries one action; a delivery
 * attempt that settles recipients in different ways yields one DSN per action, as Exchange sends
 * an NDR and a delivery receipt separately.
 */
public enum DsnAction {
    /** Permanent failure or expiry: the NDR. */
    FAILED("failed", DsnNotify.FAILURE, "Undeliverable: ", "Delivery has failed to these recipients or groups:"),
    /** Still trying after DelayNotificationTimeout. Exchange's subject prefix is "Delivery delayed:". */
    DELAYED("delayed", DsnNotify.DELAY, "Delivery delayed: ", "Delivery is delayed to these recipients or groups:"),
    /** Delivered to the recipient's mailbox (a DSN-capable next hop reports delivery itself). */
    DELIVERED("delivered", DsnNotify.SUCCESS, "Delivered: ",
        "Your message has been delivered to the following recipients:"),
    /** Handed to a next hop that does not support DSN, so no delivery receipt will follow (RFC 3461 §6.2.3). */
    RELAYED("relayed", DsnNotify.SUCCESS, "Relayed: ",
        "Delivery to these recipients or groups is complete, but no delivery notification was sent by the"
            + " destination server:");

    private final String field;
    private final DsnNotify requestedBy;
    private final String subjectPrefix;
    private final String heading;

    DsnAction(String field, DsnNotify requestedBy, String subjectPrefix, String heading) {
        this.field = field;
        this.requestedBy = requestedBy;
        this.subjectPrefix = subjectPrefix;
        this.heading = heading;
    }

    /** The value of the Action field: {@code failed}, {@code delayed}, {@code delivered}, {@code relayed}. */
    public String field() {
        return field;
    }

    /** The NOTIFY keyword without which no DSN of this action is sent for a recipient. */
    public DsnNotify requestedBy() {
        return requestedBy;
    }

    /** Exchange's prefix of the DSN's Subject, before the original subject. */
    public String subjectPrefix() {
        return subjectPrefix;
    }

    /** The first line of the human-readable part. */
    public String heading() {
        return heading;
    }
}
