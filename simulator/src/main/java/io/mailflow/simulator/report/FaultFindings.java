package io.mailflow.simulator.report;

import io.mailflow.core.params.TimeSpan;
import io.mailflow.simulator.scenario.Fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Simulator report: each fault's story in plain words, for the findings of report.json and
 * report.html: what it did in its window, and how the messages it touched ended ("smart host
 * relay.fabrikam.example answered 451 4.7.500 to 30 % of messages from 01:00 to 01:30: 4,210
 * deferrals, all delivered by 02:05, p99 latency 41 min").
 */
final class FaultFindings {
    private FaultFindings() {
    }

    static List<String> of(FaultStats f, RunResult r) {
        List<String> out = new ArrayList<>();
        Fault.Window w = f.fault.window();
        String window = "from " + Report.clock(w.fromNanos()) + " to " + Report.clock(w.untilNanos());
        if (f.fault instanceof Fault.DownstreamUnavailable u) {
            out.add("Next hop " + target(u.nextHop()) + " could not be reached " + window + ": "
                + Report.n(f.connectionFailures) + " failed connection attempts put its queue in Retry; "
                + outcome(f) + ".");
        } else if (f.fault instanceof Fault.DownstreamReplies d) {
            String what = "Next hop " + target(d.nextHop()) + " answered \"" + d.reply().toLogString() + "\" to "
                + percent(d.fraction()) + " of " + (d.per() == Fault.Per.Message ? "messages" : "recipients") + " "
                + window + ": " + Report.n(f.deliveriesAnswered) + " deliveries answered";
            if (d.reply().isTransientFailure()) {
                what += ", " + Report.n(f.deferrals) + " deferrals (" + Report.n(f.recipientsDeferred)
                    + " recipients, each retried after MessageRetryInterval "
                    + TimeSpan.format(r.scenario().transportService().messageRetryInterval()) + ")";
            } else {
                what += ", " + Report.n(f.recipientsFailed) + " recipients failed with an NDR";
            }
            out.add(what + "; " + outcome(f) + ".");
        } else if (f.fault instanceof Fault.ServerDown s) {
            String what = "Server " + s.server() + " was down " + window + ": " + Report.n(f.connectionsRefused)
                + " connections refused, " + Report.n(f.sessionsCut) + " open sessions cut, "
                + Report.n(f.deliveriesCut) + " deliveries cut short. ";
            if (f.restartedAt < 0) {
                what += "It had not restarted when the run ended";
            } else if (f.recovered == 0) {
                what += "It restarted with an empty spool";
            } else if (f.drainedAt < 0) {
                what += "On restart it recovered " + Report.n(f.recovered) + " messages from the spool; "
                    + Report.n(f.recoveryRemaining) + " of them were still waiting when the run ended";
            } else {
                what += "On restart it recovered " + Report.n(f.recovered) + " messages from the spool and had "
                    + "delivered or failed them all by " + Report.clock(f.drainedAt) + " (backlog drained in "
                    + Summary.human(Summary.ms(f.drainedAt - f.restartedAt)) + ")";
            }
            out.add(what + "; " + outcome(f) + ".");
        } else if (f.fault instanceof Fault.SlowDisk) {
            String what = "The disk was slow " + window + " (" + f.fault.describe().replaceFirst("^SlowDisk: ", "")
                .replaceFirst(" from .*$", "") + "): end of data → 250 took p50 "
                + Summary.human(Summary.ms(f.dataAckDuring.percentile(50))) + ", p99 "
                + Summary.human(Summary.ms(f.dataAckDuring.percentile(99))) + " in the window against "
                + Summary.human(Summary.ms(f.dataAckOutside.percentile(50))) + ", "
                + Summary.human(Summary.ms(f.dataAckOutside.percentile(99))) + " outside";
            if (f.mailboxDuring.count() > 0) {
                what += "; mailbox delivery averaged " + Summary.human(f.mailboxDuring.meanNanos() / 1e6)
                    + " against " + Summary.human(f.mailboxOutside.meanNanos() / 1e6);
            }
            out.add(what + connectors(r, w) + refusals(f) + "; " + outcome(f) + ".");
        } else if (f.fault instanceof Fault.LinkLatency l) {
            String what = l.workload() != null
                ? "The link from " + l.workload() + " had " + roundTrip(l) + " more round trip " + window + ": "
                    + Report.n(f.exchangesDelayed) + " SMTP exchanges waited longer" + connectors(r, w)
                : "The link to next hop " + target(l.nextHop()) + " had " + roundTrip(l) + " more round trip "
                    + window + ": " + Report.n(f.deliveriesDelayed) + " deliveries took longer";
            out.add(what + refusals(f) + "; " + outcome(f) + ".");
        }
        return out;
    }

    private static String roundTrip(Fault.LinkLatency l) {
        return Summary.human(l.roundTrip().toNanos() / 1e6);
    }

    /** "; in the window MaxInboundConnectionPerSource 20 refused 160 connections" */
    private static String refusals(FaultStats f) {
        if (f.refusedByLimitDuring.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        f.refusedByLimitDuring.forEach((limit, count) -> parts.add(limit + " refused " + Report.n(count)));
        return "; in the window " + String.join(", ", parts) + " connections";
    }

    /** How the messages the fault touched ended. */
    private static String outcome(FaultStats f) {
        if (f.messagesTouched == 0) {
            return "no message was touched";
        }
        long waiting = f.messagesTouched - f.touchedDelivered - f.touchedFailed;
        String s = Report.n(f.messagesTouched) + " messages touched";
        if (f.touchedDelivered == f.messagesTouched) {
            s += ", all delivered";
        } else {
            List<String> parts = new ArrayList<>();
            if (f.touchedDelivered > 0) {
                parts.add(Report.n(f.touchedDelivered) + " delivered");
            }
            if (f.touchedFailed > 0) {
                parts.add(Report.n(f.touchedFailed) + " failed (NDR)");
            }
            if (waiting > 0) {
                parts.add(Report.n(waiting) + " still waiting at the end");
            }
            s += ": " + String.join(", ", parts);
        }
        if (f.touchedDelivered > 0) {
            long[] sorted = f.touchedLatencies.sorted();
            s += ", the last at " + Report.clock(f.lastDeliveredAt) + ", latency p50 "
                + Summary.human(Summary.ms(LongList.percentile(sorted, 50))) + ", p99 "
                + Summary.human(Summary.ms(LongList.percentile(sorted, 99)));
        }
        return s;
    }

    /** "; open connections on 'X' peaked at 20 in the window (12 before)", for connectors that moved. */
    private static String connectors(RunResult r, Fault.Window w) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, MinuteSeries> e : r.connectorOpen().entrySet()) {
            long[] p = Report.peaks(e.getValue(), r, w);
            if (p[1] != p[0]) {
                parts.add("'" + e.getKey() + "' peaked at " + Report.n(p[1]) + " open connections (" + Report.n(p[0])
                    + " before)");
            }
        }
        return parts.isEmpty() ? "" : "; " + String.join(", ", parts);
    }

    private static String target(Fault.NextHop h) {
        return h.target() == null ? "(every Send connector)" : h.target();
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return (p == Math.rint(p) ? Long.toString((long) p) : String.format(java.util.Locale.ROOT, "%.1f", p)) + " %";
    }
}
