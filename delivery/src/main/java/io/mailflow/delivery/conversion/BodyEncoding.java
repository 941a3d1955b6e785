package io.mailflow.delivery.conversion;

import org.apache.james.mime4j.codec.Base64OutputStream;
import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Content conversion, one leaf body: picks the 7-bit Content-Transfer-Encoding for 8-bit data
 * (RFC 2045 §6) and encodes with Mime4j's codecs. Text that is mostly ASCII becomes
 * quoted-printable, which keeps it readable and its line breaks as they were; text with more
 * than {@link #MAX_QP_EIGHT_BIT_PERCENT} % 8-bit octets (Cyrillic, Greek, CJK in UTF-8 grow
 * threefold as QP), and anything that is not text, becomes base64. Both codecs emit lines of at
 * most 76 characters (RFC 2045 §6.7 rule 5, §6.8).
 */
final class BodyEncoding {

    /** Above this share of 8-bit octets quoted-printable is bigger than base64 and unreadable anyway. */
    static final int MAX_QP_EIGHT_BIT_PERCENT = 30;

    private BodyEncoding() {
    }

    /** The chosen encoding's name and the encoded body. */
    record Encoded(String transferEncoding, byte[] body) {
    }

    /**
     * Encodes {@code decoded}; {@code boundaries} are the enclosing multiparts' boundaries, which
     * a quoted-printable soft line break could otherwise put at the start of a line.
     */
    static Encoded encode(byte[] decoded, boolean text, List<String> boundaries) {
        boolean qp = text && (long) Octets.eightBitCount(decoded) * 100 <= (long) decoded.length * MAX_QP_EIGHT_BIT_PERCENT;
        if (qp) {
            byte[] body = encode(decoded, true);
            if (boundaries.stream().noneMatch(b -> startsALine(body, ("--" + b).getBytes(StandardCharsets.US_ASCII)))) {
                return new Encoded(MimeUtil.ENC_QUOTED_PRINTABLE, body);
            }
        }
        return new Encoded(MimeUtil.ENC_BASE64, encode(decoded, false));
    }

    private static byte[] encode(byte[] decoded, boolean qp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(decoded.length + decoded.length / 3 + 16);
        // Not binary for text: CRLF stays a hard line break instead of becoming =0D=0A.
        try (OutputStream encoder = qp ? new QuotedPrintableOutputStream(out, false) : new Base64OutputStream(out)) {
            encoder.write(decoded);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return out.toByteArray();
    }

    private static boolean startsALine(byte[] body, byte[] prefix) {
        for (int i = 0; i + prefix.length <= body.length; i++) {
            if ((i == 0 || body[i - 1] == '\n') && Arrays.equals(body, i, i + prefix.length, prefix, 0, prefix.length)) {
                return true;
            }
        }
        return false;
    }
}
