package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.TransportRule;
import io.mailflow.core.organization.TransportRuleActions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mail flow rules (the Transport Rule agent): categorizer stage after resolution and expansion
 * (OnResolvedMessage), before routing of the copies it makes. Runs the organization's enabled
 * rules in Priority order over one message: sender and content conditions once, recipient
 * conditions per recipient, exceptions ({@code ExceptIf…}) excluding what they match. A rule in
 * Enforce mode acts on the recipients it matched; Audit modes only report. StopRuleProcessing and
 * a rejection end rule processing for those recipients. Recipients with the same actions share a
 * copy ({@link RuleOutcome}).
 * Reads: TransportRules (Name, Priority, State, Mode, SenderAddressLocation, conditions, actions).
 * Emits: the copies, their {@link ContentEdits}, and AGENTINFO entries for message tracking.
 */
public final class TransportRuleEngine {
    private final List<Compiled> rules;
    private final RuleDirectory directory;

    private record Compiled(TransportRule rule, RulePredicates conditions, RulePredicates exceptions) {
    }

    /** @param rules the organization's rules, in any order; disabled ones are skipped */
    public TransportRuleEngine(List<TransportRule> rules, RuleDirectory directory) {
        this.rules = rules.stream().filter(TransportRule::isEnabled)
            .sorted(Comparator.comparingInt(TransportRule::priority))
            .map(r -> new Compiled(r, new RulePredicates(r.conditions()), new RulePredicates(r.exceptions())))
            .toList();
        this.directory = directory;
    }

    /** What one recipient has gathered from the rules so far. */
    private static final class Track {
        final List<ContentEdits.Edit> edits = new ArrayList<>();
        final Set<SmtpAddress> redirect = new LinkedHashSet<>();
        final Set<SmtpAddress> bcc = new LinkedHashSet<>();
        final Set<SmtpAddress> addedTo = new LinkedHashSet<>();
        final List<String> rules = new ArrayList<>();
        String rejection;
        boolean stopped;

        Key key() {
            return new Key(new ContentEdits(edits), List.copyOf(redirect), List.copyOf(bcc), List.copyOf(addedTo),
                Optional.ofNullable(rejection), List.copyOf(rules));
        }
    }

    /** What makes two recipients share a copy. */
    private record Key(ContentEdits edits, List<SmtpAddress> redirect, List<SmtpAddress> bcc, List<SmtpAddress> addedTo,
                       Optional<String> rejection, List<String> rules) {
    }

    /**
     * Evaluates every rule for this message.
     *
     * @param envelope   the message's envelope (MAIL FROM for SenderAddressLocation Envelope)
     * @param message    the content
     * @param recipients the resolved, expanded recipients the rules apply to
     */
    public RuleOutcome evaluate(Envelope envelope, MessageView message, List<SmtpAddress> recipients) {
        Map<SmtpAddress, Track> tracks = new LinkedHashMap<>();
        recipients.forEach(r -> tracks.putIfAbsent(r, new Track()));
        List<RuleOutcome.AgentInfo> agentInfo = new ArrayList<>();
        for (Compiled c : rules) {
            RulePredicates.Subject subject = new RulePredicates.Subject(message, senders(c.rule(), envelope, message),
                directory);
            if (!c.conditions().allMessage(subject) || c.exceptions().anyMessage(subject)) {
                continue;
            }
            List<SmtpAddress> matched = new ArrayList<>();
            tracks.forEach((r, track) -> {
                if (!track.stopped && c.conditions().allRecipient(subject, r) && !c.exceptions().anyRecipient(subject, r)) {
                    matched.add(r);
                }
            });
            if (!matched.isEmpty()) {
                act(c.rule(), message, matched, tracks, agentInfo);
            }
        }
        Map<Key, List<SmtpAddress>> groups = new LinkedHashMap<>();
        tracks.forEach((r, track) -> groups.computeIfAbsent(track.key(), k -> new ArrayList<>()).add(r));
        List<RuleOutcome.Copy> copies = new ArrayList<>();
        groups.forEach((k, rs) -> copies.add(new RuleOutcome.Copy(rs, k.edits(), k.redirect(), k.bcc(), k.addedTo(),
            k.rejection(), k.rules())));
        return new RuleOutcome(copies, agentInfo);
    }

