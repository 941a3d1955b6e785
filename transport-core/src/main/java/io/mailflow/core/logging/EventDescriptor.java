package io.mailflow.core.logging;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event log: the definition of one event in {@link TransportEvents#CATALOGUE}, the message-file
 * entry a Windows event source would carry: id, level, symbolic name and text template with
 * numbered inserts {@code %1}, {@code %2}…, as Exchange's event texts are written. Documentation
 * of every event id Mailflow writes is generated from these.
 *
 * @param origin whether the id and text are Exchange's or Mailflow's own
 */
public record EventDescriptor(int eventId, TransportEvent.Level level, String symbolicName, String source,
                              String category, String template, Origin origin) {

    /** Whose id this is. */
    public enum Origin { Exchange, Mailflow }

    private static final Pattern INSERT = Pattern.compile("%(\\d+)");

    public EventDescriptor {
        Objects.requireNonNull(level);
        Objects.requireNonNull(symbolicName);
        Objects.requireNonNull(source);
        Objects.requireNonNull(category);
        Objects.requireNonNull(template);
        Objects.requireNonNull(origin);
    }

    /** How many inserts the template takes ({@code %1} … {@code %n}). */
    public int insertCount() {
        int max = 0;
        Matcher m = INSERT.matcher(template);
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    /** The event with the template's inserts filled in order. */
    public TransportEvent format(Object... inserts) {
        if (inserts.length != insertCount()) {
            throw new IllegalArgumentException(symbolicName + " takes " + insertCount() + " inserts, not "
                + inserts.length);
        }
        Matcher m = INSERT.matcher(template);
        StringBuilder text = new StringBuilder(template.length() + 64);
        while (m.find()) {
            m.appendReplacement(text, Matcher.quoteReplacement(
                String.valueOf(inserts[Integer.parseInt(m.group(1)) - 1])));
        }
        m.appendTail(text);
        return new TransportEvent(level, eventId, source, category, text.toString());
    }
}
