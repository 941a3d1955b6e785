package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.core.time.Clock;
import io.mailflow.delivery.retry.RetrySchedule;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A delivery queue: one per NextHopSolutionKey (exchange.md §5), created on demand by the
 * Submission queue. It hands batches to its {@link DeliveryAgent} (Mailbox Transport Delivery or
 * the SMTP client of a Send connector), keeps Exchange's queue and message statuses, retries on
 * the {@link RetrySchedule} (connection failures: the queue goes to Retry; a 4xx for a message:
 * that message waits MessageRetryInterval), expires messages after MessageExpirationTimeout, asks
 * for a delay DSN after DelayNotificationTimeout, and obeys the queue viewer (Suspend, Resume,
 * Retry, Remove). Connections start few and grow with each success (slow start), halving on a
 * failure, so a struggling destination is not hammered. The Unreachable queue is the same actor
 * without an agent: it holds messages until they are resubmitted or expire.
 */
public final class DeliveryQueue extends AbstractBehavior<DeliveryQueue.Command> {

    public sealed interface Command {
    }

    /** Deliver these recipients of the message, then report to {@code replyTo}. */
    public record Enqueue(Envelope envelope, List<Categorization.Routed> recipients,
                          ActorRef<SubmissionQueue.Command> replyTo) implements Command {
    }

    /** Queue viewer commands; each answers with {@link Done}. */
    public record Suspend(ActorRef<Done> replyTo) implements Command {
    }

    public record Resume(ActorRef<Done> replyTo) implements Command {
    }

    /** Retry-Queue: connect now; with {@code resubmit}, send every message back to the categorizer. */
    public record Retry(boolean resubmit, ActorRef<Done> replyTo) implements Command {
    }

    public record SuspendMessage(long internalId, ActorRef<Done> replyTo) implements Command {
    }

    public record ResumeMessage(long internalId, ActorRef<Done> replyTo) implements Command {
    }

    public record RemoveMessage(long internalId, boolean withNdr, ActorRef<Done> replyTo) implements Command {
    }

    /** The answer to a viewer command: empty when done, else Exchange-style error text. */
    public record Done(Optional<String> error) {
        static final Done OK = new Done(Optional.empty());

        static Done failed(String error) {
            return new Done(Optional.of(error));
        }
    }

    private record BatchDone(List<Item> batch, DeliveryAgent.Result result) implements Command {
    }

    private enum Tick implements Command { INSTANCE }

    /** The queue's own state for one message. */
    private static final class Item {
        Envelope envelope;
        List<Categorization.Routed> recipients;
        final ActorRef<SubmissionQueue.Command> replyTo;
        boolean inFlight;
        boolean suspended;
        int retryCount;
        String lastError;
        Instant nextAttempt;

        Item(Envelope envelope, List<Categorization.Routed> recipients, ActorRef<SubmissionQueue.Command> replyTo,
             Instant now) {
            this.envelope = envelope;
            this.recipients = recipients;
            this.replyTo = replyTo;
            this.nextAttempt = now;
        }

        String status(Instant now) {
            if (suspended) {
                return inFlight ? "PendingSuspend" : "Suspended";
            }
            if (inFlight) {
                return "Active";
            }
            return retryCount > 0 && now.isBefore(nextAttempt) ? "Retry" : "Ready";
        }
    }

    /** Checked every second while anything waits on the clock: retries, expiry, delay DSNs. */
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int INITIAL_CONCURRENCY = 2;
    static final String EXPIRED = "550 4.4.7 QUEUE.Expired; message expired";
    static final String REMOVED = "550 4.3.2 QUEUE.Admin; message deleted by administrative action";
    static final String NO_ROUTE = "A matching connector cannot be found to route the external recipient";

