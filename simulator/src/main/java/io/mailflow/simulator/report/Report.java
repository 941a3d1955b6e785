package io.mailflow.simulator.report;

import io.mailflow.core.params.TimeSpan;
import io.mailflow.simulator.scenario.Fault;
import io.mailflow.simulator.scenario.Scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Simulator report: report.json and the findings in plain words, for one run or two side by side
 * ({@code --vs}). Everything is derived from {@link RunResult}s alone, in a fixed order, so the
 * same scenario and seed give the same bytes.
 */
public final class Report {
    private Report() {
    }

    public static String json(List<RunResult> runs) {
        Json j = new Json();
        j.open(null);
        j.openArray("runs");
        for (RunResult r : runs) {
            run(j, r);
        }
        j.closeArray();
        if (runs.size() == 2) {
            j.openArray("differences");
            for (String d : differences(runs.get(0), runs.get(1))) {
                j.value(d);
            }
            j.closeArray();
        }
        j.close();
        return j.toString();
    }

    private static void run(Json j, RunResult r) {
        Scenario s = r.scenario();
        j.open(null);
        j.field("scenario", s.name());
        j.field("seed", r.seed());
        j.field("server", s.server());
        j.field("duration", TimeSpan.format(s.duration()));
        j.field("simulatedTime", TimeSpan.format(Duration.ofNanos(r.simulatedNanos()).withNanos(0)));
        j.field("events", r.events());
        j.open("serviceTimes");
        j.field("SpoolSync", s.serviceTimes().spoolSync().describe());
        j.field("Categorizer", s.serviceTimes().categorizer().describe());
        j.field("MailboxDelivery", s.serviceTimes().mailboxDelivery().describe());
        j.field("SmtpDelivery", s.serviceTimes().smtpDelivery().describe());
        j.close();
        j.openArray("faults");
        for (FaultStats f : r.faults()) {
            fault(j, f, r);
        }
        j.closeArray();
        j.openArray("workloads");
        for (WorkloadStats w : r.workloads()) {
            summary(j, Summary.of(w));
            j.open("perMinute");
            j.field("accepted", w.acceptedPerMinute.values(r.minutes()));
            j.field("deferred", w.deferredPerMinute.values(r.minutes()));
            j.field("rejected", w.rejectedPerMinute.values(r.minutes()));
            j.field("openConnections", w.openConnections.values(r.minutes()));
            j.close();
            j.close();
        }
        j.closeArray();
        j.open("total");
        summaryFields(j, Summary.total(r.workloads()));
        j.close();
        j.openArray("queues");
        for (RunResult.QueueResult q : r.queues()) {
            j.open(null);
            j.field("name", q.name());
            j.field("kind", q.kind());
            long[] peak = q.depth().peak();
            j.field("peak", peak[1]);
            j.field("peakAt", peak[0] < 0 ? "" : minute(peak[0]));
            j.openArray("retry");
            for (long[] w : q.retryWindows()) {
                j.value(clock(w[0]) + "-" + clock(w[1]));
            }
            j.closeArray();
            j.field("depthPerMinute", q.depth().values(r.minutes()));
            j.close();
        }
        j.closeArray();
        j.openArray("connectors");
        for (Map.Entry<String, MinuteSeries> e : r.connectorOpen().entrySet()) {
            j.open(null);
            j.field("name", e.getKey());
            j.field("openConnectionsPerMinute", e.getValue().values(r.minutes()));
            j.close();
        }
        j.closeArray();
        j.openArray("backPressure");
        for (String t : r.backPressure()) {
            j.value(t);
        }
        j.closeArray();
        j.open("endState");
        j.field("messagesStillAtSenders", r.stillAtSenders());
        j.field("messagesStillQueued", r.stillQueued());
        j.close();
        j.openArray("findings");
        for (String f : findings(r)) {
            j.value(f);
        }
        j.closeArray();
        j.close();
    }

    private static void summary(Json j, Summary s) {
        j.open(null);
        j.field("name", s.name());
        j.field("sourceIp", s.source());
        j.field("connector", s.connector());
        summaryFields(j, s);
    }

