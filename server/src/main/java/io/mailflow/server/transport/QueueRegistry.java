package io.mailflow.server.transport;

import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.apache.pekko.actor.typed.ActorRef;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue viewer's window on the Transport service: every delivery queue publishes an immutable
 * snapshot of itself after each change, and registers the actor that takes its commands. Reading
 * the queues never waits on an actor; changing one is a message to it. Queue identities are
 * Exchange's {@code EX01\3}, numbered in the order the queues were created.
 */
public final class QueueRegistry {

    /** One queued message as Get-Message shows it. */
    public record MessageSnapshot(Envelope envelope, List<EnvelopeRecipient> pending, String status, int retryCount,
                                  String lastError, Instant nextAttempt) {
    }

    /** One queue as Get-Queue shows it. */
    public record QueueSnapshot(String identity, NextHopSolutionKey key, String status, List<MessageSnapshot> messages,
                                String lastError, Instant firstRetryTime, Instant lastRetryTime,
                                Instant nextRetryTime, int retryCount, double incomingRate, double outgoingRate) {
    }

    private record Entry(ActorRef<DeliveryQueue.Command> queue, QueueSnapshot snapshot) {
    }

    private final String server;
    private final AtomicInteger numbers = new AtomicInteger();
    private final Map<NextHopSolutionKey, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Entry> byIdentity = new ConcurrentHashMap<>();

    public QueueRegistry(String server) {
        this.server = server;
    }

    public String server() {
        return server;
    }

    /** The identity of the queue for {@code key}, allocated the first time it is asked for. */
    public String identityOf(NextHopSolutionKey key) {
        return identities.computeIfAbsent(key, k -> server + "\\" + numbers.incrementAndGet());
    }

    public void register(String identity, ActorRef<DeliveryQueue.Command> queue, QueueSnapshot initial) {
        byIdentity.put(identity.toLowerCase(java.util.Locale.ROOT), new Entry(queue, initial));
    }

    public void publish(QueueSnapshot snapshot) {
        byIdentity.computeIfPresent(snapshot.identity().toLowerCase(java.util.Locale.ROOT),
            (id, e) -> new Entry(e.queue(), snapshot));
    }

    public void remove(String identity) {
        byIdentity.remove(identity.toLowerCase(java.util.Locale.ROOT));
    }

    public List<QueueSnapshot> snapshots() {
        return byIdentity.values().stream().map(Entry::snapshot)
            .sorted(Comparator.comparing(QueueSnapshot::identity)).toList();
    }

    public java.util.Optional<ActorRef<DeliveryQueue.Command>> queue(String identity) {
        return java.util.Optional.ofNullable(byIdentity.get(identity.toLowerCase(java.util.Locale.ROOT)))
            .map(Entry::queue);
    }
}
