package io.mailflow.server.admin.shell;

import java.util.List;

/**
 * Admin shell: one statement of a typed line, as {@link Parser} produces it and
 * {@link ShellSession} runs it: commands joined by {@code |}. Whether {@code -Force x} is a
 * switch followed by a positional argument or a parameter with its value is decided later, by the
 * binder, which knows the cmdlet's parameters.
 */
public record Pipeline(List<CommandCall> commands) {
    public Pipeline {
        commands = List.copyOf(commands);
    }

    /**
     * One command as typed: the name (possibly an alias) and its elements in order.
     *
     * @param position the name, underlined when the command is not found
     * @param extent   the whole command with its arguments, underlined under cmdlet errors
     */
    public record CommandCall(String name, List<Element> elements, ScriptPosition position, ScriptPosition extent) {
        public CommandCall {
            elements = List.copyOf(elements);
        }
    }

    /** A parameter name or an argument. */
    public sealed interface Element {
        ScriptPosition position();
    }

    /**
     * {@code -Name}, or {@code -Name:value} with {@code colon} set; a colon with nothing after it
     * leaves {@code value} null so the binder can say the argument is missing.
     */
    public record ParameterName(String name, boolean colon, Value value, ScriptPosition position) implements Element {}

    /** Anything that is not a parameter name: a value, positional or following a parameter. */
    public record Argument(Value value, ScriptPosition position) implements Element {}
}
