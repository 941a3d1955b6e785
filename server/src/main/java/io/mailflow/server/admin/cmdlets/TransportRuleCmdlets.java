package io.mailflow.server.admin.cmdlets;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.TransportRule;
import io.mailflow.core.organization.TransportRuleParameters;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.time.Clock;
import io.mailflow.server.admin.shell.Cmdlet;
import io.mailflow.server.admin.shell.DefaultView;
import io.mailflow.server.admin.shell.ErrorCategory;
import io.mailflow.server.admin.shell.Invocation;
import io.mailflow.server.admin.shell.Parameter;
import io.mailflow.server.admin.shell.ShellObject;
import io.mailflow.server.admin.shell.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * New-, Get-, Set-, Remove-, Enable- and Disable-TransportRule: the organization's mail flow
 * rules, read and checked by {@link TransportRuleParameters}, the table the organization file's
 * TransportRules go through. Rules are kept numbered 0..n-1: a rule given a Priority pushes the
 * rule that held it, and all after it, down by one. A change is used by the next message
 * categorized and is written to the {@link ConfigurationJournal}.
 */
public final class TransportRuleCmdlets {
    public static final String TYPE = "Microsoft.Exchange.MessagingPolicies.Rules.Tasks.Rule";
    private static final DefaultView VIEW = DefaultView.table("Name", "State", "Mode", "Priority", "Comments");
    /** Set by the cmdlets themselves: Name is New-'s first parameter, State by Enable-/Disable- (and -Enabled). */
    private static final Set<String> OWN = Set.of("Name", "State");

    private final OrganizationStore store;
    private final ConfigurationJournal journal;
    private final Clock clock;

