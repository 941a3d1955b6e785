package io.mailflow.delivery.dsn;

import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DSN: the line discipline of the generated notification (RFC 5322 §2.1.1, §2.2.3): CRLF line
 * endings, header fields folded at whitespace near 78 columns (Mime4j's folding), and no line
 * over 998 octets, whatever the remote server's reply or the original header held.
 */
final class MimeText {
    static final String CRLF = "\r\n";

    /** RFC 5322's hard limit, without the CRLF. */
    static final int MAX_LINE = 998;

    /** Where the human-readable text wraps. */
    static final int TEXT_WIDTH = 76;

    /** RFC 5322 §3.3 date-time, e.g. {@code Thu, 1 Jan 2026 04:00:00 +0000}. */
    private static final DateTimeFormatter DATE =
        DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US);

    private MimeText() {
    }

    static String date(Instant instant, ZoneId zone) {
        return DATE.format(instant.atZone(zone));
    }

    /**
     * One header field {@code Name: value}, folded at whitespace by Mime4j, each line at most
     * {@link #MAX_LINE} octets, ending in CRLF.
     */
    static String field(String name, String value) {
        String folded = name + ":" + (value.isEmpty() ? "" : " " + MimeUtil.fold(value, name.length() + 2));
        StringBuilder out = new StringBuilder();
        for (String line : folded.split("\r\n", -1)) {
            for (String piece : limit(line, true)) {
                out.append(piece).append(CRLF);
            }
        }
        return out.toString();
    }

    /**
     * {@code line} cut into lines of at most {@link #MAX_LINE} octets (UTF-8), preferably before
     * a space or tab. In a header a cut without whitespace continues with a space, which keeps
     * the field valid (folding whitespace) at the cost of one space in an overlong token.
     */
    static List<String> limit(String line, boolean header) {
        List<String> out = new ArrayList<>();
        String rest = line;
        while (rest.getBytes(StandardCharsets.UTF_8).length > MAX_LINE) {
            int cut = cutPoint(rest);
            int ws = lastWhitespace(rest, cut);
            if (ws > 0) {
                out.add(rest.substring(0, ws));
                rest = rest.substring(ws);
            } else {
                out.add(rest.substring(0, cut));
                rest = (header ? " " : "") + rest.substring(cut);
            }
        }
        out.add(rest);
        return out;
    }

    /**
     * Human-readable text wrapped at {@link #TEXT_WIDTH} columns on spaces; a word longer than a
     * line stays whole unless it passes {@link #MAX_LINE} octets. {@code text} may hold line breaks.
     */
    static List<String> wrap(String text) {
        List<String> out = new ArrayList<>();
        for (String paragraph : text.split("\r\n|\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ", -1)) {
                if (line.length() > 0 && line.length() + 1 + word.length() > TEXT_WIDTH) {
                    out.addAll(limit(line.toString(), false));
                    line.setLength(0);
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.addAll(limit(line.toString(), false));
        }
        return out;
    }

    /** {@code content} with every bare CR, bare LF and CRLF as CRLF, ending in CRLF unless empty. */
    static byte[] crlf(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r') {
                if (i + 1 < content.length && content[i + 1] == '\n') {
                    i++;
                }
                out.write('\r');
                out.write('\n');
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        int n = out.size();
        byte[] bytes = out.toByteArray();
        if (n > 0 && bytes[n - 1] != '\n') {
            out.write('\r');
            out.write('\n');
            bytes = out.toByteArray();
        }
        return bytes;
    }

    /** The longest line of CRLF-ended {@code content}, in octets without the CRLF. */
    static int longestLine(byte[] content) {
        int longest = 0;
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
                longest = Math.max(longest, end - start);
                start = i + 1;
            }
        }
        return Math.max(longest, content.length - start);
    }

    static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    private static int cutPoint(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_LINE) {
                return i;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.length();
    }

    private static int lastWhitespace(String s, int before) {
        for (int i = Math.min(before, s.length() - 1); i > 0; i--) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }
}
