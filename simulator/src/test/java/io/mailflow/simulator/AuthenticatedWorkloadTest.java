package io.mailflow.simulator;

import io.mailflow.simulator.report.Report;
import io.mailflow.simulator.report.RunResult;
import io.mailflow.simulator.report.Summary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workloads that sign in with SMTP AUTH on Client Frontend: the relay's own session decides
 * (AUTH, MessageRateLimit per user) and the relay's own directory checks the password against
 * the mailbox's hash. Constant arrivals and service times, so the figures follow by hand.
 */
class AuthenticatedWorkloadTest {
    private static final String KATE_HASH =
        "$pbkdf2-sha256$i=100000$Cf5Pe2D7c/Sbs4KmotE53A$3rvZvufgw1QofsheON7RDJJXZXZ44Wh8aZ/kfNLL0eI";

    /**
     * Kate sends {@code perMinute} messages a minute for an hour, one per connection, to her own
     * mailbox, on Client Frontend with Exchange's defaults (BasicAuthRequireTLS: STARTTLS first).
     */
    static String scenario(int perMinute, String workload, String connector) {
        return """
            Organization { Name = "Auth" }
            AcceptedDomains = [ { DomainName = "contoso.test", DomainType = Authoritative } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
            Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01, Password = "%s" } ]
            ReceiveConnectors {
              Connectors = [ { Name = "Client Frontend EX01", Server = EX01 %s } ]
            }
            Simulation { Duration = "01:00:00", Drain = "00:10:00", Seed = 5 }
            Workloads = [ { Name = Outlook, SourceIp = "10.0.2.15", Connector = "Client Frontend EX01",
                            Connections = 1, MessagesPerConnection = 1, IdleTimeout = "00:00:00",
                            RoundTrip = "00:00:00", MailFrom = "kate@contoso.test",
                            Arrival = { Type = Constant, RatePerMinute = %d }, OnRefusal = { Action = GiveUp }
                            %s } ]
            ServiceTimes {
              SpoolSync = { Distribution = Constant, Value = "00:00:00.004" }
              Categorizer = { Distribution = Constant, Value = "00:00:00" }
              MailboxDelivery = { Distribution = Constant, Value = "00:00:00" }
              TlsHandshake = { Distribution = Constant, Value = "00:00:00.010" }
              Logon = { Distribution = Constant, Value = "00:00:00.001" }
              PasswordHashCheck = { Distribution = Constant, Value = "00:00:00.025" }
            }
            """.formatted(KATE_HASH, connector, perMinute, workload);
    }

    static RunResult run(String hocon) {
        var s = io.mailflow.simulator.scenario.ScenarioLoader.parse(hocon, "auth.conf");
        return Simulator.run(s, s.seed(), null);
    }

