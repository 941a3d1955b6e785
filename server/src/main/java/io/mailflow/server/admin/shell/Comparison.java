package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Admin shell: PowerShell's comparison operators over display values, for Where-Object and
 * Sort-Object. Case-insensitive unless the operator says {@code -c...}.
 *
 * <p>Values are text, so ordering recognises the quantities Exchange prints: numbers,
 * {@code unlimited} (above every number, as Exchange's Unlimited&lt;T&gt; sorts), byte sizes
 * ({@code 10MB}, {@code 36 MB (37,748,736 bytes)}) and time spans ({@code 00:05:00},
 * {@code 1.00:00:00}). Two values that both read as quantities compare as quantities, so
 * {@code MaxMessageSize -gt 10MB} and {@code Sort-Object MaxInboundConnection} work; anything
 * else compares as text. {@code -eq $null} matches a missing or empty value.
 */
final class Comparison {
    static final Set<String> OPERATORS = Set.of("eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
        "contains", "notcontains", "in", "notin");

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB)(?:\\s*\\(([\\d,]+) bytes\\))?",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMESPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d+))?");

    private Comparison() {}

    /** The operator without its dash and without the c/i case prefix, or null if unknown. */
    static String baseOperator(String operator) {
        String op = operator.toLowerCase(Locale.ROOT);
        if (OPERATORS.contains(op)) return op;
        if ((op.startsWith("c") || op.startsWith("i")) && OPERATORS.contains(op.substring(1))) return op.substring(1);
        return null;
    }

    static boolean caseSensitive(String operator) {
        String op = operator.toLowerCase(Locale.ROOT);
        return !OPERATORS.contains(op) && op.startsWith("c");
    }

    /** {@code left -operator right}. */
    static boolean apply(String operator, Value left, Value right) {
        String op = baseOperator(operator);
        boolean cs = caseSensitive(operator);
        String l = left.items().size() == 1 ? left.items().get(0).display() : left.display();
        String r = right.display();
        return switch (op) {
            case "eq" -> equal(l, right, cs);
            case "ne" -> !equal(l, right, cs);
            case "gt" -> l != null && compare(l, r, cs) > 0;
            case "ge" -> l != null && compare(l, r, cs) >= 0;
            case "lt" -> l != null && compare(l, r, cs) < 0;
            case "le" -> l != null && compare(l, r, cs) <= 0;
            case "like" -> WildcardPattern.matches(r == null ? "" : r, l == null ? "" : l, !cs);
            case "notlike" -> !WildcardPattern.matches(r == null ? "" : r, l == null ? "" : l, !cs);
            case "match" -> matches(l, r, cs);
            case "notmatch" -> !matches(l, r, cs);
            case "contains" -> elements(left).stream().anyMatch(item -> equal(item, right, cs));
            case "notcontains" -> elements(left).stream().noneMatch(item -> equal(item, right, cs));
            case "in" -> right.items().stream().anyMatch(item -> equal(l, item, cs));
            case "notin" -> right.items().stream().noneMatch(item -> equal(l, item, cs));
            default -> throw new IllegalArgumentException("Unknown operator -" + operator);
        };
    }

    private static boolean equal(String left, Value right, boolean cs) {
        if (right instanceof Value.Null) return left == null || left.isEmpty();
        String r = right.display();
        if (left == null || r == null) return false;
        Double a = quantity(left);
        Double b = quantity(r);
        if (a != null && b != null) return a.compareTo(b) == 0;
        return cs ? left.equals(r) : left.equalsIgnoreCase(r);
    }

    private static boolean matches(String left, String pattern, boolean cs) {
        try {
            return Pattern.compile(pattern == null ? "" : pattern, cs ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(left == null ? "" : left).find();
        } catch (PatternSyntaxException e) {
            throw new ShellException(ErrorRecord.of(ErrorCategory.InvalidOperation, "The regular expression pattern " + pattern
                + " is not valid.").withExceptionType("RuntimeException").withErrorId("InvalidRegularExpression"), true);
        }
    }

    /** A multi-valued display value {@code {a, b}} as its items; anything else as itself. */
    private static List<String> elements(Value value) {
        List<String> out = new ArrayList<>();
        for (Value item : value.items()) {
            String text = item.display();
            if (text != null && text.startsWith("{") && text.endsWith("}")) {
                String inner = text.substring(1, text.length() - 1);
                if (!inner.isBlank()) for (String part : inner.split(",")) out.add(part.strip());
            } else {
                out.add(text);
            }
        }
        return out;
    }

    /** Ordering for -gt and Sort-Object: nulls first, quantities by amount, else text. */
    static int compare(String a, String b, boolean cs) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        Double qa = quantity(a);
        Double qb = quantity(b);
        if (qa != null && qb != null) return Double.compare(qa, qb);
        return cs ? a.compareTo(b) : String.CASE_INSENSITIVE_ORDER.compare(a, b);
    }

    /** The amount a display value stands for, or null if it is not a quantity. */
    static Double quantity(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("unlimited")) return Double.POSITIVE_INFINITY;
        if (NUMBER.matcher(t).matches()) return Double.parseDouble(t);
        Matcher m = BYTES.matcher(t);
        if (m.matches()) {
            if (m.group(3) != null) return Double.parseDouble(m.group(3).replace(",", ""));
            int power = List.of("B", "KB", "MB", "GB", "TB").indexOf(m.group(2).toUpperCase(Locale.ROOT));
            return Double.parseDouble(m.group(1)) * Math.pow(1024, power);
        }
        m = TIMESPAN.matcher(t);
        if (m.matches()) {
            double seconds = (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 86400)
                + Long.parseLong(m.group(2)) * 3600 + Long.parseLong(m.group(3)) * 60 + Long.parseLong(m.group(4));
            return m.group(5) == null ? seconds : seconds + Double.parseDouble("0." + m.group(5));
        }
        return null;
    }

    /** PowerShell truthiness of a display value: empty, "False" and "0" are false. */
    static boolean truthy(String text) {
        return text != null && !text.isEmpty() && !text.equalsIgnoreCase("False") && !text.equals("0");
    }
}
