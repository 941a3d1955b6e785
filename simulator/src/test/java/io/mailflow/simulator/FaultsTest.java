package io.mailflow.simulator;

import io.mailflow.core.organization.ConfigProblem;
import io.mailflow.core.organization.OrganizationConfigException;
import io.mailflow.simulator.report.FaultStats;
import io.mailflow.simulator.report.Report;
import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.Summary;
import io.mailflow.simulator.scenario.Fault;
import io.mailflow.simulator.scenario.Scenario;
import io.mailflow.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on small deterministic scenarios: constant arrivals, constant service times and no
 * network delay unless the test adds one, so every figure can be worked out by hand. All on
 * virtual time.
 */
class FaultsTest {

    /**
     * One application sends one message a minute (00:01:00 to 00:59:00, 59 in all) through AppRelay, each to
     * {@code recipients} recipients at fabrikam.example, relayed by the smart host of "To Internet".
     */
    static String scenario(String faults, String transport, String extra) {
        return """
            Organization { Name = "Faults" }
            AcceptedDomains = [ { DomainName = "contoso.test", DomainType = Authoritative } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
            Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01 } ]
            ReceiveConnectors {
              Connectors = [ { Name = AppRelay, Server = EX01, Usage = Custom, TransportRole = FrontendTransport,
                               Bindings = ["0.0.0.0:10026"], RemoteIPRanges = ["10.0.1.0/24"],
                               PermissionGroups = [AnonymousUsers],
                               AnonymousExtendedRights = ["Ms-Exch-SMTP-Accept-Any-Recipient"] } ]
            }
            SendConnectors = [ { Name = "To Internet", AddressSpaces = ["SMTP:*;1"], SmartHosts = ["[192.0.2.80]"],
                                 DNSRoutingEnabled = false } ]
            TransportService { %s }
            Simulation { Duration = "01:00:00", Drain = "01:00:00", Seed = 3 }
            Faults = [ %s ]
            Workloads = [ { Name = App, SourceIp = "10.0.1.30", Connector = AppRelay, Connections = 1,
                            MessagesPerConnection = 1, IdleTimeout = "00:00:00", RoundTrip = "00:00:00",
                            Arrival = { Type = Constant, RatePerMinute = 1 }, ExternalRecipientRate = 1.0,
                            OnRefusal = { Action = GiveUp } %s } ]
            ServiceTimes {
              SpoolSync = { Distribution = Constant, Value = "00:00:00.004" }
              Categorizer = { Distribution = Constant, Value = "00:00:00" }
              MailboxDelivery = { Distribution = Constant, Value = "00:00:00" }
              SmtpDelivery = { Distribution = Constant, Value = "00:00:00" }
            }
            """.formatted(transport, faults, extra);
    }

    static RunResult run(String hocon) {
        Scenario s = ScenarioLoader.parse(hocon, "faults.conf");
        return Simulator.run(s, s.seed(), null);
    }

