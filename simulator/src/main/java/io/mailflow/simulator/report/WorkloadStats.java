package io.mailflow.simulator.report;

import io.mailflow.simulator.scenario.Workload;

import java.util.Map;
import java.util.TreeMap;

/**
 * Simulator report: what happened to one workload's connections and messages, filled in by the
 * model as the run goes. Connection and latency figures count from the scenario's WarmUp on;
 * the per-minute series cover the whole run.
 */
public final class WorkloadStats {
    public final Workload workload;

    public long connectionsAttempted;
    public long connectionsAccepted;
    /** Admitted connections that had to wait (refused first, then admitted). */
    public long connectionsWaited;
    /** Sessions that signed in with AUTH (235). */
    public long signIns;
    public long connectionWaitNanos;
    /** Connection refusals by the reply text the relay sent. */
    public final Map<String, Long> refusedByReply = new TreeMap<>();
    /** Connection refusals by the limit that refused them (the decision's reason). */
    public final Map<String, Long> refusedByLimit = new TreeMap<>();
    /** Sessions the relay ended with a reply (421 4.4.2 message rate, timeouts). */
    public final Map<String, Long> closedByReply = new TreeMap<>();
    /** Replies other than 2xx/3xx within sessions (MAIL, RCPT, DATA). */
    public final Map<String, Long> sessionReplies = new TreeMap<>();

    public long messagesSubmitted;
    public long messagesAcknowledged;
    /** Messages the relay deferred at least once (a 4xx while the sender tried to send them). */
    public long messagesDeferred;
    public long deferrals;
    /** Messages refused with 5xx in the SMTP session: the sender's own bounce. */
    public long messagesBounced;
    /** Messages the sender dropped after a refusal (OnRefusal GiveUp). */
    public long messagesGivenUp;
    public long messagesDelivered;
    public long recipientsAccepted;
    public long recipientsRejected;
    public long recipientsDelivered;
    public long delayDsns;
    public long ndrs;
    public long expired;
    /** Deliveries a next hop answered with 4xx (DownstreamReplies), by reply. */
    public final Map<String, Long> downstreamDeferralsByReply = new TreeMap<>();
    /** NDRs by the reply that failed the message: the categorizer's status, a next hop's 5xx, QUEUE.Expired. */
    public final Map<String, Long> ndrsByReply = new TreeMap<>();
    /** End of data → 250: the spool sync the sender waits for (longer on a slow disk). */
    public final Histogram dataAck = new Histogram();

    /** End-to-end: from the sender having the message to its last recipient delivered. */
    public final LongList latencies = new LongList();

    public final MinuteSeries acceptedPerMinute = new MinuteSeries();
    public final MinuteSeries deferredPerMinute = new MinuteSeries();
    public final MinuteSeries rejectedPerMinute = new MinuteSeries();
    public final MinuteSeries openConnections = new MinuteSeries();
    public int openNow;

    public WorkloadStats(Workload workload) {
        this.workload = workload;
    }

    public static void count(Map<String, Long> map, String key) {
        map.merge(key, 1L, Long::sum);
    }
}
