package io.mailflow.categorizer;

import io.mailflow.categorizer.rules.ContentEdits;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Categorizer: takes one message from the Submission queue and runs its stages in Exchange's
 * order (exchange.md §6.1): resolver ({@link RecipientResolver}: restrictions, expansion,
 * forwarding, loops), the Transport Rule agent ({@link TransportRuleAgent}: mail flow rules), router ({@link Router}: delivery group and next hop of each recipient),
 * bifurcation ({@link Bifurcation}: one copy per content and per ExpansionSizeLimit recipients of a next hop).
 * A plain function of the organization and the message, so the relay and the simulator
 * categorize identically. Only recipients still Ready are categorized, so recategorizing a
 * recovered message never redelivers a settled recipient. A message another server of the
 * organization already categorized is only routed ({@link Submission#recipientsResolved()}).
 */
public final class Categorizer {
    private final RecipientResolver resolver;
    private final TransportRuleAgent rules;
    private final Router router;
    private final Bifurcation bifurcation = new Bifurcation();

    /** The categorizer of the organization's first server (the one server of a single-server organization). */
    public Categorizer(Organization organization) {
        this(organization, organization.servers().isEmpty() ? "" : organization.servers().get(0).name());
    }

    /** @param routingServer the server this categorizer runs on */
    public Categorizer(Organization organization, String routingServer) {
        this.resolver = new RecipientResolver(organization, routingServer);
        this.rules = new TransportRuleAgent(organization, resolver);
        this.router = new Router(organization, routingServer);
    }

    /** Categorizes a message from an anonymous sender, without its content (no mail flow rule needs it). */
    public Categorization categorize(Envelope envelope) {
        return categorize(envelope, Submission.ANONYMOUS);
    }

    /** Categorizes without the content: mail flow rules see an empty message. */
    public Categorization categorize(Envelope envelope, Submission submission) {
        return categorize(envelope, submission, () -> new byte[0]);
    }

    /**
     * @param content the spooled content, read only when a mail flow rule must look at it
     */
    public Categorization categorize(Envelope envelope, Submission submission, Supplier<byte[]> content) {
        Map<String, EnvelopeRecipient> given = new HashMap<>();
        envelope.readyRecipients().forEach(r -> given.putIfAbsent(r.address().key(), r));
        List<SmtpAddress> ready = envelope.readyRecipients().stream().map(EnvelopeRecipient::address).toList();
        Map<String, ContentEdits> edits = Map.of();
        RecipientResolver.Resolution resolution;
        if (submission.recipientsResolved()) {
            resolution = resolver.resolvedElsewhere(ready);
        } else if (submission.deliveryReport()) {
            resolution = resolver.resolve(envelope, ready, true);
        } else {
            TransportRuleAgent.Applied applied = rules.apply(envelope,
                resolver.resolve(envelope, ready, submission.senderAuthenticated()), content);
            resolution = applied.resolution();
            edits = applied.edits();
        }

        List<EnvelopeRecipient> recipients = new ArrayList<>(envelope.recipients().stream()
            .filter(r -> !r.isReady()).toList());
        List<Categorization.Failed> failed = new ArrayList<>(resolution.failed());
        Map<NextHopSolutionKey, List<Categorization.Routed>> routes = new LinkedHashMap<>();
        Map<NextHopSolutionKey, SendConnector> connectors = new LinkedHashMap<>();
        Map<String, SendConnectorSelector.Selection> byDomain = new HashMap<>();
        Map<String, SmtpAddress> rewrittenFrom = rewrittenFrom(resolution.steps());
        for (ResolvedRecipient r : resolution.recipients()) {
            EnvelopeRecipient entry = entryFor(r, given, rewrittenFrom);
            NextHopSolutionKey key;
            switch (r.kind()) {
                case MAILBOX -> key = router.routeToDatabase(r.mailbox().database());
                case EXPANSION_SERVER -> key = router.routeToExpansionServer(r.group());
                default -> {
                    SendConnectorSelector.Selection selection = byDomain.computeIfAbsent(r.address().domain(),
                        d -> router.routeExternal(d, envelope.size()));
                    if (selection instanceof SendConnectorSelector.TooLarge tooLarge) {
                        failed.add(new Categorization.Failed(r.address(), tooLarge.status()));
                        recipients.add(entry.failed(tooLarge.status()));
                        continue;
                    }
                    if (selection instanceof SendConnectorSelector.Selected selected) {
                        key = selected.key();
                        connectors.put(key, selected.connector());
                    } else {
                        key = ((SendConnectorSelector.Unreachable) selection).key();
                    }
                }
            }
            ContentEdits copyEdits = edits.isEmpty() ? ContentEdits.NONE : edits.getOrDefault(r.address().key(),
                ContentEdits.NONE);
            MessageCopy copy = copyEdits.isEmpty() && !r.suppressReports() ? MessageCopy.ORIGINAL
                : new MessageCopy(0, copyEdits, r.suppressReports());
            routes.computeIfAbsent(key, k -> new ArrayList<>()).add(new Categorization.Routed(r.address(), r.mailbox(),
                copy));
            recipients.add(entry);
        }
        for (Categorization.Failed f : resolution.failed()) {
            EnvelopeRecipient entry = given.get(f.recipient().key());
            recipients.add((entry != null ? entry : EnvelopeRecipient.ready(f.recipient())).failed(f.status()));
        }
        Bifurcation.Copies copies = bifurcation.chip(routes);
        List<Categorization.Step> steps = new ArrayList<>(resolution.steps());
        steps.addAll(copies.steps());
        return new Categorization(envelope.withRecipients(recipients), copies.routes(), failed, steps, connectors);
    }

    /** Primary address → the address the client gave, for recipients the resolver rewrote (RESOLVE). */
    private static Map<String, SmtpAddress> rewrittenFrom(List<Categorization.Step> steps) {
        Map<String, SmtpAddress> from = new HashMap<>();
        for (Categorization.Step s : steps) {
            if ("RESOLVE".equals(s.eventId()) && s.related() != null) {
                from.putIfAbsent(s.recipient().key(), s.related());
            }
        }
        return from;
    }

    /**
     * The envelope entry of a resolved recipient: the client's own entry when it named this
     * address; the client's entry rewritten, with the given address as ORCPT, when the resolver
     * rewrote a proxy address (NOTIFY and ORCPT travel with it); a plain entry for a recipient an
     * expansion or forwarding brought, with NOTIFY=NEVER when its group suppresses reports.
     */
    private static EnvelopeRecipient entryFor(ResolvedRecipient r, Map<String, EnvelopeRecipient> given,
                                              Map<String, SmtpAddress> rewrittenFrom) {
        EnvelopeRecipient own = given.get(r.address().key());
        if (own != null) {
            return own;
        }
        SmtpAddress original = rewrittenFrom.get(r.address().key());
        EnvelopeRecipient client = original == null ? null : given.get(original.key());
        if (client != null && original.key().equals(r.topLevel().key())) {
            EnvelopeRecipient rewritten = client.withAddress(r.address());
            return client.originalRecipient().key().equals(client.address().key())
                ? rewritten.withOriginalRecipient(original) : rewritten;
        }
        EnvelopeRecipient plain = EnvelopeRecipient.ready(r.address());
        return r.suppressReports() ? plain.withNotify(Set.of(DsnNotify.NEVER)) : plain;
    }
}
