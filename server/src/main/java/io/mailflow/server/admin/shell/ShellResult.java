package io.mailflow.server.admin.shell;

import java.util.List;

/**
 * Admin shell: what one typed line produced.
 *
 * @param output  the console text as PowerShell would show it: formatted objects, WARNING:,
 *                VERBOSE: and What if: lines, and the rendered errors where they occurred
 * @param errors  every error, including those -ErrorAction SilentlyContinue kept off the console
 * @param success PowerShell's {@code $?}: false when any error was reported
 */
public record ShellResult(String output, List<ErrorRecord> errors, boolean success) {
    public ShellResult {
        errors = List.copyOf(errors);
    }
}
