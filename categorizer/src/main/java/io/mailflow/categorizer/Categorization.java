package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The categorizer's answer for one message: the envelope as resolved (recipients rewritten to
 * primary addresses and expanded), which recipients go to which next hop, which failed and why
 * (unknown recipients, messages too large for every matching Send connector), the steps to write
 * to the message tracking log, and for each SMTP route (SmartHostConnectorDelivery,
 * DnsConnectorDelivery) the Send connector its delivery queue sends through.
 */
public record Categorization(Envelope envelope,
                             Map<NextHopSolutionKey, List<Routed>> routes,
                             List<Failed> failed,
                             List<Step> steps,
                             Map<NextHopSolutionKey, SendConnector> sendConnectors) {

    public Categorization {
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        failed = List.copyOf(failed);
        steps = List.copyOf(steps);
        sendConnectors = Map.copyOf(sendConnectors);
    }

    /** A categorization with mailbox and Unreachable routes only. */
    public Categorization(Envelope envelope, Map<NextHopSolutionKey, List<Routed>> routes, List<Failed> failed,
                          List<Step> steps) {
        this(envelope, routes, failed, steps, Map.of());
    }

    /** The Send connector of an SMTP route; empty for mailbox delivery and Unreachable. */
    public Optional<SendConnector> sendConnector(NextHopSolutionKey key) {
        return Optional.ofNullable(sendConnectors.get(key));
    }

    /**
     * A recipient with its mailbox (null for a recipient outside the organization) and the
     * bifurcated copy of the message it receives.
     */
    public record Routed(SmtpAddress recipient, Mailbox mailbox, MessageCopy copy) {
        public Routed(SmtpAddress recipient, Mailbox mailbox) {
            this(recipient, mailbox, MessageCopy.ORIGINAL);
        }

        Routed inCopy(MessageCopy other) {
            return copy.equals(other) ? this : new Routed(recipient, mailbox, other);
        }
    }

    /** A recipient the categorizer failed, with the NDR status it earned. */
    public record Failed(SmtpAddress recipient, String status) {
    }

    /**
     * One tracking entry: RESOLVE (original → resolved), EXPAND (group), REDIRECT (forwarded from
     * related), DUPLICATEEXPAND, TRANSFER (a bifurcated copy), AGENTINFO (a transport rule).
     */
    public record Step(String eventId, String source, List<SmtpAddress> recipients, SmtpAddress related,
                       String detail) {
        public Step {
            recipients = List.copyOf(recipients);
        }

        /** A step about one recipient. */
        public Step(String eventId, String source, SmtpAddress recipient, SmtpAddress related, String detail) {
            this(eventId, source, List.of(recipient), related, detail);
        }

        /** The (first) recipient the step is about. */
        public SmtpAddress recipient() {
            return recipients.get(0);
        }
    }
}
