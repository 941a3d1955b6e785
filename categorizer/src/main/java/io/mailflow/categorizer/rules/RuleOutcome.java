package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.TransportRule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Mail flow rules: what {@link TransportRuleEngine} decided for one message. A rule with a
 * recipient condition applies only to the recipients it matches, so the recipients are split into
 * copies that share the same actions (Exchange's bifurcation by transport rules); each recipient
 * is in exactly one copy. Beside them, the AGENTINFO entries for the message tracking log.
 *
 * @param copies    every recipient once, grouped by the actions that apply to it, in first-recipient order
 * @param agentInfo one entry per rule and action that matched, Audit modes included
 */
public record RuleOutcome(List<Copy> copies, List<AgentInfo> agentInfo) {

    /**
     * The recipients that share one set of actions.
     *
     * @param recipients   the recipients as evaluated
     * @param edits        the content changes for this copy, {@link ContentEdits#NONE} for none
     * @param redirectTo   RedirectMessageTo targets, which receive the copy instead of {@code recipients}; empty
     *                     when not redirected
     * @param blindCopyTo  BlindCopyTo recipients added to this copy
     * @param addedTo      AddToRecipients recipients added to this copy (and to its To field by {@code edits})
     * @param rejection    the NDR status line ({@code 550 5.7.1 …}) when a rule rejected the message for these
     *                     recipients; the other fields then do not apply
     * @param rulesApplied the enforced rules that acted on this copy, in the order they ran
     */
    public record Copy(List<SmtpAddress> recipients, ContentEdits edits, List<SmtpAddress> redirectTo,
                       List<SmtpAddress> blindCopyTo, List<SmtpAddress> addedTo, Optional<String> rejection,
                       List<String> rulesApplied) {
        public Copy {
            recipients = List.copyOf(recipients);
            redirectTo = List.copyOf(redirectTo);
            blindCopyTo = List.copyOf(blindCopyTo);
            addedTo = List.copyOf(addedTo);
            rulesApplied = List.copyOf(rulesApplied);
        }

        public boolean isRejected() {
            return rejection.isPresent();
        }

        /** True when no rule acted on these recipients: the message goes to them as it came. */
        public boolean isUnchanged() {
            return rulesApplied.isEmpty();
        }

        /**
         * Who receives this copy: the redirect targets instead of the recipients when redirected,
         * then the Bcc and added To recipients; nobody when rejected. Each address once.
         */
        public List<SmtpAddress> deliverTo() {
            if (isRejected()) {
                return List.of();
            }
            Set<SmtpAddress> all = new LinkedHashSet<>(redirectTo.isEmpty() ? recipients : redirectTo);
            all.addAll(addedTo);
            all.addAll(blindCopyTo);
            return List.copyOf(all);
        }
    }

    /**
     * One AGENTINFO event for the message tracking log (source AGENT).
     *
     * @param ruleName   the rule that matched
     * @param mode       Enforce, or an Audit mode when the action was only logged
     * @param action     the action's parameter name (PrependSubject, RedirectMessageTo, …)
     * @param recipients the recipients the action applied (or would have applied) to
     */
    public record AgentInfo(String ruleName, TransportRule.Mode mode, String action, List<SmtpAddress> recipients) {
        public AgentInfo {
            recipients = List.copyOf(recipients);
        }

        /**
         * The source-context: Exchange writes {@code TRA=ETR|ruleId=<guid>|…|action=…|mode=…} in
         * the custom data; Mailflow has no rule GUIDs, so the rule is named.
         */
        public String sourceContext() {
            return "TRA=ETR|ruleName=" + ruleName + "|action=" + action + "|mode=" + mode;
        }
    }

    public RuleOutcome {
        copies = List.copyOf(copies);
        agentInfo = List.copyOf(agentInfo);
    }

    /** True when no enforced rule acted: one unchanged copy for every recipient. */
    public boolean changesNothing() {
        return copies.stream().allMatch(Copy::isUnchanged);
    }

    /** The copies that are delivered (not rejected). */
    public List<Copy> delivered() {
        List<Copy> out = new ArrayList<>();
        copies.stream().filter(c -> !c.isRejected()).forEach(out::add);
        return out;
    }
}
