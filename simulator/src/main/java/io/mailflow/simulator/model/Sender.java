package io.mailflow.simulator.model;

import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.frontend.admission.ConnectionAdmission;
import io.mailflow.simulator.report.FaultStats;
import io.mailflow.simulator.report.WorkloadStats;
import io.mailflow.simulator.scenario.Workload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Simulator model: the client side of one workload, a sending MTA. It holds the messages it has
 * not handed over yet, opens up to {@code Connections} connections while it has any, and follows
 * its {@code OnRefusal} rule when the relay answers a connection with 4xx, or when the server is
 * stopped and refuses the TCP connection itself.
 */
final class Sender {
    final Simulation sim;
    final Workload workload;
    final WorkloadStats stats;
    final RandomGenerator random;
    final long roundTrip;
    final String mailFrom;
    final byte[] content;
    private final ArrayDeque<SimMessage> queue = new ArrayDeque<>();
    /** Open connections with nothing to send, kept for IdleTimeout (a connection cache). */
    final ArrayDeque<ClientConnection> idle = new ArrayDeque<>();
    /** The LinkLatency faults on this workload's sessions. */
    final List<FaultStats> links = new ArrayList<>();
    private final String[] knownRecipients;
    private final String unknownDomain;
    private int active;
    private boolean dispatching;
    /** The workload's arrival times, one after the other (drawn, or a trace's list). */
    private io.mailflow.simulator.scenario.Arrival.Cursor arrivals;
    private long recipientCounter;

    Sender(Simulation sim, Workload workload, RandomGenerator random, String[] knownRecipients, String unknownDomain) {
        this.sim = sim;
        this.workload = workload;
        this.stats = new WorkloadStats(workload);
        this.random = random;
        this.roundTrip = workload.roundTrip().toNanos();
        this.mailFrom = "MAIL FROM:<" + workload.mailFrom() + "> SIZE=" + workload.sizeBytes();
        this.content = ("From: <" + workload.mailFrom() + ">\r\nSubject: simulated message from " + workload.name()
            + "\r\n\r\nSimulated.\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.knownRecipients = knownRecipients;
        this.unknownDomain = unknownDomain;
    }

    void start() {
        arrivals = workload.arrival().cursor(workload.start().toNanos(), random);
        scheduleNextArrival();
    }

    private void scheduleNextArrival() {
        long next = arrivals.next();
        if (next < workload.stop().toNanos()) {
            sim.kernel.scheduleAt(next, this::arrive);
        }
    }

    private void arrive() {
        long now = sim.kernel.now();
        if (now >= workload.stop().toNanos()) {
            return;
        }
        boolean counted = now >= sim.warmUp;
        SimMessage m = new SimMessage(stats, now, counted, recipients());
        if (counted) {
            stats.messagesSubmitted++;
        }
        if (sim.isDown()) {
            sim.touch(m, sim.downFault());
        }
        queue.addLast(m);
        sim.arrivalObserver.accept(now);
        scheduleNextArrival();
        dispatch();
    }

    private List<String> recipients() {
        int n = workload.recipientsPerMessage();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            if (u < workload.unknownRecipientRate()) {
                out.add("nobody" + (++recipientCounter) + "@" + unknownDomain);
            } else if (u < workload.unknownRecipientRate() + workload.externalRecipientRate()) {
                out.add("user" + (++recipientCounter) + "@" + workload.externalDomain());
            } else {
                out.add(knownRecipients[random.nextInt(knownRecipients.length)]);
            }
        }
        return out;
    }

