package io.mailflow.core.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Header firewall: receive side, between end-of-data and the store (spool or mailbox). Exchange
 * removes organization headers from messages whose session lacks the right to send them
 * (exchange.md §1.4: "header-firewall rights strip X-MS-Exchange-Forest-*,
 * X-MS-Exchange-Organization-* …"). Works on the raw CRLF content: a removed field goes with its
 * folded continuation lines, the body is never touched, and content without such fields is
 * returned as the same array.
 */
public final class HeaderFirewall {

    /** The content after filtering, and the names of the fields taken out (for the log line). */
    public record Filtered(byte[] content, List<String> removed) {
        public Filtered {
            removed = List.copyOf(removed);
        }
    }

    private HeaderFirewall() {
    }

    /** Removes every field of the organization namespaces ({@link OrganizationHeaders}). */
    public static Filtered withoutOrganizationHeaders(byte[] content) {
        return withoutFields(content, OrganizationHeaders::isOrganizationHeader);
    }

    /** Removes every header field whose name {@code drop} accepts, with its continuation lines. */
    public static Filtered withoutFields(byte[] content, Predicate<String> drop) {
        int end = HeaderSection.headerEnd(content);
        ByteArrayOutputStream kept = null;
        List<String> removed = new ArrayList<>();
        boolean dropping = false;
        int lineStart = 0;
        while (lineStart < end) {
            int lineEnd = lineStart;
            while (lineEnd < end && content[lineEnd] != '\n') {
                lineEnd++;
            }
            int next = Math.min(lineEnd + 1, end);
            boolean continuation = content[lineStart] == ' ' || content[lineStart] == '\t';
            if (!continuation) {
                String name = fieldName(content, lineStart, lineEnd);
                dropping = name != null && drop.test(name);
                if (dropping) {
                    removed.add(name);
                }
            }
            if (dropping && kept == null) {
                kept = new ByteArrayOutputStream(content.length);
                kept.write(content, 0, lineStart);
            } else if (!dropping && kept != null) {
                kept.write(content, lineStart, next - lineStart);
            }
            lineStart = next;
        }
        if (kept == null) {
            return new Filtered(content, List.of());
        }
        kept.write(content, end, content.length - end);
        return new Filtered(kept.toByteArray(), removed);
    }

    /** The field name before the colon, or null for a line that is not a field. */
    private static String fieldName(byte[] content, int from, int to) {
        for (int i = from; i < to; i++) {
            if (content[i] == ':') {
                return i == from ? null : new String(content, from, i - from, StandardCharsets.US_ASCII).strip();
            }
        }
        return null;
    }
}
