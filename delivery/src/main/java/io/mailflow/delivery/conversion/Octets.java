package io.mailflow.delivery.conversion;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Content conversion's view of raw octets: is there 8-bit data, and which charset does 8-bit text
 * most likely use. The guess is UTF-8 when the octets are valid UTF-8 (RFC 6532 makes UTF-8 the
 * only charset an SMTPUTF8 header may use, and it is what today's clients send), else ISO-8859-1:
 * it maps every octet, so no text is lost, and readers treat it as windows-1252 anyway (WHATWG
 * Encoding Standard), which covers the legacy Western clients that send unlabelled 8-bit text.
 */
public final class Octets {

    private Octets() {
    }

    /** Whether any octet has its high bit set. */
    public static boolean hasEightBit(byte[] bytes) {
        return hasEightBit(bytes, 0, bytes.length);
    }

    static boolean hasEightBit(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /** How many octets have their high bit set. */
    static int eightBitCount(byte[] bytes) {
        int count = 0;
        for (byte b : bytes) {
            if (b < 0) {
                count++;
            }
        }
        return count;
    }

    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 when the octets decode strictly as UTF-8, else ISO-8859-1. */
    static Charset guessCharset(byte[] bytes) {
        return isUtf8(bytes, 0, bytes.length) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    static boolean isUtf8(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The text of {@code bytes} in the guessed charset. */
    static String decodeGuessing(byte[] bytes) {
        return new String(bytes, guessCharset(bytes));
    }

    /**
     * Whether the header section (up to the first empty line) has non-ASCII text that is valid
     * UTF-8: internationalized headers (RFC 6532), which need SMTPUTF8 or a downgrade. Other 8-bit
     * octets there are legacy raw text, which only 8BITMIME carries as is.
     */
    public static boolean headerHasUtf8(byte[] content) {
        int end = headerEnd(content);
        return hasEightBit(content, 0, end) && isUtf8(content, 0, end);
    }

    /** Offset of the empty line ending the header section (CRLF CRLF or LF LF), or the length. */
    private static int headerEnd(byte[] content) {
        if (content.length > 0 && (content[0] == '\n' || content[0] == '\r')) {
            return 0;
        }
        for (int i = 0; i + 1 < content.length; i++) {
            if (content[i] == '\n' && (content[i + 1] == '\n'
                || content[i + 1] == '\r' && i + 2 < content.length && content[i + 2] == '\n')) {
                return i;
            }
        }
        return content.length;
    }
}
