package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Admin shell: PowerShell's parameter binding for one command: named parameters (exact name,
 * alias, or unambiguous prefix, as {@code -MaxMess} for MaxMessageSize), then positional
 * arguments, then, for each piped object, the pipeline parameters. Errors carry PowerShell's texts
 * so that an administrator recognises them.
 */
final class Binder {
    private final Cmdlet cmdlet;
    private final Pipeline.CommandCall call;

    Binder(Cmdlet cmdlet, Pipeline.CommandCall call) {
        this.cmdlet = cmdlet;
        this.call = call;
    }

    /** Binds what was typed; the returned map is keyed by the parameters' declared names. */
    Map<String, Value> bindCommandLine() {
        Map<String, Value> bound = new LinkedHashMap<>();
        List<Pipeline.Argument> positional = new ArrayList<>();
        List<Pipeline.Element> elements = call.elements();
        for (int i = 0; i < elements.size(); i++) {
            Pipeline.Element element = elements.get(i);
            if (element instanceof Pipeline.Argument argument) {
                positional.add(argument);
                continue;
            }
            Pipeline.ParameterName named = (Pipeline.ParameterName) element;
            Parameter parameter = resolve(named);
            Value value;
            if (parameter.isSwitch()) {
                value = named.colon() ? switchValue(parameter, named) : new Value.Bool(true);
            } else if (named.colon()) {
                if (named.value() == null) throw missingArgument(parameter, named.position());
                value = named.value();
            } else if (i + 1 < elements.size() && elements.get(i + 1) instanceof Pipeline.Argument next) {
                value = next.value();
                i++;
            } else {
                throw missingArgument(parameter, named.position());
            }
            if (bound.containsKey(parameter.name())) {
                throw error("Cannot bind parameter because parameter '" + parameter.name() + "' is specified more than once. "
                    + "To provide multiple values to parameters that can accept multiple values, use the array syntax. "
                    + "For example, \"-parameter value1,value2,value3\".", "ParameterAlreadyBound", named.position());
            }
            check(parameter, value, named.position());
            bound.put(parameter.name(), value);
        }
        bindPositional(bound, positional);
        return bound;
    }

    private void bindPositional(Map<String, Value> bound, List<Pipeline.Argument> positional) {
        List<Parameter> slots = cmdlet.parameters().stream().filter(p -> p.position() >= 0)
            .sorted(Comparator.comparingInt(Parameter::position)).toList();
        int next = 0;
        for (Pipeline.Argument argument : positional) {
            while (next < slots.size() && bound.containsKey(slots.get(next).name())) next++;
            if (next == slots.size()) {
                String shown = argument.value() instanceof Value.Array ? "System.Object[]" : argument.value().display();
                throw error("A positional parameter cannot be found that accepts argument '" + shown + "'.",
                    "PositionalParameterNotFound", argument.position());
            }
            Parameter parameter = slots.get(next++);
            check(parameter, argument.value(), argument.position());
            bound.put(parameter.name(), argument.value());
        }
    }

    /**
     * The parameters for one piped object: the command line's plus those the object supplies.
     * Throws a non-terminating error when the object binds to nothing, as PowerShell does.
     */
    Map<String, Value> bindPipelineObject(Map<String, Value> commandLine, ShellObject input) {
        Map<String, Value> bound = new LinkedHashMap<>(commandLine);
        boolean any = false;
        for (Parameter parameter : cmdlet.parameters()) {
            if (!parameter.takesPipelineInput() || commandLine.containsKey(parameter.name())) continue;
            Value value = null;
            if (parameter.takesPipelineValue()) {
                value = new Value.Text(input.identity(), false);
            } else {
                List<String> names = new ArrayList<>(parameter.aliases());
                names.add(0, parameter.name());
                for (String name : names) {
                    if (input.has(name)) {
                        String text = input.get(name);
                        value = text == null ? new Value.Null() : new Value.Text(text, false);
                        break;
                    }
                }
            }
            if (value == null) continue;
            any = true;
            check(parameter, value, call.extent());
            bound.put(parameter.name(), value);
        }
        if (!any) {
            throw new ShellException(bindingError("The input object cannot be bound to any parameters for the command either because the command "
                + "does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.",
                "InputObjectNotBound", call.extent()).withTarget(input.identity(), input.shortTypeName()));
        }
        return bound;
    }

    /** Mandatory parameters left unbound; pipeline ones are skipped while input may still supply them. */
    void checkMandatory(Map<String, Value> bound, boolean pipelineWillBind) {
        List<String> missing = new ArrayList<>();
        for (Parameter parameter : cmdlet.parameters()) {
            if (!parameter.isMandatory() || bound.containsKey(parameter.name())) continue;
            if (pipelineWillBind && parameter.takesPipelineInput()) continue;
            missing.add(parameter.name());
        }
        if (!missing.isEmpty()) {
            throw error("Cannot process command because of one or more missing mandatory parameters: " + String.join(" ", missing) + ".",
                "MissingMandatoryParameter", call.extent());
        }
    }

