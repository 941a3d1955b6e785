package io.mailflow.core.organization;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.mailflow.core.params.Forms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static io.mailflow.core.organization.ConfigProblems.lineOf;

/**
 * Organization configuration: one HOCON object of the organization file (a section, or one
 * entry of a list such as {@code Servers[0]}) read with PowerShell's rules: keys match
 * case-insensitively, each key once; unknown keys are problems that suggest the closest known
 * key. Typed getters return null when the key is absent or its value is wrong (and record the
 * problem in {@link ConfigProblems} under the key path, e.g. {@code Mailboxes[2].Database}).
 */
final class ConfigEntry {
    private final ConfigObject object;
    private final String path;
    private final ConfigProblems problems;
    private final Map<String, String> actualKeys = new HashMap<>();

    /**
     * Checks the object's keys against {@code known}; a key in {@code notImplemented} is refused
     * as an Exchange parameter Mailflow does not implement rather than as unknown.
     */
    ConfigEntry(ConfigObject object, String path, List<String> known, List<String> notImplemented,
                ConfigProblems problems) {
        this.object = object;
        this.path = path;
        this.problems = problems;
        for (String actual : object.keySet()) {
            String canonical = Forms.canonical(known, actual);
            ConfigOrigin at = object.get(actual).origin();
            String p = path(actual);
            if (canonical == null) {
                String unsupported = Forms.canonical(notImplemented, actual);
                if (unsupported != null) {
                    problems.add(at, p, unsupported + " is an Exchange parameter that Mailflow does not implement");
                } else {
                    problems.add(at, p, "unknown key " + actual + "; did you mean " + Forms.closest(known, actual) + "?");
                }
                continue;
            }
            String previous = actualKeys.putIfAbsent(canonical, actual);
            if (previous != null) {
                problems.add(at, path(canonical), canonical + " is given twice (as " + previous + " on line "
                    + lineOf(object.get(previous).origin()) + " and as " + actual + ")");
            }
        }
    }

    /** Names (servers, recipients, connectors) match case-insensitively: this is the key they are kept under. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    ConfigProblems problems() {
        return problems;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return actualKeys.containsKey(key);
    }

    ConfigOrigin origin() {
        return object.origin();
    }

    ConfigOrigin origin(String key) {
        ConfigValue v = value(key);
        return v == null ? object.origin() : v.origin();
    }

    boolean isNull(String key) {
        ConfigValue v = value(key);
        return v != null && v.valueType() == ConfigValueType.NULL;
    }

    private ConfigValue value(String key) {
        String actual = actualKeys.get(key);
        return actual == null ? null : object.get(actual);
    }

    void problem(String key, String message) {
        problems.add(origin(key), path(key), message);
    }

    void required(String key, String what) {
        problems.add(object.origin(), path(key), what + " is required");
    }

    ConfigEntry object(String key, List<String> known, List<String> notImplemented) {
        ConfigValue v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ConfigObject o)) {
            problem(key, "must be an object { ... }");
            return null;
        }
        return new ConfigEntry(o, path(key), known, notImplemented, problems);
    }

    List<ConfigEntry> objects(String key, List<String> known) {
        return objects(key, known, List.of());
    }

    List<ConfigEntry> objects(String key, List<String> known, List<String> notImplemented) {
        ConfigValue v = value(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof ConfigList list)) {
            problem(key, "must be a list [ { ... }, { ... } ]");
            return List.of();
        }
        List<ConfigEntry> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String p = path(key) + "[" + i + "]";
            if (list.get(i) instanceof ConfigObject o) {
                result.add(new ConfigEntry(o, p, known, notImplemented, problems));
            } else {
                problems.add(list.get(i).origin(), p, "must be an object { Name = ..., ... }");
            }
        }
        return result;
    }

    /** A single value as text; numbers and booleans as written. */
    String string(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return null;
        }
        return switch (v.valueType()) {
            case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped()).trim();
            case NULL -> {
                problem(key, "needs a value");
                yield null;
            }
            default -> {
                problem(key, "must be a single value, not " + (v.valueType() == ConfigValueType.LIST
                    ? "a list" : "an object"));
                yield null;
            }
        };
    }

    String requiredString(String key) {
        if (!has(key)) {
            required(key, key);
            return null;
        }
        String s = string(key);
        if (s != null && s.isEmpty()) {
            problem(key, key + " cannot be empty");
            return null;
        }
        return s;
    }

    /** true, false, $true, $false in any case. */
    Boolean bool(String key) {
        return parsed(key, Forms.bool()::parse);
    }

    Integer integer(String key, int min, int max) {
        return parsed(key, Forms.integer(min, max)::parse);
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        return parsed(key, text -> Forms.enumConstant(type, text));
    }

    /** A HOCON list, or one string whose values are separated by commas. */
    List<ConfigElement> list(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return List.of();
        }
        List<ConfigElement> result = new ArrayList<>();
        if (v instanceof ConfigList list) {
            for (int i = 0; i < list.size(); i++) {
                ConfigValue item = list.get(i);
                String p = path(key) + "[" + i + "]";
                switch (item.valueType()) {
                    case STRING, NUMBER, BOOLEAN -> result.add(
                        new ConfigElement(String.valueOf(item.unwrapped()).trim(), item.origin(), p));
                    default -> problems.add(item.origin(), p, "must be a single value");
                }
            }
            return result;
        }
        String text = string(key);
        if (text == null) {
            return List.of();
        }
        for (String part : Forms.splitList(text)) {
            result.add(new ConfigElement(part, v.origin(), path(key)));
        }
        return result;
    }

    /** The value as text, through {@code parser}; a parser's IllegalArgumentException is the problem's message. */
    <T> T parsed(String key, Function<String, T> parser) {
        String text = string(key);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }
}
