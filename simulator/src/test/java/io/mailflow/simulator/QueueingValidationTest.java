package io.mailflow.simulator;

import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.Summary;
import io.mailflow.simulator.scenario.Scenario;
import io.mailflow.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Validation of the simulator against queueing theory: a receive connector whose
 * MaxInboundConnectionPerSource is c, one source sending Poisson arrivals, one message per
 * connection, exponential session time (the spool sync; every round trip is 0). The relay's own
 * ConnectionAdmission decides, so these check the kernel, the workload model and the admission
 * class together.
 * <ul>
 *   <li>Clients that wait in line for a free connection (OnRefusal Wait): M/M/c, Erlang C's
 *       probability of waiting and mean wait.</li>
 *   <li>Clients that give up when refused (OnRefusal GiveUp): M/M/c/c, Erlang B's blocking.</li>
 * </ul>
 */
class QueueingValidationTest {
    private static final int C = 10;
    private static final double MEAN_SERVICE_S = 1.0;

    static String scenario(double offeredErlangs, String action, String duration) {
        double ratePerMinute = offeredErlangs / MEAN_SERVICE_S * 60;
        return """
            Organization { Name = "Queueing" }
            AcceptedDomains = [ { DomainName = "contoso.test", DomainType = Authoritative } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
            Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01 } ]
            ReceiveConnectors {
              Connectors = [ { Name = "Default Frontend EX01", Server = EX01, MaxInboundConnectionPerSource = %d,
                               MaxInboundConnectionPercentagePerSource = 100 } ]
            }
            Simulation { Duration = "%s", Drain = "00:10:00", WarmUp = "00:30:00", Seed = 7 }
            Workloads = [ { Name = Clients, SourceIp = "198.51.100.7", Connector = "Default Frontend EX01",
                            Connections = unlimited, MessagesPerConnection = 1, IdleTimeout = "00:00:00",
                            RoundTrip = "00:00:00", Arrival = { Type = Poisson, RatePerMinute = %s },
                            OnRefusal = { Action = %s } } ]
            ServiceTimes {
              SpoolSync = { Distribution = Exponential, Mean = "00:00:01" }
              Categorizer = { Distribution = Constant, Value = "00:00:00" }
              MailboxDelivery = { Distribution = Constant, Value = "00:00:00" }
            }
            """.formatted(C, duration, Double.toString(ratePerMinute), action);
    }

    /** Erlang B by the stable recurrence B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)). */
    static double erlangB(int c, double a) {
        double b = 1;
        for (int k = 1; k <= c; k++) {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /** Erlang C from Erlang B: C = c B / (c − a (1 − B)). */
    static double erlangC(int c, double a) {
        double b = erlangB(c, a);
        return c * b / (c - a * (1 - b));
    }

    @Test
    void connectionLimitWithWaitingClientsIsErlangC() {
        double a = 7.0;
        Scenario s = ScenarioLoader.parse(scenario(a, "Wait", "2.00:00:00"), "mmc.conf");
        RunResult r = Simulator.run(s, s.seed(), null);
        Summary total = Summary.total(r.workloads());
        double pWait = (double) total.connectionsWaited() / total.connectionsAccepted();
        double meanWaitS = total.meanConnectionWaitMs() / 1000;
        double expectedPWait = erlangC(C, a);
        double expectedWaitS = expectedPWait * MEAN_SERVICE_S / (C - a);
        System.out.printf("M/M/%d a=%.1f: %d customers; P(wait) %.4f (Erlang C %.4f), mean wait %.4f s (%.4f s)%n",
            C, a, total.connectionsAccepted(), pWait, expectedPWait, meanWaitS, expectedWaitS);
        assertEquals(expectedPWait, pWait, expectedPWait * 0.02, "probability of waiting");
        assertEquals(expectedWaitS, meanWaitS, expectedWaitS * 0.02, "mean wait");
    }

    @Test
    void connectionLimitWithClientsGivingUpIsErlangB() {
        double a = 10.0;
        Scenario s = ScenarioLoader.parse(scenario(a, "GiveUp", "06:00:00"), "mmcc.conf");
        RunResult r = Simulator.run(s, s.seed(), null);
        Summary total = Summary.total(r.workloads());
        double blocking = (double) total.connectionsRefused() / total.connectionsAttempted();
        double expected = erlangB(C, a);
        System.out.printf("M/M/%d/%d a=%.1f: %d attempts; blocking %.4f (Erlang B %.4f)%n",
            C, C, a, total.connectionsAttempted(), blocking, expected);
        assertEquals(expected, blocking, expected * 0.02, "blocking probability");
    }
}
