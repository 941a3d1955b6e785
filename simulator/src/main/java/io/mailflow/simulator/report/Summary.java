package io.mailflow.simulator.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * Simulator report: the figures of one workload, or of all together, as report.json, the HTML
 * tables, the findings and the {@code --vs} differences read them.
 */
public record Summary(String name,
                      String source,
                      String connector,
                      long connectionsAttempted,
                      long connectionsAccepted,
                      long connectionsRefused,
                      Map<String, Long> refusedByReply,
                      Map<String, Long> refusedByLimit,
                      Map<String, Long> closedByReply,
                      Map<String, Long> sessionReplies,
                      long connectionsWaited,
                      double meanConnectionWaitMs,
                      long signIns,
                      long messagesSubmitted,
                      long messagesAcknowledged,
                      long messagesDeferred,
                      long deferrals,
                      long messagesBounced,
                      long messagesGivenUp,
                      long messagesDelivered,
                      long recipientsAccepted,
                      long recipientsRejected,
                      long recipientsDelivered,
                      long delayDsns,
                      long ndrs,
                      long expired,
                      Map<String, Long> downstreamDeferralsByReply,
                      Map<String, Long> ndrsByReply,
                      long dataAckCount,
                      double dataAckP50Ms,
                      double dataAckP99Ms,
                      double dataAckMaxMs,
                      long latencyCount,
                      double p50Ms,
                      double p95Ms,
                      double p99Ms,
                      double maxMs,
                      double meanMs) {

    public static Summary of(WorkloadStats s) {
        return build(s.workload.name(), s.workload.sourceAddress(), s.workload.connector().name(), new WorkloadStats[] {s});
    }

    public static Summary total(java.util.List<WorkloadStats> all) {
        return build("Total", "", "", all.toArray(new WorkloadStats[0]));
    }

    private static Summary build(String name, String source, String connector, WorkloadStats[] all) {
        long signIns = 0;
        long attempted = 0, accepted = 0, waited = 0, waitNanos = 0, submitted = 0, acknowledged = 0, deferred = 0,
            deferrals = 0, bounced = 0, givenUp = 0, delivered = 0, rAcc = 0, rRej = 0, rDel = 0, dsns = 0, ndrs = 0,
            expired = 0;
        Map<String, Long> byReply = new TreeMap<>();
        Map<String, Long> byLimit = new TreeMap<>();
        Map<String, Long> closed = new TreeMap<>();
        Map<String, Long> replies = new TreeMap<>();
        Map<String, Long> downstream = new TreeMap<>();
        Map<String, Long> ndrsBy = new TreeMap<>();
        Histogram dataAck = new Histogram();
        LongList latencies = new LongList();
        for (WorkloadStats s : all) {
            attempted += s.connectionsAttempted;
            accepted += s.connectionsAccepted;
            waited += s.connectionsWaited;
            waitNanos += s.connectionWaitNanos;
            signIns += s.signIns;
            submitted += s.messagesSubmitted;
            acknowledged += s.messagesAcknowledged;
            deferred += s.messagesDeferred;
            deferrals += s.deferrals;
            bounced += s.messagesBounced;
            givenUp += s.messagesGivenUp;
            delivered += s.messagesDelivered;
            rAcc += s.recipientsAccepted;
            rRej += s.recipientsRejected;
            rDel += s.recipientsDelivered;
            dsns += s.delayDsns;
            ndrs += s.ndrs;
            expired += s.expired;
            s.refusedByReply.forEach((k, v) -> byReply.merge(k, v, Long::sum));
            s.refusedByLimit.forEach((k, v) -> byLimit.merge(k, v, Long::sum));
            s.closedByReply.forEach((k, v) -> closed.merge(k, v, Long::sum));
            s.sessionReplies.forEach((k, v) -> replies.merge(k, v, Long::sum));
            s.downstreamDeferralsByReply.forEach((k, v) -> downstream.merge(k, v, Long::sum));
            s.ndrsByReply.forEach((k, v) -> ndrsBy.merge(k, v, Long::sum));
            dataAck.addAll(s.dataAck);
            latencies.addAll(s.latencies);
        }
        long refused = byReply.values().stream().mapToLong(Long::longValue).sum();
        long[] sorted = latencies.sorted();
        double sum = 0;
        for (long l : sorted) {
            sum += l;
        }
        return new Summary(name, source, connector, attempted, accepted, refused, byReply, byLimit, closed, replies,
            waited, accepted == 0 ? 0 : waitNanos / 1e6 / accepted, signIns, submitted, acknowledged, deferred, deferrals,
            bounced, givenUp, delivered, rAcc, rRej, rDel, dsns, ndrs, expired, downstream, ndrsBy, dataAck.count(),
            ms(dataAck.percentile(50)), ms(dataAck.percentile(99)), ms(dataAck.max()), sorted.length,
            ms(LongList.percentile(sorted, 50)), ms(LongList.percentile(sorted, 95)),
            ms(LongList.percentile(sorted, 99)), sorted.length == 0 ? 0 : ms(sorted[sorted.length - 1]),
            sorted.length == 0 ? 0 : sum / sorted.length / 1e6);
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** A duration in milliseconds as a person reads it: 12 ms, 3.2 s, 14 min, 2 h 05 min. */
    public static String human(double ms) {
        if (ms < 10) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", ms);
        }
        if (ms < 1000) {
            return Math.round(ms) + " ms";
        }
        double s = ms / 1000;
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1f s", s);
        }
        long minutes = Math.round(s / 60);
        if (minutes < 60) {
            return minutes + " min";
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }
}
