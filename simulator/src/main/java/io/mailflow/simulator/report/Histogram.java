package io.mailflow.simulator.report;

/**
 * Simulator report: a latency histogram for figures recorded once per message (end of data → 250),
 * where keeping every value as {@link LongList} does would cost too much on a day of millions of
 * messages. Values below 128 ns are exact; above, each power of two is cut into 64 buckets, so a
 * percentile is within 1.6 % (it reports the bucket's upper bound, capped at the largest value
 * seen). Integer arithmetic only, so equal runs give equal figures on every machine.
 */
public final class Histogram {
    private static final int SUB = 64;
    private final long[] counts = new long[128 + 57 * SUB];
    private long count;
    private long max;
    private double sum;

    public void add(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v > max) {
            max = v;
        }
    }

    public void addAll(Histogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    public long max() {
        return max;
    }

    public double meanNanos() {
        return count == 0 ? 0 : sum / count;
    }

    /** Nearest-rank percentile; 0 when empty. */
    public long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    static int index(long v) {
        if (v < 128) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - 6;
        long sub = v >>> shift;
        return 128 + (shift - 1) * SUB + (int) (sub - SUB);
    }

    static long upperBound(int index) {
        if (index < 128) {
            return index;
        }
        int shift = (index - 128) / SUB + 1;
        long sub = (index - 128) % SUB + SUB;
        return ((sub + 1) << shift) - 1;
    }
}
