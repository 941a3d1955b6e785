package io.mailflow.simulator.model;

import io.mailflow.simulator.report.FaultStats;
import io.mailflow.simulator.report.WorkloadStats;

import java.util.List;

/**
 * Simulator model: one message, from the moment its sender has it to its last recipient
 * delivered or failed. Carries only what the report and the timers need; the relay's decision
 * classes see it as SMTP commands and an {@code Envelope}.
 */
final class SimMessage {
    final WorkloadStats stats;
    final long createdAt;
    final boolean counted;
    List<String> recipients;
    boolean deferred;
    long receivedAt;
    int pendingRoutes;
    boolean delayNotified;
    boolean ndrSent;
    boolean anyDelivered;
    /** The spool's InternalId once the 250 was sent: recovery resubmits in this order. */
    long internalId;
    /** The first fault that touched the message (answered, refused, recovered, slowed), or null. */
    FaultStats touched;
    /** The ServerDown whose restart recovered the message from the spool, or null. */
    FaultStats recovery;

    SimMessage(WorkloadStats stats, long createdAt, boolean counted, List<String> recipients) {
        this.stats = stats;
        this.createdAt = createdAt;
        this.counted = counted;
        this.recipients = recipients;
    }
}
