package io.mailflow.simulator.kernel;

import io.mailflow.core.time.Clock;

import java.time.Duration;
import java.time.Instant;

/**
 * Simulator kernel: the virtual clock every decision class reads during a simulation (core's
 * {@link Clock}, as the relay injects the wall clock). Time is a count of nanoseconds since the
 * simulation's start; only the {@link Kernel} moves it, forward, when it takes the next event.
 * Single-threaded by design, so it needs none of ManualClock's synchronisation.
 */
public final class VirtualClock implements Clock {
    /** Every simulation starts at this instant, so reports and banners are the same on every run. */
    public static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");
    private static final long EPOCH_MILLIS = EPOCH.toEpochMilli();

    private long nanos;

    @Override
    public Instant now() {
        return EPOCH.plusNanos(nanos);
    }

    @Override
    public long millis() {
        return EPOCH_MILLIS + nanos / 1_000_000;
    }

    /** Nanoseconds since the start of the simulation. */
    public long nanos() {
        return nanos;
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    void advanceTo(long to) {
        if (to < nanos) {
            throw new IllegalStateException("time never runs backwards: " + to + " < " + nanos);
        }
        nanos = to;
    }
}
