package io.mailflow.server.cli;

import io.mailflow.core.organization.ConfigProblem;
import io.mailflow.core.organization.OrganizationConfigException;
import io.mailflow.simulator.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code mailflow simulate}: runs a scenario (an organization in the relay's format plus
 * workloads and faults) on the simulator's virtual clock, optionally beside a second one
 * ({@code --vs}), and writes report.json and report.html. The work is the simulator module's;
 * this is its command line.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Answer a what-if about a topology and a load: run a scenario under virtual time and write "
        + "report.json and report.html.")
public final class SimulateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (HOCON)")
    Path scenario;

    @Option(names = "--vs", paramLabel = "OTHER", description = "A second scenario, run and shown side by side")
    Path vs;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenarios' Simulation.Seed")
    Long seed;

    @Option(names = "--arrivals", paramLabel = "FILE",
        description = "Replace every workload's Arrival with this trace: one arrival a line, seconds since the start "
            + "(12.345) or PT12.345S, then optionally ,workload name (scenarios/README.md, Trace)")
    Path arrivals;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "simulation",
        description = "Where report.json and report.html go (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        try {
            Simulator.Outcome o = Simulator.run(scenario, vs, seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                arrivals, out, System.out);
            System.out.println("Wrote " + o.json() + " and " + o.html());
            return 0;
        } catch (OrganizationConfigException e) {
            for (ConfigProblem p : e.problems()) {
                System.err.println(p.render());
            }
            return 2;
        }
    }
}
