package io.mailflow.core.envelope;

/** The BODY= parameter of MAIL FROM (RFC 6152). */
public enum BodyType {
    SevenBit,
    EightBitMime
}
