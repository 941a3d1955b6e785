package io.mailflow.frontend.admission;

import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.logging.TransportEvents;
import io.mailflow.core.organization.AccessMap;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Receive connector, first step of every connection: may this TCP connection open, before the
 * banner is sent? One instance per receive connector, shared by all its connections; the shell
 * calls {@link #tryAdmit} on accept and {@link #release} when the connection closes. Thread-safe,
 * and exact under concurrency: a limit of 20 admits 20, never 21 (DESIGN.md "Time, limits and
 * fairness"). No I/O; the rate window reads the injected {@link Clock} only.
 * Reads: {@link AdmissionLimits}. Emits: events 1009, 1021, 1030 in the refusals.
 *
 * <h2>Order of checks</h2>
 * As Sendmail's {@code Basic_check_relay} runs the access map before its rate and connection
 * controls, and Exchange then applies the connector's limits:
 * <ol>
 * <li>Access map {@code Connect:} REJECT or DISCARD: {@code 550 5.7.1 Access denied};
 *     {@code ERROR:"…"}: that reply. No event: this is policy, not a limit, and Sendmail writes it
 *     to the mail log only ({@link Refused#event()} is empty).</li>
 * <li>Access map OK or RELAY: admitted, {@linkplain Admitted#exempt() exempt} from every check
 *     below. An exempt connection is still <em>counted</em> — in the total, in its source's count and
 *     in the rate window — because it really occupies the connector: others' remaining connections
 *     (the percentage rule), MaxInboundConnection and the per-second rate must see it, or a trusted
 *     host holding 4,000 connections would leave everyone else believing the connector empty. So the
 *     total may exceed MaxInboundConnection through exempt connections; others are then refused.</li>
 * <li>ConnectionRateThrottle (Sendmail's: N connections per second per connector; 0 = none):
 *     a sliding one-second window over the last N admitted connections. The (N+1)th within
 *     1,000 ms of the oldest of them gets {@code 421 4.3.2 Connection rate limit exceeded.},
 *     event 1030. Refused connections are not counted, so a flood cannot keep the window full by
 *     itself being refused.</li>
 * <li>MaxInboundConnection, or MaxDaemonChildren when smaller: {@code 421 4.3.2 The maximum number
 *     of concurrent connections has exceeded a limit, closing transmission channel}, event 1009.</li>
 * <li>MaxInboundConnectionPerSource: a source already holding that many gets {@code 421 4.3.2 The
 *     maximum number of concurrent server connections has exceeded a per-source limit, closing
 *     transmission channel}, event 1021 naming connector, IP and limit.</li>
 * <li>MaxInboundConnectionPercentagePerSource: the same reply, event 1021 naming the percentage and
 *     the computed limit. Defined below.</li>
 * </ol>
 *
 * <h2>The percentage rule</h2>
 * Exchange: "maximum number of connections from a single IP, expressed as the percentage of
 * available remaining connections on a Receive connector". Mailflow's definition:
 * <pre>
 *   cap       = the total cap: min(MaxInboundConnection, MaxDaemonChildren)
 *   remaining = cap − open          (open = every connection now open on the connector,
 *                                    the source's own and exempt ones included)
 *   limit     = max(1, floor(remaining × percentage / 100))
 *   refused when the source already holds ≥ limit connections
 * </pre>
 * Floor, so the computed limit never exceeds the percentage; at least 1, so while any connection
 * remains a source holding none is never starved by rounding (its refusal, if any, is then the
 * total cap's 1009). When the cap is unlimited there is nothing "remaining" to take a percentage
 * of, and the rule does not apply. Because the source's own connections are part of {@code open},
 * each connection it takes also shrinks its own share.
 *
 * <p>Worked example: seed 001's AppRelay connector, MaxInboundConnection 5000,
 * MaxInboundConnectionPerSource 20, MaxInboundConnectionPercentagePerSource 2:
 * <table>
 * <caption>limit for one source by connections open on AppRelay</caption>
 * <tr><th>open</th><th>remaining</th><th>2 % of it</th><th>what a new connection gets</th></tr>
 * <tr><td>0</td><td>5,000</td><td>100</td><td>per-source 20 binds first: the 21st from one IP is
 *     refused (1021, "('20')")</td></tr>
 * <tr><td>4,000</td><td>1,000</td><td>20</td><td>both rules say 20: a source holding 20 is
 *     refused, reported as per-source (checked first)</td></tr>
 * <tr><td>4,500</td><td>500</td><td>10</td><td>a source holding 10 is refused (1021, "'2' percent,
 *     '10' connections"); one holding 9 gets its 10th</td></tr>
 * <tr><td>4,900</td><td>100</td><td>2</td><td>a source holding 2 is refused</td></tr>
 * <tr><td>4,990</td><td>10</td><td>0.2 → floor 0 → minimum 1</td><td>a source holding none is
 *     admitted, one holding 1 is refused</td></tr>
 * <tr><td>5,000</td><td>0</td><td>—</td><td>everyone refused by MaxInboundConnection (1009)</td></tr>
 * </table>
 *
 * <h2>Live changes</h2>
 * {@link #updateLimits} applies to connections that arrive afterwards; connections already open
 * keep their tickets and are counted as before, so lowering a limit refuses newcomers until enough
 * of the old ones close. A ConnectionRateThrottle raised from 0 starts with an empty window.
 */
public final class ConnectionAdmission {

    /** The answer to a new connection. */
    public sealed interface Decision permits Admitted, Refused {
    }

    /** The connection may open; hand {@code this} to {@link #release} when it closes. */
    public record Admitted(Ticket ticket, boolean exempt) implements Decision {
        public Admitted {
            Objects.requireNonNull(ticket, "ticket");
        }
    }

    /**
     * Send {@code reply} instead of the banner and close. {@code event} is what the event log gets:
     * present for the limits (1009, 1021, 1030), empty for an access map refusal.
     */
    public record Refused(SmtpReply reply, Optional<TransportEvent> event, String reason) implements Decision {
        public Refused {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** One admitted connection's place in the counts; releasing it twice changes nothing. */
    public static final class Ticket {
        private final ConnectionAdmission owner;
        private final InetAddress client;
        private final boolean exempt;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(ConnectionAdmission owner, InetAddress client, boolean exempt) {
            this.owner = owner;
            this.client = client;
            this.exempt = exempt;
        }

        public InetAddress client() {
            return client;
        }

        public boolean exempt() {
            return exempt;
        }

        public boolean isReleased() {
            return released.get();
        }

        @Override
        public String toString() {
            return "Ticket[" + owner.connector + " " + client.getHostAddress() + (exempt ? " exempt" : "")
                + (released.get() ? " released" : "") + "]";
        }
    }

    /** Connections one source holds; removed at zero so memory follows open connections only. */
    private static final class Held {
        int count;
    }

    private static final long WINDOW_MILLIS = 1000;

    private final String connector;
    private final Clock clock;
    private final Object lock = new Object();

    /** Written under {@link #lock}; volatile so the access map lookup can run outside it. */
    private volatile AdmissionLimits limits;
    // All below guarded by lock.
    private long open;
    private final Map<InetAddress, Held> bySource = new HashMap<>();
    /** Times (ms) of the last ConnectionRateThrottle admissions, a ring; null when the throttle is 0. */
    private long[] recent;
    private int recentCount;
    private int recentNext;

    /**
     * @param connector the connector's name, as events 1009, 1021 and 1030 print it (e.g. {@code AppRelay})
     */
    public ConnectionAdmission(String connector, AdmissionLimits limits, Clock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.recent = limits.connectionRateThrottle() > 0 ? new long[limits.connectionRateThrottle()] : null;
    }

    /**
     * Decides whether a new connection from {@code client} may open.
     *
     * @param clientHostname the client's host name if reverse DNS gave one (for access map lookups)
     */
    public Decision tryAdmit(InetAddress client, Optional<String> clientHostname) {
        Objects.requireNonNull(client, "client");
        // The access map is immutable: look it up outside the lock to keep the critical section short.
        Optional<AccessMap.Entry> entry = limits.accessMap().match(client, clientHostname);
        if (entry.isPresent() && !entry.get().action().exempts()) {
            return new Refused(entry.get().action().refusal().orElseThrow(), Optional.empty(),
                "access map " + entry.get().line());
        }
        boolean exempt = entry.isPresent();
        synchronized (lock) {
            AdmissionLimits l = limits;
            long now = clock.millis();
            forgetRateWindowIfClockSteppedBack(now);
            Held held = bySource.get(client);
            int holds = held == null ? 0 : held.count;
            if (!exempt) {
                Refused refused = check(l, client, holds, now);
                if (refused != null) {
                    return refused;
                }
            }
            open++;
            if (held == null) {
                held = new Held();
                bySource.put(client, held);
            }
            held.count++;
            recordRate(now);
            return new Admitted(new Ticket(this, client, exempt), exempt);
        }
    }

    /** Gives back an admitted connection's place. Idempotent: a second release changes nothing. */
    public void release(Admitted admitted) {
        release(admitted.ticket());
    }

    /** Gives back an admitted connection's place. Idempotent: a second release changes nothing. */
    public void release(Ticket ticket) {
        if (ticket.owner != this) {
            throw new IllegalArgumentException(ticket + " was not admitted by connector " + connector);
        }
        if (!ticket.released.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            open--;
            Held held = bySource.get(ticket.client);
            if (--held.count == 0) {
                bySource.remove(ticket.client);
            }
        }
    }

    /** Replaces the limits for connections that arrive from now on; open ones stay counted. */
    public void updateLimits(AdmissionLimits newLimits) {
        Objects.requireNonNull(newLimits, "newLimits");
        synchronized (lock) {
            int n = newLimits.connectionRateThrottle();
            if (n == 0) {
                recent = null;
                recentCount = 0;
                recentNext = 0;
            } else if (recent == null || recent.length != n) {
                // Keep the most recent admissions that fit, oldest first, so the window carries over.
                long[] resized = new long[n];
                int keep = recent == null ? 0 : Math.min(recentCount, n);
                for (int i = 0; i < keep; i++) {
                    resized[i] = recent[Math.floorMod(recentNext - keep + i, recent.length)];
                }
                recent = resized;
                recentCount = keep;
                recentNext = keep % n;
            }
            limits = newLimits;
        }
    }

    public AdmissionLimits limits() {
        return limits;
    }

    public String connector() {
        return connector;
    }

    /** Connections open on the connector now, exempt ones included. */
    public long openConnections() {
        synchronized (lock) {
            return open;
        }
    }

    /** Connections {@code client} holds now. */
    public int openConnections(InetAddress client) {
        synchronized (lock) {
            Held held = bySource.get(client);
            return held == null ? 0 : held.count;
        }
    }

    /**
     * The percentage rule's limit (see the class comment): {@code max(1, floor(remaining × percentage / 100))}.
     *
     * @param remaining connections left under the total cap; at least 1
     */
    public static long percentagePerSourceLimit(long remaining, int percentage) {
        return Math.max(1, remaining * percentage / 100);
    }

    /** The throttles in order; null when none refuses. Runs under the lock. */
    private Refused check(AdmissionLimits l, InetAddress client, int holds, long now) {
        String ip = client.getHostAddress();
        if (recent != null && rateExceeded(now)) {
            int n = l.connectionRateThrottle();
            return new Refused(SmtpReplies.CONNECTION_RATE_EXCEEDED,
                Optional.of(TransportEvents.connectionRateLimitExceeded(connector, ip, n)),
                "ConnectionRateThrottle " + n + " per second exceeded, connection from " + ip);
        }
        Unlimited cap = l.maxConnections();
        if (!cap.isUnlimited() && open >= cap.orElse(0)) {
            return maxConnections(l, cap);
        }
        Unlimited perSource = l.maxInboundConnectionPerSource();
        if (!perSource.isUnlimited() && holds >= perSource.orElse(0)) {
            int limit = toInt(perSource.orElse(0));
            return new Refused(SmtpReplies.MAX_CONNECTIONS_PER_SOURCE,
                Optional.of(TransportEvents.maxConnectionPerSourceReached(connector, ip, limit)),
                "MaxInboundConnectionPerSource " + limit + " reached by " + ip);
        }
        if (!cap.isUnlimited()) {
            int percentage = l.maxInboundConnectionPercentagePerSource();
            long remaining = cap.orElse(0) - open;
            long limit = percentagePerSourceLimit(remaining, percentage);
            if (holds >= limit) {
                return new Refused(SmtpReplies.MAX_CONNECTIONS_PER_SOURCE,
                    Optional.of(TransportEvents.maxConnectionPercentagePerSourceReached(connector, ip, percentage,
                        toInt(limit))),
                    "MaxInboundConnectionPercentagePerSource " + percentage + " % of " + remaining
                        + " remaining = " + limit + " reached by " + ip);
            }
        }
        return null;
    }

    private Refused maxConnections(AdmissionLimits l, Unlimited cap) {
        int limit = toInt(cap.orElse(0));
        return new Refused(SmtpReplies.MAX_CONNECTIONS,
            Optional.of(TransportEvents.maxConnectionReached(connector, limit)),
            l.maxConnectionsName() + " " + limit + " reached (" + open + " open)");
    }

    /** True when the last N admissions all fall within the second before {@code now}. */
    private boolean rateExceeded(long now) {
        if (recentCount < recent.length) {
            return false;
        }
        // The ring is full, so the next slot to write holds the oldest of the last N admissions.
        return now - recent[recentNext] < WINDOW_MILLIS;
    }

    private void forgetRateWindowIfClockSteppedBack(long now) {
        if (recent != null && recentCount > 0 && now < recent[Math.floorMod(recentNext - 1, recent.length)]) {
            // The wall clock stepped back: forget the window rather than refuse everyone until the
            // clock catches up with admissions that now look as if they lie in the future.
            recentCount = 0;
            recentNext = 0;
        }
    }

    private void recordRate(long now) {
        if (recent == null) {
            return;
        }
        recent[recentNext] = now;
        recentNext = (recentNext + 1) % recent.length;
        if (recentCount < recent.length) {
            recentCount++;
        }
    }

    private static int toInt(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
