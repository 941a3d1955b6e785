package io.mailflow.core.envelope;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The NOTIFY parameter of RCPT TO (RFC 3461 §4.1): which delivery status notifications the sender
 * asked for. Absent means FAILURE and DELAY, as RFC 3461 §4.1 lets the MTA choose and as Exchange
 * does.
 */
public enum DsnNotify {
    NEVER, SUCCESS, FAILURE, DELAY;

    public static final Set<DsnNotify> DEFAULT = Set.of(FAILURE, DELAY);

    /** Parses {@code SUCCESS,FAILURE} (case-insensitive); NEVER must stand alone. */
    public static Set<DsnNotify> parse(String value) {
        EnumSet<DsnNotify> set = EnumSet.noneOf(DsnNotify.class);
        for (String part : value.split(",")) {
            try {
                set.add(valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("NOTIFY=" + value + " has an unknown keyword '" + part + "'");
            }
        }
        if (set.contains(NEVER) && set.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other keywords");
        }
        return Set.copyOf(set);
    }

    /**
     * The effective set: the sender's, or the default when none was given.
     *
     * @throws IllegalArgumentException when NEVER is combined with another keyword (RFC 3461 §4.1)
     */
    public static Set<DsnNotify> effective(Set<DsnNotify> given) {
        if (given == null || given.isEmpty()) {
            return DEFAULT;
        }
        if (given.contains(NEVER) && given.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with " + given);
        }
        return Set.copyOf(given);
    }
}
