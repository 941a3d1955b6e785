package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the next hop announced in its EHLO reply (RFC 5321 §4.1.1.1): the first line is its name,
 * each further line an extension keyword with optional parameters. The SMTP client reads
 * PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531); it records
 * ENHANCEDSTATUSCODES, DSN, STARTTLS, CHUNKING and AUTH for callers and logs without using them.
 *
 * @param extended  false when the server only spoke HELO (no extensions at all)
 * @param greeting  the first line of the EHLO/HELO reply
 * @param keywords  upper-cased keyword to its parameter text ({@code ""} when none), in order
 */
public record EhloCapabilities(boolean extended, String greeting, Map<String, String> keywords) {

    /** Before any EHLO/HELO reply (e.g. the connection failed first). */
    public static final EhloCapabilities NONE = new EhloCapabilities(false, "", Map.of());

    public EhloCapabilities {
        keywords = Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
    }

    /** The capabilities in a positive EHLO reply. */
    public static EhloCapabilities fromEhlo(SmtpReply reply) {
        Map<String, String> keywords = new LinkedHashMap<>();
        for (int i = 1; i < reply.lines().size(); i++) {
            String line = reply.lines().get(i).strip();
            if (line.isEmpty()) {
                continue; // smtp-sink ends its EHLO reply with an empty "250 " line
            }
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            keywords.putIfAbsent(keyword, space < 0 ? "" : line.substring(space + 1).strip());
        }
        return new EhloCapabilities(true, reply.lines().get(0), keywords);
    }

    /** A server that answered HELO after refusing EHLO: no extensions. */
    public static EhloCapabilities fromHelo(SmtpReply reply) {
        return new EhloCapabilities(false, reply.lines().get(0), Map.of());
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    public boolean pipelining() {
        return has("PIPELINING");
    }

    public boolean size() {
        return has("SIZE");
    }

    /**
     * The server's fixed maximum message size: present only for {@code SIZE n} with n &gt; 0
     * ({@code SIZE} alone or {@code SIZE 0} means no fixed limit, RFC 1870 §4).
     */
    public OptionalLong sizeLimit() {
        String value = keywords.get("SIZE");
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(value.split(" ")[0]);
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // a garbled limit is no limit; the server still checks
        }
    }

    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    public boolean enhancedStatusCodes() {
        return has("ENHANCEDSTATUSCODES");
    }

    public boolean dsn() {
        return has("DSN");
    }

    public boolean startTls() {
        return has("STARTTLS");
    }

    public boolean chunking() {
        return has("CHUNKING");
    }
}
