package io.mailflow.delivery.dsn;

import java.util.Locale;

/**
 * DSN: the RET parameter of MAIL FROM (RFC 3461 §4.3), what a DSN returns of the original
 * message. Mailflow returns the headers when RET is absent, as Exchange does; FULL returns the
 * whole message unless it cannot travel inside a DSN (a line over 998 octets), and then the
 * headers only, as RFC 3461 §4.3 allows.
 */
public enum Ret {
    /** The original header only, as {@code text/rfc822-headers}. The default. */
    HDRS,
    /** The whole original message, as {@code message/rfc822}. */
    FULL;

    /** The value of a RET parameter, {@code HDRS} or {@code FULL} in any case. */
    public static Ret parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RET=" + value + " is not HDRS or FULL");
        }
    }
}
