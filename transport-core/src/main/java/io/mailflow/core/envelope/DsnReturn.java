package io.mailflow.core.envelope;

/** The RET parameter of MAIL FROM (RFC 3461 §4.3): what a DSN carries of the original message. */
public enum DsnReturn {
    /** The headers only: the default. */
    HDRS,
    /** The whole message. */
    FULL;

    /** The value of a RET parameter, {@code HDRS} or {@code FULL} in any case. */
    public static DsnReturn parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RET=" + value + " is not HDRS or FULL");
        }
    }
}
