package io.mailflow.core.params;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parameters: the value forms of Exchange's cmdlet parameters, with their ranges and the exact
 * problem texts the organization loader has always given ({@code 0 is outside the range 1-10000
 * or unlimited}, {@code 'maybe' is not $true or $false}). Every parameter table builds on these.
 */
public final class Forms {

    private Forms() {
    }

    /** A whole number in {@code min-max}; commas as thousands separators are allowed. */
    public static Form<Integer> integer(int min, int max) {
        return simple(text -> {
            long n;
            try {
                n = Long.parseLong(text.trim().replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(n + " is outside the range " + min + "-" + max);
            }
            return (int) n;
        }, String::valueOf);
    }

    /** A count in {@code min-max} or {@code unlimited}; prints {@code Unlimited} as Exchange does. */
    public static Form<Unlimited> unlimited(long min, long max) {
        return simple(text -> {
            Unlimited u = Unlimited.parse(text);
            if (!u.isUnlimited() && (u.orElse(0) < min || u.orElse(0) > max)) {
                throw new IllegalArgumentException(u.orElse(0) + " is outside the range " + min + "-" + max
                    + " or unlimited");
            }
            return u;
        }, Unlimited::toString);
    }

    /** A size such as {@code 10MB} or {@code 36 MB (37,748,736 bytes)} in {@code min-max} bytes. */
    public static Form<ByteSize> byteSize(long min, long max) {
        return simple(text -> {
            ByteSize b = ByteSize.parse(text);
            if (b.bytes() < min || b.bytes() > max) {
                throw new IllegalArgumentException(b + " is outside the range " + min + "-" + max + " bytes");
            }
            return b;
        }, ByteSize::toString);
    }

    /**
     * Exchange's timespan ({@code 00:05:00}, {@code 1.00:00:00}) or a HOCON duration ({@code 5m},
     * {@code 30 seconds}) in {@code min-max}; a bare number has no unit and is refused. Prints as a
     * timespan.
     */
    public static Form<Duration> timeSpan(Duration min, Duration max) {
        return simple(text -> {
            String t = text.trim();
            Duration d;
            if (TimeSpan.looksLikeTimeSpan(t)) {
                d = TimeSpan.parse(t);
            } else if (t.matches("[-+]?[0-9.]+")) {
                throw new IllegalArgumentException("'" + t
                    + "' has no unit; give a timespan such as 00:00:05 or a duration such as 5s");
            } else {
                try {
                    d = ConfigFactory.empty().withValue("v", ConfigValueFactory.fromAnyRef(t)).getDuration("v");
                } catch (ConfigException e) {
                    throw new IllegalArgumentException("'" + t
                        + "' is not a timespan such as 00:05:00 or 1.00:00:00, nor a duration such as 5m");
                }
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                String shown = d.isNegative() ? "'" + t + "'" : TimeSpan.format(d);
                throw new IllegalArgumentException(shown + " is outside the range " + TimeSpan.format(min) + "-"
                    + TimeSpan.format(max));
            }
            return d;
        }, TimeSpan::format);
    }

    /** {@code true}, {@code false}, {@code $true}, {@code $false} in any case; prints {@code True} / {@code False}. */
    public static Form<Boolean> bool() {
        return simple(text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "$true" -> Boolean.TRUE;
            case "false", "$false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("'" + text + "' is not $true or $false");
        }, b -> b ? "True" : "False");
    }

    /** One constant of {@code type}, named in any case. */
    public static <E extends Enum<E>> Form<E> enumeration(Class<E> type) {
        return simple(text -> enumConstant(type, text), Enum::name);
    }

    /** One of {@code allowed}, named in any case, kept in its canonical spelling. */
    public static Form<String> oneOf(List<String> allowed) {
        return simple(text -> {
            String c = canonical(allowed, text.trim());
            if (c == null) {
                throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", allowed));
            }
            return c;
        }, s -> s);
    }