    private static void summaryFields(Json j, Summary s) {
        j.open("connections");
        j.field("attempted", s.connectionsAttempted());
        j.field("accepted", s.connectionsAccepted());
        j.field("refused", s.connectionsRefused());
        map(j, "refusedByReply", s.refusedByReply());
        map(j, "refusedByLimit", s.refusedByLimit());
        map(j, "closedByRelay", s.closedByReply());
        j.field("waited", s.connectionsWaited());
        j.field("meanWaitMs", s.meanConnectionWaitMs());
        j.field("signIns", s.signIns());
        j.close();
        j.open("messages");
        j.field("submitted", s.messagesSubmitted());
        j.field("acknowledged", s.messagesAcknowledged());
        j.field("deferred", s.messagesDeferred());
        j.field("deferrals", s.deferrals());
        j.field("bounced", s.messagesBounced());
        j.field("givenUp", s.messagesGivenUp());
        j.field("delivered", s.messagesDelivered());
        j.field("delayDsns", s.delayDsns());
        j.field("ndrs", s.ndrs());
        j.field("expired", s.expired());
        map(j, "deferredByNextHopReply", s.downstreamDeferralsByReply());
        map(j, "ndrsByReply", s.ndrsByReply());
        j.close();
        j.open("recipients");
        j.field("accepted", s.recipientsAccepted());
        j.field("rejected", s.recipientsRejected());
        j.field("delivered", s.recipientsDelivered());
        map(j, "sessionReplies", s.sessionReplies());
        j.close();
        j.open("endOfDataTo250Ms");
        j.field("count", s.dataAckCount());
        j.field("p50", s.dataAckP50Ms());
        j.field("p99", s.dataAckP99Ms());
        j.field("max", s.dataAckMaxMs());
        j.close();
        j.open("latencyMs");
        j.field("count", s.latencyCount());
        j.field("p50", s.p50Ms());
        j.field("p95", s.p95Ms());
        j.field("p99", s.p99Ms());
        j.field("max", s.maxMs());
        j.field("mean", s.meanMs());
        j.close();
    }

    /** One fault's figures: what it touched and how that ended, then its type's own. */
    private static void fault(Json j, FaultStats f, RunResult r) {
        Fault.Window w = f.fault.window();
        j.open(null);
        j.field("type", f.fault.getClass().getSimpleName());
        j.field("description", f.fault.describe());
        j.field("from", clock(w.fromNanos()));
        j.field("until", clock(w.untilNanos()));
        j.open("messagesTouched");
        j.field("count", f.messagesTouched);
        j.field("delivered", f.touchedDelivered);
        j.field("failed", f.touchedFailed);
        j.field("lastDeliveredAt", f.lastDeliveredAt < 0 ? "" : clock(f.lastDeliveredAt));
        long[] sorted = f.touchedLatencies.sorted();
        j.field("latencyP50Ms", Summary.ms(LongList.percentile(sorted, 50)));
        j.field("latencyP99Ms", Summary.ms(LongList.percentile(sorted, 99)));
        j.field("latencyMaxMs", sorted.length == 0 ? 0 : Summary.ms(sorted[sorted.length - 1]));
        j.close();
        if (f.fault instanceof Fault.DownstreamUnavailable) {
            j.field("connectionFailures", f.connectionFailures);
        } else if (f.fault instanceof Fault.DownstreamReplies) {
            j.field("deliveriesAnswered", f.deliveriesAnswered);
            j.field("deferrals", f.deferrals);
            j.field("recipientsDeferred", f.recipientsDeferred);
            j.field("recipientsFailed", f.recipientsFailed);
            map(j, "deferralsByReply", f.deferralsByReply);
            map(j, "failedRecipientsByReply", f.failedRecipientsByReply);
        } else if (f.fault instanceof Fault.ServerDown) {
            j.field("connectionsRefused", f.connectionsRefused);
            j.field("sessionsCut", f.sessionsCut);
            j.field("deliveriesCut", f.deliveriesCut);
            j.field("recoveredMessages", f.recovered);
            j.field("restartedAt", f.restartedAt < 0 ? "" : clock(f.restartedAt));
            j.field("recoveryDrainedAt", f.drainedAt < 0 ? "" : clock(f.drainedAt));
            j.field("recoveryDrainMs", f.drainedAt < 0 ? -1 : Summary.ms(f.drainedAt - f.restartedAt));
        } else if (f.fault instanceof Fault.SlowDisk) {
            histogram(j, "endOfDataTo250MsDuring", f.dataAckDuring);
            histogram(j, "endOfDataTo250MsOutside", f.dataAckOutside);
            histogram(j, "mailboxDeliveryMsDuring", f.mailboxDuring);
            histogram(j, "mailboxDeliveryMsOutside", f.mailboxOutside);
            map(j, "refusedByLimitDuring", f.refusedByLimitDuring);
            openConnections(j, r, w);
        } else if (f.fault instanceof Fault.LinkLatency) {
            j.field("exchangesDelayed", f.exchangesDelayed);
            j.field("deliveriesDelayed", f.deliveriesDelayed);
            map(j, "refusedByLimitDuring", f.refusedByLimitDuring);
            openConnections(j, r, w);
        }
        j.close();
    }

    private static void histogram(Json j, String key, Histogram h) {
        j.open(key);
        j.field("count", h.count());
        j.field("p50", Summary.ms(h.percentile(50)));
        j.field("p99", Summary.ms(h.percentile(99)));
        j.field("max", Summary.ms(h.max()));
        j.close();
    }