    static List<String> problems(String hocon) {
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class,
            () -> ScenarioLoader.parse(hocon, "faults.conf"));
        return e.problems().stream().map(ConfigProblem::render).toList();
    }

    // ---- loading --------------------------------------------------------------------------------

    @Test
    void faultsLoadWithStartAndDurationOrFromAndUntil() {
        Scenario s = ScenarioLoader.parse(scenario("""
            { Type = DownstreamReplies, Target = "To Internet", Start = "01:00:00", Duration = "00:30:00",
              Reply = "451 4.7.500 Server busy", Fraction = 0.3, Per = Recipient },
            { type = serverdown, from = "00:10:00", until = "00:20:00" },
            { Type = SlowDisk, Start = "00:05:00", Duration = "00:01:00", Multiplier = 10,
              MailboxDelivery = { Distribution = Constant, Value = "00:00:01" } },
            { Type = LinkLatency, Workload = App, Start = "00:05:00", Duration = "00:01:00", RoundTrip = "00:00:00.250" }
            """, "", ""), "faults.conf");
        Fault.DownstreamReplies replies = assertInstanceOf(Fault.DownstreamReplies.class, s.faults().get(0));
        assertEquals(Duration.ofMinutes(90), replies.window().until());
        assertEquals("451 4.7.500 Server busy", replies.reply().toLogString());
        assertEquals(0.3, replies.fraction());
        assertEquals(Fault.Per.Recipient, replies.per());
        Fault.ServerDown down = assertInstanceOf(Fault.ServerDown.class, s.faults().get(1));
        assertEquals("EX01", down.server());
        assertEquals(Duration.ofMinutes(20), down.window().until());
        Fault.SlowDisk disk = assertInstanceOf(Fault.SlowDisk.class, s.faults().get(2));
        assertEquals(10.0, disk.multiplier());
        assertEquals(null, disk.spoolSync());
        assertEquals(1_000_000_000L, disk.mailboxDelivery().sampleNanos(null));
        Fault.LinkLatency link = assertInstanceOf(Fault.LinkLatency.class, s.faults().get(3));
        assertEquals(Duration.ofMillis(250), link.roundTrip());
        assertEquals("App", link.workload());
    }

    @Test
    void badFaultEntriesAreReportedWithFileAndLine() {
        List<String> p = problems(scenario("""
            { Type = DownstreamReplies, Target = "To Internet", Reply = "250 2.0.0 OK" },
            { Type = DownstreamReplies, Reply = "451 5.7.1 mixed", Fraction = 1.5, Per = Copy },
            { Type = ServerDown, Start = "00:10:00", Duration = "00:00:00", Server = EX02 },
            { Type = SlowDisk, Start = "00:10:00", Until = "00:05:00" },
            { Type = LinkLatency, RoundTrip = "00:00:01", Workload = Nobody, Reply = "451 4.0.0 x" },
            { Type = Earthquake },
            { Type = ServerDown, Start = "00:10:00", From = "00:11:00" }
            """, "", ""));
        String all = String.join("\n", p);
        // The Faults list starts on line 16 of the generated file.
        assertTrue(all.contains("faults.conf:16: Faults[0].Reply: '250 2.0.0 OK' is not a 4xx or 5xx reply"), all);
        assertTrue(all.contains("faults.conf:17: Faults[1].Reply: '451 5.7.1 mixed': the enhanced status code's class (5) "
            + "differs from the reply's (4xx)"), all);
        assertTrue(all.contains("faults.conf:17: Faults[1].Fraction: 1.5 is outside the range 0.0-1.0"), all);
        assertTrue(all.contains("faults.conf:17: Faults[1].Per: 'Copy' is not one of Message, Recipient"), all);
        assertTrue(all.contains("faults.conf:18: Faults[2].Duration: must be longer than 0"), all);
        assertTrue(all.contains("faults.conf:18: Faults[2].Server: the simulation runs one server, EX01; 'EX02' cannot be "
            + "stopped"), all);
        assertTrue(all.contains("faults.conf:19: Faults[3].Until: Until must be after Start"), all);
        assertTrue(all.contains("faults.conf:19: Faults[3].Multiplier: a SlowDisk needs Multiplier"), all);
        assertTrue(all.contains("faults.conf:20: Faults[4].Reply: does not apply to Type = LinkLatency"), all);
        assertTrue(all.contains("faults.conf:20: Faults[4].Workload: no workload 'Nobody' in Workloads; there are: App"), all);
        assertTrue(all.contains("faults.conf:21: Faults[5].Type: 'Earthquake' is not one of DownstreamUnavailable, "
            + "DownstreamReplies, ServerDown, SlowDisk, LinkLatency"), all);
        assertTrue(all.contains("faults.conf:22: Faults[6].From: give Start or From, not both"), all);
        assertEquals(12, p.size(), all);
    }

    // ---- DownstreamReplies ------------------------------------------------------------------------

    @Test
    void aWholeWindowOf5xxGivesOneNdrPerMessageAndDeliversNone() {
        RunResult r = run(scenario("""
            { Type = DownstreamReplies, Target = "To Internet", Start = "00:00:00", Duration = "01:00:00",
              Reply = "554 5.7.1 Message rejected", Fraction = 1.0 }
            """, "", ", RecipientsPerMessage = 2"));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(59, s.messagesAcknowledged());
        assertEquals(59, s.ndrs());
        assertEquals(Map.of("554 5.7.1 Message rejected", 59L), s.ndrsByReply());
        assertEquals(0, s.messagesDelivered());
        FaultStats f = r.faults().get(0);
        assertEquals(118, f.recipientsFailed);
        assertEquals(Map.of("554 5.7.1 Message rejected", 118L), f.failedRecipientsByReply);
        assertEquals(0, f.deferrals);
        assertEquals(59, f.touchedFailed);
    }

    @Test
    void a5xxToSomeRecipientsFailsOnlyThoseAndDeliversTheRest() {
        RunResult r = run(scenario("""
            { Type = DownstreamReplies, Target = "To Internet", Reply = "550 5.1.1 User unknown", Fraction = 0.5,
              Per = Recipient }
            """, "", ", RecipientsPerMessage = 4"));
        Summary s = Summary.of(r.workloads().get(0));
        FaultStats f = r.faults().get(0);
        assertEquals(236, s.recipientsAccepted());
        assertEquals(236, s.recipientsDelivered() + f.recipientsFailed);
        assertTrue(f.recipientsFailed > 80 && f.recipientsFailed < 160, "about half: " + f.recipientsFailed);
        assertEquals(s.ndrs(), s.ndrsByReply().get("550 5.1.1 User unknown"));
        assertTrue(s.ndrs() > 40 && s.ndrs() < 59, "most messages have a refused recipient: " + s.ndrs());
        assertTrue(s.messagesDelivered() > 50, "and nearly all have one delivered: " + s.messagesDelivered());
    }

    @Test
    void a4xxRecipientIsRetriedAtTheRelaysMessageRetryInterval() {
        // One message at 00:01:00; the smart host answers 451 until 00:10:00. MessageRetryInterval 7 min:
        // attempts at 00:01:00 (451), 00:08:00 (451), 00:15:00 (delivered): 14 minutes after it arrived.
        RunResult r = run(scenario("""
            { Type = DownstreamReplies, Target = "To Internet", Until = "00:10:00", Reply = "451 4.7.500 Server busy" }
            """, "MessageRetryInterval = \"00:07:00\"", ", Stop = \"00:01:30\""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(1, s.messagesDelivered());
        assertEquals(Duration.ofMinutes(14).toMillis() + 4, (long) s.maxMs());
        assertEquals(Map.of("451 4.7.500 Server busy", 2L), s.downstreamDeferralsByReply());
        FaultStats f = r.faults().get(0);
        assertEquals(2, f.deferrals);
        assertEquals(2, f.deliveriesAnswered);
        assertEquals(15 * 60_000_000_000L + 4_000_000, f.lastDeliveredAt);
        assertEquals(0, s.ndrs());
        assertTrue(r.queues().stream().allMatch(q -> q.retryWindows().isEmpty()), "a 4xx leaves the queue Active");
    }

    @Test
    void a4xxUntilExpiryGivesADelayDsnThenAnNdr() {
        RunResult r = run(scenario("""
            { Type = DownstreamReplies, Target = "To Internet", Until = "03:00:00", Reply = "452 4.3.1 Insufficient system resources" }
            """, "TransientFailureRetryCount = 0, DelayNotificationTimeout = \"00:20:00\", "
                + "MessageExpirationTimeout = \"00:45:00\"",
            ", Stop = \"00:01:30\""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(1, s.delayDsns());
        assertEquals(1, s.expired());
        assertEquals(Map.of("550 4.4.7 QUEUE.Expired; message expired", 1L), s.ndrsByReply());
        // Tried at 00:01, then every 5 minutes: nine attempts up to 00:41, each deferred; at 00:46, when the
        // tenth falls due, the message has expired (received + MessageExpirationTimeout), as on the relay's tick.
        assertEquals(Map.of("452 4.3.1 Insufficient system resources", 9L), s.downstreamDeferralsByReply());
        assertEquals(0, s.messagesDelivered());
    }

    // ---- ServerDown -------------------------------------------------------------------------------

    @Test
    void serverDownRefusesExactlyTheConnectionsAttemptedInTheWindow() {
        // One connection a minute (00:01, 00:02, ...); down from 00:10:00 until 00:20:00: 00:10 to 00:19 refused.
        RunResult r = run(scenario("{ Type = ServerDown, Start = \"00:10:00\", Duration = \"00:10:00\" }", "", ""));
        Summary s = Summary.of(r.workloads().get(0));
        FaultStats f = r.faults().get(0);
        assertEquals(10, f.connectionsRefused);
        assertEquals(Map.of("connection refused: EX01 stopped", 10L), s.refusedByReply());
        assertEquals(Map.of("ServerDown", 10L), s.refusedByLimit());
        assertEquals(10, s.messagesGivenUp());
        assertEquals(49, s.messagesDelivered());
        assertEquals(20 * 60_000_000_000L, f.restartedAt);
        assertEquals(0, f.recovered);
        String findings = String.join("\n", Report.findings(r));
        assertTrue(findings.contains("Server EX01 was down from 00:10:00 to 00:20:00: 10 connections refused"), findings);
    }

    @Test
    void messagesSpooledWhenTheServerStopsAreRecoveredAndDeliveredAfterTheRestart() {
        // The smart host is unreachable until 00:30, so the first messages wait in "To Internet" when
        // EX01 stops at 00:10:30. On restart at 00:20 it recovers those ten (00:01-00:10): the queue is
        // Active again, tries at once, fails, and delivers them all at its first retry after 00:30.
        RunResult r = run(scenario("""
            { Type = DownstreamUnavailable, Target = "To Internet", Until = "00:30:00" },
            { Type = ServerDown, Start = "00:10:30", Until = "00:20:00" }
            """, "", ", Stop = \"00:10:30\", OnRefusal = { Action = RetryAfter, Delay = \"00:01:00\" }"));
        FaultStats down = r.faults().get(1);
        assertEquals(10, down.recovered);
        assertEquals(0, down.connectionsRefused);
        assertEquals(20 * 60_000_000_000L, down.restartedAt);
        assertEquals(10, down.touchedDelivered + r.faults().get(0).touchedDelivered);
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(10, s.messagesDelivered());
        assertEquals(0, r.stillQueued());
        // Retry: 00:01 failed (5 min), 00:06 (5 min), 00:11 cut by the stop; restart 00:20 fails, next 00:25 fails,
        // 00:30 delivers. The recovery is drained at 00:30.
        assertEquals(30 * 60_000_000_000L, down.drainedAt);
        RunResult.QueueResult q = r.queues().stream().filter(x -> x.name().contains("192.0.2.80")).findFirst().orElseThrow();
        assertEquals(2, q.retryWindows().size(), "Retry until the stop, then again after the restart");
    }

    @Test
    void aSessionCutByTheStopLeavesItsMessageWithTheSender() {
        // Each session takes 4 s (a 1 s round trip per exchange); the message of 00:10:00 is in session when
        // EX01 stops at 00:10:02. The sender retries it after a minute, refused, and again after the restart.
        RunResult r = run(scenario("{ Type = ServerDown, Start = \"00:10:02\", Until = \"00:12:30\" }", "",
            ", RoundTrip = \"00:00:01\", Stop = \"00:10:30\", OnRefusal = { Action = RetryAfter, Delay = \"00:01:00\" }"));
        FaultStats f = r.faults().get(0);
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(1, f.sessionsCut);
        assertEquals(Map.of("connection lost: EX01 stopped (ServerDown)", 1L), s.closedByReply());
        assertEquals(2, f.connectionsRefused, "00:11:02 and 00:12:02");
        assertEquals(10, s.messagesDelivered());
        assertEquals(1, f.messagesTouched);
        assertEquals(1, f.touchedDelivered);
    }

    // ---- SlowDisk ---------------------------------------------------------------------------------

    @Test
    void aSlowDiskMultipliesTheSpoolSyncInItsWindowOnly() {
        RunResult r = run(scenario("{ Type = SlowDisk, Start = \"00:10:00\", Duration = \"00:10:00\", Multiplier = 10 }",
            "", ""));
        FaultStats f = r.faults().get(0);
        assertEquals(10, f.dataAckDuring.count());
        assertEquals(40_000_000, f.dataAckDuring.max());
        assertEquals(49, f.dataAckOutside.count());
        assertEquals(4_000_000, f.dataAckOutside.max());
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(40.0, s.dataAckMaxMs());
        assertEquals(10, f.messagesTouched);
    }

    @Test
    void aSlowDiskCanReplaceTheMailboxDeliveryDistribution() {
        RunResult r = run(scenario("""
            { Type = SlowDisk, Start = "00:10:00", Duration = "00:10:00",
              SpoolSync = { Distribution = Constant, Value = "00:00:00.004" },
              MailboxDelivery = { Distribution = Constant, Value = "00:00:02" } }
            """, "", ", ExternalRecipientRate = 0.0"));
        FaultStats f = r.faults().get(0);
        assertEquals(10, f.mailboxDuring.count());
        assertEquals(2_000_000_000L, f.mailboxDuring.max());
        assertEquals(0, f.mailboxOutside.max());
        assertEquals(4_000_000, f.dataAckDuring.max());
    }

    // ---- LinkLatency ------------------------------------------------------------------------------

    @Test
    void linkLatencyAddsItsRoundTripToEveryExchangeOfTheSession() {
        // Six exchanges per session (connect and banner, EHLO, MAIL, RCPT, DATA, end of data); the message
        // is the relay's after the fifth and its 250: 5 s more from the sender to the next hop.
        RunResult r = run(scenario("""
            { Type = LinkLatency, Workload = App, Start = "00:10:00", Duration = "00:10:00", RoundTrip = "00:00:01" }
            """, "", ""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(5004.0, s.maxMs());
        assertEquals(60, r.faults().get(0).exchangesDelayed);
    }

    @Test
    void linkLatencyToANextHopAddsRoundTripsToEachDelivery() {
        RunResult r = run(scenario("""
            { Type = LinkLatency, Target = "To Internet", Start = "00:10:00", Duration = "00:10:00", RoundTrip = "00:00:01" }
            """, "", ", RecipientsPerMessage = 2"));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(7004.0, s.maxMs(), "5 + 2 recipients round trips");
        assertEquals(10, r.faults().get(0).deliveriesDelayed);
    }

    @Test
    void linkLatencyMakesTheConnectionLimitBind() {
        // A message a second, 6 exchanges each: 0 extra → sessions of 4 ms, one connection at a time.
        // With 1 s added, sessions last 6 s, six at once, but MaxInboundConnectionPerSource is 2.
        String hocon = scenario("""
            { Type = LinkLatency, Workload = App, Start = "00:10:00", Duration = "00:01:00", RoundTrip = "00:00:01" }
            """, "", "")
            .replace("Usage = Custom,", "Usage = Custom, MaxInboundConnectionPerSource = 2, "
                + "MaxInboundConnectionPercentagePerSource = 100,")
            .replace("Connections = 1,", "Connections = unlimited,")
            .replace("RatePerMinute = 1 }", "RatePerMinute = 60 }")
            .replace("Duration = \"01:00:00\", Drain", "Duration = \"00:20:00\", Drain");
        RunResult r = run(hocon);
        FaultStats f = r.faults().get(0);
        Summary s = Summary.of(r.workloads().get(0));
        long refused = f.refusedByLimitDuring.getOrDefault("MaxInboundConnectionPerSource 2", 0L);
        assertTrue(refused > 30, "most of the window's connections are refused: " + f.refusedByLimitDuring);
        assertTrue(s.connectionsRefused() - refused <= 6,
            "outside the window only while its last slow sessions end: " + s.refusedByLimit());
    }
}
