package io.mailflow.delivery.dsn;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * DSN: the NOTIFY parameter of one RCPT TO (RFC 3461 §4.1), kept with the recipient from the
 * receive connector to the delivery queue, where it decides which DSNs that recipient's sender
 * gets. {@code NEVER} stands alone; without NOTIFY the sender gets failure and delay DSNs
 * ({@link #DEFAULT}), never a success DSN.
 */
public enum Notify {
    SUCCESS,
    FAILURE,
    DELAY,
    NEVER;

    /** RFC 3461 §4.1: "the default ... is NOTIFY=FAILURE or NOTIFY=FAILURE,DELAY"; Exchange sends both. */
    public static final Set<Notify> DEFAULT = Collections.unmodifiableSet(EnumSet.of(FAILURE, DELAY));

    /**
     * The value of a NOTIFY parameter: {@code NEVER}, or a comma list of {@code SUCCESS},
     * {@code FAILURE} and {@code DELAY}, in any case.
     *
     * @throws IllegalArgumentException for an unknown keyword, an empty value or NEVER with others
     */
    public static Set<Notify> parse(String value) {
        EnumSet<Notify> set = EnumSet.noneOf(Notify.class);
        for (String keyword : value.split(",", -1)) {
            String k = keyword.trim().toUpperCase(Locale.ROOT);
            try {
                set.add(Notify.valueOf(k));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("NOTIFY=" + value + ": '" + keyword
                    + "' is not SUCCESS, FAILURE, DELAY or NEVER");
            }
        }
        return of(set);
    }

    /**
     * {@code given} checked and unmodifiable; an empty set means NOTIFY was not given and becomes
     * {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException when NEVER is combined with another keyword (RFC 3461 §4.1)
     */
    public static Set<Notify> of(Set<Notify> given) {
        if (given.isEmpty()) {
            return DEFAULT;
        }
        if (given.contains(NEVER) && given.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with " + given);
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(given));
    }
}