    @Test
    void aUserWhoSignsInSendsEveryMessageAndTheFindingsSaySo() {
        RunResult r = run(scenario(3, ", Authenticated = true, Password = \"P@ssw0rd\"", ""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(179, s.messagesSubmitted(), "every 20 s from 00:00:20 to 00:59:40");
        assertEquals(179, s.signIns(), "one sign-in per connection");
        assertEquals(179, s.messagesAcknowledged());
        assertEquals(179, s.messagesDelivered());
        assertTrue(Report.findings(r).contains(
            "Sender Outlook (10.0.2.15) signed in as kate@contoso.test 179 times on 'Client Frontend EX01'."),
            Report.findings(r).toString());
    }

    @Test
    void clientFrontendsMessageRateLimitOfFivePerUserClosesTheSixthSessionOfAMinute() {
        // 10 a minute as one user against MessageRateLimit 5 / MessageRateSource User: after the
        // first minute's burst of 5 the bucket refills one token per 12 s, so 5 of each 10 pass.
        RunResult r = run(scenario(10, ", Authenticated = true, Password = \"P@ssw0rd\"", ""));
        Summary s = Summary.of(r.workloads().get(0));
        long refused = s.closedByReply().getOrDefault(
            "421 4.4.2 Message submission rate for this client has exceeded the configured limit", 0L);
        assertEquals(599, s.messagesSubmitted());
        assertEquals(s.messagesSubmitted(), s.messagesAcknowledged() + s.messagesGivenUp());
        assertEquals(s.messagesGivenUp(), refused);
        assertTrue(s.messagesAcknowledged() >= 299 && s.messagesAcknowledged() <= 305, "acknowledged "
            + s.messagesAcknowledged());

        RunResult unlimited = run(scenario(10, ", Authenticated = true, Password = \"P@ssw0rd\"",
            ", MessageRateLimit = unlimited"));
        assertEquals(599, Summary.of(unlimited.workloads().get(0)).messagesAcknowledged());
    }

    @Test
    void aWrongPasswordIsAnsweredWith535AndNothingIsSent() {
        RunResult r = run(scenario(1, ", Authenticated = true, Password = \"wrong\"", ""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(0, s.signIns());
        assertEquals(0, s.messagesAcknowledged());
        assertEquals(59, s.messagesGivenUp());
        assertEquals(Long.valueOf(59), s.sessionReplies().get("535 5.7.3 Authentication unsuccessful"));
    }

    @Test
    void anAnonymousSenderOnClientFrontendIsNotAuthenticated() {
        RunResult r = run(scenario(1, "", ""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(0, s.messagesAcknowledged());
        assertEquals(Long.valueOf(59), s.sessionReplies().get("530 5.7.1 Client was not authenticated"));
    }

    @Test
    void signingInNeedsAPasswordAndAConnectorThatOffersAuth() {
        List<String> problems = FaultsTest.problems(scenario(1, ", Authenticated = true", ", AuthMechanism = Tls"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("Workloads[0].Password: is required with Authenticated = true")),
            problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("connector 'Client Frontend EX01' does not offer AUTH")),
            problems.toString());
        List<String> stray = FaultsTest.problems(scenario(1, ", Password = \"P@ssw0rd\"", ""));
        assertTrue(stray.stream().anyMatch(p -> p.contains("Workloads[0].Password: applies only with Authenticated = true")),
            stray.toString());
    }

    @Test
    void theFirstSessionPaysForTheHashAndEveryOneForTlsAndItsRoundTrips() {
        // RoundTrip 0, so a session's time is the relay's: TlsHandshake 10 ms, Logon 1 ms, the first
        // sign-in's PasswordHashCheck 25 ms, SpoolSync 4 ms; the message waits from arrival to 250.
        RunResult r = run(scenario(1, ", Authenticated = true, Password = \"P@ssw0rd\"", ""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(59, s.signIns());
        assertEquals(15.0, s.p50Ms(), 0.001, "10 + 1 + 4 ms, remembered after the first");
        assertEquals(40.0, s.maxMs(), 0.001, "the first sign-in adds the 25 ms hash");
    }

    @Test
    void withoutStartTlsTheDefaultClientFrontendRefusesAuthWith538() {
        RunResult r = run(scenario(1, ", Authenticated = true, Password = \"P@ssw0rd\", StartTls = false", ""));
        Summary s = Summary.of(r.workloads().get(0));
        assertEquals(0, s.signIns());
        assertEquals(Long.valueOf(59),
            s.sessionReplies().get("538 5.7.11 Encryption required for requested authentication mechanism"));
    }

    @Test
    void requireTlsRefusesAnAnonymousSenderThatDoesNotStartTls() {
        String open = ", PermissionGroups = AnonymousUsers, RequireTLS = true";
        RunResult refused = run(scenario(1, ", MailFrom = \"app@fabrikam.example\"", open)
            .replace("MailFrom = \"kate@contoso.test\",", ""));
        assertEquals(Long.valueOf(59), Summary.of(refused.workloads().get(0)).sessionReplies()
            .get("451 5.7.3 STARTTLS is required to send mail"));
        RunResult sent = run(scenario(1, ", MailFrom = \"app@fabrikam.example\", StartTls = true", open)
            .replace("MailFrom = \"kate@contoso.test\",", ""));
        assertEquals(59, Summary.of(sent.workloads().get(0)).messagesAcknowledged());
    }
}
