package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.List;
import java.util.Map;

/**
 * The categorizer's answer for one message: the envelope as resolved (recipients rewritten to
 * primary addresses and expanded), which recipients go to which next hop, which failed and why,
 * and the steps to write to the message tracking log.
 */
public record Categorization(Envelope envelope,
                             Map<NextHopSolutionKey, List<Routed>> routes,
                             List<Failed> failed,
                             List<Step> steps) {

    /** A recipient with its mailbox (null for an unreachable external address). */
    public record Routed(SmtpAddress recipient, Mailbox mailbox) {
    }

    /** A recipient the categorizer failed, with the NDR status it earned. */
    public record Failed(SmtpAddress recipient, String status) {
    }

    /** One tracking entry: RESOLVE (original → resolved) or EXPAND (group → members). */
    public record Step(String eventId, String source, SmtpAddress recipient, SmtpAddress related, String detail) {
    }
}