    /** @param journal where changes are recorded; null while the journal itself is replayed */
    public TransportRuleCmdlets(OrganizationStore store, ConfigurationJournal journal, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    public List<Cmdlet> cmdlets() {
        return List.of(get(), create(), set(), remove(), state("Enable-TransportRule", TransportRule.State.Enabled),
            state("Disable-TransportRule", TransportRule.State.Disabled));
    }

    private Cmdlet get() {
        return Cmdlet.named("Get-TransportRule")
            .parameter(Parameter.value("Identity").position(0))
            .outputs(TYPE, VIEW)
            .runs(inv -> {
                List<TransportRule> rules = store.organization().transportRules();
                List<TransportRule> found = inv.isBound("Identity") ? List.of(find(inv, inv.value("Identity"))) : rules;
                return found.stream().map(TransportRuleCmdlets::toObject).toList();
            });
    }

    private Cmdlet create() {
        Cmdlet.Builder b = Cmdlet.named("New-TransportRule")
            .parameter(Parameter.value("Name").position(0).mandatory())
            .parameter(Parameter.value("Enabled"))
            .outputs(TYPE, VIEW)
            .supportsShouldProcess();
        ruleParameters(b);
        return b.runs(inv -> {
            Organization org = store.organization();
            String name = inv.value("Name");
            if (name == null || TransportRuleParameters.find(org.transportRules(), name).isPresent()) {
                throw inv.error(ErrorCategory.ResourceExists, "Transport rule '" + name + "' already exists.");
            }
            Map<String, String> changes = changes(inv);
            int count = org.transportRules().size();
            int priority = priority(inv, changes, count);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Name", name);
            all.putAll(changes);
            boolean enabled = inv.bool("Enabled").orElse(true);
            if (!enabled) {
                all.put("State", TransportRule.State.Disabled.name());
            }
            TransportRule created = apply(inv, org, TransportRule.named(name, priority), all);
            if (!inv.shouldProcess("Creating transport rule \"" + created.name() + "\".")) {
                return List.of();
            }
            commit(o -> o.withTransportRules(TransportRuleParameters.place(o.transportRules(), created, priority)),
                "New-TransportRule -Name " + ConfigurationJournal.quote(name) + (enabled ? "" : " -Enabled $false")
                    + journalParameters(changes));
            return List.of(toObject(TransportRuleParameters.find(store.organization().transportRules(), name)
                .orElse(created)));
        });
    }

    private Cmdlet set() {
        Cmdlet.Builder b = Cmdlet.named("Set-TransportRule")
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .parameter(Parameter.value("Name"))
            .supportsShouldProcess();
        ruleParameters(b);
        return b.runs(inv -> {
            Organization org = store.organization();
            TransportRule current = find(inv, inv.value("Identity"));
            Map<String, String> changes = new LinkedHashMap<>();
            if (inv.isBound("Name")) {
                changes.put("Name", inv.value("Name"));
            }
            changes.putAll(changes(inv));
            if (changes.isEmpty()) {
                inv.writeWarning("The command completed successfully but no settings of '" + current.name()
                    + "' have been modified.");
                return List.of();
            }
            List<TransportRule> others = without(org, current.name());
            String newName = changes.getOrDefault("Name", current.name());
            if (TransportRuleParameters.find(others, newName).isPresent()) {
                throw inv.parameterError("Name", "Transport rule '" + newName + "' already exists.");
            }
            // An existing rule takes 0..n-1.
            int priority = changes.containsKey("Priority") ? priority(inv, changes, others.size()) : current.priority();
            TransportRule changed = apply(inv, org, current, changes);
            if (!inv.shouldProcess("Configuring transport rule \"" + current.name() + "\".")) {
                return List.of();
            }
            commit(o -> o.withTransportRules(TransportRuleParameters.place(without(o, current.name()), changed, priority)),
                "Set-TransportRule -Identity " + ConfigurationJournal.quote(current.name()) + journalParameters(changes));
            return List.of();
        });
    }

    private Cmdlet remove() {
        return Cmdlet.named("Remove-TransportRule")
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .supportsShouldProcess()
            .runs(inv -> {
                TransportRule current = find(inv, inv.value("Identity"));
                if (!inv.shouldProcess("Removing transport rule \"" + current.name() + "\".")) {
                    return List.of();
                }
                commit(o -> o.withTransportRules(without(o, current.name())),
                    "Remove-TransportRule -Identity " + ConfigurationJournal.quote(current.name()) + " -Confirm:$false");
                return List.of();
            });
    }

    private Cmdlet state(String cmdletName, TransportRule.State state) {
        String verb = state == TransportRule.State.Enabled ? "Enabling" : "Disabling";
        return Cmdlet.named(cmdletName)
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .supportsShouldProcess()
            .runs(inv -> {
                TransportRule current = find(inv, inv.value("Identity"));
                if (!inv.shouldProcess(verb + " transport rule \"" + current.name() + "\".")) {
                    return List.of();
                }
                commit(o -> o.withTransportRules(o.transportRules().stream()
                        .map(r -> r.name().equalsIgnoreCase(current.name()) ? r.withState(state) : r).toList()),
                    cmdletName + " -Identity " + ConfigurationJournal.quote(current.name()));
                return List.of();
            });
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Every rule parameter of the table, so a typo gets the closest real name. */
    private static void ruleParameters(Cmdlet.Builder b) {
        for (Param<TransportRule, TransportRule.Builder, ?> p : TransportRuleParameters.TABLE.settable()) {
            if (!OWN.contains(p.name())) {
                b.parameter(p.isMultiValued() ? Parameter.list(p.name()) : Parameter.value(p.name()));
            }
        }
        for (String name : TransportRuleParameters.NOT_IMPLEMENTED) {
            b.parameter(Parameter.value(name));
        }
    }

    /** The rule parameters given, as text for the table: $null as {@code $null}, lists comma-joined. */
    private static Map<String, String> changes(Invocation inv) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (Param<TransportRule, TransportRule.Builder, ?> p : TransportRuleParameters.TABLE.settable()) {
            if (OWN.contains(p.name()) || !inv.isBound(p.name())) {
                continue;
            }
            if (p.isMultiValued()) {
                // One value is already list text (a journal line's '"a,b",c'); of several, each is one element.
                List<String> values = inv.values(p.name());
                changes.put(p.name(), values.size() == 1 ? values.get(0) : values.stream()
                    .map(v -> v.contains(",") ? "\"" + v + "\"" : v).collect(Collectors.joining(",")));
            } else {
                changes.put(p.name(), inv.argument(p.name()) instanceof Value.Null ? "$null" : inv.value(p.name()));
            }
        }
        for (String name : TransportRuleParameters.NOT_IMPLEMENTED) {
            if (inv.isBound(name)) {
                changes.put(name, inv.value(name, ""));
            }
        }
        return changes;
    }

    /** The Priority given, from 0 to {@code max}; {@code max} (last) when none is given. */
    private static int priority(Invocation inv, Map<String, String> changes, int max) {
        if (!changes.containsKey("Priority")) {
            return max;
        }
        int p;
        try {
            p = TransportRuleParameters.PRIORITY.parse(changes.get("Priority"));
        } catch (IllegalArgumentException e) {
            throw inv.parameterError("Priority", e.getMessage());
        }
        if (p > max) {
            throw inv.parameterError("Priority", "The priority must be between 0 and " + max + ".");
        }
        return p;
    }

    private static TransportRule apply(Invocation inv, Organization org, TransportRule current, Map<String, String> changes) {
        try {
            return TransportRuleParameters.TABLE.set(current, changes, (rule, given) -> {
                List<ParamProblem> problems = new ArrayList<>();
                for (ParamProblem p : TransportRuleParameters.references(rule, org)) {
                    if (given.contains(p.parameter())) {
                        problems.add(p);
                    }
                }
                return problems;
            });
        } catch (ParamException e) {
            ParamProblem first = e.problems().get(0);
            throw inv.parameterError(first.parameter(), first.message());
        }
    }

    private void commit(UnaryOperator<Organization> change, String journalLine) {
        store.change(change);
        if (journal != null) {
            journal.record(journalLine, clock.now());
        }
    }

    private static String journalParameters(Map<String, String> changes) {
        StringBuilder s = new StringBuilder();
        changes.forEach((name, value) -> s.append(" -").append(name).append(' ')
            .append(value.equals("$null") ? "$null" : ConfigurationJournal.quote(value)));
        return s.toString();
    }

    private static List<TransportRule> without(Organization org, String name) {
        return org.transportRules().stream().filter(r -> !r.name().equalsIgnoreCase(name)).toList();
    }

    private TransportRule find(Invocation inv, String identity) {
        String id = identity == null ? "" : identity;
        return TransportRuleParameters.find(store.organization().transportRules(), id)
            .orElseThrow(() -> inv.error(ErrorCategory.ObjectNotFound,
                "The operation couldn't be performed because object '" + id + "' couldn't be found."));
    }

    static ShellObject toObject(TransportRule rule) {
        ShellObject.Builder b = ShellObject.builder(TYPE, rule);
        TransportRuleParameters.toDisplay(rule).forEach(b::property);
        return b.build();
    }
}
