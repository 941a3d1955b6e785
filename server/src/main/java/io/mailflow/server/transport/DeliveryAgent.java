package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a delivery queue hands its messages to: Mailbox Transport Delivery for a mailbox database,
 * the SMTP client for a Send connector's next hop. The queue owns status, retry, expiry and
 * concurrency; the agent only tries one batch and says what happened to each recipient.
 */
public interface DeliveryAgent {

    /** Messages tried at once (a mailbox delivery is one; an SMTP connection carries several). */
    int maxMessagesPerBatch();

    /** Batches in flight at once, the most the queue may use (its slow start may use fewer). */
    int maxConcurrentBatches();

    /**
     * True when the agent writes the mailbox store itself (Mailbox Transport Delivery in this
     * process): its outcomes are the store driver's DELIVERs; every other agent hands messages over
     * SMTP and its outcomes are SENDs.
     */
    default boolean writesMailboxes() {
        return false;
    }

    /** Tries the batch; runs off the queue's actor. */
    CompletionStage<Result> deliver(List<Item> batch);

    /** One message of a batch: its envelope and the recipients this next hop owes. */
    record Item(Envelope envelope, List<Categorization.Routed> recipients) {
        /** The envelope's entries for these recipients, so NOTIFY and ORCPT travel with each outcome. */
        public List<EnvelopeRecipient> entries() {
            return DeliveryAgent.entries(envelope, recipients);
        }
    }

    /**
     * The envelope's own entries for routed recipients, in their order; a recipient the envelope
     * lacks (expanded from a group) gets a plain one. Indexes the envelope once: a group can bring
     * thousands of recipients.
     */
    static List<EnvelopeRecipient> entries(Envelope envelope, List<Categorization.Routed> routed) {
        Map<String, EnvelopeRecipient> byKey = new java.util.HashMap<>();
        envelope.recipients().forEach(r -> byKey.putIfAbsent(r.address().key(), r));
        return routed.stream()
            .map(r -> byKey.getOrDefault(r.recipient().key(), EnvelopeRecipient.ready(r.recipient()))).toList();
    }

    /**
     * The outcome: per InternalId the recipients now Delivered, Failed or still Ready (deferred,
     * with the 4xx as lastResponse). A connection failure leaves the messages it did not reach
     * without an entry.
     *
     * @param remoteHost the host that answered, for DSNs and the tracking log
     */
    record Result(Map<Long, List<EnvelopeRecipient>> outcomes, Optional<ConnectionFailure> connectionFailure,
                  String remoteHost) {
    }

    /** The next hop could not be reached, or refused the whole session. */
    record ConnectionFailure(String response, boolean isTransient) {
    }
}