    /** Each receive connector's highest open connections before the window and in it. */
    private static void openConnections(Json j, RunResult r, Fault.Window w) {
        j.openArray("openConnections");
        for (Map.Entry<String, MinuteSeries> e : r.connectorOpen().entrySet()) {
            long[] peaks = peaks(e.getValue(), r, w);
            j.open(null);
            j.field("connector", e.getKey());
            j.field("peakBefore", peaks[0]);
            j.field("peakDuring", peaks[1]);
            j.close();
        }
        j.closeArray();
    }

    /** The highest minute before the window and within it (minutes the window touches). */
    static long[] peaks(MinuteSeries series, RunResult r, Fault.Window w) {
        long[] v = series.values(r.minutes());
        int from = (int) (w.fromNanos() / MINUTE);
        int until = (int) Math.min(v.length, (w.untilNanos() + MINUTE - 1) / MINUTE);
        long before = 0;
        long during = 0;
        for (int i = 0; i < v.length; i++) {
            if (i < from) {
                before = Math.max(before, v[i]);
            } else if (i < until) {
                during = Math.max(during, v[i]);
            }
        }
        return new long[] {before, during};
    }

    private static final long MINUTE = 60_000_000_000L;

    private static void map(Json j, String key, Map<String, Long> m) {
        j.open(key);
        m.forEach(j::field);
        j.close();
    }

    /** The story of one run in plain words. */
    public static List<String> findings(RunResult r) {
        List<String> out = new ArrayList<>();
        for (WorkloadStats w : r.workloads()) {
            Summary s = Summary.of(w);
            String who = "Sender " + s.name() + " (" + s.source() + ")";
            String waited = s.latencyCount() == 0 ? "none of its mail was delivered"
                : "its mail waited p50 " + Summary.human(s.p50Ms()) + ", p95 " + Summary.human(s.p95Ms())
                    + " from the sender to the mailbox or next hop";
            if (s.refusedByLimit().isEmpty()) {
                out.add(who + " was never refused a connection on '" + s.connector() + "' ("
                    + n(s.connectionsAccepted()) + " connections); " + waited + ".");
            } else {
                List<String> parts = new ArrayList<>();
                s.refusedByLimit().forEach((limit, count) -> parts.add(limit + " " + n(count) + " times"));
                out.add(who + " hit " + String.join(", ", parts) + " on '" + s.connector() + "' (of "
                    + n(s.connectionsAttempted()) + " connection attempts); " + waited + ".");
            }
            if (s.messagesDeferred() > 0) {
                out.add(who + ": " + n(s.messagesDeferred()) + " of " + n(s.messagesSubmitted()) + " messages ("
                    + pct(s.messagesDeferred(), s.messagesSubmitted()) + ") were deferred at least once, "
                    + n(s.deferrals()) + " deferrals in all.");
            }
            if (s.messagesGivenUp() > 0) {
                out.add(who + " gave up " + n(s.messagesGivenUp()) + " messages after a refusal ("
                    + pct(s.messagesGivenUp(), s.messagesSubmitted()) + ").");
            }
            if (w.workload.signIn() != null) {
                out.add(who + " signed in as " + w.workload.signIn().user() + " " + n(s.signIns()) + " times on '"
                    + s.connector() + "'" + (s.connectionsAccepted() > s.signIns()
                    ? "; " + n(s.connectionsAccepted() - s.signIns()) + " of its sessions did not sign in." : "."));
            }
            s.closedByReply().forEach((reply, count) ->
                out.add("The relay ended " + n(count) + " of " + who + "'s sessions with \"" + reply + "\"."));
            if (s.recipientsRejected() > 0) {
                long tried = s.recipientsAccepted() + s.recipientsRejected();
                double hours = Math.max(1e-9, activeHours(w, r));
                out.add(who + " tried " + n(tried) + " recipients (" + n(Math.round(tried / hours))
                    + " per hour while sending); " + n(s.recipientsAccepted()) + " were accepted and "
                    + n(s.recipientsRejected()) + " refused (" + String.join(", ", permanent(s.sessionReplies())) + ")"
                    + (w.workload.connector().tarpitInterval().isZero() ? ", with no tarpit."
                        : ", each refusal held back TarpitInterval " + TimeSpan.format(w.workload.connector().tarpitInterval())
                        + "."));
            }
            if (s.delayDsns() > 0 || s.ndrs() > 0) {
                out.add(who + ": " + n(s.delayDsns()) + " delay DSNs (DelayNotificationTimeout "
                    + TimeSpan.format(r.scenario().transportService().delayNotificationTimeout()) + "), "
                    + n(s.ndrs()) + " NDRs, of which " + n(s.expired()) + " for messages that expired (MessageExpirationTimeout "
                    + TimeSpan.format(r.scenario().transportService().messageExpirationTimeout()) + ").");
            }
        }
        for (FaultStats f : r.faults()) {
            out.addAll(FaultFindings.of(f, r));
        }
        for (RunResult.QueueResult q : r.queues()) {
            long[] peak = q.depth().peak();
            if (!q.retryWindows().isEmpty()) {
                List<String> windows = new ArrayList<>();
                for (long[] w : q.retryWindows()) {
                    windows.add("from " + clock(w[0]) + " to " + clock(w[1]));
                }
                out.add("Queue " + q.name() + " was in Retry " + String.join(", ", windows) + "; it held up to "
                    + n(peak[1]) + " messages (at " + minute(peak[0]) + ").");
            } else if (peak[1] >= 100) {
                out.add("Queue " + q.name() + " held up to " + n(peak[1]) + " messages (at " + minute(peak[0]) + ").");
            }
        }
        for (String t : r.backPressure()) {
            out.add("Back pressure: " + t + ".");
        }
        if (r.stillAtSenders() + r.stillQueued() > 0) {
            out.add("When the run ended (" + TimeSpan.format(Duration.ofNanos(r.simulatedNanos()).withNanos(0)) + "), "
                + n(r.stillAtSenders()) + " messages were still waiting at the senders and " + n(r.stillQueued())
                + " in the relay's queues.");
        }
        return out;
    }