    /** Opens connections while messages wait and the sender's connection budget allows. */
    void dispatch() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            while (!queue.isEmpty()) {
                ClientConnection cached = idle.pollFirst();
                if (cached != null) {
                    cached.resume(queue.pollFirst());
                } else if (active < workload.connections()) {
                    active++;
                    new ClientConnection(this, queue.pollFirst()).attempt();
                } else {
                    break;
                }
            }
        } finally {
            dispatching = false;
        }
    }

    /** The next message for an open connection, or null. */
    SimMessage poll() {
        return queue.pollFirst();
    }

    boolean hasWork() {
        return !queue.isEmpty();
    }

    /** A message goes back to the head of the line (deferred), to be sent on the next connection. */
    void requeue(SimMessage m) {
        queue.addFirst(m);
    }

    int queued() {
        return queue.size();
    }

    /** The messages still waiting here (not yet on a connection). */
    Iterable<SimMessage> waiting() {
        return queue;
    }

    /** A connection (or its place in the budget) is no more. */
    void connectionEnded() {
        active--;
        dispatch();
    }

    /** The relay refused {@code c}'s connection. */
    void onRefused(ClientConnection c, ConnectionAdmission.Refused refused) {
        long now = sim.kernel.now();
        SmtpReply reply = refused.reply();
        String text = Simulation.replyText(reply);
        if (c.message.counted) {
            WorkloadStats.count(stats.refusedByReply, text);
            WorkloadStats.count(stats.refusedByLimit, limitOf(refused.reason()));
        }
        for (FaultStats f : links) {
            if (f.fault.activeAt(now)) {
                WorkloadStats.count(f.refusedByLimitDuring, limitOf(refused.reason()));
                sim.touch(c.message, f);
            }
        }
        sim.refusedDuringSlowDisk(limitOf(refused.reason()), c.message);
        if (reply.isPermanentFailure()) {
            stats.rejectedPerMinute.add(now, 1);
            if (c.message.counted) {
                stats.messagesBounced++;
            }
            connectionEnded();
            return;
        }
        stats.deferredPerMinute.add(now, 1);
        SimMessage m = c.message;
        switch (workload.onRefusal().action()) {
            case Wait -> sim.waitForConnection(c);
            case GiveUp -> {
                if (m.counted) {
                    stats.messagesGivenUp++;
                }
                connectionEnded();
            }
            case RetryAfter -> {
                // The message is deferred with its connection: both try again after Delay.
                markDeferred(m);
                sim.kernel.schedule(workload.onRefusal().delay().toNanos(), () -> new ClientConnection(this, m).attempt());
            }
        }
    }

    /**
     * The server is stopped: the TCP connection is refused, with no SMTP reply. A sender that
     * gives up drops the message; one that retries (or would wait in line: there is no listener
     * to wait on) tries again after OnRefusal's Delay.
     */
    void refusedWhileDown(ClientConnection c, FaultStats down) {
        long now = sim.kernel.now();
        SimMessage m = c.message;
        down.connectionsRefused++;
        sim.touch(m, down);
        if (m.counted) {
            WorkloadStats.count(stats.refusedByReply, "connection refused: " + sim.serverName() + " stopped");
            WorkloadStats.count(stats.refusedByLimit, "ServerDown");
        }
        stats.deferredPerMinute.add(now, 1);
        if (workload.onRefusal().action() == Workload.Action.GiveUp) {
            if (m.counted) {
                stats.messagesGivenUp++;
            }
            connectionEnded();
            return;
        }
        retryLater(m);
    }

    /** The message and its place in the connection budget try again after OnRefusal's Delay. */
    void retryLater(SimMessage m) {
        markDeferred(m);
        sim.kernel.schedule(workload.onRefusal().delay().toNanos(), () -> new ClientConnection(this, m).attempt());
    }

    void markDeferred(SimMessage m) {
        if (!m.counted) {
            return;
        }
        stats.deferrals++;
        if (!m.deferred) {
            m.deferred = true;
            stats.messagesDeferred++;
        }
    }

    /**
     * After a 4xx in a session (421 4.4.2, 452 4.3.1, a timeout): the connection is gone; the
     * message is dropped (GiveUp) or deferred with its place in the connection budget for
     * OnRefusal's Delay (RetryAfter, and Wait, since there is no line to wait in for a 4xx).
     */
    void deferInSession(SimMessage m) {
        markDeferred(m);
        if (workload.onRefusal().action() == Workload.Action.GiveUp) {
            if (m.counted) {
                stats.messagesGivenUp++;
            }
            connectionEnded();
            return;
        }
        sim.kernel.schedule(workload.onRefusal().delay().toNanos(), () -> new ClientConnection(this, m).attempt());
    }

    /** The limit a refusal reason names: "MaxInboundConnectionPerSource 20", "ConnectionRateThrottle 10" … */
    static String limitOf(String reason) {
        if (reason.startsWith("access map")) {
            return "AccessMap";
        }
        String[] words = reason.split(" ");
        if (words.length > 1 && words[1].matches("\\d+")) {
            return words[0] + " " + words[1];
        }
        return words[0];
    }
}
