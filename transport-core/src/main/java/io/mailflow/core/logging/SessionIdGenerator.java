package io.mailflow.core.logging;

import io.mailflow.core.time.Clock;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SMTP protocol log: the session-id column. Exchange's ids are 16 upper-case hex digits that
 * count up from the .NET tick count (100 ns since 0001-01-01) when the service started, e.g.
 * {@code 08D675E58CA1DA38}; Mailflow does the same from the injected Clock, so ids are unique
 * within a run and, unless more than ten million sessions a second were opened, across restarts.
 */
public final class SessionIdGenerator {
    /** Seconds from 0001-01-01T00:00:00Z to 1970-01-01T00:00:00Z. */
    private static final long DOTNET_EPOCH_OFFSET_SECONDS = 62_135_596_800L;

    private final AtomicLong next;

    public SessionIdGenerator(Clock clock) {
        this.next = new AtomicLong(ticks(clock.now()));
    }

    /** The next id: 16 upper-case hex digits. */
    public String next() {
        return format(next.getAndIncrement());
    }

    static long ticks(Instant at) {
        return (at.getEpochSecond() + DOTNET_EPOCH_OFFSET_SECONDS) * 10_000_000L + at.getNano() / 100;
    }

    static String format(long id) {
        String hex = Long.toHexString(id).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(Math.max(0, 16 - hex.length())) + hex;
    }
}
