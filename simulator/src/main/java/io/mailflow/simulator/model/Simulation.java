package io.mailflow.simulator.model;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.Categorizer;
import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.backpressure.Resource;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ProxyAddress;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.RecipientFilterConfig;
import io.mailflow.core.params.TimeSpan;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.delivery.retry.RetrySchedule;
import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.frontend.admission.AdmissionRegistry;
import io.mailflow.frontend.admission.ConnectionAdmission;
import io.mailflow.frontend.receive.ReceivedMessage;
import io.mailflow.frontend.receive.RecipientFilter;
import io.mailflow.frontend.receive.SessionPolicies;
import io.mailflow.frontend.receive.SmtpSession;
import io.mailflow.simulator.kernel.Kernel;
import io.mailflow.simulator.kernel.VirtualClock;
import io.mailflow.simulator.report.MinuteSeries;
import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.WorkloadStats;
import io.mailflow.simulator.scenario.Fault;
import io.mailflow.simulator.scenario.Scenario;
import io.mailflow.simulator.scenario.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Simulator model: one server's transport pipeline on virtual time, wired from the relay's own
 * decision classes the way {@code server}'s Topology wires them into actors (DESIGN.md: the
 * simulator is a second shell). Receive side: {@link AdmissionRegistry} (ConnectionAdmission and
 * MessageRateLimiter per connector), {@link SmtpSession} with {@link SessionPolicies}
 * ({@link RecipientFilter} from RecipientFilterConfig, {@link BackPressure} fed the Submission
 * queue's length every ResourceMeteringInterval). Then the Submission queue with one
 * {@link Categorizer}, delivery queues per NextHopSolutionKey with MaxConcurrentMailboxDeliveries,
 * MaxOutboundConnections and MaxPerDomainOutboundConnections, and {@link RetrySchedule} for
 * Retry, delay DSNs and expiry.
 *
 * <p>Randomness comes from one {@link SplittableRandom} seeded by the scenario, split in a fixed
 * order (each workload, then the service times), so a run is reproducible event for event.
 */
public final class Simulation {
    final Kernel kernel = new Kernel();
    final long warmUp;
    final String fqdn;
    private final Scenario scenario;
    private final long seed;
    private final Organization organization;
    private final String serverIp;
    private final AdmissionRegistry admissions;
    private final RecipientFilter recipientFilter;
    private final BackPressure backPressure;
    private final Map<String, SessionPolicies> policies = new HashMap<>();
    private final Categorizer categorizer;
    private final RetrySchedule schedule;
    private final TransportServiceSettings transport;
    private final SplittableRandom serviceRandom;
    private final List<Sender> senders = new ArrayList<>();
    private final Map<String, ArrayDeque<ClientConnection>> waitingLines = new HashMap<>();
    private final Map<String, MinuteSeries> connectorOpen = new LinkedHashMap<>();
    private final Map<String, Integer> connectorOpenNow = new HashMap<>();
    private final List<String> backPressureLog = new ArrayList<>();

    private final ArrayDeque<Submitted> submission = new ArrayDeque<>();
    private final MinuteSeries submissionDepth = new MinuteSeries();
    private boolean categorizing;
    private final Map<NextHopSolutionKey, DeliveryQueueModel> queues = new LinkedHashMap<>();
    private int mailboxSlots;
    private int outboundSlots;
    private long internalIds;
    private long sessionIds;

    private record Submitted(SimMessage message, ReceivedMessage received, long internalId, long size) {
    }

    public Simulation(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.seed = seed;
        this.organization = scenario.organization();
        this.warmUp = scenario.warmUp().toNanos();
        this.fqdn = organization.server(scenario.server()).map(s -> s.fqdn()).orElse(scenario.server());
        this.serverIp = "192.0.2.1";
        VirtualClock clock = kernel.clock();
        this.admissions = new AdmissionRegistry(clock);
        RecipientFilterConfig rf = organization.recipientFilterConfig();
        this.recipientFilter = new RecipientFilter(rf.enabled(), rf.recipientValidationEnabled(), rf.blockListEnabled(),
            rf.blockedRecipients(), organization);
        this.backPressure = new BackPressure(BackPressure.Settings.defaults(), clock);
        this.categorizer = new Categorizer(organization, scenario.server());
        this.transport = scenario.transportService();
        this.schedule = new RetrySchedule(transport);
        this.mailboxSlots = transport.maxConcurrentMailboxDeliveries();
        this.outboundSlots = transport.maxOutboundConnections().isUnlimited() ? Integer.MAX_VALUE
            : (int) Math.min(Integer.MAX_VALUE, transport.maxOutboundConnections().orElse(0));
        SplittableRandom root = new SplittableRandom(seed);
        String[] known = organization.mailboxes().stream()
            .map(m -> m.emailAddresses().stream().filter(ProxyAddress::primary).findFirst()
                .orElse(m.emailAddresses().get(0)).address().toString())
            .toArray(String[]::new);
        if (known.length == 0) {
            known = new String[] {"postmaster@" + defaultDomain()};
        }
        for (Workload w : scenario.workloads()) {
            senders.add(new Sender(this, w, root.split(), known, defaultDomain()));
            connectorOpen.putIfAbsent(w.connector().name(), new MinuteSeries());
        }
        this.serviceRandom = root.split();
    }

    private String defaultDomain() {
        return organization.acceptedDomains().stream().filter(d -> d.isDefault()).findFirst()
            .map(d -> d.domainName()).orElse("contoso.test");
    }

    /** Runs the scenario to its end; {@code progress} (may be null) hears the virtual time now and then. */
    public RunResult run(LongConsumer progress) {
        for (Sender s : senders) {
            s.start();
        }
        long meter = backPressure.settings().resourceMeteringInterval().toNanos();
        kernel.scheduleBackground(meter, new Runnable() {
            @Override
            public void run() {
                meterBackPressure();
                kernel.scheduleBackground(meter, this);
            }
        });
        long end = scenario.duration().plus(scenario.drain()).toNanos();
        kernel.run(end, scenario.duration().toNanos(), 1_000_000, progress);
        return result();
    }

    private void meterBackPressure() {
        backPressure.update(Resource.SubmissionQueue, submission.size()).ifPresent(t ->
            backPressureLog.add(TimeSpan.format(Duration.ofNanos(kernel.now()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                + " " + t.resource().exchangeName() + " " + t.from() + " → " + t.to() + " (" + t.reading() + ")"));
    }

    private RunResult result() {
        long now = kernel.now();
        int minutes = (int) (now / 60_000_000_000L) + 1;
        List<RunResult.QueueResult> qs = new ArrayList<>();
        qs.add(new RunResult.QueueResult(scenario.server() + "\\Submission", "Submission", submissionDepth, List.of()));
        long queued = submission.size();
        for (DeliveryQueueModel q : queues.values()) {
            List<long[]> windows = new ArrayList<>(q.retryWindows);
            if (q.retrySince >= 0) {
                windows.add(new long[] {q.retrySince, now});
            }
            qs.add(new RunResult.QueueResult(q.name, q.key.deliveryType().name(), q.depth, windows));
            queued += q.depthNow;
        }
        long atSenders = 0;
        List<WorkloadStats> stats = new ArrayList<>();
        for (Sender s : senders) {
            atSenders += s.queued();
            stats.add(s.stats);
        }
        return new RunResult(scenario, seed, stats, minutes, now, kernel.eventsExecuted(), qs, connectorOpen,
            backPressureLog, atSenders, queued);
    }

    // ---- receive side -------------------------------------------------------------------------

    ConnectionAdmission admission(ReceiveConnector connector) {
        return admissions.admission(connector);
    }

    SmtpSession newSession(Workload w) {
        ReceiveConnector c = w.connector();
        SessionPolicies p = policies.computeIfAbsent(c.identity(),
            id -> new SessionPolicies(recipientFilter, backPressure, admissions.messageRate(c)));
        return new SmtpSession(c, organization, p, kernel.clock(), Long.toString(++sessionIds, 36),
            w.sourceAddress(), serverIp);
    }

    String heloName(Sender s) {
        return "client" + (senders.indexOf(s) + 1) + ".example";
    }

    long nanosOf(Instant instant) {
        return (instant.getEpochSecond() - VirtualClock.EPOCH.getEpochSecond()) * 1_000_000_000L + instant.getNano();
    }

    long spoolSync() {
        return scenario.serviceTimes().spoolSync().sampleNanos(serviceRandom);
    }

    long nextInternalId() {
        return ++internalIds;
    }

    void connectionOpened(Sender s) {
        long now = kernel.now();
        s.stats.openNow++;
        s.stats.openConnections.max(now, s.stats.openNow);
        String c = s.workload.connector().name();
        int open = connectorOpenNow.merge(c, 1, Integer::sum);
        connectorOpen.get(c).max(now, open);
    }

    void connectionClosed(Sender s) {
        s.stats.openNow--;
        String c = s.workload.connector().name();
        connectorOpenNow.merge(c, -1, Integer::sum);
        ArrayDeque<ClientConnection> line = waitingLines.get(c);
        if (line != null) {
            // A place freed: the clients waiting in line ask again, first come first served.
            Iterator<ClientConnection> it = line.iterator();
            while (it.hasNext()) {
                ClientConnection waiting = it.next();
                if (waiting.tryOpen() == null) {
                    it.remove();
                    break;
                }
            }
        }
    }

    void waitForConnection(ClientConnection c) {
        waitingLines.computeIfAbsent(c.message.stats.workload.connector().name(), k -> new ArrayDeque<>()).addLast(c);
    }

    static String replyText(SmtpReply reply) {
        String r = reply.render();
        int eol = r.indexOf('\r');
        return eol < 0 ? r : r.substring(0, eol);
    }

    // ---- Transport service --------------------------------------------------------------------

    /** The 250 was sent: the message is in the Submission queue. */
    void submit(SimMessage m, ReceivedMessage received, long internalId, long size) {
        m.receivedAt = kernel.now();
        submission.addLast(new Submitted(m, received, internalId, size));
        submissionDepth.max(kernel.now(), submission.size());
        if (!categorizing) {
            categorizeNext();
        }
    }

    private void categorizeNext() {
        Submitted next = submission.peekFirst();
        if (next == null) {
            categorizing = false;
            return;
        }
        categorizing = true;
        kernel.schedule(scenario.serviceTimes().categorizer().sampleNanos(serviceRandom), () -> {
            submission.pollFirst();
            categorized(next);
            categorizeNext();
        });
    }

    private void categorized(Submitted s) {
        ReceivedMessage r = s.received();
        Envelope envelope = new Envelope(s.internalId(), "<" + s.internalId() + "@" + fqdn + ">", r.sender(),
            r.envelopeRecipients(), r.receivedAt(), r.clientIp(), r.heloName(), r.connectorId(), r.serverFqdn(),
            s.size(), "simulated", r.bodyType(), r.smtpUtf8(), r.envelopeId());
        Categorization c = categorizer.categorize(envelope);
        SimMessage m = s.message();
        if (!c.failed().isEmpty()) {
            ndr(m);
        }
        m.pendingRoutes = c.routes().size();
        if (m.pendingRoutes == 0) {
            return;
        }
        long now = kernel.now();
        for (Map.Entry<NextHopSolutionKey, List<Categorization.Routed>> e : c.routes().entrySet()) {
            DeliveryQueueModel q = queues.computeIfAbsent(e.getKey(), this::newQueue);
            DeliveryQueueModel.Item item = new DeliveryQueueModel.Item(m, e.getValue().size());
            q.items.addLast(item);
            q.delayWatch.addLast(item);
            q.expiryWatch.addLast(item);
            q.changeDepth(now, 1);
            watch(q);
            dispatch(q);
        }
    }

    private DeliveryQueueModel newQueue(NextHopSolutionKey key) {
        int limit = switch (key.deliveryType()) {
            case SmtpDeliveryToMailbox -> Integer.MAX_VALUE;
            case Unreachable -> 0;
            default -> transport.maxPerDomainOutboundConnections().isUnlimited() ? Integer.MAX_VALUE
                : (int) Math.min(Integer.MAX_VALUE, transport.maxPerDomainOutboundConnections().orElse(0));
        };
        return new DeliveryQueueModel(key, key.queueName(scenario.server()), limit);
    }

    private boolean faultActive(NextHopSolutionKey key) {
        long now = kernel.now();
        for (Fault f : scenario.faults()) {
            if (f.activeAt(now) && f.matches(key)) {
                return true;
            }
        }
        return false;
    }

    /** Starts deliveries while the queue is Active, has messages, and connections are free. */
    private void dispatch(DeliveryQueueModel q) {
        while (!q.retry && !q.isUnreachable() && q.active < q.connectionLimit && slotFree(q)) {
            DeliveryQueueModel.Item item = q.items.pollFirst();
            while (item != null && item.done) {
                item = q.items.pollFirst();
            }
            if (item == null) {
                return;
            }
            if (faultActive(q.key)) {
                q.items.addFirst(item);
                enterRetry(q);
                return;
            }
            q.failures = 0;
            q.active++;
            takeSlot(q, -1);
            DeliveryQueueModel.Item delivering = item;
            long service = (q.isMailbox() ? scenario.serviceTimes().mailboxDelivery()
                : scenario.serviceTimes().smtpDelivery()).sampleNanos(serviceRandom);
            kernel.schedule(service, () -> delivered(q, delivering));
        }
    }

    private boolean slotFree(DeliveryQueueModel q) {
        return q.isMailbox() ? mailboxSlots > 0 : outboundSlots > 0;
    }

    private void takeSlot(DeliveryQueueModel q, int delta) {
        if (q.isMailbox()) {
            mailboxSlots += delta;
        } else {
            outboundSlots += delta;
        }
    }

    private void delivered(DeliveryQueueModel q, DeliveryQueueModel.Item item) {
        long now = kernel.now();
        q.active--;
        takeSlot(q, 1);
        if (!item.done) {
            item.done = true;
            q.changeDepth(now, -1);
            SimMessage m = item.message;
            if (m.counted) {
                m.stats.recipientsDelivered += item.recipients;
            }
            m.anyDelivered = true;
            routeDone(m);
        }
        q.trimWatches();
        dispatch(q);
        for (DeliveryQueueModel other : queues.values()) {
            if (other != q && other.isMailbox() == q.isMailbox() && !other.items.isEmpty()) {
                dispatch(other);
            }
        }
    }

    private void routeDone(SimMessage m) {
        if (--m.pendingRoutes > 0) {
            return;
        }
        if (m.anyDelivered && m.counted) {
            m.stats.messagesDelivered++;
            m.stats.latencies.add(kernel.now() - m.createdAt);
        }
    }

    /** The next hop could not be reached: Retry until the RetrySchedule's next attempt. */
    private void enterRetry(DeliveryQueueModel q) {
        long now = kernel.now();
        q.retry = true;
        q.failures++;
        if (q.retrySince < 0) {
            q.retrySince = now;
        }
        Instant next = schedule.nextConnectionAttempt(kernel.clock().now(), q.failures);
        kernel.scheduleAt(nanosOf(next), () -> {
            q.retry = false;
            dispatch(q);
            if (!q.retry && q.retrySince >= 0) {
                q.retryWindows.add(new long[] {q.retrySince, kernel.now()});
                q.retrySince = -1;
            }
        });
    }

    private void ndr(SimMessage m) {
        if (!m.ndrSent) {
            m.ndrSent = true;
            if (m.counted) {
                m.stats.ndrs++;
            }
        }
    }

    /** One timer per queue, at the next delay DSN or expiry due among its waiting messages. */
    private void watch(DeliveryQueueModel q) {
        q.trimWatches();
        long due = Long.MAX_VALUE;
        if (!q.delayWatch.isEmpty()) {
            due = nanosOf(schedule.delayNotificationAt(instantOf(q.delayWatch.peekFirst().message.receivedAt)));
        }
        if (!q.expiryWatch.isEmpty()) {
            due = Math.min(due, nanosOf(schedule.expiresAt(instantOf(q.expiryWatch.peekFirst().message.receivedAt))));
        }
        if (due == Long.MAX_VALUE || (q.watchAt >= 0 && q.watchAt <= due)) {
            return;
        }
        long at = due;
        q.watchAt = at;
        kernel.scheduleAt(at, () -> {
            if (q.watchAt != at) {
                return;
            }
            q.watchAt = -1;
            checkTimers(q);
            watch(q);
        });
    }

    private void checkTimers(DeliveryQueueModel q) {
        Instant now = kernel.clock().now();
        while (!q.delayWatch.isEmpty()) {
            DeliveryQueueModel.Item item = q.delayWatch.peekFirst();
            SimMessage m = item.message;
            if (!item.done && !m.delayNotified
                && !now.isBefore(schedule.delayNotificationAt(instantOf(m.receivedAt)))) {
                if (schedule.delayNotificationDue(instantOf(m.receivedAt), now, m.delayNotified)) {
                    m.delayNotified = true;
                    if (m.counted) {
                        m.stats.delayDsns++;
                    }
                }
                q.delayWatch.pollFirst();
            } else if (item.done || m.delayNotified) {
                q.delayWatch.pollFirst();
            } else {
                break;
            }
        }
        while (!q.expiryWatch.isEmpty()) {
            DeliveryQueueModel.Item item = q.expiryWatch.peekFirst();
            if (item.done) {
                q.expiryWatch.pollFirst();
                continue;
            }
            SimMessage m = item.message;
            if (!schedule.isExpired(instantOf(m.receivedAt), now)) {
                break;
            }
            q.expiryWatch.pollFirst();
            item.done = true;
            q.changeDepth(kernel.now(), -1);
            if (m.counted) {
                m.stats.expired++;
            }
            ndr(m);
            routeDone(m);
        }
    }

    private static Instant instantOf(long nanos) {
        return VirtualClock.EPOCH.plusNanos(nanos);
    }
}
