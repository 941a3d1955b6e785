package io.mailflow.simulator.report;

import java.util.Arrays;

/**
 * Simulator report: a growable list of longs (latencies in nanoseconds), kept whole so its
 * percentiles are exact (nearest rank) rather than bucketed.
 */
public final class LongList {
    private long[] values = new long[256];
    private int size;

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    public int size() {
        return size;
    }

    public long[] sorted() {
        long[] s = Arrays.copyOf(values, size);
        Arrays.sort(s);
        return s;
    }

    /** Nearest-rank percentile of sorted values; 0 when empty. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
