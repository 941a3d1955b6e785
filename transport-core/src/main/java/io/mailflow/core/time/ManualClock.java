package io.mailflow.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A clock that moves only when told: unit tests and the simulator's virtual time. */
public final class ManualClock implements Clock {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start);
    }

    public static ManualClock atEpoch() {
        return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public Instant now() {
        return now;
    }

    public synchronized void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time never runs backwards: " + by);
        }
        now = now.plus(by);
    }

    public synchronized void set(Instant to) {
        if (to.isBefore(now)) {
            throw new IllegalArgumentException("time never runs backwards: " + to + " < " + now);
        }
        now = to;
    }
}
