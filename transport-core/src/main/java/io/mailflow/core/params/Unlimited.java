package io.mailflow.core.params;

import java.util.OptionalLong;

/**
 * Exchange's {@code Unlimited<T>} for counts: a number or the word {@code unlimited}
 * (e.g. MaxInboundConnection, MaxInboundConnectionPerSource, MessageRateLimit).
 */
public record Unlimited(OptionalLong value) {
    public static final Unlimited UNLIMITED = new Unlimited(OptionalLong.empty());

    public static Unlimited of(long value) {
        return new Unlimited(OptionalLong.of(value));
    }

    /** Accepts {@code unlimited} (any case) or a whole number. */
    public static Unlimited parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        try {
            return of(Long.parseLong(t.replace(",", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a number nor 'unlimited'");
        }
    }

    public boolean isUnlimited() {
        return value.isEmpty();
    }

    /** True when {@code count} is more than this limit allows. */
    public boolean isExceededBy(long count) {
        return value.isPresent() && count > value.getAsLong();
    }

    public long orElse(long whenUnlimited) {
        return value.orElse(whenUnlimited);
    }

    @Override
    public String toString() {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "Unlimited";
    }
}
