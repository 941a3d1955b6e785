package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.mailbox.MailboxDelivery;
import io.mailflow.delivery.mailbox.MaildirStore;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A delivery queue for one NextHopSolutionKey (here: one mailbox database), with Mailbox
 * Transport Delivery as its delivery agent. Delivers up to MaxConcurrentMailboxDeliveries
 * messages at once on the blocking executor; a delivery that fails (the store's disk is full,
 * say) is deferred and tried again after the retry interval, never dropped.
 */
public final class DeliveryQueue extends AbstractBehavior<DeliveryQueue.Command> {

    public sealed interface Command {
    }

    /** Deliver these recipients of the message, then report to {@code replyTo}. */
    public record Enqueue(Envelope envelope, List<Categorization.Routed> recipients,
                          ActorRef<SubmissionQueue.Command> replyTo) implements Command {
    }

    private record Delivered(Enqueue item, List<EnvelopeRecipient> outcomes) implements Command {
    }

    private record Deferred(Enqueue item, Throwable error) implements Command {
    }

    private record Retry(Enqueue item) implements Command {
    }

    private final NextHopSolutionKey key;
    private final int maxConcurrentDeliveries;
    private final Duration retryInterval;
    private final MaildirStore store;
    private final Spool spool;
    private final Executor executor;
    private final MessageTrackingLog tracking;
    private final TimerScheduler<Command> timers;
    private final Deque<Enqueue> ready = new ArrayDeque<>();
    private int active;

    public static Behavior<Command> create(NextHopSolutionKey key, int maxConcurrentDeliveries, Duration retryInterval,
                                           MaildirStore store, Spool spool, Executor executor,
                                           MessageTrackingLog tracking) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new DeliveryQueue(ctx, timers, key,
            maxConcurrentDeliveries, retryInterval, store, spool, executor, tracking)));
    }

    private DeliveryQueue(ActorContext<Command> context, TimerScheduler<Command> timers, NextHopSolutionKey key,
                          int maxConcurrentDeliveries, Duration retryInterval, MaildirStore store, Spool spool,
                          Executor executor, MessageTrackingLog tracking) {
        super(context);
        this.timers = timers;
        this.key = key;
        this.maxConcurrentDeliveries = maxConcurrentDeliveries;
        this.retryInterval = retryInterval;
        this.store = store;
        this.spool = spool;
        this.executor = executor;
        this.tracking = tracking;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Enqueue.class, this::onEnqueue)
            .onMessage(Delivered.class, this::onDelivered)
            .onMessage(Deferred.class, this::onDeferred)
            .onMessage(Retry.class, this::onRetry)
            .build();
    }

    private Behavior<Command> onEnqueue(Enqueue item) {
        ready.add(item);
        dispatch();
        return this;
    }

    private Behavior<Command> onRetry(Retry retry) {
        return onEnqueue(retry.item());
    }

    private void dispatch() {
        while (active < maxConcurrentDeliveries && !ready.isEmpty()) {
            Enqueue item = ready.poll();
            active++;
            getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> deliver(item), executor),
                (outcomes, error) -> error == null ? new Delivered(item, outcomes) : new Deferred(item, error));
        }
    }

    /** Runs on the blocking executor: one Maildir file per recipient, each synced before it counts. */
    private List<EnvelopeRecipient> deliver(Enqueue item) {
        Envelope envelope = item.envelope();
        byte[] content = spool.content(envelope.internalId());
        byte[] delivered = MailboxDelivery.contentFor(envelope, content);
        List<EnvelopeRecipient> outcomes = new ArrayList<>();
        for (Categorization.Routed routed : item.recipients()) {
            try {
                MaildirStore.Outcome outcome = store.deliver(routed.mailbox().database(), routed.mailbox().alias(),
                    MailboxDelivery.deliveryId(envelope, routed.recipient()), delivered);
                String status = outcome == MaildirStore.Outcome.Delivered
                    ? "250 2.0.0 Delivered" : "250 2.0.0 Already delivered";
                outcomes.add(EnvelopeRecipient.ready(routed.recipient()).delivered(status));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return outcomes;
    }

    private Behavior<Command> onDelivered(Delivered done) {
        active--;
        Envelope envelope = done.item().envelope();
        tracking.log(TrackingEvent.builder(TrackingEventId.DELIVER, TrackingSource.STOREDRIVER).envelope(envelope)
            .recipientAddress(done.outcomes().stream().map(r -> r.address().toString()).toList())
            .recipientStatus(done.outcomes().stream().map(EnvelopeRecipient::lastResponse).toList())
            .recipientCount(done.outcomes().size())
            .sourceContext("MailboxDatabase " + key.nextHopDomain()).build());
        done.item().replyTo().tell(new SubmissionQueue.RouteCompleted(envelope.internalId(), done.outcomes()));
        dispatch();
        return this;
    }

    private Behavior<Command> onDeferred(Deferred deferred) {
        active--;
        Envelope envelope = deferred.item().envelope();
        Throwable cause = deferred.error().getCause() != null ? deferred.error().getCause() : deferred.error();
        String status = "451 4.3.0 Mailbox delivery to " + key.nextHopDomain() + " failed: " + cause.getMessage();
        getContext().getLog().warn("message {} deferred on queue {}: {}; retrying in {}", envelope.messageId(), key,
            cause.toString(), retryInterval);
        tracking.log(TrackingEvent.builder(TrackingEventId.DEFER, TrackingSource.STOREDRIVER).envelope(envelope)
            .recipientAddress(deferred.item().recipients().stream().map(r -> r.recipient().toString()).toList())
            .recipientStatus(status).build());
        timers.startSingleTimer(new Retry(deferred.item()), retryInterval);
        dispatch();
        return this;
    }
}
