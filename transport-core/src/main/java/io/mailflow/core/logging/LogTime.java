package io.mailflow.core.logging;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Logging, shared by every log: the one timestamp format Exchange's transport logs use
 * ({@code yyyy-MM-ddTHH:mm:ss.fffZ}, UTC, always with milliseconds) and the UTC day a file
 * belongs to ({@code yyyyMMdd} in its name).
 */
final class LogTime {
    private static final DateTimeFormatter DATE_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter FILE_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private LogTime() {
    }

    static String format(Instant instant) {
        return DATE_TIME.format(instant);
    }

    /** Reads a date-time field back; accepts any ISO 8601 instant, so Exchange's own logs parse too. */
    static Instant parse(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a log date-time: '" + text + "'", e);
        }
    }

    static LocalDate utcDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
