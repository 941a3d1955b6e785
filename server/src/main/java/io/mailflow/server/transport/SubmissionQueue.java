package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.Categorizer;
import io.mailflow.categorizer.SendConnectorSelector;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.logging.MessageTrackingLog;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Submission queue and the categorizer's shell: takes each spooled message, categorizes it
 * (SUBMIT, RESOLVE, EXPAND, FAIL in the tracking log), hands each next hop its recipients, and
 * keeps the ledger of messages in flight. When every route has reported, the message leaves the
 * spool if all its recipients are settled, or its progress is written back if some still wait
 * (Unreachable). Decisions are the categorizer's; this actor only sequences them.
 */
public final class SubmissionQueue extends AbstractBehavior<SubmissionQueue.Command> {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionQueue.class);

    public sealed interface Command {
    }

    /** A message is durable in the spool and ready to categorize. */
    public record Submit(Envelope envelope) implements Command {
    }

    /** A delivery queue settled its share of a message. */
    public record RouteCompleted(long internalId, List<EnvelopeRecipient> outcomes) implements Command {
    }

    /** Messages held per stage, for the process log and tests. */
    public record GetCounts(ActorRef<Counts> replyTo) implements Command {
    }

    public record Counts(int inFlight, long categorized, long completed) {
    }

    private record InFlight(Envelope envelope, int pendingRoutes) {
    }

    private final Categorizer categorizer;
    private final Function<NextHopSolutionKey, Behavior<DeliveryQueue.Command>> deliveryQueueFactory;
    private final Map<NextHopSolutionKey, ActorRef<DeliveryQueue.Command>> deliveryQueues = new HashMap<>();
    private final Spool spool;
    private final Executor spoolExecutor;
    private final MessageTrackingLog tracking;
    private final AtomicLong submissionQueueLength;
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private long categorized;
    private long completed;

    /** @param deliveryQueueFactory the behaviour of a new delivery queue, created on demand per key */
    public static Behavior<Command> create(Categorizer categorizer,
                                           Function<NextHopSolutionKey, Behavior<DeliveryQueue.Command>> deliveryQueueFactory,
                                           Spool spool, Executor spoolExecutor, MessageTrackingLog tracking,
                                           AtomicLong submissionQueueLength) {
        return Behaviors.setup(ctx -> new SubmissionQueue(ctx, categorizer, deliveryQueueFactory, spool,
            spoolExecutor, tracking, submissionQueueLength));
    }

    private SubmissionQueue(ActorContext<Command> context, Categorizer categorizer,
                            Function<NextHopSolutionKey, Behavior<DeliveryQueue.Command>> deliveryQueueFactory, Spool spool,
                            Executor spoolExecutor, MessageTrackingLog tracking, AtomicLong submissionQueueLength) {
        super(context);
        this.categorizer = categorizer;
        this.deliveryQueueFactory = deliveryQueueFactory;
        this.spool = spool;
        this.spoolExecutor = spoolExecutor;
        this.tracking = tracking;
        this.submissionQueueLength = submissionQueueLength;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Submit.class, this::onSubmit)
            .onMessage(RouteCompleted.class, this::onRouteCompleted)
            .onMessage(GetCounts.class, this::onGetCounts)
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
        Categorization result;
        try {
            result = categorizer.categorize(envelope);
        } catch (RuntimeException e) {
            // The message stays in the spool and is tried again at the next start; the queue goes on.
            LOG.error("categorizer failed on message {} (InternalId {}); it stays in the spool",
                envelope.messageId(), envelope.internalId(), e);
            return this;
        }
        categorized++;
        for (Categorization.Step step : result.steps()) {
            tracking.log(TrackingEvent.builder(TrackingEventId.valueOf(step.eventId()), TrackingSource.ROUTING)
                .envelope(envelope)
                .recipientAddress(step.recipient().toString())
                .relatedRecipientAddress(step.related() == null ? null : step.related().toString())
                .sourceContext(step.detail()).build());
        }
        for (Categorization.Failed failed : result.failed()) {
            tracking.log(TrackingEvent.builder(TrackingEventId.FAIL, TrackingSource.ROUTING).envelope(envelope)
                .recipientAddress(failed.recipient().toString()).recipientStatus(failed.status())
                .recipientCount(1).build());
        }
        Envelope categorizedEnvelope = result.envelope();
        int routes = 0;
        for (var route : result.routes().entrySet()) {
            if (route.getKey().deliveryType() == DeliveryType.Unreachable) {
                getContext().getLog().info("message {} has no route to {} ({} recipients); held in the Unreachable queue: {}",
                    envelope.messageId(), route.getKey().nextHopDomain(), route.getValue().size(),
                    SendConnectorSelector.NO_MATCHING_CONNECTOR);
                continue;
            }
            if (route.getKey().deliveryType() != DeliveryType.SmtpDeliveryToMailbox) {
                // Delivery queues here hold Mailbox Transport Delivery only; recipients routed to a
                // Send connector stay Ready in the spool until an SMTP delivery queue takes them.
                getContext().getLog().info("message {} routed to {} through Send connector {} ({} recipients); "
                        + "no SMTP delivery queue on this server, the recipients stay in the spool",
                    envelope.messageId(), route.getKey().nextHopDomain(), route.getKey().nextHopConnector(),
                    route.getValue().size());
                continue;
            }
            routes++;
            deliveryQueue(route.getKey()).tell(new DeliveryQueue.Enqueue(categorizedEnvelope,
                route.getValue(), getContext().getSelf()));
        }
        InFlight state = new InFlight(categorizedEnvelope, routes);
        if (routes == 0) {
            settle(state);
        } else {
            inFlight.put(envelope.internalId(), state);
        }
        return this;
    }

    /** Delivery queues are created on demand, one per NextHopSolutionKey, as Exchange does. */
    private ActorRef<DeliveryQueue.Command> deliveryQueue(NextHopSolutionKey key) {
        return deliveryQueues.computeIfAbsent(key, k -> getContext().spawn(deliveryQueueFactory.apply(k),
            "delivery-queue-" + (deliveryQueues.size() + 1)));
    }

    private Behavior<Command> onRouteCompleted(RouteCompleted done) {
        InFlight state = inFlight.get(done.internalId());
        if (state == null) {
            return this;
        }
        Map<String, EnvelopeRecipient> outcomes = new HashMap<>();
        done.outcomes().forEach(o -> outcomes.put(o.address().key(), o));
        Envelope merged = state.envelope().mapRecipients(r -> outcomes.getOrDefault(r.address().key(), r));
        InFlight next = new InFlight(merged, state.pendingRoutes() - 1);
        if (next.pendingRoutes() > 0) {
            inFlight.put(done.internalId(), next);
        } else {
            inFlight.remove(done.internalId());
            settle(next);
        }
        return this;
    }

    /**
     * Every route has answered. A settled message leaves the spool; one with recipients still
     * waiting keeps their progress. Both writes run off the actor, on the spool's threads.
     */
    private void settle(InFlight state) {
        Envelope envelope = state.envelope();
        if (envelope.isSettled()) {
            completed++;
            // Unsynced: if a crash undoes it, the restart finds every Maildir copy already there.
            CompletableFuture.runAsync(() -> spool.removeSettled(envelope.internalId()), spoolExecutor)
                .exceptionally(e -> {
                    LOG.error("could not remove message {} from the spool; it will be recovered and found delivered",
                        envelope.internalId(), e);
                    return null;
                });
        } else {
            CompletableFuture.runAsync(() -> spool.update(envelope), spoolExecutor)
                .exceptionally(e -> {
                    LOG.error("could not update message {} in the spool", envelope.internalId(), e);
                    return null;
                });
        }
    }

    private Behavior<Command> onGetCounts(GetCounts get) {
        get.replyTo().tell(new Counts(inFlight.size(), categorized, completed));
        return this;
    }
}