    private final String identity;
    private final NextHopSolutionKey key;
    private final DeliveryAgent agent;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final MessageTrackingLog tracking;
    private final QueueRegistry registry;
    private final Spool spool;
    /** The Poison queue: holds suspended messages; Resume-Message sends one back to the categorizer. */
    private final boolean poison;
    private final Map<Long, Item> items = new LinkedHashMap<>();
    private final Deque<Instant> incoming = new ArrayDeque<>();
    private final Deque<Instant> outgoing = new ArrayDeque<>();
    private int activeBatches;
    private int concurrencyWindow = INITIAL_CONCURRENCY;
    private boolean suspended;
    private int connectionFailures;
    private String lastError;
    private Instant firstRetryTime;
    private Instant lastRetryTime;
    private Instant nextRetryTime;
    /** When the queue last became empty and idle; QueueMaxIdleTime later it asks to be removed. */
    private Instant idleSince;
    private int enqueued;
    private ActorRef<SubmissionQueue.Command> lastReplyTo;

    /** @param agent null for the Unreachable queue, which holds messages and never delivers */
    public static Behavior<Command> create(String identity, NextHopSolutionKey key, DeliveryAgent agent,
                                           RetrySchedule schedule, Clock clock, MessageTrackingLog tracking,
                                           QueueRegistry registry, Spool spool) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new DeliveryQueue(ctx, timers, identity, key,
            agent, schedule, clock, tracking, registry, spool)));
    }

    private DeliveryQueue(ActorContext<Command> context, TimerScheduler<Command> timers, String identity,
                          NextHopSolutionKey key, DeliveryAgent agent, RetrySchedule schedule, Clock clock,
                          MessageTrackingLog tracking, QueueRegistry registry, Spool spool) {
        super(context);
        this.identity = identity;
        this.key = key;
        this.agent = agent;
        this.schedule = schedule;
        this.clock = clock;
        this.tracking = tracking;
        this.registry = registry;
        this.spool = spool;
        this.poison = key.equals(NextHopSolutionKey.POISON);
        if (agent == null && !poison) {
            lastError = NO_ROUTE;
        }
        timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
        registry.register(identity, context.getSelf(), snapshot());
    }


    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            // Stopped by the Submission queue after QueueMaxIdleTime empty: it leaves Get-Queue too.
            .onSignal(org.apache.pekko.actor.typed.PostStop.class, stop -> {
                registry.remove(identity);
                return this;
            })
            .onMessage(Enqueue.class, this::onEnqueue)
            .onMessage(BatchDone.class, this::onBatchDone)
            .onMessageEquals(Tick.INSTANCE, this::onTick)
            .onMessage(Suspend.class, this::onSuspend)
            .onMessage(Resume.class, this::onResume)
            .onMessage(Retry.class, this::onRetry)
            .onMessage(SuspendMessage.class, this::onSuspendMessage)
            .onMessage(ResumeMessage.class, this::onResumeMessage)
            .onMessage(RemoveMessage.class, this::onRemoveMessage)
            .build();
    }

    private Behavior<Command> onEnqueue(Enqueue e) {
        lastReplyTo = e.replyTo();
        Item existing = items.get(e.envelope().internalId());
        if (existing != null) {
            return this; // recovery and a live submission can meet; the queue already owns it
        }
        Item added = new Item(e.envelope(), e.recipients(), e.replyTo(), clock.now());
        added.suspended = poison; // poison messages are permanently suspended (exchange.md §5.3)
        items.put(e.envelope().internalId(), added);
        incoming.add(clock.now());
        enqueued++;
        idleSince = null;
        dispatch();
        return this;
    }

    private Behavior<Command> onTick() {
        Instant now = clock.now();
        if (items.isEmpty() && activeBatches == 0) {
            if (idleSince == null) {
                idleSince = now;
            } else if (!now.isBefore(idleSince.plus(schedule.settings().queueMaxIdleTime())) && lastReplyTo != null) {
                lastReplyTo.tell(new SubmissionQueue.QueueIdle(key, enqueued));
                idleSince = now; // asked; the Submission queue stops it unless a message is on its way
            }
        }
        for (Item item : new ArrayList<>(items.values())) {
            if (item.inFlight || poison) {
                continue; // poison messages never expire (exchange.md §5.1)
            }
            if (schedule.isExpired(item.envelope.receivedAt(), now)) {
                String expired = EXPIRED + (item.lastError == null ? "" : "; last error: " + item.lastError);
                finish(item, DeliveryAgent.entries(item.envelope, item.recipients).stream()
                    .map(e -> e.failed(expired)).toList(),
                    false, "");
                continue;
            }
            if (schedule.delayNotificationDue(item.envelope.receivedAt(), now, item.envelope.delayNotified())) {
                item.envelope = item.envelope.withDelayNotified();
                item.replyTo.tell(new SubmissionQueue.DelayDue(item.envelope.internalId(),
                    DeliveryAgent.entries(item.envelope, item.recipients).stream()
                        .map(e -> e.deferred(item.lastError == null ? "" : item.lastError)).toList()));
            }
        }
        dispatch();
        return publish();
    }

    private void dispatch() {
        if (agent == null || suspended) {
            return;
        }
        Instant now = clock.now();
        if (nextRetryTime != null && now.isBefore(nextRetryTime)) {
            return;
        }
        int limit = Math.min(concurrencyWindow, agent.maxConcurrentBatches());
        while (activeBatches < limit) {
            List<Item> batch = new ArrayList<>();
            for (Item item : items.values()) {
                if (!item.inFlight && !item.suspended && !now.isBefore(item.nextAttempt)) {
                    batch.add(item);
                    if (batch.size() == agent.maxMessagesPerBatch()) {
                        break;
                    }
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            batch.forEach(i -> {
                i.inFlight = true;
                spool.markInProcess(i.envelope.internalId()); // a crash now counts towards PoisonThreshold
            });
            activeBatches++;
            List<DeliveryAgent.Item> work = batch.stream()
                .map(i -> new DeliveryAgent.Item(i.envelope, i.recipients)).toList();
            getContext().pipeToSelf(agent.deliver(work), (result, error) -> new BatchDone(batch,
                error == null ? result : new DeliveryAgent.Result(Map.of(), Optional.of(
                    new DeliveryAgent.ConnectionFailure("451 4.4.0 " + error.getMessage(), true)), "")));
        }
    }

    private Behavior<Command> onBatchDone(BatchDone done) {
        activeBatches--;
        Instant now = clock.now();
        DeliveryAgent.Result result = done.result();
        boolean anyResult = !result.outcomes().isEmpty();
        for (Item item : done.batch()) {
            item.inFlight = false;
            spool.clearInProcess(item.envelope.internalId());
            List<EnvelopeRecipient> outcomes = result.outcomes().get(item.envelope.internalId());
            if (outcomes == null) {
                if (result.connectionFailure().isPresent() && !result.connectionFailure().get().isTransient()) {
                    String response = result.connectionFailure().get().response();
                    finish(item, DeliveryAgent.entries(item.envelope, item.recipients).stream()
                        .map(e -> e.failed(response)).toList(), false, result.remoteHost());
                } else {
                    item.lastError = result.connectionFailure().map(DeliveryAgent.ConnectionFailure::response)
                        .orElse(null);
                }
                continue;
            }
            List<EnvelopeRecipient> settled = outcomes.stream().filter(o -> o.status() != RecipientStatus.Ready).toList();
            List<EnvelopeRecipient> deferred = outcomes.stream().filter(o -> o.status() == RecipientStatus.Ready).toList();
            logOutcomes(item, settled, result.remoteHost());
            if (deferred.isEmpty()) {
                finish(item, settled, false, result.remoteHost());
            } else {
                item.retryCount++;
                item.lastError = deferred.get(0).lastResponse();
                item.nextAttempt = schedule.nextMessageAttempt(now);
                java.util.Set<String> still = new java.util.HashSet<>();
                deferred.forEach(d -> still.add(d.address().key()));
                item.recipients = item.recipients.stream().filter(r -> still.contains(r.recipient().key())).toList();
                item.replyTo.tell(new SubmissionQueue.RouteProgress(item.envelope.internalId(), settled, false, false,
                    result.remoteHost()));
                tracking.log(TrackingEvent.builder(TrackingEventId.DEFER, source()).envelope(item.envelope)
                    .recipientAddress(deferred.stream().map(d -> d.address().toString()).toList())
                    .recipientStatus(deferred.stream().map(EnvelopeRecipient::lastResponse).toList())
                    .sourceContext(identity).build());
            }
        }
        if (result.connectionFailure().isPresent() && result.connectionFailure().get().isTransient() && !anyResult) {
            connectionFailures++;
            lastError = result.connectionFailure().get().response();
            lastRetryTime = now;
            if (firstRetryTime == null) {
                firstRetryTime = now;
            }
            nextRetryTime = schedule.nextConnectionAttempt(now, connectionFailures);
            concurrencyWindow = Math.max(1, concurrencyWindow / 2);
            getContext().getLog().info("queue {} ({}) in Retry until {}: {}", identity, key, nextRetryTime, lastError);
        } else if (anyResult) {
            connectionFailures = 0;
            nextRetryTime = null;
            firstRetryTime = null;
            lastError = null;
            concurrencyWindow = Math.min(concurrencyWindow + 1, agent.maxConcurrentBatches());
        }
        dispatch();
        return this;
    }

    /** The message is done on this queue: report, log, forget it. */
    private void finish(Item item, List<EnvelopeRecipient> outcomes, boolean suppressDsn, String remoteHost) {
        items.remove(item.envelope.internalId());
        outgoing.add(clock.now());
        item.replyTo.tell(new SubmissionQueue.RouteProgress(item.envelope.internalId(), outcomes, true, suppressDsn,
            remoteHost));
    }

    private void logOutcomes(Item item, List<EnvelopeRecipient> settled, String remoteHost) {
        List<EnvelopeRecipient> delivered = settled.stream().filter(o -> o.status() == RecipientStatus.Delivered).toList();
        List<EnvelopeRecipient> failed = settled.stream().filter(o -> o.status() == RecipientStatus.Failed).toList();
        if (!delivered.isEmpty()) {
            // Written into the store by this process: DELIVER. Handed over SMTP (a Send connector,
            // Mailbox Transport Delivery on 475, another Transport service): SEND, naming the next hop.
            boolean stored = storeDriver();
            tracking.log(TrackingEvent.builder(stored ? TrackingEventId.DELIVER : TrackingEventId.SEND,
                    stored ? TrackingSource.STOREDRIVER : TrackingSource.SMTP)
                .envelope(item.envelope)
                .recipientAddress(delivered.stream().map(r -> r.address().toString()).toList())
                .recipientStatus(delivered.stream().map(EnvelopeRecipient::lastResponse).toList())
                .recipientCount(delivered.size())
                .serverHostname(remoteHost)
                .sourceContext(stored ? "MailboxDatabase " + key.nextHopDomain() : identity + " (" + key + ")").build());
        }
        if (!failed.isEmpty()) {
            tracking.log(TrackingEvent.builder(TrackingEventId.FAIL, source()).envelope(item.envelope)
                .recipientAddress(failed.stream().map(r -> r.address().toString()).toList())
                .recipientStatus(failed.stream().map(EnvelopeRecipient::lastResponse).toList())
                .recipientCount(failed.size()).sourceContext(identity).build());
        }
    }

    /** The agent writes the mailbox store in this process: its deliveries are the store driver's. */
    private boolean storeDriver() {
        return agent != null && agent.writesMailboxes();
    }

    private boolean isMailbox() {
        return key.deliveryType() == DeliveryType.SmtpDeliveryToMailbox;
    }

    private TrackingSource source() {
        return isMailbox() ? TrackingSource.STOREDRIVER : TrackingSource.SMTP;
    }

    private Behavior<Command> onSuspend(Suspend s) {
        suspended = true;
        s.replyTo().tell(Done.OK);
        return publish();
    }

    private Behavior<Command> onResume(Resume r) {
        suspended = false;
        r.replyTo().tell(Done.OK);
        dispatch();
        return publish();
    }

    private Behavior<Command> onRetry(Retry r) {
        if (r.resubmit()) {
            for (Item item : new ArrayList<>(items.values())) {
                if (!item.inFlight) {
                    items.remove(item.envelope.internalId());
                    item.replyTo.tell(new SubmissionQueue.Resubmitted(item.envelope.internalId(),
                        item.recipients.stream().map(Categorization.Routed::recipient).toList()));
                }
            }
        } else if (agent == null) {
            r.replyTo().tell(Done.failed("The Unreachable queue can only be retried with -Resubmit $true."));
            return this;
        } else if (nextRetryTime == null) {
            r.replyTo().tell(Done.failed("Queue '" + identity + "' isn't in Retry status, so it can't be retried."));
            return this;
        }
        nextRetryTime = null;
        items.values().forEach(i -> i.nextAttempt = clock.now());
        r.replyTo().tell(Done.OK);
        dispatch();
        return publish();
    }

    private Behavior<Command> onSuspendMessage(SuspendMessage s) {
        Item item = items.get(s.internalId());
        if (item == null) {
            s.replyTo().tell(Done.failed("not on this queue"));
            return this;
        }
        item.suspended = true;
        s.replyTo().tell(Done.OK);
        return publish();
    }

    private Behavior<Command> onResumeMessage(ResumeMessage r) {
        Item item = items.get(r.internalId());
        if (item == null) {
            r.replyTo().tell(Done.failed("not on this queue"));
            return this;
        }
        if (poison) {
            // Out of the Poison queue and back to the categorizer, its crash count forgotten.
            spool.clearCrashes(r.internalId());
            items.remove(r.internalId());
            item.replyTo.tell(new SubmissionQueue.Resubmitted(r.internalId(),
                item.recipients.stream().map(Categorization.Routed::recipient).toList()));
            r.replyTo().tell(Done.OK);
            return publish();
        }
        item.suspended = false;
        r.replyTo().tell(Done.OK);
        dispatch();
        return publish();
    }

    private Behavior<Command> onRemoveMessage(RemoveMessage r) {
        Item item = items.get(r.internalId());
        if (item == null) {
            r.replyTo().tell(Done.failed("not on this queue"));
            return this;
        }
        if (item.inFlight) {
            r.replyTo().tell(Done.failed("The message is being delivered; suspend it first."));
            return this;
        }
        finish(item, DeliveryAgent.entries(item.envelope, item.recipients).stream()
            .map(e -> e.failed(REMOVED)).toList(), !r.withNdr(), "");
        r.replyTo().tell(Done.OK);
        return publish();
    }

    /**
     * Publishes the queue's snapshot for the viewer. Done once a second (and after a viewer
     * command), not after every message: a snapshot copies every queued message, so publishing
     * per event would cost O(n) per message and stall a queue with a large backlog.
     */
    private Behavior<Command> publish() {
        registry.publish(snapshot());
        return this;
    }

    private QueueRegistry.QueueSnapshot snapshot() {
        Instant now = clock.now();
        trim(incoming, now);
        trim(outgoing, now);
        String status;
        if (suspended) {
            status = "Suspended";
        } else if (nextRetryTime != null) {
            status = "Retry";
        } else if (activeBatches > 0) {
            status = "Active";
        } else {
            status = "Ready";
        }
        List<QueueRegistry.MessageSnapshot> messages = new ArrayList<>();
        for (Item i : items.values()) {
            messages.add(new QueueRegistry.MessageSnapshot(i.envelope, DeliveryAgent.entries(i.envelope, i.recipients),
                i.status(now), i.retryCount,
                i.lastError != null ? i.lastError : (agent == null && !poison ? NO_ROUTE : null), i.nextAttempt));
        }
        return new QueueRegistry.QueueSnapshot(identity, key, status, messages, lastError, firstRetryTime,
            lastRetryTime, nextRetryTime, connectionFailures, incoming.size() / 60.0, outgoing.size() / 60.0);
    }

    /** Rates are over the last minute, as Get-Queue's IncomingRate and OutgoingRate are. */
    private static void trim(Deque<Instant> events, Instant now) {
        Instant minuteAgo = now.minus(Duration.ofMinutes(1));
        while (!events.isEmpty() && events.peekFirst().isBefore(minuteAgo)) {
            events.pollFirst();
        }
    }
}
