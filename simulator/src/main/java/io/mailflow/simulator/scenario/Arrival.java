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
 */
public sealed interface Arrival {
    long MINUTE = 60_000_000_000L;
    long DAY = 24 * 60 * MINUTE;

    /** The time of the next arrival after {@code now} (nanoseconds since the start). */
    long next(long now, RandomGenerator random);

    /** Mean messages per minute over a day, for reports. */
    double meanRatePerMinute();

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
