package io.mailflow.delivery.retry;

import io.mailflow.core.params.Param;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * RetrySchedule: delivery stage, asked by a delivery queue after each failed connection and each
 * deferred message, and by the expiry and delay-DSN timers. Decides when the next attempt is, when
 * a message has expired (then: NDR {@code 550 4.4.7 QUEUE.Expired; message expired}) and when its
 * delay DSN is due. Pure: the time comes in as an argument, nothing is remembered between calls.
 * Reads: TransientFailureRetryCount, TransientFailureRetryInterval,
 * OutboundConnectionFailureRetryInterval, MessageRetryInterval, MessageExpirationTimeout,
 * DelayNotificationTimeout.
 *
 * <p>Exchange's semantics, as exchange.md §4.1 gives them (c:Set-TS; MI):
 * <ul>
 *   <li><b>Queue retry.</b> When a delivery queue cannot connect to its next hop, it goes to
 *       Retry. The server first makes TransientFailureRetryCount (default 6, 0-15) quick retries,
 *       TransientFailureRetryInterval (5 min on a Mailbox server) apart; after those it tries every
 *       OutboundConnectionFailureRetryInterval (10 min). With TransientFailureRetryCount 0 there are
 *       no quick retries: "0 ⇒ go straight to OutboundConnectionFailureRetryInterval". So after
 *       consecutive connection failure number n (1-based, reset by a successful connection), the
 *       next attempt is at now + TransientFailureRetryInterval while n ≤ TransientFailureRetryCount,
 *       and at now + OutboundConnectionFailureRetryInterval after that. With the defaults, eight
 *       failures in a row give waits of 5, 5, 5, 5, 5, 5, 10, 10 minutes.</li>
 *   <li><b>Message retry.</b> MessageRetryInterval (5 min per c:Set-TS and REFERENCE.md; MI says
 *       15 min, see exchange.md §11) is the retry interval of individual messages. Mailflow uses it
 *       for a message deferred on its own while the connection works, i.e. the next hop answered a
 *       recipient or the message with a 4xx reply: that message waits now + MessageRetryInterval,
 *       while the queue goes on with the other messages.</li>
 *   <li><b>Expiry.</b> MessageExpirationTimeout (2 days, 5 s-90 days) is the longest a message
 *       may stay queued, counted from when it was received; then every recipient still pending
 *       fails and the sender gets an NDR. Mailflow's boundary: the message is expired from
 *       receivedAt + MessageExpirationTimeout on, inclusive, so a timer set to {@link #expiresAt}
 *       finds it expired when it fires.</li>
 *   <li><b>Delay DSN.</b> DelayNotificationTimeout (4 h) after receipt, a message still not
 *       delivered earns one delay DSN (when ExternalDelayDSNEnabled / InternalDelayDSNEnabled, both
 *       $true by default, and the recipient's NOTIFY allows it). Once per message: after it was
 *       sent it is never due again. An expired message gets the NDR instead, never a delay DSN.
 *       The boundary is inclusive as for expiry.</li>
 * </ul>
 */
public final class RetrySchedule {

    /** The parameters this unit reads (STYLE.md §4). */
    public static final List<Param<TransportServiceSettings, TransportServiceSettings.Builder, ?>> READS = List.of(
        TransportServiceSettings.TRANSIENT_FAILURE_RETRY_COUNT,
        TransportServiceSettings.TRANSIENT_FAILURE_RETRY_INTERVAL,
        TransportServiceSettings.OUTBOUND_CONNECTION_FAILURE_RETRY_INTERVAL,
        TransportServiceSettings.MESSAGE_RETRY_INTERVAL,
        TransportServiceSettings.MESSAGE_EXPIRATION_TIMEOUT,
        TransportServiceSettings.DELAY_NOTIFICATION_TIMEOUT);

    private final TransportServiceSettings settings;

    public RetrySchedule(TransportServiceSettings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    /** The schedule of a Mailbox server with Exchange's defaults. */
    public static RetrySchedule defaults() {
        return new RetrySchedule(TransportServiceSettings.DEFAULT);
    }

    public TransportServiceSettings settings() {
        return settings;
    }

    /**
     * How long a queue waits after its {@code failures}-th consecutive connection failure.
     *
     * @param failures consecutive failed connection attempts so far, counting the one just failed (1-based)
     */
    public Duration connectionRetryInterval(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures counts from 1, the failure just seen: " + failures);
        }
        return failures <= settings.transientFailureRetryCount()
            ? settings.transientFailureRetryInterval()
            : settings.outboundConnectionFailureRetryInterval();
    }

    /**
     * When a queue in Retry next tries to connect: Get-Queue's NextRetryTime.
     *
     * @param now      when failure number {@code failures} was seen
     * @param failures consecutive failed connection attempts, counting this one (1-based)
     */
    public Instant nextConnectionAttempt(Instant now, int failures) {
        return now.plus(connectionRetryInterval(failures));
    }

    /** When a message deferred by a 4xx reply on a working connection is tried again. */
    public Instant nextMessageAttempt(Instant now) {
        return now.plus(settings.messageRetryInterval());
    }

    /** When a message received at {@code receivedAt} expires: Get-Message's ExpirationTime. */
    public Instant expiresAt(Instant receivedAt) {
        return receivedAt.plus(settings.messageExpirationTimeout());
    }

    /** True from {@link #expiresAt} on: the message's pending recipients fail with an NDR. */
    public boolean isExpired(Instant receivedAt, Instant now) {
        return !now.isBefore(expiresAt(receivedAt));
    }

    /** When the delay DSN of a message received at {@code receivedAt} falls due. */
    public Instant delayNotificationAt(Instant receivedAt) {
        return receivedAt.plus(settings.delayNotificationTimeout());
    }

    /**
     * True when the delay DSN is to be generated now: DelayNotificationTimeout has passed since
     * receipt, none was sent yet, and the message has not expired (then the NDR replaces it).
     *
     * @param alreadySent whether this message's delay DSN was generated before
     */
    public boolean delayNotificationDue(Instant receivedAt, Instant now, boolean alreadySent) {
        return !alreadySent && !now.isBefore(delayNotificationAt(receivedAt)) && !isExpired(receivedAt, now);
    }
}
