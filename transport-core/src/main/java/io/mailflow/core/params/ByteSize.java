package io.mailflow.core.params;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exchange's ByteQuantifiedSize: {@code 36MB}, {@code 10 MB}, {@code 256KB}, {@code 65536}
 * (bytes) or {@code 37748736B}. Units are binary (1 KB = 1024 bytes), as Exchange's are.
 * Prints as Exchange does: {@code 36 MB (37,748,736 bytes)}.
 */
public record ByteSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(?i)\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(B|KB|MB|GB|TB)?\\s*(?:\\([0-9,]+ bytes\\))?\\s*");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is never negative");
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofKilobytes(long kb) {
        return new ByteSize(kb * 1024L);
    }

    public static ByteSize ofMegabytes(long mb) {
        return new ByteSize(mb * 1024L * 1024L);
    }

    public static ByteSize parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 10MB, 256KB or 65536");
        }
        double number = Double.parseDouble(m.group(1).replace(",", ""));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            case "TB" -> 1024L * 1024 * 1024 * 1024;
            default -> 1L;
        };
        return new ByteSize(Math.round(number * factor));
    }

    @Override
    public String toString() {
        String exact = NumberFormat.getIntegerInstance(Locale.US).format(bytes) + " bytes";
        String[] units = {"TB", "GB", "MB", "KB"};
        long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= factors[i]) {
                // Up to three decimals, as Exchange prints them ("9.766 MB (10,240,000 bytes)").
                String shown = BigDecimal.valueOf(bytes)
                    .divide(BigDecimal.valueOf(factors[i]), 3, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString();
                return shown + " " + units[i] + " (" + exact + ")";
            }
        }
        return bytes + " B (" + exact + ")";
    }
}
