package io.mailflow.frontend.admission;

import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.logging.TransportEvents;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Receive connector, at each MAIL FROM: may this source submit one more message? One instance per
 * receive connector, shared by its sessions; thread-safe. If not, the session answers
 * {@code 421 4.4.2 Message submission rate for this client has exceeded the configured limit},
 * writes event 1031 and drops the connection, as Exchange does.
 * Reads: MessageRateLimit (messages per minute), MessageRateSource (exchange.md §1.1).
 *
 * <p>One token bucket per key, refilling continuously at MessageRateLimit / 60 per second up to a
 * burst of MessageRateLimit, from the injected {@link Clock}. Tokens are kept in whole integer
 * units (1 message = 60,000 units, refill = MessageRateLimit units per millisecond), so no rounding
 * drifts however long a bucket lives. Keys by MessageRateSource:
 * <ul>
 * <li>{@code IPAddress}: the client IP.</li>
 * <li>{@code User}: the authenticated user, else the MAIL FROM address (case-insensitive). A session
 *     with neither (the null sender {@code <>}) is keyed by its IP instead: bounces from many
 *     sources must not share one bucket, and a spammer must not escape the limit by sending
 *     {@code MAIL FROM:<>}.</li>
 * <li>{@code All}: both keys; a message is accepted only if both buckets have a token, and then
 *     takes one from each.</li>
 * <li>{@code None}, or MessageRateLimit unlimited: no limit, no state.</li>
 * </ul>
 * A refused message takes no token.
 *
 * <p>Memory stays bounded under an attack from many addresses: a bucket left alone for a minute
 * has refilled completely and is indistinguishable from a new one, so it is dropped (buckets are
 * kept in least-recently-used order and dropped from the old end on every call). Beyond
 * {@code maxTrackedKeys} live buckets the least recently used one is dropped even if not yet full,
 * which at worst hands that key a fresh burst.
 */
public final class MessageRateLimiter {

    /** Exchange's MessageRateSource values. */
    public enum MessageRateSource {
        None, IPAddress, User, All;

