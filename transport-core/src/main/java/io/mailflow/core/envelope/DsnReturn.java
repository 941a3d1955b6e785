package io.mailflow.core.envelope;

/** The RET parameter of MAIL FROM (RFC 3461 §4.3): what a DSN carries of the original message. */
public enum DsnReturn {
    /** The headers only: the default. */
    HDRS,
    /** The whole message. */
    FULL
}
