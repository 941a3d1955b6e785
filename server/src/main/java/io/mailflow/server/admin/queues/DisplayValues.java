package io.mailflow.server.admin.queues;

import io.mailflow.core.params.ByteSize;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Queue viewer: reads the display text of queue and message properties back into what it stands
 * for, so that -Filter and -SortOrder compare as an administrator expects: numbers as numbers
 * ({@code MessageCount -gt 5}), sizes as bytes ({@code Size -gt 1MB}), dates as dates
 * ({@code DateReceived -lt '1/15/2026'}), anything else as text without regard to case. Dates
 * print as the en-US Exchange Management Shell prints them, in UTC: {@code 1/15/2026 9:03:12 AM}.
 */
final class DisplayValues {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US)
        .withZone(ZoneOffset.UTC);
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?");
    private static final Pattern SIZE_DISPLAY = Pattern.compile("(?i).*\\(([0-9,]+) bytes\\)");
    private static final List<String> DATE_TIME_FORMS = List.of("M/d/yyyy h:mm:ss a", "M/d/yyyy h:mm a",
        "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss");
    private static final List<String> DATE_FORMS = List.of("M/d/yyyy", "yyyy-MM-dd");

    private DisplayValues() {}

    static String date(Instant instant) {
        return instant == null ? null : DATE.format(instant);
    }

    /** A rate or velocity as Exchange prints it: {@code 0}, {@code 1.5}. */
    static String rate(double value) {
        if (value == Math.rint(value)) return Long.toString((long) value);
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP)
            .stripTrailingZeros().toPlainString();
    }

    /**
     * Orders two display values: as numbers when both are numbers, as sizes when the first is a
     * ByteQuantifiedSize ({@code 6.5 KB (6,656 bytes)}) and the second reads as one, as dates when
     * both read as dates, else as text ignoring case.
     */
    static int compare(String left, String right) {
        if (NUMBER.matcher(left).matches() && NUMBER.matcher(right).matches()) {
            return Double.compare(Double.parseDouble(left), Double.parseDouble(right));
        }
        var size = SIZE_DISPLAY.matcher(left);
        if (size.matches()) {
            Optional<Long> other = bytes(right);
            if (other.isPresent()) return Long.compare(Long.parseLong(size.group(1).replace(",", "")), other.get());
        }
        Optional<Instant> leftDate = instant(left);
        Optional<Instant> rightDate = leftDate.isPresent() ? instant(right) : Optional.empty();
        if (rightDate.isPresent()) return leftDate.get().compareTo(rightDate.get());
        return String.CASE_INSENSITIVE_ORDER.compare(left, right);
    }

    /** Identities in natural order: {@code EX01\3} before {@code EX01\12} before {@code EX01\Submission}. */
    static int compareIdentities(String left, String right) {
        String[] a = left.split("\\\\");
        String[] b = right.split("\\\\");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean aNumber = a[i].chars().allMatch(Character::isDigit) && !a[i].isEmpty();
            boolean bNumber = b[i].chars().allMatch(Character::isDigit) && !b[i].isEmpty();
            int c;
            if (aNumber && bNumber) c = new BigInteger(a[i]).compareTo(new BigInteger(b[i]));
            else if (aNumber != bNumber) c = aNumber ? -1 : 1;
            else c = String.CASE_INSENSITIVE_ORDER.compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return Integer.compare(a.length, b.length);
    }

    /** The items of a multi-valued display value ({@code {a, b}}); the value alone otherwise. */
    static List<String> items(String value) {
        if (value.length() < 2 || !value.startsWith("{") || !value.endsWith("}")) return List.of(value);
        String inner = value.substring(1, value.length() - 1);
        List<String> out = new ArrayList<>();
        if (!inner.isEmpty()) for (String item : inner.split(", ")) out.add(item);
        return out;
    }

    private static Optional<Long> bytes(String text) {
        try {
            return Optional.of(ByteSize.parse(text).bytes());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Instant> instant(String text) {
        String t = text.strip();
        if (t.isEmpty() || !Character.isDigit(t.charAt(0))) return Optional.empty();
        try {
            return Optional.of(Instant.parse(t));
        } catch (DateTimeParseException ignored) {
            // the local forms below
        }
        for (String form : DATE_TIME_FORMS) {
            try {
                return Optional.of(LocalDateTime.parse(t, DateTimeFormatter.ofPattern(form, Locale.US))
                    .toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        for (String form : DATE_FORMS) {
            try {
                return Optional.of(LocalDate.parse(t, DateTimeFormatter.ofPattern(form, Locale.US))
                    .atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        return Optional.empty();
    }
}
