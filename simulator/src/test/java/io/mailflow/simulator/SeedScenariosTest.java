package io.mailflow.simulator;

import io.mailflow.simulator.report.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped scenarios of scenarios/ (seed stories), shortened to ten simulated minutes: the
 * SpamTitan gateway of seed 000 is refused with the per-source reply at
 * MaxInboundConnectionPerSource 20 and never at 100; and a run is reproducible byte for byte.
 */
class SeedScenariosTest {
    private static final Path SCENARIOS = Path.of("..", "scenarios").toAbsolutePath().normalize();
    private static final String PER_SOURCE_REPLY = "421 4.3.2 The maximum number of concurrent server connections "
        + "has exceeded a per-source limit, closing transmission channel";

    /** A ten-minute version of a shipped scenario: includes it and shortens Duration and Drain. */
    static Path shortened(Path dir, String scenario) throws IOException {
        Path file = dir.resolve(scenario.replace('/', '-'));
        Files.writeString(file, "include file(\"" + SCENARIOS.resolve(scenario) + "\")\n"
            + "Simulation.Duration = \"00:10:00\"\nSimulation.Drain = \"00:05:00\"\n");
        return file;
    }

    @Test
    void gatewayIsRefusedPerSourceAt20AndNotAt100(@TempDir Path dir) throws IOException {
        Simulator.Outcome o = Simulator.run(shortened(dir, "000-gateway-per-source/per-source-20.conf"),
            shortened(dir, "000-gateway-per-source/per-source-100.conf"), OptionalLong.empty(), dir.resolve("out"), null);
        Summary at20 = Summary.of(o.runs().get(0).workloads().get(0));
        Summary at100 = Summary.of(o.runs().get(1).workloads().get(0));
        assertTrue(at20.refusedByReply().getOrDefault(PER_SOURCE_REPLY, 0L) > 0, at20.refusedByReply().toString());
        assertEquals(at20.connectionsRefused(), at20.refusedByReply().get(PER_SOURCE_REPLY));
        assertEquals(at20.connectionsRefused(), at20.refusedByLimit().get("MaxInboundConnectionPerSource 20"));
        assertTrue(at20.messagesDeferred() > 0);
        assertEquals(0, at100.connectionsRefused());
        assertEquals(0, at100.messagesDeferred());
        assertTrue(at100.p95Ms() < at20.p95Ms());
        String json = Files.readString(o.json());
        assertTrue(json.contains("the deferrals of SpamTitan gateway disappear."), json);
        assertTrue(Files.readString(o.html()).contains("<svg"));
    }

    @Test
    void sameScenarioAndSeedGiveByteIdenticalReport(@TempDir Path dir) throws IOException {
        Path scenario = shortened(dir, "000-gateway-per-source/per-source-20.conf");
        Simulator.Outcome first = Simulator.run(scenario, null, OptionalLong.of(1234), dir.resolve("a"), null);
        Simulator.Outcome second = Simulator.run(scenario, null, OptionalLong.of(1234), dir.resolve("b"), null);
        assertArrayEquals(Files.readAllBytes(first.json()), Files.readAllBytes(second.json()));
        assertArrayEquals(Files.readAllBytes(first.html()), Files.readAllBytes(second.html()));
        Simulator.Outcome other = Simulator.run(scenario, null, OptionalLong.of(99), dir.resolve("c"), null);
        assertTrue(!Files.readString(other.json()).equals(Files.readString(first.json())), "another seed, another run");
    }
}
