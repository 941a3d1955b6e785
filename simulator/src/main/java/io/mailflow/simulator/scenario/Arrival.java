package io.mailflow.simulator.scenario;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Scenario: when a workload's sender has a new message to send (its {@code Arrival} section).
 * <ul>
 *   <li>{@code Constant}: evenly spaced, {@code RatePerMinute}.</li>
 *   <li>{@code Poisson}: exponential gaps at {@code RatePerMinute}.</li>
 *   <li>{@code Bursts}: Poisson at {@code RatePerMinute}, and at {@code BurstRatePerMinute} for
 *       {@code Length} every {@code Every}, starting at {@code FirstBurst} (default: {@code Every}).</li>
 *   <li>{@code Diurnal}: Poisson whose rate follows the day,
 *       {@code RatePerMinute × (1 + Amplitude × cos(2π (t − PeakAt) / 24 h))}; {@code RatePerMinute}
 *       is the day's mean, {@code Amplitude} 0-1 (0.8), {@code PeakAt} the time of day of the peak
 *       ({@code "14:00:00"}).</li>
 * </ul>
 * Time-varying rates are drawn by thinning (Lewis and Shedler): candidates at the peak rate, each
 * kept with probability rate(t) / peak.
 * <ul>
 *   <li>{@code Trace}: no draw at all: the arrival times listed in {@code File}, one a line, as
 *       {@link TraceFile} reads them (a recorded log, or the load a real run used). Deterministic.</li>
 * </ul>
 */
public sealed interface Arrival {
    long MINUTE = 60_000_000_000L;
    long DAY = 24 * 60 * MINUTE;

    /** The time of the next arrival after {@code now} (nanoseconds since the start). */
    long next(long now, RandomGenerator random);

    /** Mean messages per minute over a day, for reports. */
    double meanRatePerMinute();

    /**
     * The arrival times after {@code from}, one by one. Drawn processes draw each from the one
     * before ({@link #next}); a trace walks its list, so arrivals at the same instant all count.
     */
    default Cursor cursor(long from, RandomGenerator random) {
        return new Cursor() {
            private long now = from;

            public long next() {
                now = Arrival.this.next(now, random);
                return now;
            }
        };
    }

    /** The next arrival time each call; {@link Long#MAX_VALUE} when there are no more. */
    interface Cursor {
        long next();
    }

    /**
     * {@code Trace}: the arrival offsets (nanoseconds since the start, in order, equal ones
     * allowed) read from {@code file} for one workload.
     */
    record Trace(String file, long[] offsets) implements Arrival {
        public Trace {
            offsets = offsets.clone();
        }

        /** The first offset after {@code now} (a trace does not draw; the Sender walks {@link #cursor}). */
        public long next(long now, RandomGenerator random) {
            int i = java.util.Arrays.binarySearch(offsets, now + 1);
            int at = i >= 0 ? i : -i - 1;
            while (at > 0 && offsets[at - 1] > now) {
                at--;
            }
            return at < offsets.length ? offsets[at] : Long.MAX_VALUE;
        }

        @Override
        public Cursor cursor(long from, RandomGenerator random) {
            return new Cursor() {
                private int index = firstAtOrAfter(from);

                public long next() {
                    return index < offsets.length ? offsets[index++] : Long.MAX_VALUE;
                }
            };
        }

        private int firstAtOrAfter(long t) {
            int at = 0;
            while (at < offsets.length && offsets[at] < t) {
                at++;
            }
            return at;
        }

        /** A copy: the trace is immutable. */
        @Override
        public long[] offsets() {
            return offsets.clone();
        }

        public int count() {
            return offsets.length;
        }

        /** Over the span of the trace (first to last arrival); 0 for fewer than two. */
        public double meanRatePerMinute() {
            if (offsets.length < 2 || offsets[offsets.length - 1] == offsets[0]) {
                return 0;
            }
            return (offsets.length - 1) * (double) MINUTE / (offsets[offsets.length - 1] - offsets[0]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Trace t && t.file.equals(file) && java.util.Arrays.equals(t.offsets, offsets);
        }

        @Override
        public int hashCode() {
            return file.hashCode() * 31 + java.util.Arrays.hashCode(offsets);
        }

        @Override
        public String toString() {
            return "Trace[" + file + ", " + offsets.length + " arrivals]";
        }
    }

    record Constant(double ratePerMinute) implements Arrival {
        public long next(long now, RandomGenerator random) {
            return now + Math.max(1, (long) (MINUTE / ratePerMinute));
        }

        public double meanRatePerMinute() {
            return ratePerMinute;
        }
    }

    record Poisson(double ratePerMinute) implements Arrival {
        public long next(long now, RandomGenerator random) {
            return now + exponentialGap(ratePerMinute, random);
        }

        public double meanRatePerMinute() {
            return ratePerMinute;
        }
    }

    record Bursts(double ratePerMinute, double burstRatePerMinute, Duration every, Duration length,
                  Duration firstBurst) implements Arrival {
        public long next(long now, RandomGenerator random) {
            double peak = Math.max(ratePerMinute, burstRatePerMinute);
            long t = now;
            while (true) {
                t += exponentialGap(peak, random);
                if (random.nextDouble() * peak <= rate(t)) {
                    return t;
                }
            }
        }

        double rate(long t) {
            long first = firstBurst.toNanos();
            if (t >= first) {
                long into = (t - first) % every.toNanos();
                if (into < length.toNanos()) {
                    return burstRatePerMinute;
                }
            }
            return ratePerMinute;
        }

        public double meanRatePerMinute() {
            double share = Math.min(1.0, (double) length.toNanos() / every.toNanos());
            return ratePerMinute * (1 - share) + burstRatePerMinute * share;
        }
    }

    record Diurnal(double ratePerMinute, double amplitude, Duration peakAt) implements Arrival {
        public long next(long now, RandomGenerator random) {
            double peak = ratePerMinute * (1 + amplitude);
            long t = now;
            while (true) {
                t += exponentialGap(peak, random);
                double phase = 2 * Math.PI * ((t - peakAt.toNanos()) % DAY) / DAY;
                if (random.nextDouble() * peak <= ratePerMinute * (1 + amplitude * Math.cos(phase))) {
                    return t;
                }
            }
        }

        public double meanRatePerMinute() {
            return ratePerMinute;
        }
    }

    private static long exponentialGap(double ratePerMinute, RandomGenerator random) {
        return Math.max(1, (long) (-Math.log(1.0 - random.nextDouble()) * MINUTE / ratePerMinute));
    }
}