    /** The sender addresses the rule's sender conditions look at (SenderAddressLocation). */
    private static List<SmtpAddress> senders(TransportRule rule, Envelope envelope, MessageView message) {
        List<SmtpAddress> senders = new ArrayList<>();
        if (rule.senderAddressLocation() != TransportRule.SenderAddressLocation.Envelope) {
            senders.addAll(message.headerSenders());
        }
        if (rule.senderAddressLocation() != TransportRule.SenderAddressLocation.Header) {
            envelope.sender().ifPresent(senders::add);
        }
        return senders;
    }

    /** The rule's actions on the recipients it matched: taken when enforced, reported either way. */
    private void act(TransportRule rule, MessageView message, List<SmtpAddress> matched, Map<SmtpAddress, Track> tracks,
                     List<RuleOutcome.AgentInfo> agentInfo) {
        TransportRuleActions a = rule.actions();
        List<ContentEdits.Edit> edits = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        String rejection = null;
        if (a.prependSubject() != null) {
            // Values are trimmed wherever they are read (shell and file), so "[EXT] " arrives as "[EXT]":
            // the separating space is put back here.
            String prefix = a.prependSubject();
            edits.add(new ContentEdits.PrependSubject(prefix.isEmpty() || prefix.endsWith(" ") ? prefix : prefix + " "));
            reported.add("PrependSubject");
        }
        if (a.setHeaderName() != null && a.setHeaderValue() != null) {
            edits.add(new ContentEdits.SetHeader(a.setHeaderName(), a.setHeaderValue()));
            reported.add("SetHeader");
        }
        if (a.removeHeader() != null) {
            edits.add(new ContentEdits.RemoveHeader(a.removeHeader()));
            reported.add("RemoveHeader");
        }
        List<SmtpAddress> addedTo = resolve(a.addToRecipients());
        if (!addedTo.isEmpty()) {
            edits.add(new ContentEdits.AddToRecipients(addedTo));
            reported.add("AddToRecipients");
        }
        if (a.applyHtmlDisclaimerText() != null) {
            TransportRule.DisclaimerFallbackAction fallback = a.disclaimerFallbackAction();
            if (message.isProtected() && fallback == TransportRule.DisclaimerFallbackAction.Reject) {
                rejection = TransportRuleActions.NONE.rejectStatusLine();
                reported.add("ApplyHtmlDisclaimer:Reject");
            } else if (message.isProtected() && fallback == TransportRule.DisclaimerFallbackAction.Ignore) {
                reported.add("ApplyHtmlDisclaimer:Ignore");
            } else {
                edits.add(new ContentEdits.ApplyDisclaimer(a.applyHtmlDisclaimerText(), a.disclaimerLocation(), fallback));
                reported.add(message.isProtected() ? "ApplyHtmlDisclaimer:Wrap" : "ApplyHtmlDisclaimer");
            }
        }
        List<SmtpAddress> redirect = resolve(a.redirectMessageTo());
        if (!redirect.isEmpty()) {
            reported.add("RedirectMessageTo");
        }
        List<SmtpAddress> bcc = resolve(a.blindCopyTo());
        if (!bcc.isEmpty()) {
            reported.add("BlindCopyTo");
        }
        if (a.rejects()) {
            rejection = a.rejectStatusLine();
            reported.add("RejectMessage");
        }
        if (a.stopRuleProcessing()) {
            reported.add("StopRuleProcessing");
        }
        for (String action : reported) {
            agentInfo.add(new RuleOutcome.AgentInfo(rule.name(), rule.mode(), action, matched));
        }
        if (!rule.enforces()) {
            return;
        }
        for (SmtpAddress r : matched) {
            Track t = tracks.get(r);
            t.rules.add(rule.name());
            t.edits.addAll(edits);
            t.redirect.addAll(redirect);
            t.bcc.addAll(bcc);
            t.addedTo.addAll(addedTo);
            if (rejection != null && t.rejection == null) {
                t.rejection = rejection;
            }
            // Nothing further can happen to a rejected copy.
            t.stopped = a.stopRuleProcessing() || t.rejection != null;
        }
    }

    /** Identities to addresses: an SMTP address as written (or its mailbox's primary), a name or alias via the directory. */
    private List<SmtpAddress> resolve(List<String> identities) {
        List<SmtpAddress> out = new ArrayList<>();
        for (String id : identities) {
            directory.primarySmtpAddress(id).or(() -> SmtpAddress.parse(id, true)).ifPresent(a -> {
                if (!out.contains(a)) {
                    out.add(a);
                }
            });
        }
        return out;
    }
}
