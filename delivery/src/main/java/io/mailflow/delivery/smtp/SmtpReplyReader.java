package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP client's reply codec: bytes from the next hop in, complete replies out (RFC 5321
 * §4.2). Lines end in LF (a CR before it is dropped); continuation lines {@code 250-…} are
 * gathered until the final {@code 250 …}; an enhanced status code (RFC 3463) on the first line
 * is parsed and removed from every line that repeats it. A line longer than {@link #MAX_LINE}
 * is truncated rather than failing the connection, since a chatty server should not cost a
 * delivery; bytes that are not UTF-8 are replaced.
 */
final class SmtpReplyReader {
    /** Characters kept of one reply line; RFC 5321 §4.5.3.1.5 allows 512 octets. */
    static final int MAX_LINE = 4096;

    private static final Pattern ENHANCED = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    /** A line that is not an SMTP reply line; the connection cannot continue. */
    static final class MalformedReply extends Exception {
        MalformedReply(String message) {
            super(message);
        }
    }

    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private final Deque<String> lines = new ArrayDeque<>();
    private final List<String> pending = new ArrayList<>();
    private int pendingCode;

    void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                lines.add(new String(line, 0, end, StandardCharsets.UTF_8));
                lineLength = 0;
            } else if (lineLength < MAX_LINE) {
                line[lineLength++] = b;
            }
        }
    }

    /** The next complete reply, or null until more bytes arrive. */
    SmtpReply next() throws MalformedReply {
        while (!lines.isEmpty()) {
            String text = lines.poll();
            if (text.length() < 3 || !Character.isDigit(text.charAt(0)) || !Character.isDigit(text.charAt(1))
                || !Character.isDigit(text.charAt(2))
                || (text.length() > 3 && text.charAt(3) != ' ' && text.charAt(3) != '-')) {
                throw new MalformedReply("not an SMTP reply line: " + abbreviate(text));
            }
            int code = Integer.parseInt(text.substring(0, 3));
            if (code < 200 || code > 599) {
                throw new MalformedReply("reply code out of range: " + abbreviate(text));
            }
            if (!pending.isEmpty() && code != pendingCode) {
                throw new MalformedReply("reply code changed within a multi-line reply: " + abbreviate(text));
            }
            pendingCode = code;
            pending.add(text.length() > 4 ? text.substring(4) : "");
            boolean last = text.length() == 3 || text.charAt(3) == ' ';
            if (last) {
                SmtpReply reply = build(code, pending);
                pending.clear();
                return reply;
            }
        }
        return null;
    }

    private static SmtpReply build(int code, List<String> texts) {
        Matcher m = ENHANCED.matcher(texts.get(0));
        if (!m.lookingAt() || m.group(1).charAt(0) - '0' != code / 100) {
            return new SmtpReply(code, null, texts);
        }
        String enhanced = m.group(1) + "." + m.group(2) + "." + m.group(3);
        List<String> stripped = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (t.equals(enhanced)) {
                stripped.add("");
            } else if (t.startsWith(enhanced + " ")) {
                stripped.add(t.substring(enhanced.length() + 1));
            } else {
                stripped.add(t);
            }
        }
        return new SmtpReply(code, enhanced, stripped);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
