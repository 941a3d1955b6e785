package io.mailflow.core.time;

import java.time.Instant;

/**
 * The one source of time for every decision in Mailflow (DESIGN.md "Time, limits and fairness").
 * The relay injects {@link SystemClock}; tests and the simulator inject {@link ManualClock}, so a
 * tarpit, a timeout or a retry schedule never reads the wall clock on its own.
 */
public interface Clock {
    Instant now();

    default long millis() {
        return now().toEpochMilli();
    }
}
