package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Categorizer: takes one message from the Submission queue and runs resolver then router
 * (exchange.md §6.1), in Exchange's order. A plain function of the organization and the
 * envelope, so the relay and the simulator categorize identically. Only recipients still Ready
 * are categorized, so recategorizing a recovered message never redelivers a settled recipient.
 * Recipients outside the organization take a Send connector ({@link SendConnectorSelector}), wait
 * in the Unreachable queue, or fail when the message is too large for every matching connector.
 */
public final class Categorizer {
    private final RecipientResolver resolver;
    private final Router router;

    /** The categorizer of the organization's first server (the one server of a single-server organization). */
    public Categorizer(Organization organization) {
        this(organization, organization.servers().isEmpty() ? "" : organization.servers().get(0).name());
    }

    /** @param routingServer the server this categorizer runs on (Send connectors' SourceTransportServers) */
    public Categorizer(Organization organization, String routingServer) {
        this.resolver = new RecipientResolver(organization);
        this.router = new Router(organization, routingServer);
    }

    public Categorization categorize(Envelope envelope) {
        List<EnvelopeRecipient> settled = envelope.recipients().stream().filter(r -> !r.isReady()).toList();
        Map<String, EnvelopeRecipient> readyByAddress = new HashMap<>();
        envelope.readyRecipients().forEach(r -> readyByAddress.putIfAbsent(r.address().key(), r));
        RecipientResolver.Resolution resolution =
            resolver.resolve(envelope.readyRecipients().stream().map(EnvelopeRecipient::address).toList());

        List<EnvelopeRecipient> recipients = new ArrayList<>(settled);
        // A proxy address resolved to its primary keeps what the client said of it (NOTIFY, ORCPT).
        for (Categorization.Step s : resolution.steps()) {
            if ("RESOLVE".equals(s.eventId()) && s.related() != null && !readyByAddress.containsKey(s.recipient().key())) {
                EnvelopeRecipient given = readyByAddress.get(s.related().key());
                if (given != null) {
                    readyByAddress.put(s.recipient().key(), given.withAddress(s.recipient()));
                }
            }
        }
        Map<NextHopSolutionKey, List<Categorization.Routed>> routes = new LinkedHashMap<>();
        for (Map.Entry<SmtpAddress, Mailbox> e : resolution.mailboxes().entrySet()) {
            routes.computeIfAbsent(router.route(e.getValue()), k -> new ArrayList<>())
                .add(new Categorization.Routed(e.getKey(), e.getValue()));
            EnvelopeRecipient original = readyByAddress.get(e.getKey().key());
            recipients.add(original != null ? original : EnvelopeRecipient.ready(e.getKey()));
        }
        List<Categorization.Failed> failed = new ArrayList<>(resolution.failed());
        Map<NextHopSolutionKey, SendConnector> connectors = new LinkedHashMap<>();
        Map<String, SendConnectorSelector.Selection> byDomain = new HashMap<>();
        for (SmtpAddress external : resolution.external()) {
            SendConnectorSelector.Selection selection = byDomain.computeIfAbsent(external.domain(),
                d -> router.routeExternal(d, envelope.size()));
            EnvelopeRecipient original = readyByAddress.get(external.key());
            EnvelopeRecipient recipient = original != null ? original : EnvelopeRecipient.ready(external);
            NextHopSolutionKey key;
            if (selection instanceof SendConnectorSelector.TooLarge tooLarge) {
                failed.add(new Categorization.Failed(external, tooLarge.status()));
                recipients.add(recipient.failed(tooLarge.status()));
                continue;
            } else if (selection instanceof SendConnectorSelector.Selected selected) {
                key = selected.key();
                connectors.put(key, selected.connector());
            } else {
                key = ((SendConnectorSelector.Unreachable) selection).key();
            }
            routes.computeIfAbsent(key, k -> new ArrayList<>()).add(new Categorization.Routed(external, null));
            recipients.add(recipient);
        }
        for (Categorization.Failed f : resolution.failed()) {
            EnvelopeRecipient given = readyByAddress.get(f.recipient().key());
            recipients.add((given != null ? given : EnvelopeRecipient.ready(f.recipient())).failed(f.status()));
        }
        // Recipients rewritten from a proxy address keep the address the client gave as ORCPT.
        Map<String, SmtpAddress> originals = new HashMap<>();
        for (Categorization.Step s : resolution.steps()) {
            if ("RESOLVE".equals(s.eventId())) {
                originals.putIfAbsent(s.recipient().key(), s.related());
            }
        }
        List<EnvelopeRecipient> withOriginals = recipients.stream().map(r -> {
            SmtpAddress original = originals.get(r.address().key());
            return original != null && r.isReady() && r.originalRecipient().key().equals(r.address().key())
                ? new EnvelopeRecipient(r.address(), original, r.status(), r.lastResponse())
                : r;
        }).toList();
        return new Categorization(envelope.withRecipients(withOriginals), routes, failed, resolution.steps(),
            connectors);
    }
}
