package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Admin shell: runs the lines an administrator types, as the Exchange Management Shell would:
 * parse, resolve every command and bind its command line (so a typo anywhere stops the
 * statement before anything changes), run the pipeline left to right, and format what comes out
 * of the last command. Statements separated by {@code ;} run one after the other; an error in one
 * does not stop the next.
 *
 * <p>Each command runs to completion before the next starts, instead of PowerShell's
 * object-at-a-time streaming; the results are the same for these cmdlets, and the warnings and
 * errors of each command appear together.
 *
 * <p>Errors: an error reported for one piped object (a binding failure or a
 * {@link ShellException} thrown while running for it) is non-terminating: it is shown, and the
 * next object runs. Parse errors, unknown commands or parameters, and terminating errors stop the
 * statement. {@code -ErrorAction Stop} makes a command's errors terminating; SilentlyContinue
 * keeps them off the console but in {@link ShellResult#errors()}; Ignore drops them.
 *
 * <p>Without a formatter at the end, objects show as their type's {@link DefaultView} table if
 * one is registered, else as PowerShell does: a table for up to four properties, a list beyond.
 */
public final class ShellSession {
    public static final int DEFAULT_CONSOLE_WIDTH = 120;
    /** PowerShell's rule for objects without a view: up to this many properties make a table. */
    private static final int MOST_TABLE_PROPERTIES = 4;

    private final CmdletRegistry registry;
    private final int consoleWidth;

    public ShellSession(CmdletRegistry registry) {
        this(registry, DEFAULT_CONSOLE_WIDTH);
    }

    public ShellSession(CmdletRegistry registry, int consoleWidth) {
        this.registry = registry;
        this.consoleWidth = consoleWidth;
    }

    public ShellResult execute(String line) {
        Transcript transcript = new Transcript();
        List<Pipeline> statements;
        try {
            statements = Parser.parse(line);
        } catch (ShellException e) {
            transcript.error(e.record(), true);
            return new ShellResult(transcript.text(), transcript.errors(), false);
        }
        for (Pipeline statement : statements) run(statement, transcript);
        return new ShellResult(transcript.text(), transcript.errors(), transcript.errors().isEmpty());
    }

    private void run(Pipeline pipeline, Transcript transcript) {
        try {
            List<Stage> stages = new ArrayList<>();
            for (Pipeline.CommandCall call : pipeline.commands()) {
                Cmdlet cmdlet = registry.resolve(call);
                Binder binder = new Binder(cmdlet, call);
                stages.add(new Stage(cmdlet, call, binder, binder.bindCommandLine()));
            }
            List<ShellObject> flow = List.of();
            for (int i = 0; i < stages.size(); i++) flow = stages.get(i).run(flow, i == 0, transcript);
            writeDefault(flow, transcript);
        } catch (ShellException e) {
            transcript.error(e.record(), true);
        }
    }

    /** One command of the statement, bound to its command line. */
    private final class Stage {
        private final Cmdlet cmdlet;
        private final Pipeline.CommandCall call;
        private final Binder binder;
        private final Map<String, Value> bound;
        private final String errorAction;

        Stage(Cmdlet cmdlet, Pipeline.CommandCall call, Binder binder, Map<String, Value> bound) {
            this.cmdlet = cmdlet;
            this.call = call;
            this.binder = binder;
            this.bound = bound;
            Value action = bound.get("ErrorAction");
            this.errorAction = action == null ? "Continue" : action.display();
        }

        List<ShellObject> run(List<ShellObject> input, boolean first, Transcript transcript) {
            if (first || cmdlet.inputMode() == Cmdlet.InputMode.WHOLE_PIPELINE) {
                binder.checkMandatory(bound, false);
                return invoke(bound, input, transcript);
            }
            // Later in a pipeline, a per-object cmdlet runs once for each object it receives, and
            // not at all when nothing arrives (as ProcessRecord); mandatory parameters that no
            // piped object could supply are missing for all of them, so that is checked once.
            binder.checkMandatory(bound, true);
            List<ShellObject> out = new ArrayList<>();
            for (ShellObject object : input) {
                Map<String, Value> forObject;
                try {
                    forObject = binder.bindPipelineObject(bound, object);
                    binder.checkMandatory(forObject, false);
                } catch (ShellException e) {
                    Invocation.report(e.record(), transcript, errorAction);
                    continue;
                }
                out.addAll(invoke(forObject, List.of(object), transcript));
            }
            return out;
        }

        private List<ShellObject> invoke(Map<String, Value> parameters, List<ShellObject> input, Transcript transcript) {
            Invocation inv = new Invocation(cmdlet, parameters, input, transcript, call.extent(), consoleWidth);
            try {
                List<ShellObject> out = cmdlet.body().invoke(inv);
                return out == null ? List.of() : out;
            } catch (ShellException e) {
                ErrorRecord record = inv.complete(e.record());
                if (e.terminating()) throw new ShellException(record, true);
                Invocation.report(record, transcript, errorAction);
                return List.of();
            } catch (RuntimeException e) {
                // A fault in a cmdlet stops its statement with the fault's message, not a stack trace.
                String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                throw new ShellException(inv.complete(ErrorRecord.of(ErrorCategory.NotSpecified, message)
                    .withExceptionType(e.getClass().getSimpleName())), true);
            }
        }
    }

    /** Out-Default: formats what reached the end of the statement, one block per run of one type. */
    private void writeDefault(List<ShellObject> objects, Transcript transcript) {
        int start = 0;
        while (start < objects.size()) {
            String type = objects.get(start).typeName();
            int end = start;
            while (end < objects.size() && objects.get(end).typeName().equals(type)) end++;
            List<ShellObject> run = objects.subList(start, end);
            ShellObject first = run.get(0);
            if (ShellObject.STRING_TYPE.equals(type)) {
                for (ShellObject text : run) {
                    String s = String.valueOf(text.source());
                    transcript.append(s.endsWith("\n") ? s : s + "\n");
                }
            } else if (registry.viewFor(first).isPresent()) {
                transcript.append(TableFormatter.render(run, registry.viewFor(first).get().columns(), false, false, consoleWidth,
                    warning -> transcript.line("WARNING: " + warning)));
            } else if (first.propertyNames().size() <= MOST_TABLE_PROPERTIES) {
                List<DefaultView.Column> columns = first.propertyNames().stream().map(p -> new DefaultView.Column(p, 0)).toList();
                transcript.append(TableFormatter.render(run, columns, false, false, consoleWidth, warning -> transcript.line("WARNING: " + warning)));
            } else {
                transcript.append(ListFormatter.render(run, null, consoleWidth));
            }
            start = end;
        }
    }
}
