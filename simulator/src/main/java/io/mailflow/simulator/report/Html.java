package io.mailflow.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Simulator report: report.html, one self-contained page (inline CSS and SVG, no script, nothing
 * fetched) with the findings, a table per run, the latency table and the timelines; with
 * {@code --vs}, the two runs side by side and their differences first.
 */
public final class Html {
    private Html() {
    }

    public static String page(List<RunResult> runs) {
        StringBuilder h = new StringBuilder();
        String title = runs.size() == 2 ? runs.get(0).scenario().name() + " vs " + runs.get(1).scenario().name()
            : runs.get(0).scenario().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mailflow simulation: ")
            .append(escape(title)).append("</title>\n<style>")
            .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:17px;margin-top:28px}")
            .append("h3{font-size:15px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;")
            .append("text-align:right;font-size:13px}th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}")
            .append(".cols{display:flex;gap:24px;flex-wrap:wrap}.col{flex:1;min-width:640px}li{margin:4px 0}")
            .append("</style></head><body>\n");
        h.append("<h1>Mailflow simulation: ").append(escape(title)).append("</h1>\n");
        if (runs.size() == 2) {
            h.append("<h2>Differences</h2><ul>");
            for (String d : Report.differences(runs.get(0), runs.get(1))) {
                h.append("<li>").append(escape(d)).append("</li>");
            }
            h.append("</ul>\n");
        }
        h.append("<div class=\"cols\">");
        for (RunResult r : runs) {
            h.append("<div class=\"col\">");
            run(h, r);
            h.append("</div>");
        }
        h.append("</div>\n</body></html>\n");
        return h.toString();
    }

    private static void run(StringBuilder h, RunResult r) {
        h.append("<h2>").append(escape(r.scenario().name())).append("</h2>");
        h.append("<p>Server ").append(escape(r.scenario().server())).append(", seed ").append(r.seed())
            .append(", ").append(Report.n(r.events())).append(" events over ").append(Report.minute(r.minutes() - 1))
            .append(" of simulated time.</p>");
        h.append("<h3>Findings</h3><ul>");
        for (String f : Report.findings(r)) {
            h.append("<li>").append(escape(f)).append("</li>");
        }
        h.append("</ul>");
        List<Summary> rows = new ArrayList<>();
        r.workloads().forEach(w -> rows.add(Summary.of(w)));
        rows.add(Summary.total(r.workloads()));
        h.append("<h3>Connections and messages</h3><table><tr><th>Sender</th><th>connections</th><th>accepted</th>")
            .append("<th>refused</th><th>messages</th><th>acknowledged</th><th>deferred</th><th>bounced</th>")
            .append("<th>given up</th><th>delivered</th><th>delay DSNs</th><th>NDRs</th></tr>");
        for (Summary s : rows) {
            h.append("<tr><td>").append(escape(s.name())).append(s.source().isEmpty() ? "" : " (" + s.source() + ")")
                .append("</td>");
            for (long v : new long[] {s.connectionsAttempted(), s.connectionsAccepted(), s.connectionsRefused(),
                s.messagesSubmitted(), s.messagesAcknowledged(), s.messagesDeferred(), s.messagesBounced(),
                s.messagesGivenUp(), s.messagesDelivered(), s.delayDsns(), s.ndrs()}) {
                h.append("<td>").append(Report.n(v)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        h.append("<h3>Refusals by reply</h3><table><tr><th>Sender</th><th>reply</th><th>count</th></tr>");
        for (Summary s : rows.subList(0, rows.size() - 1)) {
            for (Map<String, Long> m : List.of(s.refusedByReply(), s.closedByReply(), s.sessionReplies())) {
                m.forEach((reply, count) -> h.append("<tr><td>").append(escape(s.name())).append("</td><td>")
                    .append(escape(reply)).append("</td><td>").append(Report.n(count)).append("</td></tr>"));
            }
        }
        h.append("</table>");
        if (rows.stream().anyMatch(s -> !s.downstreamDeferralsByReply().isEmpty() || !s.ndrsByReply().isEmpty())) {
            h.append("<h3>Next-hop deferrals and NDRs by reply</h3><table><tr><th>Sender</th><th>what</th><th>reply</th>")
                .append("<th>count</th></tr>");
            for (Summary s : rows.subList(0, rows.size() - 1)) {
                s.downstreamDeferralsByReply().forEach((reply, count) -> row(h, s.name(), "deferred", reply, count));
                s.ndrsByReply().forEach((reply, count) -> row(h, s.name(), "NDR", reply, count));
            }
            h.append("</table>");
        }
        h.append("<h3>End-to-end latency</h3><p>From the moment the sender has a message to its last recipient "
            + "delivered (mailbox or next hop).</p><table><tr><th>Sender</th><th>messages</th><th>p50</th><th>p95</th>"
            + "<th>p99</th><th>max</th><th>mean</th></tr>");
        for (Summary s : rows) {
            h.append("<tr><td>").append(escape(s.name())).append("</td><td>").append(Report.n(s.latencyCount()))
                .append("</td>");
            for (double v : new double[] {s.p50Ms(), s.p95Ms(), s.p99Ms(), s.maxMs(), s.meanMs()}) {
                h.append("<td>").append(escape(Summary.human(v))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        int minutes = r.minutes();
        List<Svg.Line> depth = new ArrayList<>();
        for (RunResult.QueueResult q : r.queues()) {
            depth.add(new Svg.Line(q.name(), q.depth().values(minutes)));
        }
        h.append("<h3>Timelines</h3>");
        h.append(Svg.chart("Queue depth", "messages, highest each minute", depth, minutes));
        List<Svg.Line> open = new ArrayList<>();
        for (WorkloadStats w : r.workloads()) {
            open.add(new Svg.Line(w.workload.name() + " (" + w.workload.sourceAddress() + ")",
                w.openConnections.values(minutes)));
        }
        r.connectorOpen().forEach((c, series) -> open.add(new Svg.Line("connector " + c, series.values(minutes))));
        h.append(Svg.chart("Open connections per source and connector", "highest each minute", open, minutes));
        for (WorkloadStats w : r.workloads()) {
            h.append(Svg.chart(w.workload.name() + ": accepted / deferred / rejected", "per minute", List.of(
                new Svg.Line("accepted (250 after DATA)", w.acceptedPerMinute.values(minutes)),
                new Svg.Line("deferred (4xx)", w.deferredPerMinute.values(minutes)),
                new Svg.Line("rejected (5xx)", w.rejectedPerMinute.values(minutes))), minutes));
        }
    }

    private static void row(StringBuilder h, String sender, String what, String reply, long count) {
        h.append("<tr><td>").append(escape(sender)).append("</td><td>").append(what).append("</td><td>")
            .append(escape(reply)).append("</td><td>").append(Report.n(count)).append("</td></tr>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
