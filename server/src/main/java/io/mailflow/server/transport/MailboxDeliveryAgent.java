package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.MessageCopy;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.mailbox.MailboxDelivery;
import io.mailflow.delivery.mailbox.MaildirStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Mailbox Transport Delivery as a delivery agent: writes each recipient's copy into its Maildir
 * (synced, idempotent per message and recipient). A store that cannot write (a full disk) is a
 * transient failure of the whole database, so the queue retries it like a connection failure.
 */
public final class MailboxDeliveryAgent implements DeliveryAgent {
    /** The remote host of an in-process delivery, as DSNs and the tracking log show it. */
    static final String HOST = "localhost";

    private final MaildirStore store;
    private final Spool spool;
    private final Executor executor;
    private final int maxConcurrentMailboxDeliveries;

    public MailboxDeliveryAgent(MaildirStore store, Spool spool, Executor executor, int maxConcurrentMailboxDeliveries) {
        this.store = store;
        this.spool = spool;
        this.executor = executor;
        this.maxConcurrentMailboxDeliveries = maxConcurrentMailboxDeliveries;
    }

    @Override
    public int maxMessagesPerBatch() {
        return 1;
    }

    @Override
    public boolean writesMailboxes() {
        return true;
    }

    @Override
    public int maxConcurrentBatches() {
        return maxConcurrentMailboxDeliveries;
    }

    @Override
    public CompletionStage<Result> deliver(List<Item> batch) {
        return CompletableFuture.supplyAsync(() -> {
            Item item = batch.get(0);
            Envelope envelope = item.envelope();
            try {
                byte[] spooled = spool.content(envelope.internalId());
                // Each bifurcated copy once: the mail flow rules' edits are applied per copy, not per recipient.
                Map<MessageCopy, byte[]> contents = new HashMap<>();
                List<EnvelopeRecipient> entries = item.entries();
                List<EnvelopeRecipient> outcomes = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++) {
                    Categorization.Routed routed = item.recipients().get(i);
                    byte[] delivered = contents.computeIfAbsent(routed.copy(),
                        c -> MailboxDelivery.contentFor(c.reversePath(envelope.sender()), c.contentOf(spooled)));
                    MaildirStore.Outcome outcome = store.deliver(routed.mailbox().database(), routed.mailbox().alias(),
                        MailboxDelivery.deliveryId(envelope, routed.recipient()), delivered);
                    outcomes.add(entries.get(i).delivered(outcome == MaildirStore.Outcome.Delivered
                        ? "250 2.0.0 Delivered" : "250 2.0.0 Already delivered"));
                }
                return new Result(Map.of(envelope.internalId(), outcomes), Optional.empty(), HOST);
            } catch (IOException | RuntimeException e) {
                return new Result(Map.of(), Optional.of(new ConnectionFailure("451 4.3.0 Mailbox delivery failed: "
                    + e.getMessage(), true)), HOST);
            }
        }, executor);
    }
}
