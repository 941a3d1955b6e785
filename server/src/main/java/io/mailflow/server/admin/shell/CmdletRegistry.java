package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Admin shell: the cmdlets, aliases and default views a {@link ShellSession} knows. Names are
 * case-insensitive ({@code get-receiveconnector} works). {@link #withBuiltins()} brings the
 * formatting and filtering cmdlets every pipeline relies on (Format-List/fl, Format-Table/ft,
 * Select-Object/select, Where-Object/where/?, Sort-Object/sort, Get-Command/gcm); the
 * Exchange cmdlets are registered on top.
 */
public final class CmdletRegistry {
    private final Map<String, Cmdlet> cmdlets = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> aliases = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, DefaultView> views = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** An empty registry; most callers want {@link #withBuiltins()}. */
    public CmdletRegistry() {}

    public static CmdletRegistry withBuiltins() {
        CmdletRegistry registry = new CmdletRegistry();
        Builtins.registerInto(registry);
        return registry;
    }

    /** Adds a cmdlet, and its default view under its output type if it declared one. */
    public CmdletRegistry register(Cmdlet cmdlet) {
        if (cmdlets.containsKey(cmdlet.name()) || aliases.containsKey(cmdlet.name())) {
            throw new IllegalArgumentException("A command named " + cmdlet.name() + " is already registered");
        }
        cmdlets.put(cmdlet.name(), cmdlet);
        if (cmdlet.outputType() != null && cmdlet.view() != null) views.put(cmdlet.outputType(), cmdlet.view());
        return this;
    }

    public CmdletRegistry alias(String alias, String cmdletName) {
        if (!cmdlets.containsKey(cmdletName)) throw new IllegalArgumentException("No cmdlet " + cmdletName + " to alias as " + alias);
        aliases.put(alias, cmdlets.get(cmdletName).name());
        return this;
    }

    /** The default table for objects of {@code typeName} (full or short name). */
    public CmdletRegistry view(String typeName, DefaultView view) {
        views.put(typeName, view);
        return this;
    }

    /** The cmdlet a name or alias stands for. */
    public Optional<Cmdlet> find(String nameOrAlias) {
        Cmdlet direct = cmdlets.get(nameOrAlias);
        if (direct != null) return Optional.of(direct);
        String target = aliases.get(nameOrAlias);
        return target == null ? Optional.empty() : Optional.ofNullable(cmdlets.get(target));
    }

    public List<Cmdlet> cmdlets() {
        return List.copyOf(cmdlets.values());
    }

    public Map<String, String> aliases() {
        return Collections.unmodifiableMap(aliases);
    }

    /** The registered view for this object's type, by full name and then short name. */
    Optional<DefaultView> viewFor(ShellObject object) {
        DefaultView view = views.get(object.typeName());
        if (view == null) view = views.get(object.shortTypeName());
        return Optional.ofNullable(view);
    }

    /** The cmdlet for a typed command, or PowerShell's CommandNotFoundException. */
    Cmdlet resolve(Pipeline.CommandCall call) {
        return find(call.name()).orElseThrow(() -> {
            List<String> names = new ArrayList<>(cmdlets.keySet());
            ErrorRecord record = ErrorRecord.of(ErrorCategory.ObjectNotFound,
                    "The term '" + call.name() + "' is not recognized as the name of a cmdlet, function, script file, or operable program. "
                        + "Check the spelling of the name, or if a path was included, verify that the path is correct and try again.")
                .withExceptionType("CommandNotFoundException").withErrorId("CommandNotFoundException")
                .withCommand(call.name()).withTarget(call.name(), "String").withPosition(call.position());
            record = Suggestions.closest(call.name(), names).map(s -> "Did you mean " + s + "?")
                .map(record::withRecommendedAction).orElse(record);
            return new ShellException(record, true);
        });
    }
}
