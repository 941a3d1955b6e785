package io.mailflow.simulator.report;

import io.mailflow.simulator.scenario.Fault;

import java.util.Map;
import java.util.TreeMap;

/**
 * Simulator report: what one {@code Faults} entry did, filled in by the model as the run goes.
 * Every fault counts the messages it touched (answered with its reply, refused or recovered,
 * synced on its slow disk, carried over its slow link) and follows them to their end, so the
 * findings can say "all delivered by 02:05, p99 41 min"; each type adds its own figures.
 */
public final class FaultStats {
    public final Fault fault;

    /** Messages the fault touched (each once), how many of them were delivered, and when the last was. */
    public long messagesTouched;
    public long touchedDelivered;
    public long touchedFailed;
    public long lastDeliveredAt = -1;
    /** End-to-end latency of the touched messages that were delivered. */
    public final LongList touchedLatencies = new LongList();

    // DownstreamReplies (and DownstreamUnavailable: connection attempts that failed)
    public long connectionFailures;
    public long deliveriesAnswered;
    public long deferrals;
    public long recipientsDeferred;
    public long recipientsFailed;
    public final Map<String, Long> deferralsByReply = new TreeMap<>();
    public final Map<String, Long> failedRecipientsByReply = new TreeMap<>();

    // ServerDown
    public long connectionsRefused;
    public long sessionsCut;
    public long deliveriesCut;
    public long recovered;
    public long recoveryRemaining;
    public long restartedAt = -1;
    public long drainedAt = -1;

    // SlowDisk: end of data → 250 and mailbox delivery times, in the window and outside every SlowDisk window
    public final Histogram dataAckDuring = new Histogram();
    public final Histogram dataAckOutside = new Histogram();
    public final Histogram mailboxDuring = new Histogram();
    public final Histogram mailboxOutside = new Histogram();

    // LinkLatency
    public long exchangesDelayed;
    public long deliveriesDelayed;
    public final Map<String, Long> refusedByLimitDuring = new TreeMap<>();
    public long peakOpenDuring;
    public long peakOpenBefore;

    public FaultStats(Fault fault) {
        this.fault = fault;
    }
}
