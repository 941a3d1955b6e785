package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Admin shell: what flows through a pipeline, like a PowerShell object: a type name
 * ({@code Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector}), ordered
 * properties with their display text, and optionally the domain object it was made from, so that
 * Set-ReceiveConnector fed by Get-ReceiveConnector can act on the connector itself.
 *
 * <p>Values are display text: the producer formats them ("True", "{[::]:25, 0.0.0.0:25}",
 * "36 MB (37,748,736 bytes)"), because the formatters and Where-Object see only what an
 * administrator would see. Property names are looked up case-insensitively, as in PowerShell.
 */
public final class ShellObject {
    /** Type of the text objects the formatters emit; printed as-is by the default output. */
    public static final String STRING_TYPE = "System.String";

    private final String typeName;
    private final Map<String, String> values;          // lower-case name -> value
    private final List<String> names;                  // names as the producer spelled them, in order
    private final Object source;

    private ShellObject(String typeName, List<String> names, Map<String, String> values, Object source) {
        this.typeName = typeName;
        this.names = Collections.unmodifiableList(names);
        this.values = values;
        this.source = source;
    }

    /** Starts an object of {@code typeName} made from {@code source} (may be null). */
    public static Builder builder(String typeName, Object source) {
        return new Builder(typeName, source);
    }

    public static Builder builder(String typeName) {
        return new Builder(typeName, null);
    }

    /** A line of text, as Format-List and Format-Table produce. */
    public static ShellObject text(String text) {
        return builder(STRING_TYPE, text).property("Length", text.length()).build();
    }

    public String typeName() {
        return typeName;
    }

    /** The last part of the type name, for views registered under the short name. */
    public String shortTypeName() {
        return typeName.substring(typeName.lastIndexOf('.') + 1);
    }

    public List<String> propertyNames() {
        return names;
    }

    public boolean has(String property) {
        return values.containsKey(key(property));
    }

    /** The display value, or null when the property is absent or null. */
    public String get(String property) {
        return values.get(key(property));
    }

    /** The producer's spelling of {@code property}, or null when absent. */
    public String canonicalName(String property) {
        for (String name : names) if (name.equalsIgnoreCase(property)) return name;
        return null;
    }

    public Object source() {
        return source;
    }

    public <T> Optional<T> source(Class<T> type) {
        return type.isInstance(source) ? Optional.of(type.cast(source)) : Optional.empty();
    }

    /** What binds to an Identity taken from the pipeline: Identity, else Name, else the type. */
    public String identity() {
        if (get("Identity") != null) return get("Identity");
        if (get("Name") != null) return get("Name");
        return source instanceof String s ? s : typeName;
    }

    /** A copy with only {@code properties}, in that order, as Select-Object makes. */
    public ShellObject select(List<String> properties, String newTypeName) {
        Builder b = new Builder(newTypeName, source);
        for (String p : properties) b.property(canonicalName(p) != null ? canonicalName(p) : p, get(p));
        return b.build();
    }

    @Override
    public String toString() {
        return typeName + values;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects properties in display order. */
    public static final class Builder {
        private final String typeName;
        private final Object source;
        private final List<String> names = new ArrayList<>();
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(String typeName, Object source) {
            this.typeName = typeName;
            this.source = source;
        }

        /**
         * Adds a property. Strings are kept; booleans print as PowerShell's True/False;
         * collections as {@code {a, b}}; null as empty; anything else by toString.
         */
        public Builder property(String name, Object value) {
            if (!values.containsKey(key(name))) names.add(name);
            values.put(key(name), display(value));
            return this;
        }

        public ShellObject build() {
            return new ShellObject(typeName, new ArrayList<>(names), new LinkedHashMap<>(values), source);
        }

        private static String display(Object value) {
            if (value == null) return null;
            if (value instanceof Boolean b) return b ? "True" : "False";
            if (value instanceof Collection<?> c) {
                List<String> items = new ArrayList<>();
                for (Object o : c) items.add(display(o));
                return "{" + String.join(", ", items) + "}";
            }
            if (value instanceof Optional<?> o) return o.map(Builder::display).orElse(null);
            return value.toString();
        }
    }
}
