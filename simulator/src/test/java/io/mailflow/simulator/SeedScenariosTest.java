package io.mailflow.simulator;

import io.mailflow.simulator.report.FaultStats;
import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped scenarios of scenarios/ (seed stories), shortened to ten simulated minutes: the
 * SpamTitan gateway of seed 000 is refused with the per-source reply at
 * MaxInboundConnectionPerSource 20 and never at 100; and a run is reproducible byte for byte.
 * The fault scenarios (006-009) run over their fault's window and keep their headline figures.
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
    void signedInUsersAreCountedOnTheirOwnSoOnlyTheApplicationMeetsMessageRateLimit(@TempDir Path dir)
        throws IOException {
        Simulator.Outcome o = Simulator.run(shortened(dir, "010-client-submission/rate-limit-5.conf", "00:30:00",
            "00:10:00", true), shortened(dir, "010-client-submission/rate-limit-unlimited.conf", "00:30:00",
            "00:10:00", true), OptionalLong.empty(), dir.resolve("out"), null);
        String rateReply = "421 4.4.2 Message submission rate for this client has exceeded the configured limit";
        List<Summary> limited = o.runs().get(0).workloads().stream().map(Summary::of).toList();
        List<Summary> unlimited = o.runs().get(1).workloads().stream().map(Summary::of).toList();
        for (int user = 0; user < 2; user++) {
            assertEquals(Map.of(), limited.get(user).closedByReply(), limited.get(user).name());
            assertEquals(limited.get(user).connectionsAccepted(), limited.get(user).signIns());
        }
        Summary app = limited.get(2);
        assertTrue(app.closedByReply().getOrDefault(rateReply, 0L) > 100, app.closedByReply().toString());
        assertTrue(app.messagesDeferred() > 0);
        assertEquals(Map.of(), unlimited.get(2).closedByReply());
        assertTrue(unlimited.get(2).p95Ms() < 1000, "without the limit: " + unlimited.get(2).p95Ms());
    }

    /** A shipped scenario with its own Duration and Drain, and optionally without its faults. */
    static Path shortened(Path dir, String scenario, String duration, String drain, boolean withFaults)
        throws IOException {
        Path file = dir.resolve((withFaults ? "" : "no-faults-") + scenario.replace('/', '-'));
        Files.writeString(file, "include file(\"" + SCENARIOS.resolve(scenario) + "\")\n"
            + "Simulation.Duration = \"" + duration + "\"\nSimulation.Drain = \"" + drain + "\"\n"
            + (withFaults ? "" : "Faults = []\n"));
        return file;
    }

    @Test
    void smartHostAnswering451DefersAThirdOfItsMessagesAndDeliversThemAll(@TempDir Path dir) throws IOException {
        Simulator.Outcome o = Simulator.run(shortened(dir, "006-downstream-4xx/smart-host-451.conf", "01:35:00",
            "00:30:00", true), null, OptionalLong.empty(), dir.resolve("out"), null);
        RunResult r = o.runs().get(0);
        FaultStats f = r.faults().get(0);
        Summary s = Summary.of(r.workloads().get(0));
        assertTrue(f.deliveriesAnswered > 1000, "deliveries answered: " + f.deliveriesAnswered);
        assertEquals(Map.of("451 4.7.500 Server busy", f.deferrals), f.deferralsByReply);
        assertEquals(s.downstreamDeferralsByReply(), f.deferralsByReply);
        // 30 % of the deliveries offered in the window: about 300 a minute × 70 % external × 30 minutes, plus the retries.
        double share = (double) f.deliveriesAnswered / (300 * 0.7 * 30 + f.deferrals);
        assertTrue(share > 0.25 && share < 0.35, "share of deliveries answered 451: " + share);
        assertEquals(f.messagesTouched, f.touchedDelivered, "all delivered");
        assertEquals(0, s.ndrs());
        // The last 451 is before 01:30; its retry comes MessageRetryInterval (5 min) later.
        assertTrue(f.lastDeliveredAt <= Duration.ofMinutes(95).toNanos() + 1_000_000_000L,
            "last delivered " + f.lastDeliveredAt);
        assertTrue(r.queues().stream().allMatch(q -> q.retryWindows().isEmpty()), "the queue stays Active");
        String json = Files.readString(o.json());
        assertTrue(json.contains("\"deferredByNextHopReply\": {\n            \"451 4.7.500 Server busy\": "), json);
        assertTrue(json.contains("Next hop To Internet answered \\\"451 4.7.500 Server busy\\\" to 30 % of messages from "
            + "01:00:00 to 01:30:00"), json);
    }

    @Test
    void smartHostAnswering550FailsOnlyThoseRecipients(@TempDir Path dir) throws IOException {
        Simulator.Outcome o = Simulator.run(shortened(dir, "006-downstream-4xx/smart-host-550.conf", "01:35:00",
            "00:10:00", true), null, OptionalLong.empty(), dir.resolve("out"), null);
        RunResult r = o.runs().get(0);
        FaultStats f = r.faults().get(0);
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(Map.of("550 5.7.1 Relay access denied", f.recipientsFailed), f.failedRecipientsByReply);
        assertEquals(Map.of("550 5.7.1 Relay access denied", s.ndrs()), s.ndrsByReply());
        assertEquals(0, f.deferrals);
        assertTrue(f.touchedDelivered > 10 * f.touchedFailed, "most messages keep their other recipients: " + f.touchedDelivered
            + " delivered, " + f.touchedFailed + " failed");
        assertTrue(f.recipientsFailed > 1000, "recipients failed: " + f.recipientsFailed);
    }

    @Test
    void serverDownRefusesTheGatewayAndItsBacklogIsDeliveredAfterTheRestart(@TempDir Path dir) throws IOException {
        Path scenario = shortened(dir, "007-server-down/server-down.conf", "00:20:00", "00:30:00", true);
        Simulator.Outcome o = Simulator.run(scenario, null, OptionalLong.empty(), dir.resolve("a"), null);
        RunResult r = o.runs().get(0);
        FaultStats f = r.faults().get(0);
        Summary s = Summary.of(r.workloads().get(0));
        assertTrue(f.connectionsRefused > 50, "refused while down: " + f.connectionsRefused);
        assertEquals(f.connectionsRefused, s.refusedByLimit().get("ServerDown"));
        assertEquals(f.sessionsCut, s.closedByReply().get("connection lost: EX01 stopped (ServerDown)"));
        assertEquals(Duration.ofMinutes(15).toNanos(), f.restartedAt);
        assertTrue(f.messagesTouched > 10 * 1000, "ten minutes of mail waited at the gateway: " + f.messagesTouched);
        assertEquals(f.messagesTouched, f.touchedDelivered, "all delivered after the restart");
        assertEquals(s.messagesSubmitted(), s.messagesDelivered());
        // Nothing is acknowledged while the server is down.
        long[] accepted = r.workloads().get(0).acceptedPerMinute.values(r.minutes());
        for (int minute = 5; minute < 15; minute++) {
            assertEquals(0, accepted[minute], "minute " + minute);
        }
        Simulator.Outcome again = Simulator.run(scenario, null, OptionalLong.empty(), dir.resolve("b"), null);
        assertArrayEquals(Files.readAllBytes(o.json()), Files.readAllBytes(again.json()), "same scenario, same bytes");
    }

    @Test
    void slowDiskLengthensEndOfDataTo250AndMakesThePerSourceLimitBind(@TempDir Path dir) throws IOException {
        Simulator.Outcome o = Simulator.run(shortened(dir, "008-slow-disk/slow-disk.conf", "00:26:00", "00:10:00", true),
            shortened(dir, "008-slow-disk/slow-disk.conf", "00:26:00", "00:10:00", false), OptionalLong.empty(),
            dir.resolve("out"), null);
        FaultStats f = o.runs().get(0).faults().get(0);
        double during = f.dataAckDuring.percentile(50);
        double outside = f.dataAckOutside.percentile(50);
        assertTrue(during > 45 * outside && during < 55 * outside, during + " against " + outside);
        assertTrue(f.mailboxDuring.meanNanos() > 40 * f.mailboxOutside.meanNanos());
        assertTrue(f.refusedByLimitDuring.getOrDefault("MaxInboundConnectionPerSource 20", 0L) > 0, f.refusedByLimitDuring.toString());
        Summary with = Summary.of(o.runs().get(0).workloads().get(0));
        Summary without = Summary.of(o.runs().get(1).workloads().get(0));
        assertEquals(with.connectionsRefused(), f.refusedByLimitDuring.values().stream().mapToLong(Long::longValue).sum(),
            "every refusal falls in the window");
        assertEquals(0, without.connectionsRefused());
        assertTrue(with.dataAckP99Ms() > 10 * without.dataAckP99Ms());
    }

    @Test
    void linkLatencyMakesMaxInboundConnectionPerSourceRefuse(@TempDir Path dir) throws IOException {
        Simulator.Outcome o = Simulator.run(shortened(dir, "009-link-latency/link-latency.conf", "00:31:00", "00:10:00", true),
            shortened(dir, "009-link-latency/link-latency.conf", "00:31:00", "00:10:00", false), OptionalLong.empty(),
            dir.resolve("out"), null);
        FaultStats f = o.runs().get(0).faults().get(0);
        long refused = f.refusedByLimitDuring.getOrDefault("MaxInboundConnectionPerSource 20", 0L);
        assertTrue(refused > 20, f.refusedByLimitDuring.toString());
        assertEquals(0, Summary.of(o.runs().get(1).workloads().get(0)).connectionsRefused());
        assertTrue(f.exchangesDelayed > 10_000);
        assertEquals(f.messagesTouched, f.touchedDelivered);
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
