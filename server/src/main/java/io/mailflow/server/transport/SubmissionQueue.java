package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.Categorizer;
import io.mailflow.categorizer.Submission;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.message.HeaderSection;
import io.mailflow.core.message.OrganizationHeaders;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The Submission queue and the categorizer's shell: takes each spooled message, categorizes it
 * (SUBMIT, RESOLVE, EXPAND, FAIL in the tracking log), hands each next hop its recipients, and
 * keeps the ledger of messages in flight. Delivery queues report progress here; this is where a
 * recipient's fate becomes a DSN (failure, delay, or success when asked for) and where the
 * spool learns it. A message leaves the spool when every route has settled all its recipients.
 * Decisions are the categorizer's and the queues'; this actor only sequences them.
 */
public final class SubmissionQueue extends AbstractBehavior<SubmissionQueue.Command> {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionQueue.class);

    public sealed interface Command {
    }

    /**
     * A message is durable in the spool and ready to categorize. {@code submission} is what the
     * intake learned of it; null when only the spool knows (recovery at start), and then the
     * stored organization headers say.
     */
    public record Submit(Envelope envelope, Submission submission) implements Command {
        public Submit(Envelope envelope) {
            this(envelope, null);
        }
    }

    /**
     * A delivery queue settled some recipients of a message ({@code routeDone}: all it owed).
     * {@code suppressDsn}: Remove-Message -WithNDR $false.
     */
    public record RouteProgress(long internalId, List<EnvelopeRecipient> outcomes, boolean routeDone,
                                boolean suppressDsn, String remoteHost) implements Command {
    }

    /** A queue's message passed DelayNotificationTimeout: these recipients still wait. */
    public record DelayDue(long internalId, List<EnvelopeRecipient> waiting) implements Command {
    }

    /** Retry-Queue -Resubmit (or Resume-Message on the Poison queue) gave these recipients back. */
    public record Resubmitted(long internalId, List<SmtpAddress> recipients) implements Command {
    }

    /** At start: a message that was being worked on during PoisonThreshold crashes; it is held, suspended. */
    public record Poisoned(Envelope envelope) implements Command {
    }

    /** A delivery queue has been empty for QueueMaxIdleTime, having taken {@code enqueued} messages. */
    public record QueueIdle(NextHopSolutionKey key, int enqueued) implements Command {
    }

    private record InFlight(Envelope envelope, int pendingRoutes) {
    }

    /** Makes the behaviour of a new delivery queue for a next hop; the identity comes from the registry. */
    public interface QueueFactory extends BiFunction<String, NextHopSolutionKey, Behavior<DeliveryQueue.Command>> {
    }

    private final Supplier<Categorizer> categorizer;
    private final QueueFactory queueFactory;
    private final QueueRegistry registry;
    private final Spool spool;
    private final Executor spoolExecutor;
    private final MessageTrackingLog tracking;
    private final AtomicLong submissionQueueLength;
    private final DsnService dsns;
    private final Map<NextHopSolutionKey, ActorRef<DeliveryQueue.Command>> deliveryQueues = new HashMap<>();
    private final Map<NextHopSolutionKey, Integer> enqueuedTo = new HashMap<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    /** DSNs being written for a message: it leaves the spool only after they are in it. */
    private final Map<Long, CompletableFuture<Void>> pendingDsns = new HashMap<>();
    private long queuesCreated;

    public static Behavior<Command> create(Supplier<Categorizer> categorizer, QueueFactory queueFactory, QueueRegistry registry,
                                           Spool spool, Executor spoolExecutor, MessageTrackingLog tracking,
                                           AtomicLong submissionQueueLength, DsnService dsns) {
        return Behaviors.setup(ctx -> new SubmissionQueue(ctx, categorizer, queueFactory, registry, spool,
            spoolExecutor, tracking, submissionQueueLength, dsns));
    }

    private SubmissionQueue(ActorContext<Command> context, Supplier<Categorizer> categorizer, QueueFactory queueFactory,
                            QueueRegistry registry, Spool spool, Executor spoolExecutor, MessageTrackingLog tracking,
                            AtomicLong submissionQueueLength, DsnService dsns) {
        super(context);
        this.categorizer = categorizer;
        this.queueFactory = queueFactory;
        this.registry = registry;
        this.spool = spool;
        this.spoolExecutor = spoolExecutor;
        this.tracking = tracking;
        this.submissionQueueLength = submissionQueueLength;
        this.dsns = dsns;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Submit.class, this::onSubmit)
            .onMessage(RouteProgress.class, this::onRouteProgress)
            .onMessage(DelayDue.class, this::onDelayDue)
            .onMessage(Resubmitted.class, this::onResubmitted)
            .onMessage(Poisoned.class, this::onPoisoned)
            .onMessage(QueueIdle.class, this::onQueueIdle)
            .build();
    }

    private Behavior<Command> onSubmit(Submit submit) {
        submissionQueueLength.decrementAndGet();
        Envelope envelope = submit.envelope();
        if (inFlight.containsKey(envelope.internalId())) {
            return this;
        }
        tracking.log(TrackingEvent.builder(TrackingEventId.SUBMIT, TrackingSource.QUEUE).envelope(envelope)
            .sourceContext("Submission queue").build());
        InFlight state = route(envelope, envelope, submit.submission());
        if (state.pendingRoutes() == 0) {
            settle(state);
        } else {
            inFlight.put(envelope.internalId(), state);
        }
        return this;
    }

    /**
     * Categorizes {@code toCategorize} (its Ready recipients), logs the steps, NDRs the failures
     * and enqueues each route. Returns {@code whole} with the categorizer's recipients merged in,
     * and the number of routes handed out. Without {@code submission} the stored headers are read.
     */
    private InFlight route(Envelope toCategorize, Envelope whole, Submission submission) {
        Categorization result;
        // If categorizing this message kills the process, the mark says so at the next start (PoisonThreshold).
        spool.markInProcess(toCategorize.internalId());
        try {
            long id = toCategorize.internalId();
            if (submission == null) {
                byte[] content = spool.content(id);
                result = categorizer.get().categorize(toCategorize, submissionOf(toCategorize, content), () -> content);
            } else {
                // The content is read only if a mail flow rule needs it.
                result = categorizer.get().categorize(toCategorize, submission, () -> spool.content(id));
            }
        } catch (RuntimeException e) {
            // The message stays in the spool and is tried again at the next start; the queue goes on.
            LOG.error("categorizer failed on message {} (InternalId {}); it stays in the spool",
                toCategorize.messageId(), toCategorize.internalId(), e);
            return new InFlight(whole, 0);
        } finally {
            spool.clearInProcess(toCategorize.internalId());
        }
        for (Categorization.Step step : result.steps()) {
            tracking.log(TrackingEvent.builder(TrackingEventId.valueOf(step.eventId()), TrackingSource.valueOf(step.source()))
                .envelope(toCategorize)
                .recipientAddress(step.recipients().stream().map(Object::toString).toList())
                .relatedRecipientAddress(step.related() == null ? null : step.related().toString())
                .sourceContext(step.detail()).build());
        }
        Envelope categorizedEnvelope = result.envelope();
        if (!result.failed().isEmpty()) {
            for (Categorization.Failed failed : result.failed()) {
                tracking.log(TrackingEvent.builder(TrackingEventId.FAIL, TrackingSource.ROUTING).envelope(toCategorize)
                    .recipientAddress(failed.recipient().toString()).recipientStatus(failed.status())
                    .recipientCount(1).build());
            }
            Set<String> failedKeys = new HashSet<>();
            result.failed().forEach(f -> failedKeys.add(f.recipient().key()));
            notice(categorizedEnvelope.internalId(), dsns.failure(categorizedEnvelope, categorizedEnvelope.recipients()
                .stream().filter(r -> failedKeys.contains(r.address().key()) && r.status() == RecipientStatus.Failed)
                .toList(), ""));
        }
        int routes = 0;
        for (var route : result.routes().entrySet()) {
            routes++;
            enqueuedTo.merge(route.getKey(), 1, Integer::sum);
            deliveryQueue(route.getKey()).tell(new DeliveryQueue.Enqueue(categorizedEnvelope, route.getValue(),
                getContext().getSelf()));
        }
        return new InFlight(whole == toCategorize ? categorizedEnvelope : merge(whole, categorizedEnvelope.recipients()),
            routes);
    }

    /**
     * What the categorizer needs to know beyond the envelope, from the organization headers the
     * receiving server stamped (the header firewall lets them through only from the organization's
     * servers): did the sender authenticate (AuthAs Internal), did another server already resolve
     * the recipients (Categorized-By), or is this a DSN this server wrote.
     */
    private static Submission submissionOf(Envelope envelope, byte[] content) {
        // DSNs come from the DsnService through SpoolingMessageSink.submitGenerated, as "<server>\DSN".
        if (envelope.sender().isEmpty() && envelope.connectorId().endsWith("\\" + DsnService.SOURCE)) {
            return Submission.DELIVERY_REPORT;
        }
        HeaderSection headers = HeaderSection.of(content);
        return Submission.of(headers.first(OrganizationHeaders.AUTH_AS),
            headers.first(OrganizationHeaders.CATEGORIZED_BY));
    }

    /** Delivery queues are created on demand, one per NextHopSolutionKey, as Exchange does. */
    private ActorRef<DeliveryQueue.Command> deliveryQueue(NextHopSolutionKey key) {
        return deliveryQueues.computeIfAbsent(key, k -> {
            String identity = k.deliveryType() == DeliveryType.Unreachable ? registry.server() + "\\Unreachable"
                : k.equals(NextHopSolutionKey.POISON) ? registry.server() + "\\Poison" : registry.identityOf(k);
            return getContext().spawn(queueFactory.apply(identity, k), "queue-" + (++queuesCreated));
        });
    }

    private Behavior<Command> onRouteProgress(RouteProgress progress) {
        InFlight state = inFlight.get(progress.internalId());
        if (state == null) {
            return this;
        }
        Envelope merged = merge(state.envelope(), progress.outcomes());
        if (!progress.suppressDsn()) {
            List<EnvelopeRecipient> failed = progress.outcomes().stream()
                .filter(o -> o.status() == RecipientStatus.Failed).toList();
            if (!failed.isEmpty()) {
                notice(merged.internalId(), dsns.failure(merged, failed, progress.remoteHost()));
            }
        }
        List<EnvelopeRecipient> successNotices = progress.outcomes().stream()
            .filter(o -> o.status() == RecipientStatus.Delivered && o.dsnNotify().contains(DsnNotify.SUCCESS)).toList();
        if (!successNotices.isEmpty()) {
            notice(merged.internalId(), dsns.success(merged, successNotices, progress.remoteHost()));
        }
        InFlight next = new InFlight(merged, state.pendingRoutes() - (progress.routeDone() ? 1 : 0));
        if (next.pendingRoutes() > 0) {
            inFlight.put(progress.internalId(), next);
            if (!progress.outcomes().isEmpty() && !progress.remoteHost().equals(MailboxDeliveryAgent.HOST)) {
                // A remote server accepted or refused these: remember it before anything else happens,
                // so a crash does not send them twice (mailbox delivery needs no such care: it is idempotent).
                persist(merged);
            }
        } else {
            inFlight.remove(progress.internalId());
            settle(next);
        }
        return this;
    }

    private Behavior<Command> onDelayDue(DelayDue due) {
        InFlight state = inFlight.get(due.internalId());
        if (state == null || state.envelope().delayNotified()) {
            return this;
        }
        Envelope marked = state.envelope().withDelayNotified();
        inFlight.put(due.internalId(), new InFlight(marked, state.pendingRoutes()));
        notice(marked.internalId(), dsns.delay(marked, due.waiting()));
        persist(marked);
        return this;
    }

    private Behavior<Command> onResubmitted(Resubmitted back) {
        InFlight state = inFlight.get(back.internalId());
        if (state == null) {
            return this;
        }
        Set<String> keys = new HashSet<>();
        back.recipients().forEach(r -> keys.add(r.key()));
        // Categorize only the given-back recipients; the others keep their routes.
        Envelope only = state.envelope().withRecipients(state.envelope().recipients().stream()
            .filter(r -> keys.contains(r.address().key())).toList());
        InFlight routed = route(only, state.envelope(), null);
        InFlight next = new InFlight(routed.envelope(), state.pendingRoutes() - 1 + routed.pendingRoutes());
        if (next.pendingRoutes() > 0) {
            inFlight.put(back.internalId(), next);
        } else {
            inFlight.remove(back.internalId());
            settle(next);
        }
        return this;
    }

    private void notice(long internalId, CompletableFuture<Void> written) {
        pendingDsns.merge(internalId, written, (a, b) -> CompletableFuture.allOf(a, b));
    }

    private Behavior<Command> onPoisoned(Poisoned poisoned) {
        submissionQueueLength.decrementAndGet();
        Envelope envelope = poisoned.envelope();
        LOG.warn("message {} (InternalId {}) was being processed during PoisonThreshold crashes; it is held in the "
            + "Poison queue until an administrator resumes it", envelope.messageId(), envelope.internalId());
        tracking.log(TrackingEvent.builder(TrackingEventId.POISONMESSAGE, TrackingSource.POISONMESSAGE)
            .envelope(envelope).build());
        inFlight.put(envelope.internalId(), new InFlight(envelope, 1));
        deliveryQueue(NextHopSolutionKey.POISON).tell(new DeliveryQueue.Enqueue(envelope, envelope.readyRecipients()
            .stream().map(r -> new Categorization.Routed(r.address(), null)).toList(), getContext().getSelf()));
        return this;
    }

    private static Envelope merge(Envelope envelope, List<EnvelopeRecipient> outcomes) {
        Map<String, EnvelopeRecipient> byKey = new HashMap<>();
        outcomes.forEach(o -> byKey.put(o.address().key(), o));
        Set<String> present = new HashSet<>();
        envelope.recipients().forEach(r -> present.add(r.address().key()));
        List<EnvelopeRecipient> merged = new java.util.ArrayList<>(envelope.recipients().stream()
            .map(r -> byKey.getOrDefault(r.address().key(), r)).toList());
        outcomes.stream().filter(o -> !present.contains(o.address().key())).forEach(merged::add);
        return envelope.withRecipients(merged);
    }

    private void persist(Envelope envelope) {
        CompletableFuture.runAsync(() -> spool.update(envelope), spoolExecutor).exceptionally(e -> {
            LOG.error("could not update message {} in the spool", envelope.internalId(), e);
            return null;
        });
    }

    /**
     * Every route has answered. A settled message leaves the spool; one with recipients still
     * waiting keeps their progress. Both writes run off the actor, on the spool's threads.
     */
    private void settle(InFlight state) {
        Envelope envelope = state.envelope();
        if (envelope.isSettled()) {
            // Unsynced: if a crash undoes it, the restart finds every Maildir copy already there, and
            // recipients a remote server took were recorded with a synced update first. DSNs owed for
            // the message are in the spool before it leaves.
            CompletableFuture<Void> dsnsWritten = pendingDsns.remove(envelope.internalId());
            (dsnsWritten == null ? CompletableFuture.<Void>completedFuture(null) : dsnsWritten.exceptionally(e -> null))
                .thenRunAsync(() -> spool.removeSettled(envelope.internalId()), spoolExecutor)
                .exceptionally(e -> {
                    LOG.error("could not remove message {} from the spool; it will be recovered and found delivered",
                        envelope.internalId(), e);
                    return null;
                });
        } else {
            persist(envelope);
        }
    }

    /**
     * Removes an idle delivery queue, as Exchange does after QueueMaxIdleTime, unless a message
     * was sent to it after it counted (it will then find itself busy again and ask later).
     */
    private Behavior<Command> onQueueIdle(QueueIdle idle) {
        ActorRef<DeliveryQueue.Command> queue = deliveryQueues.get(idle.key());
        if (queue != null && enqueuedTo.getOrDefault(idle.key(), 0) == idle.enqueued()) {
            deliveryQueues.remove(idle.key());
            enqueuedTo.remove(idle.key());
            getContext().stop(queue);
        }
        return this;
    }
}
