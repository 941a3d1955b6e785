package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Admin shell: the table a type is shown as when a pipeline ends without a formatter, as
 * Exchange's format files show Get-ReceiveConnector as {@code Identity  Bindings  Enabled}.
 * Columns with a width keep it (longer values end in "..."); columns without one are sized from
 * their content and shrunk only to fit the console.
 */
public record DefaultView(List<Column> columns) {
    /** @param width characters, or 0 to size from content */
    public record Column(String property, int width) {}

    public DefaultView {
        columns = List.copyOf(columns);
    }

    public static DefaultView table(String... properties) {
        List<Column> columns = new ArrayList<>();
        for (String p : properties) columns.add(new Column(p, 0));
        return new DefaultView(columns);
    }

    public static DefaultView table(Column... columns) {
        return new DefaultView(List.of(columns));
    }

    public static Column column(String property, int width) {
        return new Column(property, width);
    }

    public List<String> properties() {
        return columns.stream().map(Column::property).toList();
    }
}
