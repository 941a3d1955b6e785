package io.mailflow.core.params;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exchange's timespan form {@code [d.]hh:mm:ss[.fff]} ({@code 00:05:00}, {@code 1.00:00:00}),
 * both ways. HOCON durations ({@code 5m}, {@code 30 seconds}) are accepted by the config loader too.
 */
public final class TimeSpan {
    private static final Pattern FORM =
        Pattern.compile("\\s*(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?\\s*");

    private TimeSpan() {
    }

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a timespan such as 00:05:00 or 1.00:00:00");
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long hours = Long.parseLong(m.group(2));
        long minutes = Long.parseLong(m.group(3));
        long seconds = Long.parseLong(m.group(4));
        if (hours > 23 || minutes > 59 || seconds > 59) {
            throw new IllegalArgumentException("'" + text + "' has hours over 23, or minutes or seconds over 59");
        }
        Duration d = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds);
        if (m.group(5) != null) {
            String frac = (m.group(5) + "0000000").substring(0, 7);
            d = d.plusNanos(Long.parseLong(frac) * 100);
        }
        return d;
    }

    public static boolean looksLikeTimeSpan(String text) {
        return FORM.matcher(text).matches();
    }

    public static String format(Duration d) {
        long days = d.toDays();
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
        String s = days > 0 ? days + "." + hms : hms;
        if (d.toMillisPart() > 0) {
            s += String.format(Locale.ROOT, ".%03d", d.toMillisPart());
        }
        return s;
    }
}
