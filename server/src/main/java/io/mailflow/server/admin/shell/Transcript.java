package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Admin shell: what one {@link ShellSession#execute} call shows, in the order PowerShell's
 * console would show it: warnings, verbose lines and errors as they happen, formatted objects
 * when each statement ends.
 */
final class Transcript {
    private final StringBuilder text = new StringBuilder();
    private final List<ErrorRecord> errors = new ArrayList<>();

    void line(String line) {
        text.append(line).append('\n');
    }

    void append(String block) {
        text.append(block);
    }

    /** Records an error; {@code shown} false for -ErrorAction SilentlyContinue, which keeps it in $Error only. */
    void error(ErrorRecord record, boolean shown) {
        errors.add(record);
        if (shown) text.append(record.render());
    }

    String text() {
        return text.toString();
    }

    List<ErrorRecord> errors() {
        return List.copyOf(errors);
    }
}
