package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admin shell: one argument as {@link Parser} read it from an Exchange Management Shell line,
 * before any cmdlet interprets it. Numbers and sizes such as {@code 10MB} stay {@link Text}:
 * only the cmdlet knows whether {@code 10MB} is a ByteQuantifiedSize or a name.
 */
public sealed interface Value {
    /** A bare word, a number, or a quoted string after PowerShell's unescaping. */
    record Text(String text, boolean quoted) implements Value {
        @Override public String display() { return text; }
    }

    /** {@code $true} / {@code $false}. */
    record Bool(boolean value) implements Value {
        @Override public String display() { return value ? "True" : "False"; }
    }

    /** {@code $null}; Exchange uses it to clear a setting ({@code -Banner $null}). */
    record Null() implements Value {
        @Override public String display() { return null; }
    }

    /** {@code a,b,c} or {@code @("a","b")}. */
    record Array(List<Value> items) implements Value {
        public Array { items = List.copyOf(items); }
        @Override public String display() {
            List<String> shown = new ArrayList<>();
            for (Value item : items) shown.add(String.valueOf(item.display()));
            return String.join(" ", shown);
        }
    }

    /**
     * {@code @{Add="10.0.0.1"; Remove="10.0.0.2"}}: how Exchange edits multi-valued properties
     * such as RemoteIPRanges without retyping the whole list. Keys are case-insensitive.
     */
    record Hashtable(Map<String, Value> entries) implements Value {
        public Hashtable {
            TreeMap<String, Value> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(entries);
            entries = Collections.unmodifiableMap(copy);
        }
        @Override public String display() { return "System.Collections.Hashtable"; }
    }

    /** {@code { $_.Name -like "Default*" }}: kept as text; Where-Object parses it. */
    record ScriptBlock(String text, ScriptPosition position) implements Value {
        @Override public String display() { return text; }
    }

    /** The text PowerShell would print for this value; null for {@code $null}. */
    String display();

    /** Items of an array, or this value alone. */
    default List<Value> items() {
        return this instanceof Array array ? array.items() : List.of(this);
    }
}
