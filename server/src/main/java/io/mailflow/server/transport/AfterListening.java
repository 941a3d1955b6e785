package io.mailflow.server.transport;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A delivery agent that starts its first batch only once this server's receive connectors listen.
 * At start, spool recovery hands mail to the delivery queues before the listeners are bound; a
 * message for this server's own Mailbox Delivery connector (475) would find it closed and wait a
 * whole MessageRetryInterval. The wait is the start-up's own few milliseconds.
 */
public final class AfterListening implements DeliveryAgent {
    private final DeliveryAgent agent;
    private final CompletionStage<Void> listening;

    public AfterListening(DeliveryAgent agent, CompletionStage<Void> listening) {
        this.agent = agent;
        this.listening = listening;
    }

    @Override
    public int maxMessagesPerBatch() {
        return agent.maxMessagesPerBatch();
    }

    @Override
    public int maxConcurrentBatches() {
        return agent.maxConcurrentBatches();
    }

    @Override
    public boolean writesMailboxes() {
        return agent.writesMailboxes();
    }

    @Override
    public CompletionStage<Result> deliver(List<Item> batch) {
        return listening.thenCompose(listeners -> agent.deliver(batch));
    }
}
