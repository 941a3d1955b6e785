package io.mailflow.categorizer;

import io.mailflow.categorizer.rules.ContentEdits;
import io.mailflow.categorizer.rules.MessageView;
import io.mailflow.categorizer.rules.OrganizationRuleDirectory;
import io.mailflow.categorizer.rules.RuleOutcome;
import io.mailflow.categorizer.rules.TransportRuleEngine;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.TransportRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Transport Rule agent at OnResolvedMessage (exchange.md §6.1): between the resolver and the
 * router, it runs the organization's mail flow rules ({@link TransportRuleEngine}) over the
 * resolved recipients. Rejected recipients fail with the rule's status; redirected ones are
 * replaced by the redirect targets; Bcc and added To recipients join; each recipient leaves with
 * the content edits of its copy, which bifurcation and the delivery agents honour. Recipients the
 * rules add are resolved and expanded like any other, but the rules do not run on them again.
 * Every action that matched is an AGENTINFO entry naming its rule. The content is read only when
 * an enabled rule exists. Reads: TransportRules.
 */
public final class TransportRuleAgent {
    private final TransportRuleEngine engine;
    private final boolean anyRule;
    private final RecipientResolver resolver;

    public TransportRuleAgent(Organization organization, RecipientResolver resolver) {
        this.engine = new TransportRuleEngine(organization.transportRules(), new OrganizationRuleDirectory(organization));
        this.anyRule = organization.transportRules().stream().anyMatch(TransportRule::isEnabled);
        this.resolver = resolver;
    }

    /** The recipients after the rules, each with the content edits of its copy (keyed by address). */
    public record Applied(RecipientResolver.Resolution resolution, Map<String, ContentEdits> edits) {
    }

    public Applied apply(Envelope envelope, RecipientResolver.Resolution resolved, Supplier<byte[]> content) {
        if (!anyRule || resolved.recipients().isEmpty()) {
            return new Applied(resolved, Map.of());
        }
        Map<String, ResolvedRecipient> byAddress = new HashMap<>();
        resolved.recipients().forEach(r -> byAddress.putIfAbsent(r.address().key(), r));
        RuleOutcome outcome = engine.evaluate(envelope, new MessageView(content.get()),
            resolved.recipients().stream().map(ResolvedRecipient::address).toList());

        List<ResolvedRecipient> recipients = new ArrayList<>();
        List<Categorization.Failed> failed = new ArrayList<>(resolved.failed());
        List<Categorization.Step> steps = new ArrayList<>(resolved.steps());
        Map<String, ContentEdits> edits = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (RuleOutcome.AgentInfo info : outcome.agentInfo()) {
            steps.add(new Categorization.Step("AGENTINFO", "AGENT", info.recipients(), null, info.sourceContext()));
        }
        for (RuleOutcome.Copy copy : outcome.copies()) {
            if (copy.isRejected()) {
                copy.recipients().forEach(r -> failed.add(new Categorization.Failed(r, copy.rejection().get())));
                continue;
            }
            List<ResolvedRecipient> copyRecipients = new ArrayList<>();
            if (copy.redirectTo().isEmpty()) {
                copy.recipients().forEach(r -> copyRecipients.add(byAddress.get(r.key())));
            } else {
                copyRecipients.addAll(added(envelope, copy.redirectTo(), steps, failed));
            }
            List<SmtpAddress> joining = new ArrayList<>(copy.addedTo());
            joining.addAll(copy.blindCopyTo());
            copyRecipients.addAll(added(envelope, joining, steps, failed));
            for (ResolvedRecipient r : copyRecipients) {
                if (r != null && seen.add(r.address().key())) {
                    recipients.add(r);
                    if (!copy.edits().isEmpty()) {
                        edits.put(r.address().key(), copy.edits());
                    }
                }
            }
        }
        return new Applied(new RecipientResolver.Resolution(recipients, failed, steps), edits);
    }

    /** Recipients a rule brings in, resolved and expanded. */
    private List<ResolvedRecipient> added(Envelope envelope, List<SmtpAddress> addresses, List<Categorization.Step> steps,
                                          List<Categorization.Failed> failed) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        RecipientResolver.Resolution r = resolver.resolveAdded(envelope, addresses);
        steps.addAll(r.steps());
        failed.addAll(r.failed());
        return r.recipients();
    }
}
