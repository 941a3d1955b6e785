package io.mailflow.simulator.scenario;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.params.TimeSpan;
import io.mailflow.delivery.retry.TransportServiceSettings;

import java.time.Duration;
import java.util.List;

/**
 * Scenario: everything one simulation run needs, as {@link ScenarioLoader} reads it from HOCON —
 * the organization in the relay's own format and the server's TransportService settings, plus
 * the {@code Simulation}, {@code Workloads}, {@code Faults} and {@code ServiceTimes} sections.
 *
 * @param name     the file name, for reports
 * @param server   the server whose connectors and Transport service are simulated
 * @param duration how long the workloads generate messages
 * @param drain    how long the run may go on afterwards for queues to empty and clients to retry
 * @param warmUp   connection and latency figures count from here (validation runs start empty)
 */
public record Scenario(String name,
                       Organization organization,
                       TransportServiceSettings transportService,
                       String server,
                       Duration duration,
                       Duration drain,
                       Duration warmUp,
                       long seed,
                       List<Workload> workloads,
                       List<Fault> faults,
                       ServiceTimes serviceTimes) {

    public Scenario {
        workloads = List.copyOf(workloads);
        faults = List.copyOf(faults);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, organization, transportService, server, duration, drain, warmUp, newSeed,
            workloads, faults, serviceTimes);
    }

    public Scenario withWorkloads(List<Workload> newWorkloads) {
        return new Scenario(name, organization, transportService, server, duration, drain, warmUp, seed,
            newWorkloads, faults, serviceTimes);
    }

    /** Exchange's timespan form, with milliseconds when there are any. */
    public static String format(Duration d) {
        if (d.toNanos() > 0 && d.toMillis() == 0) {
            return String.format(java.util.Locale.ROOT, "%.3f ms", d.toNanos() / 1e6);
        }
        return TimeSpan.format(d);
    }
}
