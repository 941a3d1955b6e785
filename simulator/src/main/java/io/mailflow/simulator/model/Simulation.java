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
import io.mailflow.delivery.smtp.MessageResult;
import io.mailflow.delivery.smtp.RecipientResult;
import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.frontend.admission.AdmissionRegistry;
import io.mailflow.frontend.admission.ConnectionAdmission;
import io.mailflow.frontend.receive.ReceivedMessage;
import io.mailflow.frontend.receive.RecipientFilter;
import io.mailflow.frontend.auth.DirectoryAuthenticator;
import io.mailflow.frontend.auth.LogonRequest;
import io.mailflow.frontend.auth.LogonResult;
import io.mailflow.frontend.receive.SessionPolicies;
import io.mailflow.frontend.receive.SmtpSession;
import io.mailflow.simulator.kernel.Kernel;
import io.mailflow.simulator.kernel.VirtualClock;
import io.mailflow.simulator.report.FaultStats;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * <p>Faults ({@link Fault}) follow the relay's rules through the same classes: a next hop that
 * cannot be reached puts its queue in Retry ({@link RetrySchedule#nextConnectionAttempt}); a
 * next hop that answers is read through {@link MessageResult#outcomes()} (the RCPT reply for a
 * refused recipient, the end-of-data reply for an accepted one) and, as the relay's
 * SmtpDeliveryAgent does, 2xx delivers, 4xx defers the recipient for MessageRetryInterval
 * ({@link RetrySchedule#nextMessageAttempt}) and 5xx fails it with an NDR. A stopped server
 * refuses connections, cuts its sessions and deliveries, and on restart resubmits every spooled
 * message through the Submission queue in order of receipt, as the relay's Topology recovers its
 * spool; the queues come back Active, their Retry state having lived in memory.
 *
 * <p>Randomness comes from one {@link SplittableRandom} seeded by the scenario, split in a fixed
 * order (each workload, then the service times, then the faults' draws), so a run is
 * reproducible event for event, and adding a fault leaves the other draws as they were.
 */
public final class Simulation {
    final Kernel kernel = new Kernel();
    final long warmUp;
    final String fqdn;
    /** Hears each message's arrival at a sender (its virtual time); tests watch a trace replayed with it. */
    LongConsumer arrivalObserver = t -> { };
    private final Scenario scenario;
    private final long seed;
    private final Organization organization;
    private final String serverIp;
    private final AdmissionRegistry admissions;
    private final RecipientFilter recipientFilter;
    /** AUTH checked against the scenario's mailboxes in the kernel's thread: the answer is an event like any other. */
    private final DirectoryAuthenticator authenticator;
    private final Map<String, LogonResult> logonAnswers = new HashMap<>();
    private final BackPressure backPressure;
    private final Map<String, SessionPolicies> policies = new HashMap<>();
    private final Categorizer categorizer;
    private final RetrySchedule schedule;
    private final TransportServiceSettings transport;
    private final SplittableRandom serviceRandom;
    private final SplittableRandom faultRandom;
    private final List<FaultStats> faultStats = new ArrayList<>();
    private final List<FaultStats> unavailable = new ArrayList<>();
    private final List<FaultStats> replies = new ArrayList<>();
    private final List<FaultStats> slowDisks = new ArrayList<>();
    private final List<FaultStats> outboundLinks = new ArrayList<>();
    /** Whether a ServerDown can cut sessions: then open connections are tracked and their events guarded. */
    final boolean serverCanStop;
    private final Set<ClientConnection> openConnections = new LinkedHashSet<>();
    private boolean down;
    /** Counts the server's stops: events of the Transport service from before a stop are stale. */
    private int epoch;
    private final int mailboxSlotsConfigured;
    private final int outboundSlotsConfigured;
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

    /**
     * A Submission queue entry: a message just received ({@code received}), or one recovered from
     * the spool after a restart with the routes it still had pending ({@code recovered}).
     */
    private record Submitted(SimMessage message, ReceivedMessage received, long internalId, long size,
                             List<RecoveredRoute> recovered) {
    }

    private record RecoveredRoute(DeliveryQueueModel queue, DeliveryQueueModel.Item item) {
    }

    /** A next hop's answer to one delivery, drawn when it starts: the reply, and which recipients get it. */
    private record Answer(FaultStats fault, SmtpReply reply, boolean[] hit) {
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
        this.authenticator = new DirectoryAuthenticator(() -> organization, Runnable::run);
        this.recipientFilter = new RecipientFilter(rf.enabled(), rf.recipientValidationEnabled(), rf.blockListEnabled(),
            rf.blockedRecipients(), organization);
        this.backPressure = new BackPressure(BackPressure.Settings.defaults(), clock);
        this.categorizer = new Categorizer(organization, scenario.server());
        this.transport = scenario.transportService();
        this.schedule = new RetrySchedule(transport);
        this.mailboxSlots = transport.maxConcurrentMailboxDeliveries();
        this.outboundSlots = transport.maxOutboundConnections().isUnlimited() ? Integer.MAX_VALUE
            : (int) Math.min(Integer.MAX_VALUE, transport.maxOutboundConnections().orElse(0));
        this.mailboxSlotsConfigured = mailboxSlots;
        this.outboundSlotsConfigured = outboundSlots;
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
        this.faultRandom = root.split();
        boolean stops = false;
        for (Fault f : scenario.faults()) {
            FaultStats fs = new FaultStats(f);
            faultStats.add(fs);
            if (f instanceof Fault.DownstreamUnavailable) {
                unavailable.add(fs);
            } else if (f instanceof Fault.DownstreamReplies) {
                replies.add(fs);
            } else if (f instanceof Fault.SlowDisk) {
                slowDisks.add(fs);
            } else if (f instanceof Fault.ServerDown) {
                stops = true;
            } else if (f instanceof Fault.LinkLatency l) {
                if (l.workload() == null) {
                    outboundLinks.add(fs);
                } else {
                    senders.stream().filter(x -> x.workload.name().equals(l.workload())).forEach(x -> x.links.add(fs));
                }
            }
        }
        this.serverCanStop = stops;
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
        for (FaultStats f : faultStats) {
            if (f.fault instanceof Fault.ServerDown d) {
                kernel.scheduleAt(d.window().fromNanos(), () -> stop(f));
                kernel.scheduleAt(d.window().untilNanos(), () -> restart(f));
            }
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
        if (down) {
            return;
        }
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
            backPressureLog, atSenders, queued, faultStats);
    }

    // ---- receive side -------------------------------------------------------------------------

    ConnectionAdmission admission(ReceiveConnector connector) {
        return admissions.admission(connector);
    }

    SmtpSession newSession(Workload w) {
        ReceiveConnector c = w.connector();
        SessionPolicies p = policies.computeIfAbsent(c.identity(),
            // Every Exchange server has a certificate from setup: STARTTLS is offered where AuthMechanism has Tls.
            id -> new SessionPolicies(recipientFilter, backPressure, admissions.messageRate(c), authenticator, true));
        return new SmtpSession(c, organization, p, kernel.clock(), Long.toString(++sessionIds, 36),
            w.sourceAddress(), serverIp);
    }

    String serverName() {
        return scenario.server();
    }

    String heloName(Sender s) {
        return "client" + (senders.indexOf(s) + 1) + ".example";
    }

    long nanosOf(Instant instant) {
        return (instant.getEpochSecond() - VirtualClock.EPOCH.getEpochSecond()) * 1_000_000_000L + instant.getNano();
    }

    /** The directory's answer to one AUTH and the time the relay takes to give it. */
    record SignInAnswer(LogonResult result, long nanos) {
    }

    /**
     * The relay's own directory check of {@code request}, run once per distinct credentials (a run's
     * organization does not change, so the answer cannot either). It takes Logon, plus a
     * PasswordHashCheck unless the relay remembers these credentials from an earlier success, as
     * {@link DirectoryAuthenticator} does.
     */
    SignInAnswer signIn(LogonRequest request) {
        String key = request.authorizationId() + "\0" + request.userName() + "\0" + new String(request.password());
        boolean askedBefore = logonAnswers.containsKey(key);
        LogonResult result = logonAnswers.computeIfAbsent(key, k -> authenticator.check(request));
        long nanos = scenario.serviceTimes().logon().sampleNanos(serviceRandom);
        if (!(askedBefore && result instanceof LogonResult.SignedIn)) {
            nanos += scenario.serviceTimes().passwordHashCheck().sampleNanos(serviceRandom);
        }
        return new SignInAnswer(result, nanos);
    }

    /** The relay's part of a STARTTLS handshake, beyond its round trips. */
    long tlsHandshake() {
        return scenario.serviceTimes().tlsHandshake().sampleNanos(serviceRandom);
    }

    /** The spool sync for {@code m}'s end of data (its 250 waits this long), slower on a slow disk. */
    long spoolSync(Sender s, SimMessage m) {
        long t = scenario.serviceTimes().spoolSync().sampleNanos(serviceRandom);
        if (!slowDisks.isEmpty()) {
            FaultStats slow = activeSlowDisk();
            if (slow != null) {
                t = ((Fault.SlowDisk) slow.fault).spoolSync(t, faultRandom);
                slow.dataAckDuring.add(t);
                touch(m, slow);
            } else {
                for (FaultStats f : slowDisks) {
                    f.dataAckOutside.add(t);
                }
            }
        }
        s.stats.dataAck.add(t);
        return t;
    }

    private FaultStats activeSlowDisk() {
        long now = kernel.now();
        for (FaultStats f : slowDisks) {
            if (f.fault.activeAt(now)) {
                return f;
            }
        }
        return null;
    }

    /** The round trip a LinkLatency adds to an SMTP exchange of {@code s}'s session now (0: none). */
    long extraRoundTrip(Sender s, SimMessage m) {
        long now = kernel.now();
        for (FaultStats f : s.links) {
            if (f.fault.activeAt(now)) {
                f.exchangesDelayed++;
                if (m != null) {
                    touch(m, f);
                }
                return ((Fault.LinkLatency) f.fault).roundTrip().toNanos();
            }
        }
        return 0;
    }

    /** A connection refused by a limit while a disk is slow: the slow disk's doing, as far as the report goes. */
    void refusedDuringSlowDisk(String limit, SimMessage m) {
        FaultStats slow = slowDisks.isEmpty() ? null : activeSlowDisk();
        if (slow != null) {
            WorkloadStats.count(slow.refusedByLimitDuring, limit);
            touch(m, slow);
        }
    }

    boolean isDown() {
        return down;
    }

    /** The fault that stopped the server, while it is down. */
    FaultStats downFault() {
        long now = kernel.now();
        for (FaultStats f : faultStats) {
            if (f.fault instanceof Fault.ServerDown && f.restartedAt < 0 && f.fault.window().fromNanos() <= now) {
                return f;
            }
        }
        return null;
    }

    /** Marks {@code m} as touched by {@code f} (the first fault only), for the fault's findings. */
    void touch(SimMessage m, FaultStats f) {
        if (m.touched == null) {
            m.touched = f;
            f.messagesTouched++;
        }
    }

    long nextInternalId() {
        return ++internalIds;
    }

    void connectionOpened(Sender s, ClientConnection connection) {
        if (serverCanStop) {
            openConnections.add(connection);
        }
        long now = kernel.now();
        s.stats.openNow++;
        s.stats.openConnections.max(now, s.stats.openNow);
        String c = s.workload.connector().name();
        int open = connectorOpenNow.merge(c, 1, Integer::sum);
        connectorOpen.get(c).max(now, open);
    }

    void connectionClosed(Sender s, ClientConnection connection) {
        if (serverCanStop) {
            openConnections.remove(connection);
        }
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
        m.internalId = internalId;
        submission.addLast(new Submitted(m, received, internalId, size, null));
        submissionDepth.max(kernel.now(), submission.size());
        if (!categorizing) {
            categorizeNext();
        }
    }

    private void categorizeNext() {
        Submitted next = submission.peekFirst();
        if (next == null || down) {
            categorizing = false;
            return;
        }
        categorizing = true;
        int e = epoch;
        kernel.schedule(scenario.serviceTimes().categorizer().sampleNanos(serviceRandom), () -> {
            if (e != epoch) {
                return;
            }
            submission.pollFirst();
            if (next.recovered() != null) {
                requeue(next.recovered());
            } else {
                categorized(next);
            }
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
            ndr(m, c.failed().get(0).status());
        }
        m.pendingRoutes = c.routes().size();
        if (m.pendingRoutes == 0) {
            settled(m);
            return;
        }
        long now = kernel.now();
        for (Map.Entry<NextHopSolutionKey, List<Categorization.Routed>> e : c.routes().entrySet()) {
            DeliveryQueueModel q = queues.computeIfAbsent(e.getKey(), this::newQueue);
            enqueue(q, new DeliveryQueueModel.Item(m, e.getValue()), now);
        }
    }

    /** A recovered message back in the queues it was waiting in, with the recipients still pending there. */
    private void requeue(List<RecoveredRoute> routes) {
        long now = kernel.now();
        for (RecoveredRoute r : routes) {
            enqueue(r.queue(), r.item(), now);
        }
    }

    private void enqueue(DeliveryQueueModel q, DeliveryQueueModel.Item item, long now) {
        q.items.addLast(item);
        q.delayWatch.addLast(item);
        q.expiryWatch.addLast(item);
        q.changeDepth(now, 1);
        if (q.retry && q.retryCause != null) {
            touch(item.message, q.retryCause);
        }
        watch(q);
        dispatch(q);
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

    /** The DownstreamUnavailable fault that makes {@code key} unreachable now, or null. */
    private FaultStats unavailable(NextHopSolutionKey key) {
        long now = kernel.now();
        for (FaultStats f : unavailable) {
            if (f.fault.activeAt(now) && ((Fault.DownstreamUnavailable) f.fault).nextHop().matches(key)) {
                return f;
            }
        }
        return null;
    }

    /** Starts deliveries while the queue is Active, has messages, and connections are free. */
    private void dispatch(DeliveryQueueModel q) {
        while (!down && !q.retry && !q.isUnreachable() && q.active < q.connectionLimit && slotFree(q)) {
            DeliveryQueueModel.Item item = q.items.pollFirst();
            while (item != null && item.done) {
                item = q.items.pollFirst();
            }
            if (item == null) {
                return;
            }
            if (!unavailable.isEmpty()) {
                FaultStats cause = unavailable(q.key);
                if (cause != null) {
                    q.items.addFirst(item);
                    cause.connectionFailures++;
                    q.retryCause = cause;
                    for (DeliveryQueueModel.Item waiting : q.items) {
                        if (!waiting.done) {
                            touch(waiting.message, cause);
                        }
                    }
                    enterRetry(q);
                    return;
                }
            }
            q.failures = 0;
            q.retryCause = null;
            q.active++;
            takeSlot(q, -1);
            DeliveryQueueModel.Item delivering = item;
            long service = (q.isMailbox() ? scenario.serviceTimes().mailboxDelivery()
                : scenario.serviceTimes().smtpDelivery()).sampleNanos(serviceRandom);
            if (q.isMailbox() && !slowDisks.isEmpty()) {
                service = slowMailbox(service, item.message);
            }
            if (!q.isMailbox() && !outboundLinks.isEmpty()) {
                service += outboundLatency(q, item);
            }
            Answer answer = replies.isEmpty() ? null : answer(q, item);
            int e = epoch;
            kernel.schedule(service, () -> {
                if (e == epoch) {
                    delivered(q, delivering, answer);
                }
            });
        }
    }

    private long slowMailbox(long service, SimMessage m) {
        FaultStats slow = activeSlowDisk();
        if (slow == null) {
            for (FaultStats f : slowDisks) {
                f.mailboxOutside.add(service);
            }
            return service;
        }
        long t = ((Fault.SlowDisk) slow.fault).mailboxDelivery(service, faultRandom);
        slow.mailboxDuring.add(t);
        touch(m, slow);
        return t;
    }

    /** A slow link to the next hop: every exchange of the delivery (connect, EHLO, MAIL, RCPT each, DATA, end of data) waits longer. */
    private long outboundLatency(DeliveryQueueModel q, DeliveryQueueModel.Item item) {
        long now = kernel.now();
        for (FaultStats f : outboundLinks) {
            Fault.LinkLatency l = (Fault.LinkLatency) f.fault;
            if (l.activeAt(now) && l.nextHop().matches(q.key)) {
                f.deliveriesDelayed++;
                f.exchangesDelayed += 5 + item.recipients;
                touch(item.message, f);
                return l.roundTrip().toNanos() * (5 + item.recipients);
            }
        }
        return 0;
    }

    /** Whether a DownstreamReplies fault answers this delivery, drawn as it starts; null: the next hop accepts. */
    private Answer answer(DeliveryQueueModel q, DeliveryQueueModel.Item item) {
        long now = kernel.now();
        for (FaultStats f : replies) {
            Fault.DownstreamReplies r = (Fault.DownstreamReplies) f.fault;
            if (!r.activeAt(now) || !r.nextHop().matches(q.key)) {
                continue;
            }
            if (r.per() == Fault.Per.Message) {
                if (faultRandom.nextDouble() < r.fraction()) {
                    return new Answer(f, r.reply(), null);
                }
            } else {
                boolean[] hit = new boolean[item.recipients];
                boolean any = false;
                for (int i = 0; i < hit.length; i++) {
                    hit[i] = faultRandom.nextDouble() < r.fraction();
                    any |= hit[i];
                }
                if (any) {
                    return new Answer(f, r.reply(), hit);
                }
            }
        }
        return null;
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

    private static final SmtpReply ACCEPTED = SmtpReply.of(250, "2.1.5", "Recipient OK");
    private static final SmtpReply QUEUED = SmtpReply.of(250, "2.6.0", "Queued mail for delivery");

    private void delivered(DeliveryQueueModel q, DeliveryQueueModel.Item item, Answer answer) {
        long now = kernel.now();
        q.active--;
        takeSlot(q, 1);
        if (!item.done) {
            if (answer == null) {
                item.done = true;
                q.changeDepth(now, -1);
                SimMessage m = item.message;
                if (m.counted) {
                    m.stats.recipientsDelivered += item.recipients;
                }
                m.anyDelivered = true;
                routeDone(m);
            } else {
                answered(q, item, answer, now);
            }
        }
        q.trimWatches();
        dispatch(q);
        for (DeliveryQueueModel other : queues.values()) {
            if (other != q && other.isMailbox() == q.isMailbox() && !other.items.isEmpty()) {
                dispatch(other);
            }
        }
    }

    /**
     * The next hop answered with a fault's reply: the relay's {@link MessageResult} says which
     * reply decides each recipient; 2xx delivered, 4xx deferred for MessageRetryInterval, 5xx
     * failed with an NDR (SmtpDeliveryAgent's rule).
     */
    private void answered(DeliveryQueueModel q, DeliveryQueueModel.Item item, Answer answer, long now) {
        SimMessage m = item.message;
        FaultStats f = answer.fault();
        f.deliveriesAnswered++;
        touch(m, f);
        List<RecipientResult> rcpts = new ArrayList<>(item.recipients);
        boolean anyAccepted = false;
        for (int i = 0; i < item.routed.size(); i++) {
            boolean refused = answer.hit() != null && answer.hit()[i];
            rcpts.add(new RecipientResult(item.routed.get(i).recipient().toString(), refused ? answer.reply() : ACCEPTED));
            anyAccepted |= !refused;
        }
        Optional<SmtpReply> data = !anyAccepted ? Optional.empty()
            : Optional.of(answer.hit() == null ? answer.reply() : QUEUED);
        List<RecipientResult> outcomes = new MessageResult(rcpts, data).outcomes();
        List<Categorization.Routed> deferred = new ArrayList<>();
        int delivered = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            SmtpReply reply = outcomes.get(i).reply();
            if (reply.isPositive()) {
                delivered++;
            } else if (reply.isTransientFailure()) {
                deferred.add(item.routed.get(i));
            } else {
                f.recipientsFailed++;
                WorkloadStats.count(f.failedRecipientsByReply, reply.toLogString());
                ndr(m, reply.toLogString());
            }
        }
        if (delivered > 0) {
            m.anyDelivered = true;
            if (m.counted) {
                m.stats.recipientsDelivered += delivered;
            }
        }
        if (deferred.isEmpty()) {
            item.done = true;
            q.changeDepth(now, -1);
            routeDone(m);
            return;
        }
        String reply = answer.reply().toLogString();
        f.deferrals++;
        f.recipientsDeferred += deferred.size();
        WorkloadStats.count(f.deferralsByReply, reply);
        if (m.counted) {
            WorkloadStats.count(m.stats.downstreamDeferralsByReply, reply);
        }
        item.routed = deferred;
        item.recipients = deferred.size();
        int e = epoch;
        kernel.scheduleAt(nanosOf(schedule.nextMessageAttempt(kernel.clock().now())), () -> {
            if (e == epoch && !item.done) {
                q.items.addFirst(item);
                dispatch(q);
            }
        });
    }

    private void routeDone(SimMessage m) {
        if (--m.pendingRoutes > 0) {
            return;
        }
        if (m.anyDelivered && m.counted) {
            m.stats.messagesDelivered++;
            m.stats.latencies.add(kernel.now() - m.createdAt);
        }
        settled(m);
    }

    /** Every route of {@code m} is done: delivered, failed or expired. */
    private void settled(SimMessage m) {
        long now = kernel.now();
        FaultStats f = m.touched;
        if (f != null) {
            if (m.anyDelivered) {
                f.touchedDelivered++;
                f.lastDeliveredAt = now;
                f.touchedLatencies.add(now - m.createdAt);
            } else {
                f.touchedFailed++;
            }
        }
        FaultStats r = m.recovery;
        if (r != null && --r.recoveryRemaining == 0) {
            r.drainedAt = now;
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
        int e = epoch;
        kernel.scheduleAt(nanosOf(next), () -> {
            if (e != epoch) {
                return;
            }
            q.retry = false;
            dispatch(q);
            if (!q.retry && q.retrySince >= 0) {
                q.retryWindows.add(new long[] {q.retrySince, kernel.now()});
                q.retrySince = -1;
            }
        });
    }

    private void ndr(SimMessage m, String reply) {
        if (!m.ndrSent) {
            m.ndrSent = true;
            if (m.counted) {
                m.stats.ndrs++;
                WorkloadStats.count(m.stats.ndrsByReply, reply);
            }
        }
    }

    // ---- ServerDown -----------------------------------------------------------------------------

    /**
     * The server stops: the clients waiting for a connection and the open sessions lose them
     * (their messages not yet acknowledged wait at the sender per OnRefusal), the categorizer and
     * the deliveries in flight stop, and the queues' state, which lives in memory, is gone.
     */
    private void stop(FaultStats f) {
        if (down) {
            return;
        }
        long now = kernel.now();
        down = true;
        epoch++;
        for (ArrayDeque<ClientConnection> line : waitingLines.values()) {
            for (ClientConnection c : line) {
                c.lostWhileWaiting(f);
            }
            line.clear();
        }
        for (Sender s : senders) {
            for (SimMessage m : s.waiting()) {
                touch(m, f);
            }
        }
        for (ClientConnection c : new ArrayList<>(openConnections)) {
            f.sessionsCut++;
            c.cut(f, "connection lost: " + scenario.server() + " stopped (ServerDown)");
        }
        categorizing = false;
        for (DeliveryQueueModel q : queues.values()) {
            f.deliveriesCut += q.active;
            q.active = 0;
            if (q.retrySince >= 0) {
                q.retryWindows.add(new long[] {q.retrySince, now});
                q.retrySince = -1;
            }
            q.retry = false;
            q.failures = 0;
            q.retryCause = null;
            q.watchAt = -1;
        }
        mailboxSlots = mailboxSlotsConfigured;
        outboundSlots = outboundSlotsConfigured;
    }

    /**
     * The server starts again and recovers its spool: every message not yet delivered or failed
     * goes back through the Submission queue in order of receipt (InternalId), and from there to
     * the queues it was waiting in, Active again.
     */
    private void restart(FaultStats f) {
        if (!down) {
            return;
        }
        long now = kernel.now();
        down = false;
        f.restartedAt = now;
        Map<SimMessage, List<RecoveredRoute>> pending = new LinkedHashMap<>();
        for (DeliveryQueueModel q : queues.values()) {
            for (DeliveryQueueModel.Item item : q.expiryWatch) {
                if (!item.done) {
                    pending.computeIfAbsent(item.message, k -> new ArrayList<>()).add(new RecoveredRoute(q, item));
                }
            }
            q.items.clear();
            q.delayWatch.clear();
            q.expiryWatch.clear();
            q.depthNow = 0;
        }
        List<Submitted> spooled = new ArrayList<>(submission);
        pending.forEach((m, routes) -> spooled.add(new Submitted(m, null, m.internalId, 0, routes)));
        spooled.sort(Comparator.comparingLong(Submitted::internalId));
        submission.clear();
        for (Submitted s : spooled) {
            submission.addLast(s);
            s.message().recovery = f;
            touch(s.message(), f);
        }
        f.recovered = spooled.size();
        f.recoveryRemaining = spooled.size();
        if (spooled.isEmpty()) {
            f.drainedAt = now;
        }
        submissionDepth.max(now, submission.size());
        categorizeNext();
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
        int e = epoch;
        kernel.scheduleAt(at, () -> {
            if (q.watchAt != at || e != epoch) {
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
            ndr(m, EXPIRED);
            routeDone(m);
        }
    }

    /** The relay's NDR status for an expired message (DeliveryQueue.EXPIRED). */
    static final String EXPIRED = "550 4.4.7 QUEUE.Expired; message expired";

    private static Instant instantOf(long nanos) {
        return VirtualClock.EPOCH.plusNanos(nanos);
    }
}
