package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Admin shell: what a cmdlet's implementation sees when it runs: the bound parameters as the
 * administrator typed them (text, lists, switches), the piped objects, and the console streams
 * (warnings, verbose, errors, "What if:"). Values stay text: "10MB", "unlimited" and
 * "00:05:00" are for the cmdlet to interpret, and its complaints go through
 * {@link #parameterError} so they read like PowerShell's.
 */
public final class Invocation {
    private final Cmdlet cmdlet;
    private final Map<String, Value> bound;
    private final List<ShellObject> input;
    private final Transcript transcript;
    private final ScriptPosition extent;
    private final int consoleWidth;

    Invocation(Cmdlet cmdlet, Map<String, Value> bound, List<ShellObject> input, Transcript transcript,
               ScriptPosition extent, int consoleWidth) {
        this.cmdlet = cmdlet;
        TreeMap<String, Value> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(bound);
        this.bound = Collections.unmodifiableMap(byName);
        this.input = List.copyOf(input);
        this.transcript = transcript;
        this.extent = extent;
        this.consoleWidth = consoleWidth;
    }

    public String commandName() {
        return cmdlet.name();
    }

    /** Whether the parameter was given, even as $null ($PSBoundParameters.ContainsKey). */
    public boolean isBound(String parameter) {
        return bound.containsKey(parameter);
    }

    /** The value as parsed, or null when not bound. */
    public Value argument(String parameter) {
        return bound.get(parameter);
    }

    /** The text of a one-value parameter; null when not bound or given $null. */
    public String value(String parameter) {
        Value v = bound.get(parameter);
        if (v == null) return null;
        List<Value> items = v.items();
        return items.size() == 1 ? items.get(0).display() : v.display();
    }

    public String value(String parameter, String fallback) {
        return isBound(parameter) ? value(parameter) : fallback;
    }

    /** The texts of a list parameter ({@code a,b} or {@code @("a","b")}); empty when not bound. */
    public List<String> values(String parameter) {
        Value v = bound.get(parameter);
        if (v == null || v instanceof Value.Null) return List.of();
        if (v instanceof Value.Hashtable) {
            throw parameterError(parameter, "A hashtable such as @{Add=...} can't be used here; give the complete list.");
        }
        List<String> out = new ArrayList<>();
        for (Value item : v.items()) if (item.display() != null) out.add(item.display());
        return out;
    }

    /**
     * Exchange's multi-valued edit {@code -RemoteIPRanges @{Add="10.0.0.1"; Remove="10.0.0.2"}}:
     * keys (Add, Remove, as typed) to their values; empty when a plain value was given.
     */
    public Optional<Map<String, List<String>>> edits(String parameter) {
        if (!(bound.get(parameter) instanceof Value.Hashtable table)) return Optional.empty();
        Map<String, List<String>> out = new LinkedHashMap<>();
        table.entries().forEach((key, value) -> out.put(key, value.items().stream().map(Value::display).filter(s -> s != null).toList()));
        return Optional.of(out);
    }

    /** Whether a switch parameter is on ({@code -Force}, not {@code -Force:$false}). */
    public boolean isSwitchOn(String parameter) {
        return bound.get(parameter) instanceof Value.Bool b && b.value();
    }

    /**
     * A Boolean-valued parameter such as {@code -Enabled $false}, converted as PowerShell converts
     * to System.Boolean; empty when not bound.
     */
    public Optional<Boolean> bool(String parameter) {
        Value v = bound.get(parameter);
        if (v == null) return Optional.empty();
        if (v instanceof Value.Bool b) return Optional.of(b.value());
        String text = v.display();
        if ("true".equalsIgnoreCase(text) || "1".equals(text)) return Optional.of(true);
        if ("false".equalsIgnoreCase(text) || "0".equals(text)) return Optional.of(false);
        throw new ShellException(ErrorRecord.of(ErrorCategory.InvalidArgument, "Cannot process argument transformation on parameter '"
                + parameter + "'. Cannot convert value \"" + text + "\" to type \"System.Boolean\". Boolean parameters accept only "
                + "Boolean values and numbers, such as $True, $False, 1 or 0.")
            .withExceptionType("ParameterBindingArgumentTransformationException")
            .withErrorId("ParameterArgumentTransformationError," + cmdlet.name()).withCommand(cmdlet.name()).withPosition(extent), true);
    }

    /** Every piped object for a whole-pipeline cmdlet; the current one (or none) for the others. */
    public List<ShellObject> input() {
        return input;
    }

    /** The piped object this run is for, when running once per piped object. */
    public Optional<ShellObject> pipelineObject() {
        return cmdlet.inputMode() == Cmdlet.InputMode.PER_OBJECT && input.size() == 1 ? Optional.of(input.get(0)) : Optional.empty();
    }

    /** The domain object behind the current piped object, when it is a {@code type}. */
    public <T> Optional<T> pipelineSource(Class<T> type) {
        return pipelineObject().flatMap(o -> o.source(type));
    }

    public void writeWarning(String text) {
        String action = value("WarningAction", "Continue");
        if (!"SilentlyContinue".equalsIgnoreCase(action) && !"Ignore".equalsIgnoreCase(action)) transcript.line("WARNING: " + text);
    }

    /** Shown only under -Verbose. */
    public void writeVerbose(String text) {
        if (isSwitchOn("Verbose")) transcript.line("VERBOSE: " + text);
    }

    /** A non-terminating error: reported, and the cmdlet goes on (use {@link #error} to stop this object). */
    public void writeError(ErrorRecord record) {
        report(complete(record), transcript, value("ErrorAction", "Continue"));
    }

    public void writeError(ErrorCategory category, String message) {
        writeError(ErrorRecord.of(category, message));
    }

    /**
     * Whether to make a change; under -WhatIf prints {@code What if: <description>} and answers
     * false. Exchange describes the change, e.g. {@code Configuring Receive connector "EX01\Default EX01".}
     * There is no interactive prompt: -Confirm is accepted and the change goes ahead.
     */
    public boolean shouldProcess(String description) {
        if (isSwitchOn("WhatIf")) {
            transcript.line("What if: " + description);
            return false;
        }
        return true;
    }

    /** An error to throw: this piped object fails, the next ones still run. */
    public ShellException error(ErrorCategory category, String message) {
        return new ShellException(complete(ErrorRecord.of(category, message)));
    }

    /** An error to throw that stops the whole statement. */
    public ShellException terminatingError(ErrorCategory category, String message) {
        return new ShellException(complete(ErrorRecord.of(category, message)), true);
    }

    /** {@code Cannot bind parameter 'X'. <message>}, for values the cmdlet cannot use. */
    public ShellException parameterError(String parameter, String message) {
        return new ShellException(ErrorRecord.of(ErrorCategory.InvalidArgument, "Cannot bind parameter '" + parameter + "'. " + message)
            .withExceptionType("ParameterBindingException").withErrorId("ParameterArgumentValidationError," + cmdlet.name())
            .withCommand(cmdlet.name()).withPosition(extent));
    }

    public int consoleWidth() {
        return consoleWidth;
    }

    /** Fills in the command, position and target PowerShell would attach. */
    ErrorRecord complete(ErrorRecord record) {
        ErrorRecord out = record.commandName() == null ? record.withCommand(cmdlet.name()) : record;
        if (out.position() == null) out = out.withPosition(extent);
        if (out.targetName() == null && pipelineObject().isPresent()) {
            out = out.withTarget(pipelineObject().get().identity(), pipelineObject().get().shortTypeName());
        }
        return out;
    }

    /** Applies -ErrorAction to a non-terminating error. */
    static void report(ErrorRecord record, Transcript transcript, String errorAction) {
        if ("Ignore".equalsIgnoreCase(errorAction)) return;
        if ("Stop".equalsIgnoreCase(errorAction)) throw new ShellException(record, true);
        transcript.error(record, !"SilentlyContinue".equalsIgnoreCase(errorAction));
    }
}
