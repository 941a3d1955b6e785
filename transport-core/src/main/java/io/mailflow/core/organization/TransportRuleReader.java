package io.mailflow.core.organization;

import io.mailflow.core.params.ParamProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mailflow.core.organization.ConfigEntry.key;
import static io.mailflow.core.organization.ConfigProblems.lineNote;
import static io.mailflow.core.organization.ConfigProblems.lineOf;

/**
 * Organization configuration: the {@code TransportRules} section, read last, once the rest of the
 * organization is known: New-TransportRule for each entry, through {@link TransportRuleParameters}'
 * table. Names are unique; the recipients a rule names must exist (checked against the directory
 * just read); rules are ordered by Priority, entries without one keeping their place after those
 * that have one, and renumbered 0..n-1.
 */
final class TransportRuleReader {
    /** Every key of a TransportRules entry is a parameter of the transport rule table. */
    private static final List<String> TRANSPORT_RULE_KEYS = TransportRuleParameters.TABLE.names();

    private TransportRuleReader() {
    }

    static List<TransportRule> read(ConfigEntry top, Organization directory) {
        List<TransportRule> rules = new ArrayList<>();
        Map<String, ConfigEntry> seen = new HashMap<>();
        List<ConfigEntry> entries = top.objects("TransportRules", TRANSPORT_RULE_KEYS,
            TransportRuleParameters.NOT_IMPLEMENTED);
        for (int i = 0; i < entries.size(); i++) {
            ConfigEntry entry = entries.get(i);
            String ruleName = entry.requiredString("Name");
            boolean ok = ruleName != null;
            if (ruleName != null) {
                ConfigEntry previous = seen.putIfAbsent(key(ruleName), entry);
                if (previous != null) {
                    entry.problem("Name", "transport rule " + ruleName + " is given twice"
                        + lineNote(lineOf(previous.origin())));
                    ok = false;
                }
            }
            // Unnumbered entries sort after the numbered ones, in file order.
            TransportRule.Builder builder = TransportRule.Builder.from(
                TransportRule.named(ruleName == null ? "placeholder" : ruleName, Integer.MAX_VALUE - entries.size() + i));
            ok &= ConfigParams.apply(entry, TransportRuleParameters.TABLE, builder);
            if (!ok) {
                continue;
            }
            TransportRule rule = builder.build();
            for (ParamProblem p : TransportRuleParameters.references(rule, directory)) {
                entry.problem(p.parameter(), p.message());
                ok = false;
            }
            if (ok) {
                rules.add(rule);
            }
        }
        return TransportRuleParameters.normalise(rules);
    }
}
