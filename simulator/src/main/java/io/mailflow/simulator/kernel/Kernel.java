package io.mailflow.simulator.kernel;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Simulator kernel: a single-threaded discrete-event loop over virtual time (DESIGN.md: the
 * simulator is a second shell over the relay's decision classes). Events wait in a binary heap
 * ordered by time, then by the order they were scheduled, so two events at the same instant run
 * in a fixed order and a run is reproducible. Nothing here sleeps or reads the wall clock; the
 * only wall-clock reading in the simulator is the optional progress callback's events/s, which
 * never influences a decision.
 *
 * <p>Events marked as background (periodic metering and sampling) do not keep the simulation
 * alive: {@link #run} stops at the horizon, or earlier once only background events remain and
 * the caller's {@code until} has passed.
 */
public final class Kernel {
    private final VirtualClock clock = new VirtualClock();
    private long[] times = new long[1024];
    private long[] seqs = new long[1024];
    private Runnable[] actions = new Runnable[1024];
    private boolean[] background = new boolean[1024];
    private int size;
    private long nextSeq;
    private int foreground;
    private long executed;

    public VirtualClock clock() {
        return clock;
    }

    /** Nanoseconds since the start. */
    public long now() {
        return clock.nanos();
    }

    public long eventsExecuted() {
        return executed;
    }

    public int pending() {
        return size;
    }

    /** Runs {@code action} {@code delayNanos} from now (0: after the events already due now). */
    public void schedule(long delayNanos, Runnable action) {
        at(clock.nanos() + Math.max(0, delayNanos), action, false);
    }

    public void schedule(Duration delay, Runnable action) {
        schedule(delay.toNanos(), action);
    }

    /** A background event: it runs, but does not keep the simulation going by itself. */
    public void scheduleBackground(long delayNanos, Runnable action) {
        at(clock.nanos() + Math.max(0, delayNanos), action, true);
    }

    /** Runs {@code action} at {@code timeNanos} since the start, or now if that has passed. */
    public void scheduleAt(long timeNanos, Runnable action) {
        at(Math.max(timeNanos, clock.nanos()), action, false);
    }

    private void at(long time, Runnable action, boolean bg) {
        if (size == times.length) {
            int n = size * 2;
            times = Arrays.copyOf(times, n);
            seqs = Arrays.copyOf(seqs, n);
            actions = Arrays.copyOf(actions, n);
            background = Arrays.copyOf(background, n);
        }
        if (!bg) {
            foreground++;
        }
        long seq = nextSeq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(time, seq, times[parent], seqs[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        times[i] = time;
        seqs[i] = seq;
        actions[i] = action;
        background[i] = bg;
    }

    /**
     * Runs events in order until none is left, the next one lies beyond {@code horizonNanos}, or
     * only background events remain after {@code quietAfterNanos}.
     *
     * @param progress called every {@code progressEvery} events with the current virtual time; may be null
     */
    public void run(long horizonNanos, long quietAfterNanos, long progressEvery, LongConsumer progress) {
        while (size > 0) {
            if (foreground == 0 && clock.nanos() >= quietAfterNanos) {
                return;
            }
            long t = times[0];
            if (t > horizonNanos) {
                clock.advanceTo(horizonNanos);
                return;
            }
            Runnable action = actions[0];
            if (!background[0]) {
                foreground--;
            }
            removeTop();
            clock.advanceTo(t);
            action.run();
            executed++;
            if (progress != null && executed % progressEvery == 0) {
                progress.accept(t);
            }
        }
    }

    private void removeTop() {
        int last = --size;
        long t = times[last];
        long s = seqs[last];
        Runnable a = actions[last];
        boolean b = background[last];
        actions[last] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(times[right], seqs[right], times[child], seqs[child])) {
                child = right;
            }
            if (!less(times[child], seqs[child], t, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        if (size > 0) {
            times[i] = t;
            seqs[i] = s;
            actions[i] = a;
            background[i] = b;
        }
    }

    private void move(int from, int to) {
        times[to] = times[from];
        seqs[to] = seqs[from];
        actions[to] = actions[from];
        background[to] = background[from];
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
