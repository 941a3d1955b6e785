package io.mailflow.core.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A read-only view of the header section of a message (RFC 5322 §2.2): where it ends and the
 * unfolded fields in it. Enough for the receive path (hop counting, Message-ID, Subject,
 * MaxHeaderSize); full MIME handling belongs to content conversion.
 */
public final class HeaderSection {
    private final byte[] content;
    private final int length;
    private final List<Field> fields;

    public record Field(String name, String value) {
        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private HeaderSection(byte[] content, int length, List<Field> fields) {
        this.content = content;
        this.length = length;
        this.fields = fields;
    }

    /** Parses the header section of CRLF-normalised content (as the receive path stores it). */
    public static HeaderSection of(byte[] content) {
        int end = headerEnd(content);
        String text = new String(content, 0, end, StandardCharsets.UTF_8);
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                current.append(' ').append(line.strip());
                continue;
            }
            if (current != null) {
                addField(fields, current.toString());
            }
            current = new StringBuilder(line);
        }
        if (current != null) {
            addField(fields, current.toString());
        }
        return new HeaderSection(content, end, List.copyOf(fields));
    }

    private static void addField(List<Field> fields, String unfolded) {
        int colon = unfolded.indexOf(':');
        if (colon > 0) {
            fields.add(new Field(unfolded.substring(0, colon).strip(), unfolded.substring(colon + 1).strip()));
        }
    }

    /** Offset just past the blank line that ends the headers, or the content length if none. */
    static int headerEnd(byte[] c) {
        if (c.length >= 2 && c[0] == '\r' && c[1] == '\n') {
            return 0;
        }
        for (int i = 0; i + 3 < c.length; i++) {
            if (c[i] == '\r' && c[i + 1] == '\n' && c[i + 2] == '\r' && c[i + 3] == '\n') {
                return i + 2;
            }
        }
        return c.length;
    }

    /** Size of the header section in octets, as MaxHeaderSize counts it. */
    public int size() {
        return length;
    }

    public List<Field> fields() {
        return fields;
    }

    public Optional<String> first(String name) {
        return fields.stream().filter(f -> f.is(name)).map(Field::value).findFirst();
    }

    public long count(String name) {
        return fields.stream().filter(f -> f.is(name)).count();
    }

    public List<String> all(String name) {
        return fields.stream().filter(f -> f.is(name)).map(Field::value).toList();
    }

    public boolean has(String name) {
        return first(name).isPresent();
    }

    public byte[] content() {
        return content;
    }

    /** Received headers whose "by" clause names this host: the local hops MaxLocalHopCount counts. */
    public long localHops(String fqdn) {
        String by = "by " + fqdn.toLowerCase(Locale.ROOT);
        return all("Received").stream().filter(v -> v.toLowerCase(Locale.ROOT).contains(by)).count();
    }
}
