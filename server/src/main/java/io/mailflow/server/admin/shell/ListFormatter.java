package io.mailflow.server.admin.shell;

import java.util.List;

/**
 * Admin shell: Format-List's rendering. Each object's selected properties, one per line, names
 * padded to that object's longest name, then {@code " : "} and the value; an empty line between
 * objects. Values longer than the console wrap at the console's edge and continue under the
 * value column, as PowerShell's list view does; embedded newlines do the same. Lines are
 * right-trimmed.
 */
final class ListFormatter {
    /** Below this many characters left for the value, wrapping would be unreadable; lines run long instead. */
    private static final int NARROWEST_WRAP = 10;

    private ListFormatter() {}

    /** @param patterns property names or wildcards; null or empty for all properties */
    static String render(List<ShellObject> objects, List<String> patterns, int consoleWidth) {
        StringBuilder out = new StringBuilder("\n");
        for (ShellObject object : objects) {
            List<String> names = patterns == null || patterns.isEmpty()
                ? object.propertyNames() : WildcardPattern.selectProperties(object, patterns, false);
            if (names.isEmpty()) continue;
            int labelWidth = names.stream().mapToInt(String::length).max().orElse(0);
            for (String name : names) {
                String value = object.get(name);
                out.append(entry(name, labelWidth, value == null ? "" : value, consoleWidth));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String entry(String name, int labelWidth, String value, int consoleWidth) {
        String label = pad(name, labelWidth) + " : ";
        String indent = " ".repeat(label.length());
        int room = consoleWidth - 1 - label.length();
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (String line : value.split("\r?\n", -1)) {
            do {
                int cut = room >= NARROWEST_WRAP ? Math.min(room, line.length()) : line.length();
                out.append(first ? label : indent).append(line, 0, cut);
                trimEnd(out);
                out.append('\n');
                line = line.substring(cut);
                first = false;
            } while (!line.isEmpty());
        }
        return out.toString();
    }

    static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    static void trimEnd(StringBuilder line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') end--;
        line.setLength(end);
    }
}
