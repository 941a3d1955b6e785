package io.mailflow.simulator.report;

import java.util.Locale;

/**
 * Simulator report: a small JSON writer for report.json. Keys come out in the order they are
 * written and numbers in one fixed form, so equal results give byte-identical files.
 */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean first = true;

    Json open(String key) {
        key(key);
        out.append('{');
        depth++;
        first = true;
        return this;
    }

    Json close() {
        depth--;
        newline();
        out.append('}');
        first = false;
        return this;
    }

    Json openArray(String key) {
        key(key);
        out.append('[');
        depth++;
        first = true;
        return this;
    }

    Json closeArray() {
        depth--;
        newline();
        out.append(']');
        first = false;
        return this;
    }

    Json field(String key, String value) {
        key(key);
        string(value);
        first = false;
        return this;
    }

    Json field(String key, long value) {
        key(key);
        out.append(value);
        first = false;
        return this;
    }

    Json field(String key, double value) {
        key(key);
        out.append(number(value));
        first = false;
        return this;
    }

    Json field(String key, long[] values) {
        key(key);
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values[i]);
        }
        out.append(']');
        first = false;
        return this;
    }

    /** A string element of an array. */
    Json value(String v) {
        key(null);
        string(v);
        first = false;
        return this;
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private void key(String key) {
        if (!first) {
            out.append(',');
        }
        newline();
        if (key != null) {
            string(key);
            out.append(": ");
        }
    }

    private void newline() {
        if (out.length() > 0) {
            out.append('\n');
            out.append("  ".repeat(Math.max(0, depth)));
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out + "\n";
    }
}
