package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Admin shell: the PowerShell cmdlets that shape any pipeline's output, whatever it carries:
 * Format-List (fl), Format-Table (ft), Select-Object (select), Where-Object (where, ?),
 * Sort-Object (sort) and Get-Command (gcm). Registered by {@link CmdletRegistry#withBuiltins()}.
 */
final class Builtins {
    private static final String COMMAND_TYPE = "System.Management.Automation.CmdletInfo";
    /** Where-Object's operator switches: -EQ ... -NotIn, and -CEQ ... for case-sensitive. */
    private static final List<String> OPERATOR_SWITCHES = List.of("EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike",
        "Match", "NotMatch", "Contains", "NotContains", "In", "NotIn");

    private Builtins() {}

    static void registerInto(CmdletRegistry registry) {
        registry.register(formatList());
        registry.register(formatTable(registry));
        registry.register(selectObject());
        registry.register(whereObject());
        registry.register(sortObject());
        registry.register(getCommand(registry));
        registry.alias("fl", "Format-List").alias("ft", "Format-Table").alias("select", "Select-Object")
            .alias("where", "Where-Object").alias("?", "Where-Object").alias("sort", "Sort-Object").alias("gcm", "Get-Command");
    }

    private static Cmdlet formatList() {
        return Cmdlet.named("Format-List")
            .parameter(Parameter.list("Property").position(0))
            .takesWholePipeline()
            .runs(inv -> inv.input().isEmpty() ? List.of()
                : List.of(ShellObject.text(ListFormatter.render(inv.input(), inv.values("Property"), inv.consoleWidth()))));
    }

    private static Cmdlet formatTable(CmdletRegistry registry) {
        return Cmdlet.named("Format-Table")
            .parameters(Parameter.list("Property").position(0), Parameter.switchParameter("AutoSize"),
                Parameter.switchParameter("HideTableHeaders"))
            .takesWholePipeline()
            .runs(inv -> {
                if (inv.input().isEmpty()) return List.of();
                ShellObject first = inv.input().get(0);
                List<DefaultView.Column> columns = new ArrayList<>();
                if (inv.isBound("Property")) {
                    for (String p : WildcardPattern.selectProperties(first, inv.values("Property"), true)) columns.add(new DefaultView.Column(p, 0));
                } else {
                    columns.addAll(registry.viewFor(first).map(DefaultView::columns).orElseGet(() ->
                        first.propertyNames().stream().map(p -> new DefaultView.Column(p, 0)).toList()));
                }
                return List.of(ShellObject.text(TableFormatter.render(inv.input(), columns, inv.isSwitchOn("AutoSize"),
                    inv.isSwitchOn("HideTableHeaders"), inv.consoleWidth(), inv::writeWarning)));
            });
    }

    private static Cmdlet selectObject() {
        return Cmdlet.named("Select-Object")
            .parameters(Parameter.list("Property").position(0), Parameter.value("ExpandProperty"),
                Parameter.value("First").validate(Builtins::checkCount), Parameter.value("Last").validate(Builtins::checkCount),
                Parameter.value("Skip").validate(Builtins::checkCount))
            .takesWholePipeline()
            .runs(inv -> {
                List<ShellObject> objects = inv.input();
                if (inv.isBound("Skip")) objects = objects.subList(Math.min(objects.size(), count(inv, "Skip")), objects.size());
                if (inv.isBound("First") || inv.isBound("Last")) {
                    Set<ShellObject> kept = new LinkedHashSet<>();
                    if (inv.isBound("First")) kept.addAll(objects.subList(0, Math.min(objects.size(), count(inv, "First"))));
                    if (inv.isBound("Last")) kept.addAll(objects.subList(Math.max(0, objects.size() - count(inv, "Last")), objects.size()));
                    objects = new ArrayList<>(kept);
                }
                List<ShellObject> out = new ArrayList<>();
                for (ShellObject o : objects) {
                    if (inv.isBound("ExpandProperty")) {
                        String name = inv.value("ExpandProperty");
                        if (!o.has(name)) {
                            inv.writeError(ErrorRecord.of(ErrorCategory.InvalidArgument, "Property \"" + name + "\" cannot be found.")
                                .withExceptionType("PSArgumentException").withErrorId("ExpandPropertyNotFound,Select-Object")
                                .withTarget(o.identity(), o.shortTypeName()));
                        } else if (o.get(name) != null) {
                            out.add(ShellObject.text(o.get(name)));
                        }
                    } else if (inv.isBound("Property")) {
                        String type = o.typeName().startsWith("Selected.") ? o.typeName() : "Selected." + o.typeName();
                        out.add(o.select(WildcardPattern.selectProperties(o, inv.values("Property"), true), type));
                    } else {
                        out.add(o);
                    }
                }
                return out;
            });
    }

    private static Cmdlet whereObject() {
        Cmdlet.Builder b = Cmdlet.named("Where-Object")
            .parameters(Parameter.value("Property").position(0), Parameter.list("Value").position(1), Parameter.value("FilterScript"));
        for (String op : OPERATOR_SWITCHES) {
            b.parameter(Parameter.switchParameter(op));
            b.parameter(Parameter.switchParameter("C" + op));
        }
        return b.takesWholePipeline().runs(inv -> {
            Value first = inv.isBound("FilterScript") ? inv.argument("FilterScript") : inv.argument("Property");
            Predicate<ShellObject> filter;
            if (first instanceof Value.ScriptBlock block) {
                filter = WhereFilter.parse(block);
            } else if (first == null || first.display() == null) {
                throw inv.terminatingError(ErrorCategory.InvalidArgument,
                    "Cannot process command because of one or more missing mandatory parameters: FilterScript.");
            } else {
                filter = simpleFilter(inv, first.display());
            }
            return inv.input().stream().filter(filter).toList();
        });
    }

    /** {@code Where-Object Name -eq 'x'}: property, one operator switch, value. */
    private static Predicate<ShellObject> simpleFilter(Invocation inv, String property) {
        List<String> operators = new ArrayList<>();
        for (String op : OPERATOR_SWITCHES) {
            if (inv.isSwitchOn(op)) operators.add(op);
            if (inv.isSwitchOn("C" + op)) operators.add("C" + op);
        }
        if (operators.size() > 1) throw inv.terminatingError(ErrorCategory.InvalidArgument, "Parameter set cannot be resolved using the specified named parameters.");
        if (operators.isEmpty() && !inv.isBound("Value")) return o -> Comparison.truthy(o.get(property));
        if (!inv.isBound("Value")) {
            throw inv.terminatingError(ErrorCategory.InvalidArgument,
                "The specified operator requires both the -Property and -Value parameters. Supply both parameters and retry.");
        }
        String op = operators.isEmpty() ? "eq" : operators.get(0);
        Value value = inv.argument("Value");
        return o -> Comparison.apply(op, o.get(property) == null ? new Value.Null() : new Value.Text(o.get(property), false), value);
    }

    private static Cmdlet sortObject() {
        return Cmdlet.named("Sort-Object")
            .parameters(Parameter.list("Property").position(0), Parameter.switchParameter("Descending"), Parameter.switchParameter("Unique"))
            .takesWholePipeline()
            .runs(inv -> {
                List<String> properties = inv.values("Property");
                Comparator<ShellObject> order = (a, b) -> 0;
                if (properties.isEmpty()) {
                    order = (a, b) -> Comparison.compare(a.identity(), b.identity(), false);
                }
                for (String p : properties) order = order.thenComparing((a, b) -> Comparison.compare(a.get(p), b.get(p), false));
                if (inv.isSwitchOn("Descending")) order = order.reversed();
                List<ShellObject> sorted = new ArrayList<>(inv.input());
                sorted.sort(order);
                if (!inv.isSwitchOn("Unique")) return sorted;
                List<ShellObject> unique = new ArrayList<>();
                for (ShellObject o : sorted) if (unique.isEmpty() || order.compare(unique.get(unique.size() - 1), o) != 0) unique.add(o);
                return unique;
            });
    }

    private static Cmdlet getCommand(CmdletRegistry registry) {
        return Cmdlet.named("Get-Command")
            .parameter(Parameter.list("Name").position(0))
            .outputs(COMMAND_TYPE, DefaultView.table(DefaultView.column("CommandType", 15), DefaultView.column("Name", 0)))
            .runs(inv -> {
                List<String> patterns = inv.isBound("Name") ? inv.values("Name") : List.of("*");
                List<ShellObject> out = new ArrayList<>();
                for (String pattern : patterns) {
                    int before = out.size();
                    for (Cmdlet c : registry.cmdlets()) {
                        if (WildcardPattern.matches(pattern, c.name(), true)) {
                            out.add(ShellObject.builder(COMMAND_TYPE, c).property("CommandType", "Cmdlet").property("Name", c.name()).build());
                        }
                    }
                    registry.aliases().forEach((alias, target) -> {
                        if (WildcardPattern.matches(pattern, alias, true)) {
                            out.add(ShellObject.builder(COMMAND_TYPE, target).property("CommandType", "Alias")
                                .property("Name", alias + " -> " + target).build());
                        }
                    });
                    if (out.size() == before && !WildcardPattern.hasWildcards(pattern)) {
                        inv.writeError(ErrorRecord.of(ErrorCategory.ObjectNotFound, "The term '" + pattern + "' is not recognized as the name of a cmdlet, "
                                + "function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that "
                                + "the path is correct and try again.")
                            .withExceptionType("CommandNotFoundException").withErrorId("CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand")
                            .withTarget(pattern, "String"));
                    }
                }
                return out;
            });
    }

    private static void checkCount(String value) {
        try {
            if (Integer.parseInt(value) >= 0) return;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Cannot convert value \"" + value + "\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\"");
        }
        throw new IllegalArgumentException("The " + value.toLowerCase(Locale.ROOT) + " argument is less than the minimum allowed range of 0. "
            + "Supply an argument that is greater than or equal to 0 and then try the command again.");
    }

    private static int count(Invocation inv, String parameter) {
        return Integer.parseInt(inv.value(parameter));
    }
}
