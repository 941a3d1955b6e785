package io.mailflow.simulator.model;

import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.WorkloadStats;
import io.mailflow.simulator.scenario.Scenario;
import io.mailflow.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A trace of N arrivals: exactly N messages reach the sender, at exactly the listed virtual times. */
class TraceReplayTest {
    @TempDir
    Path dir;

    @Test
    void aTraceOfNArrivalsSubmitsExactlyThoseMessagesAtThoseTimes() throws IOException {
        // Equal offsets, a burst within one millisecond, gaps longer than IdleTimeout, one nanosecond before Stop.
        long[] offsets = {0, 1_000_000, 1_000_000, 1_000_000, 1_000_001, 1_500_000, 2_000_000_000L, 2_000_000_000L,
            59_123_456_789L, 119_999_999_999L};
        StringBuilder text = new StringBuilder("# replayed\n");
        for (long o : offsets) {
            text.append(new java.math.BigDecimal(o).movePointLeft(9).toPlainString()).append('\n');
        }
        Files.writeString(dir.resolve("arrivals.csv"), text.toString());
        Files.writeString(dir.resolve("replay.conf"), """
            Organization { Name = "Replay" }
            AcceptedDomains = [ { DomainName = "contoso.test", DomainType = Authoritative } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
            Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01 } ]
            ReceiveConnectors {
              Connectors = [ { Name = "Default Frontend EX01", Server = EX01, MaxInboundConnectionPerSource = 2 } ]
            }
            Simulation { Duration = "00:02:00", Drain = "00:05:00", Seed = 11 }
            Workloads = [ { Name = Gateway, SourceIp = "198.51.100.7", Connector = "Default Frontend EX01",
                            Connections = 4, MessagesPerConnection = 3, RoundTrip = "00:00:00.050",
                            Arrival = { Type = Trace, File = "arrivals.csv" },
                            OnRefusal = { Action = RetryAfter, Delay = "00:00:01" } } ]
            """);
        Scenario scenario = ScenarioLoader.load(dir.resolve("replay.conf"));
        for (long seed : new long[] {1, 2}) {
            Simulation sim = new Simulation(scenario, seed);
            List<Long> seen = new ArrayList<>();
            sim.arrivalObserver = seen::add;
            RunResult r = sim.run(null);
            List<Long> expected = new ArrayList<>();
            for (long o : offsets) {
                expected.add(o);
            }
            assertEquals(expected, seen, "seed " + seed);
            WorkloadStats w = r.workloads().get(0);
            assertEquals(offsets.length, w.messagesSubmitted);
            assertEquals(offsets.length, w.messagesAcknowledged);
            assertEquals(offsets.length, w.messagesDelivered);
        }
    }
}
