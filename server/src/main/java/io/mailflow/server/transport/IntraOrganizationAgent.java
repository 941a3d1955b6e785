package io.mailflow.server.transport;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the delivery agents for the organization's own servers share (Mailbox Transport Delivery on
 * another server, relays to other Transport services): Exchange's implicit intra-organization
 * connector ({@link IntraOrganizationSmtp}) and its limits; each subclass says only how a
 * message's content leaves.
 */
abstract class IntraOrganizationAgent implements DeliveryAgent {
    private final IntraOrganizationSmtp smtp;
    private final int maxMessagesPerBatch;
    private final int maxConcurrentBatches;

    IntraOrganizationAgent(IntraOrganizationSmtp smtp, int maxMessagesPerBatch, int maxConcurrentBatches) {
        this.smtp = smtp;
        this.maxMessagesPerBatch = maxMessagesPerBatch;
        this.maxConcurrentBatches = maxConcurrentBatches;
    }

    @Override
    public final int maxMessagesPerBatch() {
        return maxMessagesPerBatch;
    }

    @Override
    public final int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    @Override
    public final CompletionStage<Result> deliver(List<Item> batch) {
        return smtp.deliver(batch, this::content);
    }

    /** The spooled content as this next hop receives it. */
    abstract byte[] content(byte[] spooled);
}