        /** Exchange's spelling, any case. */
        public static MessageRateSource parse(String text) {
            for (MessageRateSource s : values()) {
                if (s.name().equalsIgnoreCase(text.strip())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("MessageRateSource is None, IPAddress, User or All, not '" + text + "'");
        }
    }

    /** The answer to one message submission. */
    public sealed interface Decision permits Accepted, Refused {
    }

    /** The message may proceed. */
    public record Accepted() implements Decision {
        static final Accepted INSTANCE = new Accepted();
    }

    /** Answer {@code reply}, write {@code event}, drop the connection. */
    public record Refused(SmtpReply reply, TransportEvent event, String reason) implements Decision {
        public Refused {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Buckets kept at most, across IP and user keys together, before the least recently used is dropped. */
    public static final int DEFAULT_MAX_TRACKED_KEYS = 100_000;

    private static final long MINUTE_MILLIS = 60_000;
    /** Units per message: one minute in milliseconds, so refill is {@code limit} units per millisecond. */
    private static final long UNITS_PER_MESSAGE = MINUTE_MILLIS;

    private static final class Bucket {
        long units;
        long lastMillis;
    }

    private final int limit;
    private final MessageRateSource source;
    private final Clock clock;
    private final int maxTrackedKeys;
    /** Keys prefixed "ip:" or "user:"; access-ordered, so the eldest is the least recently used. Guarded by this. */
    private final LinkedHashMap<String, Bucket> buckets;

    public MessageRateLimiter(Unlimited messageRateLimit, MessageRateSource source, Clock clock) {
        this(messageRateLimit, source, clock, DEFAULT_MAX_TRACKED_KEYS);
    }

    public MessageRateLimiter(Unlimited messageRateLimit, MessageRateSource source, Clock clock, int maxTrackedKeys) {
        Objects.requireNonNull(messageRateLimit, "messageRateLimit");
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!messageRateLimit.isUnlimited()
            && (messageRateLimit.orElse(0) < 1 || messageRateLimit.orElse(0) > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("MessageRateLimit is 1-2147483647 or unlimited, not " + messageRateLimit);
        }
        if (maxTrackedKeys < 2) {
            throw new IllegalArgumentException("maxTrackedKeys must leave room for an IP and a user key");
        }
        this.limit = messageRateLimit.isUnlimited() || source == MessageRateSource.None
            ? 0 : (int) messageRateLimit.orElse(0);
        this.maxTrackedKeys = maxTrackedKeys;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > MessageRateLimiter.this.maxTrackedKeys;
            }
        };
    }

    /** The connector's MessageRateLimit and MessageRateSource. */
    public static MessageRateLimiter forConnector(ReceiveConnector connector, Clock clock) {
        return new MessageRateLimiter(connector.messageRateLimit(),
            MessageRateSource.parse(connector.messageRateSource()), clock);
    }

    /**
     * Takes one message from the source's bucket(s), or refuses.
     *
     * @param ip   the client IP, as the logs print it
     * @param user the authenticated user, else the MAIL FROM address; null or empty for none
     */
    public synchronized Decision tryAcquire(String ip, String user) {
        Objects.requireNonNull(ip, "ip");
        if (limit == 0) {
            return Accepted.INSTANCE;
        }
        long now = clock.millis();
        evictRefilled(now);
        boolean hasUser = user != null && !user.isBlank();
        String userKey = hasUser ? "user:" + user.strip().toLowerCase(Locale.ROOT) : "ip:" + ip;
        String ipKey = "ip:" + ip;
        Bucket first;
        Bucket second = null;
        switch (source) {
            case IPAddress -> first = refilled(ipKey, now);
            case User -> first = refilled(userKey, now);
            case All -> {
                first = refilled(ipKey, now);
                second = userKey.equals(ipKey) ? null : refilled(userKey, now);
            }
            default -> throw new IllegalStateException("no buckets for " + source);
        }
        boolean firstShort = first.units < UNITS_PER_MESSAGE;
        if (firstShort || (second != null && second.units < UNITS_PER_MESSAGE)) {
            String key = firstShort ? (source == MessageRateSource.User ? userKey : ipKey) : userKey;
            return new Refused(SmtpReplies.MESSAGE_RATE_EXCEEDED,
                TransportEvents.messageRateLimitExceeded(hasUser ? user.strip() : "", ip, limit),
                "MessageRateLimit " + limit + " per minute (" + source + ") exceeded by " + key);
        }
        first.units -= UNITS_PER_MESSAGE;
        if (second != null) {
            second.units -= UNITS_PER_MESSAGE;
        }
        return Accepted.INSTANCE;
    }

    /** Buckets held now (IP and user keys together). */
    public synchronized int trackedKeys() {
        return buckets.size();
    }

    /** The bucket for {@code key}, created full, brought up to {@code now}. */
    private Bucket refilled(String key, long now) {
        Bucket b = buckets.get(key);
        long capacity = (long) limit * UNITS_PER_MESSAGE;
        if (b == null) {
            b = new Bucket();
            b.units = capacity;
            b.lastMillis = now;
            buckets.put(key, b);
            return b;
        }
        // A clock stepping back refills nothing; a full minute or more refills everything, and
        // capping there keeps elapsed × limit far from overflow.
        long elapsed = Math.min(Math.max(0, now - b.lastMillis), MINUTE_MILLIS);
        b.units = Math.min(capacity, b.units + elapsed * limit);
        b.lastMillis = Math.max(b.lastMillis, now);
        return b;
    }

    /** Drops buckets untouched for a minute: they are full again, as a new one would be. */
    private void evictRefilled(long now) {
        Iterator<Bucket> it = buckets.values().iterator();
        while (it.hasNext()) {
            Bucket b = it.next();
            if (now - b.lastMillis < MINUTE_MILLIS) {
                // Access order: everything after this one was used more recently.
                return;
            }
            it.remove();
        }
    }
}
