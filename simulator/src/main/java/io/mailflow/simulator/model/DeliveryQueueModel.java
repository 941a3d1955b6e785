package io.mailflow.simulator.model;

import io.mailflow.categorizer.Categorization;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.simulator.report.MinuteSeries;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulator model: one delivery queue (one NextHopSolutionKey), as the relay's queue actor holds
 * it: messages in arrival order, deliveries in progress up to its connection limit, and its
 * status — Active, or Retry after a failed connection until the RetrySchedule's next attempt.
 * A message whose recipients the next hop answered with 4xx leaves {@code items} for
 * MessageRetryInterval and comes back at the head, as the relay's queue skips it until then.
 * Two watch lines, in order of receipt, let one timer per queue find the messages due for a
 * delay DSN or expiry without a timer per message.
 */
final class DeliveryQueueModel {

    /** One message's recipients routed to this queue; after a 4xx for some, only those still pending. */
    static final class Item {
        final SimMessage message;
        List<Categorization.Routed> routed;
        int recipients;
        boolean done;

        Item(SimMessage message, List<Categorization.Routed> routed) {
            this.message = message;
            this.routed = routed;
            this.recipients = routed.size();
        }
    }

    final NextHopSolutionKey key;
    final String name;
    final int connectionLimit;
    final ArrayDeque<Item> items = new ArrayDeque<>();
    final ArrayDeque<Item> delayWatch = new ArrayDeque<>();
    final ArrayDeque<Item> expiryWatch = new ArrayDeque<>();
    final MinuteSeries depth = new MinuteSeries();
    int depthNow;
    int active;
    int failures;
    boolean retry;
    long retrySince = -1;
    /** The fault that put the queue in Retry, while it is in Retry. */
    io.mailflow.simulator.report.FaultStats retryCause;
    /** Retry windows, as [from, until) in nanoseconds. */
    final List<long[]> retryWindows = new ArrayList<>();
    long watchAt = -1;

    DeliveryQueueModel(NextHopSolutionKey key, String name, int connectionLimit) {
        this.key = key;
        this.name = name;
        this.connectionLimit = connectionLimit;
    }

    boolean isMailbox() {
        return key.deliveryType() == DeliveryType.SmtpDeliveryToMailbox;
    }

    boolean isUnreachable() {
        return key.deliveryType() == DeliveryType.Unreachable;
    }

    void changeDepth(long now, int delta) {
        depthNow += delta;
        depth.max(now, depthNow);
    }

    /** Drops delivered items from the heads of the watch lines, so they hold only waiting messages. */
    void trimWatches() {
        while (!delayWatch.isEmpty() && (delayWatch.peekFirst().done || delayWatch.peekFirst().message.delayNotified)) {
            delayWatch.pollFirst();
        }
        while (!expiryWatch.isEmpty() && expiryWatch.peekFirst().done) {
            expiryWatch.pollFirst();
        }
    }
}
