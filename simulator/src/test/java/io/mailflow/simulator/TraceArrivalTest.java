package io.mailflow.simulator;

import io.mailflow.core.organization.ConfigProblem;
import io.mailflow.core.organization.OrganizationConfigException;
import io.mailflow.simulator.scenario.Arrival;
import io.mailflow.simulator.scenario.Scenario;
import io.mailflow.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Trace arrival process: loading its file (relative to the scenario), its problems, and --arrivals. */
class TraceArrivalTest {
    @TempDir
    Path dir;

    static final String ORGANIZATION = """
        Organization { Name = "Trace" }
        AcceptedDomains = [ { DomainName = "contoso.test", DomainType = Authoritative } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01 } ]
        ReceiveConnectors {
          Connectors = [ { Name = "Default Frontend EX01", Server = EX01 } ]
        }
        Simulation { Duration = "00:10:00", Drain = "00:10:00", Seed = 5 }
        """;

    static String workload(String name, String arrival) {
        return "{ Name = \"" + name + "\", SourceIp = \"198.51.100.7\", Connector = \"Default Frontend EX01\",\n"
            + "  Arrival = " + arrival + " }";
    }

    /** The scenario file, in {@code dir}, with these workloads (one a line, from line 11 on). */
    Path scenario(String... workloads) throws IOException {
        Path file = dir.resolve("trace.conf");
        Files.writeString(file, ORGANIZATION + "Workloads = [\n" + String.join(",\n", workloads) + "\n]\n");
        return file;
    }

    Path trace(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    static long s(double seconds) {
        return Math.round(seconds * 1e9);
    }

    List<String> problems(Path scenario) {
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class,
            () -> ScenarioLoader.load(scenario));
        return e.problems().stream().map(ConfigProblem::render).toList();
    }

    @Test
    void offsetsLoadInOrderRelativeToTheScenarioFile() throws IOException {
        trace("traces/arrivals.csv", """
            # offset (s)
            0.125

            0.125
            1.5,Gateway
            PT2M3.000000007S
            600
            """.replace("600\n", "599.999999999\n"));
        Scenario sc = ScenarioLoader.load(scenario(workload("Gateway", "{ Type = Trace, File = \"traces/arrivals.csv\" }")));
        Arrival.Trace t = assertInstanceOf(Arrival.Trace.class, sc.workloads().get(0).arrival());
        long[] expected = {s(0.125), s(0.125), s(1.5), 123_000_000_007L, 599_999_999_999L};
        Arrival.Cursor c = t.cursor(0, new SplittableRandom(1));
        for (long e : expected) {
            assertEquals(e, c.next());
        }
        assertEquals(Long.MAX_VALUE, c.next());
        assertEquals(5, t.count());
        assertEquals(s(1.5), t.next(s(0.125), new SplittableRandom(1)));
    }

    @Test
    void badLinesAreReportedWithTheTraceFileAndLine() throws IOException {
        trace("arrivals.csv", "1.0\n-2\n0.5\nabc,Gateway\n601\n2.0\n");
        assertEquals(List.of(
                "arrivals.csv:2: Arrival: '-2' is not an arrival offset: seconds since the start such as 12.345, or PT12.345S",
                "arrivals.csv:4: Arrival: 'abc' is not an arrival offset: seconds since the start such as 12.345, or PT12.345S",
                "arrivals.csv:3: Arrival: offset 0.5 s is before the one above it (1 s): a trace lists arrivals in order",
                "arrivals.csv:5: Arrival: offset 601 s is outside the Start-Stop of workload 'Gateway' (0 s to 600 s)"),
            problems(scenario(workload("Gateway", "{ Type = Trace, File = \"arrivals.csv\" }"))));
    }

    @Test
    void anEmptyOrMissingTraceIsAProblemAtTheScenariosFileKey() throws IOException {
        trace("empty.csv", "# nothing yet\n\n");
        assertEquals(List.of("trace.conf:12: Arrival.File: the trace empty.csv has no arrivals for workload 'Gateway'"),
            problems(scenario(workload("Gateway", "{ Type = Trace, File = \"empty.csv\" }"))));
        List<String> missing = problems(scenario(workload("Gateway", "{ Type = Trace, File = \"gone.csv\" }")));
        assertEquals(1, missing.size());
        assertEquals(true, missing.get(0).startsWith("trace.conf:12: Arrival.File: cannot read the trace "), missing.get(0));
        assertEquals(List.of(
                "trace.conf:12: Arrival.RatePerMinute: does not apply to a Trace arrival (its File gives every arrival)",
                "trace.conf:12: Arrival.File: is required"),
            problems(scenario(workload("Gateway", "{ Type = Trace, RatePerMinute = 5 }"))));
    }

    @Test
    void severalWorkloadsShareOneTraceByName() throws IOException {
        trace("two.csv", "0.5,A\n0.7,\"B\"\n0.9,A\n");
        Scenario sc = ScenarioLoader.load(scenario(workload("A", "{ Type = Trace, File = \"two.csv\" }"),
            workload("B", "{ Type = Trace, File = \"two.csv\" }")));
        assertEquals(2, ((Arrival.Trace) sc.workloads().get(0).arrival()).count());
        assertEquals(1, ((Arrival.Trace) sc.workloads().get(1).arrival()).count());

        trace("two.csv", "0.5,A\n0.7\n0.9,C\n");
        assertEquals(List.of(
                "two.csv:3: Arrival: no workload 'C' reads this trace; it is read by: A, B",
                "two.csv:2: Arrival: a line without a workload name, but 2 workloads read this trace (A, B): "
                    + "name the workload after the offset, as 12.345,Name"),
            problems(scenario(workload("A", "{ Type = Trace, File = \"two.csv\" }"),
                workload("B", "{ Type = Trace, File = \"two.csv\" }"))));
    }

    @Test
    void arrivalsOptionReplacesEveryWorkloadsArrival() throws IOException {
        Path trace = trace("recorded.csv", "0.25\n0.25\n3\n");
        Scenario sc = ScenarioLoader.withArrivals(
            ScenarioLoader.load(scenario(workload("Gateway", "{ Type = Poisson, RatePerMinute = 600 }"))), trace);
        assertEquals(3, ((Arrival.Trace) sc.workloads().get(0).arrival()).count());

        Path bad = trace("bad.csv", "0.25\nsoon\n");
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class, () -> ScenarioLoader.withArrivals(
            ScenarioLoader.load(scenario(workload("Gateway", "{ Type = Poisson, RatePerMinute = 600 }"))), bad));
        assertEquals(List.of(bad + ":2: Arrival: 'soon' is not an arrival offset: seconds since the start such as "
            + "12.345, or PT12.345S"), e.problems().stream().map(ConfigProblem::render).toList());
    }
}
