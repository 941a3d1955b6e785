package io.mailflow.simulator.scenario;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Scenario: a service-time distribution (spool sync, categorizer, delivery), as a scenario's
 * {@code ServiceTimes} section gives it. Samples are nanoseconds of virtual time.
 * <ul>
 *   <li>{@code { Distribution = Constant, Value = "00:00:00.004" }}</li>
 *   <li>{@code { Distribution = Exponential, Mean = "00:00:00.002" }}</li>
 *   <li>{@code { Distribution = LogNormal, Median = "00:00:00.004", P99 = "00:00:00.014" }}: fitted
 *       to two measured percentiles, the way the relay's benchmark reports them.</li>
 * </ul>
 */
public sealed interface Distribution {

    long sampleNanos(RandomGenerator random);

    /** The mean in nanoseconds, for reports. */
    double meanNanos();

    /** How a report prints it. */
    String describe();

    record Constant(long nanos) implements Distribution {
        public long sampleNanos(RandomGenerator random) {
            return nanos;
        }

        public double meanNanos() {
            return nanos;
        }

        public String describe() {
            return "Constant " + Scenario.format(Duration.ofNanos(nanos));
        }
    }

    record Exponential(long meanNanos_) implements Distribution {
        public long sampleNanos(RandomGenerator random) {
            return (long) (-Math.log(1.0 - random.nextDouble()) * meanNanos_);
        }

        public double meanNanos() {
            return meanNanos_;
        }

        public String describe() {
            return "Exponential mean " + Scenario.format(Duration.ofNanos(meanNanos_));
        }
    }

    /** ln X ~ N(mu, sigma²), from its median and 99th percentile (z = 2.3263). */
    record LogNormal(long medianNanos, long p99Nanos) implements Distribution {
        private static final double Z99 = 2.326347874;

        public LogNormal {
            if (medianNanos <= 0 || p99Nanos < medianNanos) {
                throw new IllegalArgumentException("LogNormal needs 0 < Median <= P99");
            }
        }

        private double sigma() {
            return Math.log((double) p99Nanos / medianNanos) / Z99;
        }

        public long sampleNanos(RandomGenerator random) {
            return (long) (medianNanos * Math.exp(sigma() * random.nextGaussian()));
        }

        public double meanNanos() {
            double s = sigma();
            return medianNanos * Math.exp(s * s / 2);
        }

        public String describe() {
            return "LogNormal median " + Scenario.format(Duration.ofNanos(medianNanos)) + ", p99 "
                + Scenario.format(Duration.ofNanos(p99Nanos));
        }
    }
}
