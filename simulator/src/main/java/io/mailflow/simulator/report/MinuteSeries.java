package io.mailflow.simulator.report;

import java.util.Arrays;

/**
 * Simulator report: one figure per simulated minute (a count added up, or the highest level
 * reached), the unit of every timeline in report.json and report.html.
 */
public final class MinuteSeries {
    private static final long MINUTE = 60_000_000_000L;
    private long[] values = new long[64];
    private int length;

    /** Adds {@code delta} to the minute holding {@code nanos}. */
    public void add(long nanos, long delta) {
        int m = slot(nanos);
        values[m] += delta;
    }

    /** Raises the minute holding {@code nanos} to at least {@code level}. */
    public void max(long nanos, long level) {
        int m = slot(nanos);
        if (values[m] < level) {
            values[m] = level;
        }
    }

    private int slot(long nanos) {
        int m = (int) (nanos / MINUTE);
        if (m >= values.length) {
            values = Arrays.copyOf(values, Math.max(m + 1, values.length * 2));
        }
        if (m >= length) {
            length = m + 1;
        }
        return m;
    }

    /** The first {@code minutes} values, zero where nothing was recorded. */
    public long[] values(int minutes) {
        return Arrays.copyOf(values, minutes);
    }

    public long total() {
        long t = 0;
        for (int i = 0; i < length; i++) {
            t += values[i];
        }
        return t;
    }

    /** The highest value and the minute it was first reached; {-1, 0} when empty. */
    public long[] peak() {
        long best = 0;
        int at = -1;
        for (int i = 0; i < length; i++) {
            if (values[i] > best) {
                best = values[i];
                at = i;
            }
        }
        return new long[] {at, best};
    }
}
