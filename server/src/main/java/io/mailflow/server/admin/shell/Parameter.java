package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Admin shell: one parameter of a cmdlet, declared once with everything the binder needs, the
 * way Exchange's cmdlet reference lists Position, Mandatory and "Accept pipeline input".
 *
 * <pre>
 * Parameter.value("Identity").position(0).mandatory().fromPipelineByPropertyName()
 * Parameter.value("MaxInboundConnectionPerSource").validate(Limits::perSource)
 * Parameter.list("RemoteIPRanges")
 * Parameter.switchParameter("Force")
 * </pre>
 *
 * @param position -1 when the parameter can only be named
 */
public record Parameter(String name, Kind kind, List<String> aliases, int position, boolean isMandatory,
                        boolean takesPipelineValue, boolean takesPipelinePropertyName, Validator validator) {

    /** What the parameter takes. */
    public enum Kind {
        /** One value: a word, string, number, $true/$false/$null or script block. */
        VALUE,
        /** One value or a comma list or @(...) array or @{Add=...;Remove=...} hashtable. */
        LIST,
        /** Present or not; {@code -Name:$false} turns it off explicitly. */
        SWITCH
    }

    /**
     * Checks one value at binding time, once per command line rather than once per piped object.
     * Throw IllegalArgumentException with the text after "Cannot bind parameter 'X'. ".
     */
    @FunctionalInterface
    public interface Validator {
        void check(String value);
    }

    public Parameter {
        aliases = List.copyOf(aliases);
    }

    public static Parameter value(String name) {
        return new Parameter(name, Kind.VALUE, List.of(), -1, false, false, false, null);
    }

    public static Parameter list(String name) {
        return new Parameter(name, Kind.LIST, List.of(), -1, false, false, false, null);
    }

    public static Parameter switchParameter(String name) {
        return new Parameter(name, Kind.SWITCH, List.of(), -1, false, false, false, null);
    }

    public Parameter position(int index) {
        return new Parameter(name, kind, aliases, index, isMandatory, takesPipelineValue, takesPipelinePropertyName, validator);
    }

    public Parameter mandatory() {
        return new Parameter(name, kind, aliases, position, true, takesPipelineValue, takesPipelinePropertyName, validator);
    }

    public Parameter alias(String... more) {
        List<String> all = new ArrayList<>(aliases);
        all.addAll(List.of(more));
        return new Parameter(name, kind, all, position, isMandatory, takesPipelineValue, takesPipelinePropertyName, validator);
    }

    /** Binds the piped object itself (its Identity, else Name), as Exchange's Identity parameters do. */
    public Parameter fromPipeline() {
        return new Parameter(name, kind, aliases, position, isMandatory, true, takesPipelinePropertyName, validator);
    }

    /** Binds the piped object's property of the same name (or an alias's name). */
    public Parameter fromPipelineByPropertyName() {
        return new Parameter(name, kind, aliases, position, isMandatory, takesPipelineValue, true, validator);
    }

    public Parameter validate(Validator check) {
        return new Parameter(name, kind, aliases, position, isMandatory, takesPipelineValue, takesPipelinePropertyName, check);
    }

    public boolean isSwitch() {
        return kind == Kind.SWITCH;
    }

    public boolean takesPipelineInput() {
        return takesPipelineValue || takesPipelinePropertyName;
    }

    /** The .NET type PowerShell names in "Specify a parameter of type ..." messages. */
    String typeName() {
        return switch (kind) {
            case VALUE -> "System.String";
            case LIST -> "System.String[]";
            case SWITCH -> "System.Management.Automation.SwitchParameter";
        };
    }
}