    private Parameter resolve(Pipeline.ParameterName named) {
        String typed = named.name();
        for (Parameter p : cmdlet.parameters()) {
            if (p.name().equalsIgnoreCase(typed)) return p;
            for (String alias : p.aliases()) if (alias.equalsIgnoreCase(typed)) return p;
        }
        String lower = typed.toLowerCase(Locale.ROOT);
        List<Parameter> prefixed = cmdlet.parameters().stream()
            .filter(p -> p.name().toLowerCase(Locale.ROOT).startsWith(lower)).toList();
        if (prefixed.size() == 1) return prefixed.get(0);
        if (prefixed.size() > 1) {
            StringBuilder names = new StringBuilder();
            for (Parameter p : prefixed) names.append(" -").append(p.name());
            throw error("Parameter cannot be processed because the parameter name '" + typed + "' is ambiguous. Possible matches include:"
                + names + ".", "AmbiguousParameter", named.position());
        }
        ErrorRecord record = bindingError("A parameter cannot be found that matches parameter name '" + typed + "'.",
            "NamedParameterNotFound", named.position());
        List<String> candidates = cmdlet.parameters().stream().map(Parameter::name).toList();
        throw new ShellException(Suggestions.closest(typed, candidates)
            .map(s -> record.withRecommendedAction("Did you mean " + s + "?")).orElse(record), true);
    }

    private Value switchValue(Parameter parameter, Pipeline.ParameterName named) {
        Value value = named.value();
        if (value instanceof Value.Bool) return value;
        String text = value == null ? null : value.display();
        if ("true".equalsIgnoreCase(text) || "1".equals(text)) return new Value.Bool(true);
        if ("false".equalsIgnoreCase(text) || "0".equals(text)) return new Value.Bool(false);
        throw error("Cannot process argument transformation on parameter '" + parameter.name() + "'. Cannot convert value \""
            + text + "\" to type \"" + parameter.typeName() + "\". Boolean parameters accept only Boolean values and numbers, "
            + "such as $True, $False, 1 or 0.", "ParameterArgumentTransformationError", named.position());
    }

    /** Shape, null and validator checks for one bound value. */
    private void check(Parameter parameter, Value value, ScriptPosition where) {
        if (parameter.kind() == Parameter.Kind.VALUE && (value instanceof Value.Array || value instanceof Value.Hashtable)) {
            String type = value instanceof Value.Array ? "System.Object[]" : "System.Collections.Hashtable";
            throw error("Cannot convert '" + type + "' to the type '" + parameter.typeName() + "' required by parameter '"
                + parameter.name() + "'. Specified method is not supported.", "CannotConvertArgument", where);
        }
        if (parameter.isMandatory()) {
            if (value instanceof Value.Null) {
                throw error("Cannot bind argument to parameter '" + parameter.name() + "' because it is null.",
                    "ParameterArgumentValidationErrorNullNotAllowed", where);
            }
            if (value instanceof Value.Text text && text.text().isEmpty()) {
                throw error("Cannot bind argument to parameter '" + parameter.name() + "' because it is an empty string.",
                    "ParameterArgumentValidationErrorEmptyStringNotAllowed", where);
            }
            if (value instanceof Value.Array array && array.items().isEmpty()) {
                throw error("Cannot bind argument to parameter '" + parameter.name() + "' because it is an empty array.",
                    "ParameterArgumentValidationErrorEmptyArrayNotAllowed", where);
            }
        }
        if (parameter.validator() == null) return;
        List<Value> checked = value instanceof Value.Hashtable table
            ? table.entries().values().stream().flatMap(v -> v.items().stream()).toList() : value.items();
        for (Value item : checked) {
            if (item.display() == null) continue;
            try {
                parameter.validator().check(item.display());
            } catch (IllegalArgumentException e) {
                throw error("Cannot bind parameter '" + parameter.name() + "'. " + e.getMessage(), "ParameterArgumentValidationError", where);
            }
        }
    }

    private ShellException missingArgument(Parameter parameter, ScriptPosition where) {
        return error("Missing an argument for parameter '" + parameter.name() + "'. Specify a parameter of type '"
            + parameter.typeName() + "' and try again.", "MissingArgument", where);
    }

    private ShellException error(String message, String id, ScriptPosition where) {
        return new ShellException(bindingError(message, id, where), true);
    }

    private ErrorRecord bindingError(String message, String id, ScriptPosition where) {
        return ErrorRecord.of(ErrorCategory.InvalidArgument, message).withExceptionType("ParameterBindingException")
            .withErrorId(id + "," + cmdlet.name()).withCommand(cmdlet.name()).withPosition(where);
    }
}
