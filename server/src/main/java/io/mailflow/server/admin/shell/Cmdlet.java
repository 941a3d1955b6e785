package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Admin shell: one cmdlet as registered in {@link CmdletRegistry}: its name, parameters, what it
 * emits and its implementation. The common parameters every cmdlet accepts (-Verbose,
 * -ErrorAction, -WarningAction, and -WhatIf/-Confirm when it changes state) are added here so
 * that no cmdlet declares them.
 *
 * <pre>
 * Cmdlet.named("Set-ReceiveConnector")
 *     .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
 *     .parameter(Parameter.value("Banner"))
 *     .supportsShouldProcess()
 *     .runs(inv -&gt; { ...; return List.of(); });
 * </pre>
 *
 * <p>How often the implementation runs follows PowerShell's ProcessRecord: a cmdlet with a
 * pipeline parameter runs once per piped object (or once when it starts the pipeline); one
 * declared {@link Builder#takesWholePipeline()} runs once with all of its input (Sort-Object,
 * Format-Table); any other runs once when it starts the pipeline and rejects piped input.
 */
public final class Cmdlet {
    /** The implementation: returns the objects it writes to the pipeline. */
    @FunctionalInterface
    public interface Body {
        List<ShellObject> invoke(Invocation inv);
    }

    enum InputMode { NONE, PER_OBJECT, WHOLE_PIPELINE }

    private static final List<Parameter> COMMON = List.of(
        Parameter.switchParameter("Verbose").alias("vb"),
        Parameter.switchParameter("Debug").alias("db"),
        Parameter.value("ErrorAction").alias("ea").validate(Cmdlet::checkActionPreference),
        Parameter.value("WarningAction").alias("wa").validate(Cmdlet::checkActionPreference));
    private static final List<Parameter> SHOULD_PROCESS = List.of(
        Parameter.switchParameter("WhatIf").alias("wi"),
        Parameter.switchParameter("Confirm").alias("cf"));
    static final List<String> ACTION_PREFERENCES = List.of("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend");

    private final String name;
    private final List<Parameter> parameters;
    private final InputMode inputMode;
    private final boolean supportsShouldProcess;
    private final String outputType;
    private final DefaultView view;
    private final Body body;

    private Cmdlet(Builder b, Body body) {
        this.name = b.name;
        List<Parameter> all = new ArrayList<>(b.parameters);
        all.addAll(COMMON);
        if (b.shouldProcess) all.addAll(SHOULD_PROCESS);
        this.parameters = Collections.unmodifiableList(all);
        this.inputMode = b.wholePipeline ? InputMode.WHOLE_PIPELINE
            : b.parameters.stream().anyMatch(Parameter::takesPipelineInput) ? InputMode.PER_OBJECT : InputMode.NONE;
        this.supportsShouldProcess = b.shouldProcess;
        this.outputType = b.outputType;
        this.view = b.view;
        this.body = body;
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Declared parameters followed by the common ones. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public boolean supportsShouldProcess() {
        return supportsShouldProcess;
    }

    /** Type name of the objects it emits, or null if it did not say. */
    public String outputType() {
        return outputType;
    }

    public DefaultView view() {
        return view;
    }

    InputMode inputMode() {
        return inputMode;
    }

    Body body() {
        return body;
    }

    private static void checkActionPreference(String value) {
        for (String p : ACTION_PREFERENCES) if (p.equalsIgnoreCase(value)) return;
        throw new IllegalArgumentException("Cannot convert value \"" + value + "\" to type \"System.Management.Automation.ActionPreference\". "
            + "Error: \"Unable to match the identifier name " + value + " to a valid enumerator name. Specify one of the following "
            + "enumerator names and try again: " + String.join(", ", ACTION_PREFERENCES) + "\"");
    }

    /** Collects a cmdlet's declaration; {@link #runs} finishes it. */
    public static final class Builder {
        private final String name;
        private final List<Parameter> parameters = new ArrayList<>();
        private boolean shouldProcess;
        private boolean wholePipeline;
        private String outputType;
        private DefaultView view;

        private Builder(String name) {
            this.name = name;
        }

        public Builder parameter(Parameter parameter) {
            parameters.add(parameter);
            return this;
        }

        public Builder parameters(Parameter... more) {
            parameters.addAll(List.of(more));
            return this;
        }

        /** Adds -WhatIf and -Confirm; the cmdlet asks {@link Invocation#shouldProcess} before changing anything. */
        public Builder supportsShouldProcess() {
            shouldProcess = true;
            return this;
        }

        /** Runs once with every piped object, for cmdlets that need them all (sorting, formatting). */
        public Builder takesWholePipeline() {
            wholePipeline = true;
            return this;
        }

        /** The type name of emitted objects and the table they show as by default. */
        public Builder outputs(String typeName, DefaultView defaultView) {
            outputType = typeName;
            view = defaultView;
            return this;
        }

        public Cmdlet runs(Body body) {
            return new Cmdlet(this, body);
        }
    }
}
