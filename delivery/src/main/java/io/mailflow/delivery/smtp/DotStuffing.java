package io.mailflow.delivery.smtp;

/**
 * The SMTP client's data encoding (RFC 5321 §4.5.2): a dot at the start of a line is doubled,
 * and the content ends with CRLF.CRLF. The inverse of the receive side's unstuffing in
 * {@link io.mailflow.core.smtp.SmtpFramer}. The content is CRLF-normalised by the spool; a last
 * line without its CRLF gets one, since the terminator must start a line.
 */
final class DotStuffing {
    private static final byte[] TERMINATOR = {'.', '\r', '\n'};

    private DotStuffing() {
    }

    /** The bytes to send after 354: stuffed content, then {@code .CRLF} at the start of a line. */
    static byte[] encode(byte[] content) {
        int dots = 0;
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                dots++;
            }
            lineStart = b == '\n';
        }
        boolean needsCrlf = content.length > 0 && !endsWithCrlf(content);
        byte[] out = new byte[content.length + dots + (needsCrlf ? 2 : 0) + TERMINATOR.length];
        int o = 0;
        lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out[o++] = '.';
            }
            out[o++] = b;
            lineStart = b == '\n';
        }
        if (needsCrlf) {
            out[o++] = '\r';
            out[o++] = '\n';
        }
        System.arraycopy(TERMINATOR, 0, out, o, TERMINATOR.length);
        return out;
    }

    private static boolean endsWithCrlf(byte[] content) {
        int n = content.length;
        return n >= 2 && content[n - 2] == '\r' && content[n - 1] == '\n';
    }
}