    /** What changed from {@code a} to {@code b}, workload by workload. */
    public static List<String> differences(RunResult a, RunResult b) {
        List<String> out = new ArrayList<>();
        Summary ta = Summary.total(a.workloads());
        Summary tb = Summary.total(b.workloads());
        for (WorkloadStats wa : a.workloads()) {
            WorkloadStats wb = b.workloads().stream().filter(x -> x.workload.name().equals(wa.workload.name()))
                .findFirst().orElse(null);
            if (wb == null) {
                out.add("Sender " + wa.workload.name() + " is only in " + a.scenario().name() + ".");
                continue;
            }
            Summary sa = Summary.of(wa);
            Summary sb = Summary.of(wb);
            List<String> parts = new ArrayList<>();
            change(parts, "connections refused", sa.connectionsRefused(), sb.connectionsRefused());
            change(parts, "messages deferred", sa.messagesDeferred(), sb.messagesDeferred());
            change(parts, "messages given up", sa.messagesGivenUp(), sb.messagesGivenUp());
            change(parts, "recipients refused", sa.recipientsRejected(), sb.recipientsRejected());
            change(parts, "messages delivered", sa.messagesDelivered(), sb.messagesDelivered());
            change(parts, "delay DSNs", sa.delayDsns(), sb.delayDsns());
            change(parts, "NDRs", sa.ndrs(), sb.ndrs());
            if (sa.p95Ms() != sb.p95Ms()) {
                parts.add("p95 latency " + Summary.human(sa.p95Ms()) + " → " + Summary.human(sb.p95Ms()));
            }
            String limits = sa.refusedByLimit().isEmpty() ? "" : " (" + String.join(", ", sa.refusedByLimit().keySet()) + ")";
            out.add("Sender " + sa.name() + limits + ": " + (parts.isEmpty() ? "no change" : String.join("; ", parts))
                + ".");
            if (sa.messagesDeferred() > 0 && sb.messagesDeferred() == 0) {
                out.add("With " + b.scenario().name() + " the deferrals of " + sa.name() + " disappear.");
            }
        }
        out.add("In total: messages delivered " + n(ta.messagesDelivered()) + " → " + n(tb.messagesDelivered())
            + "; p95 latency " + Summary.human(ta.p95Ms()) + " → " + Summary.human(tb.p95Ms()) + ".");
        return out;
    }

    private static void change(List<String> parts, String what, long a, long b) {
        if (a != b) {
            parts.add(what + " " + n(a) + " → " + n(b));
        }
    }

    private static List<String> permanent(Map<String, Long> replies) {
        List<String> out = new ArrayList<>();
        replies.forEach((reply, count) -> {
            if (reply.startsWith("5")) {
                out.add(n(count) + " × \"" + reply + "\"");
            }
        });
        return out;
    }

    private static double activeHours(WorkloadStats w, RunResult r) {
        long end = Math.min(w.workload.stop().toNanos(), r.simulatedNanos());
        return (end - w.workload.start().toNanos()) / 3.6e12;
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "0 %" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }

    static String clock(long nanos) {
        return TimeSpan.format(Duration.ofSeconds(nanos / 1_000_000_000L));
    }

    static String minute(long minute) {
        return TimeSpan.format(Duration.ofMinutes(minute));
    }
}
