package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Admin shell: Format-Table's rendering, and the default tables of {@link DefaultView}s.
 *
 * <p>Headers are the property names, underlined with dashes as long as the header; columns are
 * separated by one space, left-aligned (values are display text, so there is no type to
 * right-align numbers by), and lines are right-trimmed. No line is longer than the console
 * width minus one, the column PowerShell keeps free so that the console does not wrap.
 *
 * <ul>
 * <li>{@code -AutoSize}: every column is as wide as its widest value or header; columns that do
 *     not fit are removed with PowerShell's warning ("1 columns do not fit into the display and
 *     were removed."). Only a first column wider than the console is cut.</li>
 * <li>Otherwise: widths the view declares are kept; other columns take their content's width if
 *     everything fits, else share the room left, narrow columns keeping their width and wide ones
 *     splitting the rest. Values cut short end in {@code ...}.</li>
 * </ul>
 * A value's first line only is shown; tables have one line per object.
 */
final class TableFormatter {
    private static final int NARROWEST_COLUMN = 4;

    private TableFormatter() {}

    static String render(List<ShellObject> objects, List<DefaultView.Column> columns, boolean autoSize, boolean hideHeaders,
                         int consoleWidth, Consumer<String> warn) {
        int usable = consoleWidth - 1;
        int n = columns.size();
        List<String[]> rows = new ArrayList<>();
        int[] natural = new int[n];
        for (int c = 0; c < n; c++) natural[c] = hideHeaders ? 0 : columns.get(c).property().length();
        for (ShellObject object : objects) {
            String[] row = new String[n];
            for (int c = 0; c < n; c++) {
                String value = object.get(columns.get(c).property());
                row[c] = value == null ? "" : firstLine(value);
                natural[c] = Math.max(natural[c], row[c].length());
            }
            rows.add(row);
        }
        int[] widths = autoSize ? natural.clone() : shared(columns, natural, usable);
        int shown = n;
        if (autoSize) {
            int used = -1;
            for (int c = 0; c < n; c++) {
                if (used + 1 + widths[c] > usable) {
                    if (c == 0) {
                        widths[0] = usable;
                        shown = 1;
                    } else {
                        shown = c;
                    }
                    break;
                }
                used += 1 + widths[c];
            }
            if (shown < n) warn.accept((n - shown) + " columns do not fit into the display and were removed.");
        }
        StringBuilder out = new StringBuilder("\n");
        if (!hideHeaders) {
            StringBuilder header = new StringBuilder();
            StringBuilder underline = new StringBuilder();
            for (int c = 0; c < shown; c++) {
                String name = cut(displayName(columns.get(c).property(), objects), widths[c]);
                header.append(c == shown - 1 ? name : ListFormatter.pad(name, widths[c] + 1));
                underline.append(c == shown - 1 ? "-".repeat(name.length()) : ListFormatter.pad("-".repeat(name.length()), widths[c] + 1));
            }
            appendLine(out, header);
            appendLine(out, underline);
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < shown; c++) {
                String cell = cut(row[c], widths[c]);
                line.append(c == shown - 1 ? cell : ListFormatter.pad(cell, widths[c] + 1));
            }
            appendLine(out, line);
        }
        return out.append('\n').toString();
    }

    /** Widths without -AutoSize: declared widths kept, the rest shrunk to share what is left. */
    private static int[] shared(List<DefaultView.Column> columns, int[] natural, int usable) {
        int n = columns.size();
        int[] widths = new int[n];
        int room = usable - (n - 1);
        List<Integer> flexible = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            if (columns.get(c).width() > 0) {
                widths[c] = columns.get(c).width();
                room -= widths[c];
            } else {
                flexible.add(c);
            }
        }
        flexible.sort(Comparator.comparingInt(c -> natural[c]));
        int left = flexible.size();
        for (int c : flexible) {
            int share = Math.max(NARROWEST_COLUMN, room / left);
            widths[c] = Math.min(natural[c], share);
            room -= widths[c];
            left--;
        }
        return widths;
    }

    /** The header as the first object spells the property, else as typed. */
    private static String displayName(String property, List<ShellObject> objects) {
        for (ShellObject o : objects) if (o.canonicalName(property) != null) return o.canonicalName(property);
        return property;
    }

    static String cut(String text, int width) {
        if (text.length() <= width) return text;
        return width >= NARROWEST_COLUMN ? text.substring(0, width - 3) + "..." : text.substring(0, width);
    }

    private static String firstLine(String value) {
        int newline = value.indexOf('\n');
        return newline < 0 ? value : value.substring(0, newline).replace("\r", "") + "...";
    }

    private static void appendLine(StringBuilder out, StringBuilder line) {
        ListFormatter.trimEnd(line);
        out.append(line).append('\n');
    }
}