    /** Free text, trimmed; a missing value prints as nothing, as Format-List shows an empty property. */
    public static Form<String> text() {
        return simple(String::trim, s -> s == null ? "" : s);
    }

    /**
     * A flags enum such as PermissionGroups or AuthMechanism: at least one constant; prints as
     * Exchange prints flags, in declaration order without braces ({@code Tls, BasicAuth}).
     */
    public static <E extends Enum<E>> ListForm<E, Set<E>> flags(Class<E> type) {
        return new ListForm<>() {
            @Override
            public E parseElement(String text) {
                return enumConstant(type, text);
            }

            @Override
            public Set<E> collect(List<E> elements) {
                if (elements.isEmpty()) {
                    throw new IllegalArgumentException("needs at least one value");
                }
                return Collections.unmodifiableSet(EnumSet.copyOf(elements));
            }

            @Override
            public String display(Set<E> value) {
                return value.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
            }
        };
    }

    /**
     * A list such as Bindings or RemoteIPRanges; prints in braces as Exchange prints
     * multi-valued properties ({@code {[::]:25, 0.0.0.0:25}}, {@code {}} when empty).
     *
     * @param element      reads one element
     * @param show         prints one element
     * @param emptyMessage the problem when the list is empty, or null when an empty list is fine
     */
    public static <E> ListForm<E, List<E>> list(Function<String, E> element, Function<E, String> show,
                                                String emptyMessage) {
        return new ListForm<>() {
            @Override
            public E parseElement(String text) {
                return element.apply(text.trim());
            }

            @Override
            public List<E> collect(List<E> elements) {
                if (elements.isEmpty() && emptyMessage != null) {
                    throw new IllegalArgumentException(emptyMessage);
                }
                return List.copyOf(elements);
            }

            @Override
            public String display(List<E> value) {
                return value.stream().map(show).collect(Collectors.joining(", ", "{", "}"));
            }
        };
    }

    /**
     * Splits a multi-valued text the way the shell gives it: on commas outside double quotes,
     * without the braces Format-List prints around lists, and without the quotes around each
     * element ({@code "[::]:25","0.0.0.0:25"}). Blank elements are dropped.
     */
    public static List<String> splitList(String text) {
        String t = text.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        parts.add(current.toString());
        List<String> result = new ArrayList<>();
        for (String part : parts) {
            String p = unquote(part);
            if (!p.isEmpty()) {
                result.add(p);
            }
        }
        return result;
    }

    /**
     * {@code text} trimmed, without one pair of surrounding quotes ({@code "36 MB (37,748,736 bytes)"},
     * {@code 'AnonymousUsers,ExchangeServers'}) when the quote character does not occur inside.
     */
    public static String unquote(String text) {
        String t = text.trim();
        if (t.length() >= 2) {
            char q = t.charAt(0);
            if ((q == '"' || q == '\'') && t.charAt(t.length() - 1) == q && t.indexOf(q, 1) == t.length() - 1) {
                return t.substring(1, t.length() - 1).trim();
            }
        }
        return t;
    }

    /** The constant of {@code type} named {@code text} in any case. */
    public static <E extends Enum<E>> E enumConstant(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", names));
    }

    /** The known spelling of {@code given}, matched case-insensitively; null if none. */
    public static String canonical(List<String> known, String given) {
        for (String k : known) {
            if (k.equalsIgnoreCase(given)) {
                return k;
            }
        }
        return null;
    }

    /** The known name nearest to {@code given} by edit distance, ignoring case: the "did you mean" of every problem. */
    public static String closest(List<String> known, String given) {
        String best = known.get(0);
        int bestDistance = Integer.MAX_VALUE;
        String g = given.toLowerCase(Locale.ROOT);
        for (String k : known) {
            int d = distance(k.toLowerCase(Locale.ROOT), g);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static <T> Form<T> simple(Function<String, T> parser, Function<T, String> printer) {
        return new Form<>() {
            @Override
            public T parse(String text) {
                return parser.apply(text);
            }

            @Override
            public String display(T value) {
                return printer.apply(value);
            }
        };
    }
}
