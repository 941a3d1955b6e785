package io.mailflow.core.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, an optional enhanced status code (RFC 3463)
 * and one or more lines of text. Multi-line replies render as {@code 250-…} continuation lines.
 */
public record SmtpReply(int code, String enhancedCode, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    public static SmtpReply of(int code, String enhancedCode, String text) {
        return new SmtpReply(code, enhancedCode, List.of(text));
    }

    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, null, List.of(text));
    }

    public static SmtpReply multiline(int code, List<String> lines) {
        return new SmtpReply(code, null, lines);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The reply as it goes on the wire, each line ending in CRLF. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhancedCode != null) {
                out.append(enhancedCode).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    public byte[] toBytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /** One line, as logs show a reply (multi-line replies joined with spaces, as Exchange flattens them). */
    public String toLogString() {
        StringBuilder out = new StringBuilder().append(code).append(' ');
        if (enhancedCode != null) {
            out.append(enhancedCode).append(' ');
        }
        return out.append(String.join(" ", lines)).toString();
    }

    @Override
    public String toString() {
        return toLogString();
    }
}
