package io.mailflow.core.time;

import java.time.Instant;

/** The wall clock, for the relay only. */
public final class SystemClock implements Clock {
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public Instant now() {
        return Instant.now();
    }
}
