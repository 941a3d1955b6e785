package io.mailflow.server.admin.shell;

/**
 * Admin shell: where in the typed line a token sits, for the {@code At line:1 char:22} block
 * PowerShell prints under parse and binding errors.
 */
public record ScriptPosition(String script, int start, int end) {
    /** Widest line shown after "+ " before PowerShell shortens it with "...". */
    private static final int SHOWN_WIDTH = 110;

    public ScriptPosition {
        start = Math.max(0, Math.min(start, script.length()));
        end = Math.max(start, Math.min(end, script.length()));
    }

    public int line() {
        int line = 1;
        for (int i = 0; i < start; i++) if (script.charAt(i) == '\n') line++;
        return line;
    }

    public int column() {
        return start - lineStart() + 1;
    }

    private int lineStart() {
        return script.lastIndexOf('\n', start - 1) + 1;
    }

    /** The three lines PowerShell prints: position, the line, and tildes under the token. */
    public String render() {
        int from = lineStart();
        int to = script.indexOf('\n', start);
        if (to < 0) to = script.length();
        String text = script.substring(from, to).replace("\r", "");
        int col = start - from;
        int width = Math.max(1, Math.min(end, to) - start);
        String prefix = "";
        if (text.length() > SHOWN_WIDTH && col + width > SHOWN_WIDTH - 4) {
            // Keep the offending token visible, as PowerShell does, by cutting the line's start.
            int cut = Math.min(col, text.length() - (SHOWN_WIDTH - 4));
            text = text.substring(cut);
            col -= cut;
            prefix = "... ";
        }
        if (text.length() + prefix.length() > SHOWN_WIDTH) {
            text = text.substring(0, SHOWN_WIDTH - prefix.length() - 4) + " ...";
        }
        return "At line:" + line() + " char:" + column() + "\n"
            + "+ " + prefix + text + "\n"
            + "+ " + " ".repeat(prefix.length() + col) + "~".repeat(Math.min(width, Math.max(1, text.length() - col))) + "\n";
    }
}
