package io.mailflow.simulator;

import io.mailflow.core.params.TimeSpan;
import io.mailflow.simulator.model.Simulation;
import io.mailflow.simulator.report.Html;
import io.mailflow.simulator.report.Report;
import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.Summary;
import io.mailflow.simulator.scenario.Scenario;
import io.mailflow.simulator.scenario.ScenarioLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The simulator's front door ({@code mailflow simulate}): loads one scenario, or two with
 * {@code --vs}, runs each on its own virtual clock and writes {@code report.json} and
 * {@code report.html} into the output directory. On long runs it prints a progress line with the
 * simulated time and events per wall-clock second; that wall-clock reading (System.nanoTime) is
 * the only one in the simulator, and it never reaches a decision or the report files.
 */
public final class Simulator {
    private Simulator() {
    }

    /** What a run did, with its wall-clock cost (printed, never written into the report). */
    public record Outcome(List<RunResult> runs, Path json, Path html, double wallSeconds) {
    }

    public static Outcome run(Path scenario, Path vs, OptionalLong seed, Path out, PrintStream console)
        throws IOException {
        return run(scenario, vs, seed, null, out, console);
    }

    /**
     * As {@link #run(Path, Path, OptionalLong, Path, PrintStream)}; with {@code arrivals}, every
     * workload of both scenarios takes its arrivals from that trace instead of its Arrival
     * ({@link ScenarioLoader#withArrivals}), so two runs, or a run and a real one, see the same messages.
     */
    public static Outcome run(Path scenario, Path vs, OptionalLong seed, Path arrivals, Path out, PrintStream console)
        throws IOException {
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(ScenarioLoader.load(scenario));
        if (vs != null) {
            scenarios.add(ScenarioLoader.load(vs));
        }
        if (arrivals != null) {
            scenarios.replaceAll(s -> ScenarioLoader.withArrivals(s, arrivals));
        }
        long started = System.nanoTime();
        List<RunResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            long runSeed = seed.isPresent() ? seed.getAsLong() : s.seed();
            results.add(run(s, runSeed, console));
        }
        double wall = (System.nanoTime() - started) / 1e9;
        Files.createDirectories(out);
        Path json = out.resolve("report.json");
        Path html = out.resolve("report.html");
        Files.writeString(json, Report.json(results), StandardCharsets.UTF_8);
        Files.writeString(html, Html.page(results), StandardCharsets.UTF_8);
        return new Outcome(results, json, html, wall);
    }

    /** One scenario on one seed, with a progress line every few seconds of wall time on long runs. */
    public static RunResult run(Scenario scenario, long seed, PrintStream console) {
        Simulation sim = new Simulation(scenario, seed);
        long started = System.nanoTime();
        long[] last = {started, started};
        RunResult r = sim.run(virtual -> {
            if (console == null) {
                return;
            }
            long now = System.nanoTime();
            if (now - last[0] >= 2_000_000_000L) {
                console.printf(Locale.ROOT, "  %s: simulated %s, %,.0f events/s%n", scenario.name(),
                    TimeSpan.format(Duration.ofNanos(virtual).withNanos(0)), 1_000_000 * 1e9 / Math.max(1, now - last[1]));
                last[0] = now;
            }
            last[1] = now;
        });
        if (console != null) {
            double wall = (System.nanoTime() - started) / 1e9;
            Summary total = Summary.total(r.workloads());
            console.printf(Locale.ROOT, "%s (seed %d): %s simulated in %.1f s wall, %,d events (%,.0f events/s), "
                    + "%,d messages acknowledged (%,.0f simulated messages per wall second)%n",
                scenario.name(), seed, TimeSpan.format(Duration.ofNanos(r.simulatedNanos()).withNanos(0)), wall,
                r.events(), r.events() / Math.max(1e-9, wall), total.messagesAcknowledged(),
                total.messagesAcknowledged() / Math.max(1e-9, wall));
        }
        return r;
    }
}
