package io.mailflow.delivery.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSN: xtext (RFC 3461 §4), the encoding of the ENVID and ORCPT parameters, where {@code +XX}
 * stands for the octet with hexadecimal value XX. A DSN reports their decoded values in
 * Original-Envelope-Id and Original-Recipient.
 */
final class Xtext {
    private Xtext() {
    }

    /** {@code text} with every {@code +XX} decoded; a {@code +} not followed by two hex digits stays as it is. */
    static String decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '+' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
