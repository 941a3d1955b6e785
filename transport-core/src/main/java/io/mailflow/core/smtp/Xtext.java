package io.mailflow.core.smtp;

import java.util.Optional;

/**
 * RFC 3461 §4 xtext, the encoding of ENVID and ORCPT values: printable ASCII except '+' and '=',
 * with other octets written as {@code +XX} (two upper-case hex digits).
 */
public final class Xtext {
    private Xtext() {
    }

    /** The decoded text, or empty when the value is not well-formed xtext. */
    public static Optional<String> decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 3 > xtext.length()) {
                    return Optional.empty();
                }
                String hex = xtext.substring(i + 1, i + 3);
                if (!hex.matches("[0-9A-F]{2}")) {
                    return Optional.empty();
                }
                out.append((char) Integer.parseInt(hex, 16));
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return Optional.empty();
            } else {
                out.append(c);
            }
        }
        return Optional.of(out.toString());
    }

    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                out.append('+').append(String.format("%02X", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
