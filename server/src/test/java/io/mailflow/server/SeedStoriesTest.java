package io.mailflow.server;

import io.mailflow.core.logging.EventLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The five seeds' stories against the real relay: the limit that defers legitimate mail, how the
 * administrator sees it (reply, event), and the Exchange Management Shell line that fixes it.
 */
class SeedStoriesTest {
    private static final String PER_SOURCE = "421 4.3.2 The maximum number of concurrent server connections has "
        + "exceeded a per-source limit, closing transmission channel";

    @TempDir
    Path directory;
    RunningRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    /** Opens {@code n} connections at once and returns each first reply line; the sockets stay open. */
    private static List<String> greetings(int port, int n, List<SmtpTestClient> open) throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SmtpTestClient c = new SmtpTestClient(port);
            open.add(c);
            replies.add(c.replyLine());
        }
        return replies;
    }

    private static void closeAll(List<SmtpTestClient> open) throws Exception {
        for (SmtpTestClient c : open) {
            c.close();
        }
        open.clear();
    }

    private List<String> events(int id) {
        relay.topology.logs().flush();
        return EventLog.read(relay.logs()).stream().filter(e -> e.event().eventId() == id)
            .map(e -> e.event().text()).toList();
    }

    @Test
    void seed000SixtyConnectionsFromTheGatewayGetFortyRefusalsUntilTheShellRaisesThePerSourceLimit() throws Exception {
        relay = RunningRelay.start(directory);
        List<SmtpTestClient> open = new ArrayList<>();
        List<String> replies = greetings(relay.defaultFrontendPort(), 60, open);
        assertEquals(20, replies.stream().filter(r -> r.startsWith("220 ")).count());
        assertEquals(40, replies.stream().filter(PER_SOURCE::equals).count(), replies.toString());
        List<String> events = events(1021);
        assertEquals(40, events.size());
        assertEquals("Receive connector 'Default Frontend EX01' rejected an incoming connection from IP address "
            + "'127.0.0.1'. The maximum number of connections per source ('20') for this connector has been reached "
            + "by this source IP address.", events.get(0));
        closeAll(open);

        AdminShell.Result fix = AdminShell.client(relay.dataDirectory,
            "Get-ReceiveConnector | Set-ReceiveConnector -MaxInboundConnectionPerSource 100");
        assertTrue(fix.success(), fix.output());
        AdminShell.Result check = AdminShell.client(relay.dataDirectory,
            "Get-ReceiveConnector \"Default Frontend EX01\" | fl *maxin*");
        assertEquals("""

            MaxInboundConnection                    : 5000
            MaxInboundConnectionPerSource           : 100
            MaxInboundConnectionPercentagePerSource : 2

            """, check.output());
        List<String> after = greetings(relay.defaultFrontendPort(), 60, open);
        assertEquals(60, after.stream().filter(r -> r.startsWith("220 ")).count(), after.toString());
        closeAll(open);
    }

    @Test
    void theShellsChangeOutlivesARestart() throws Exception {
        relay = RunningRelay.start(directory.resolve("first"));
        assertTrue(AdminShell.run(relay.dataDirectory,
            "Set-ReceiveConnector 'EX01\\Default Frontend EX01' -MaxInboundConnectionPerSource 100 -Banner '220 Mail Server'").success());
        Path data = relay.dataDirectory;
        relay.close();
        relay = null;
        var org = io.mailflow.core.organization.OrganizationLoader.load(directory.resolve("first/organization.conf"));
        try (Topology again = Topology.start(org, "EX01", data, io.mailflow.core.time.SystemClock.INSTANCE, 0)) {
            var c = again.organization().receiveConnectors().get(0);
            assertEquals("100", c.maxInboundConnectionPerSource().toString());
            assertEquals("220 Mail Server", c.banner());
        }
    }

    @Test
    void seed001TheAppRelayConnectorLimitsEachApplicationServerTo20AndRelays() throws Exception {
        relay = RunningRelay.start(directory,
            "{ Name = AppRelay, Server = EX01, Usage = Custom, TransportRole = FrontendTransport, "
                + "Bindings = [\"127.0.0.1:" + TestOrganization.TEST_PORT + "\"], RemoteIPRanges = [\"127.0.0.1\"], "
                + "PermissionGroups = [AnonymousUsers], AnonymousExtendedRights = [\"Ms-Exch-SMTP-Accept-Any-Recipient\"],"
                + " TarpitInterval = \"00:00:00\" }");
        int port = relay.organization.port(26);
        AdminShell.Result limits = AdminShell.run(relay.dataDirectory, "Get-ReceiveConnector AppRelay | fl *maxin*");
        assertTrue(limits.output().contains("MaxInboundConnection                    : 5000"), limits.output());
        assertTrue(limits.output().contains("MaxInboundConnectionPerSource           : 20"), limits.output());
        assertTrue(limits.output().contains("MaxInboundConnectionPercentagePerSource : 2"), limits.output());
        List<SmtpTestClient> open = new ArrayList<>();
        List<String> replies = greetings(port, 25, open);
        assertEquals(20, replies.stream().filter(r -> r.startsWith("220 ")).count());
        assertEquals(5, replies.stream().filter(PER_SOURCE::equals).count());
        SmtpTestClient first = open.get(0);
        first.command("EHLO scom.contoso.test");
        first.command("MAIL FROM:<scom@contoso.test>");
        assertEquals("250 2.1.5 Recipient OK", first.command("RCPT TO:<alerts@fabrikam.example>"),
            "AppRelay grants Ms-Exch-SMTP-Accept-Any-Recipient to anonymous senders");
        closeAll(open);
    }

    @Test
    void seed001ThePercentageRuleCountsTheConnectionsThatRemain() throws Exception {
        // 100 connections, 20 %: a source holding k connections is refused once k >= floor((100 - k) / 5),
        // i.e. at k = 16 (16 >= floor(84 * 0.2) = 16), so one address gets 16.
        relay = RunningRelay.start(directory,
            "{ Name = AppRelay, Server = EX01, Bindings = [\"127.0.0.1:" + TestOrganization.TEST_PORT + "\"], "
                + "RemoteIPRanges = [\"127.0.0.1\"], PermissionGroups = [AnonymousUsers], MaxInboundConnection = 100, "
                + "MaxInboundConnectionPerSource = unlimited, MaxInboundConnectionPercentagePerSource = 20 }");
        List<SmtpTestClient> open = new ArrayList<>();
        List<String> replies = greetings(relay.organization.port(26), 30, open);
        assertEquals(16, replies.stream().filter(r -> r.startsWith("220 ")).count(), replies.toString());
        assertEquals(14, replies.stream().filter(PER_SOURCE::equals).count());
        assertTrue(events(1021).get(0).contains("'20' percent"), events(1021).toString());
        closeAll(open);
    }

    @Test
    void seed004ConnectionRateThrottleRefusesTheEleventhConnectionWithinASecondButNotAnAccessMapExemptHost()
        throws Exception {
        relay = RunningRelay.start(directory,
            "{ Name = \"Default Frontend EX01\", Server = EX01, ConnectionRateThrottle = 10 }",
            "{ Name = Partners, Server = EX01, Bindings = [\"127.0.0.1:" + TestOrganization.TEST_PORT + "\"], "
                + "RemoteIPRanges = [\"127.0.0.1\"], PermissionGroups = [AnonymousUsers], ConnectionRateThrottle = 10, "
                + "MaxInboundConnectionPerSource = unlimited, AccessMap = [\"Connect:127.0.0 OK\"] }");
        List<SmtpTestClient> open = new ArrayList<>();
        List<String> throttled = greetings(relay.defaultFrontendPort(), 11, open);
        assertEquals(10, throttled.stream().filter(r -> r.startsWith("220 ")).count(), throttled.toString());
        assertEquals("421 4.3.2 Connection rate limit exceeded.", throttled.get(10));
        assertEquals(1, events(1030).size());
        closeAll(open);
        List<String> exempt = greetings(relay.organization.port(26), 30, open);
        assertEquals(30, exempt.stream().filter(r -> r.startsWith("220 ")).count(), exempt.toString());
        closeAll(open);
    }

    @Test
    void seed004AnAccessMapRejectRefusesTheHost() throws Exception {
        relay = RunningRelay.start(directory,
            "{ Name = \"Default Frontend EX01\", Server = EX01, AccessMap = [\"Connect:127.0.0.1 REJECT\"] }");
        try (SmtpTestClient c = new SmtpTestClient(relay.defaultFrontendPort())) {
            assertEquals("550 5.7.1 Access denied", c.replyLine());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void seed002EachSettingTypedInTheShellIsObservableOverASocket() throws Exception {
        relay = RunningRelay.start(directory);
        Path data = relay.dataDirectory;
        assertTrue(AdminShell.run(data, "Set-ReceiveConnector \"Default Frontend EX01\" -Banner “220 Mail Server”").success());
        assertTrue(AdminShell.run(data, "Set-ReceiveConnector \"Default Frontend EX01\" -MaxProtocolErrors 2").success());
        AdminShell.Result limits = AdminShell.run(data,
            "Set-ReceiveConnector \"Default Frontend EX01\" –MaxRecipientsPerMessage:100 –MaxMessageSize:5MB –TarpitInterval:00:00:01");
        assertTrue(limits.success(), limits.output());
        try (SmtpTestClient c = relay.connect()) {
            assertEquals("220 Mail Server", c.replyLine());
            c.send("EHLO harvester.example\r\n");
            assertTrue(c.reply().contains("250-SIZE 5242880"));
            assertEquals("552 5.3.4 Message size exceeds fixed maximum message size",
                c.command("MAIL FROM:<a@example.com> SIZE=6000000"));
            assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<a@example.com>"));
            for (int i = 0; i < 100; i++) {
                assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<kate@contoso.test>"));
            }
            assertEquals("452 4.5.3 Too many recipients", c.command("RCPT TO:<lisa@contoso.test>"));
            assertEquals("500 5.3.3 Unrecognized command", c.command("HELLO"));
            assertEquals("500 5.3.3 Unrecognized command", c.command("HELLO"));
            assertEquals("421 4.7.0 Too many errors on this connection, closing transmission channel", c.command("HELLO"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void seed002ADirectoryHarvestIsSlowedByTheTarpitForEveryUnknownAddress() throws Exception {
        relay = RunningRelay.start(directory, "{ Name = \"Default Frontend EX01\", Server = EX01, TarpitInterval = \"00:00:01\" }");
        assertTrue(AdminShell.run(relay.dataDirectory,
            "Set-RecipientFilterConfig -Enabled $true -RecipientValidationEnabled $true").success());
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO harvester.example");
            c.command("MAIL FROM:<spammer@example.net>");
            long start = System.nanoTime();
            for (String guess : List.of("admin", "info", "sales")) {
                assertEquals("550 5.1.1 User unknown", c.command("RCPT TO:<" + guess + "@contoso.test>"));
            }
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= Duration.ofSeconds(3).toNanos(),
                "three guesses cost at least three TarpitIntervals, took " + Duration.ofNanos(elapsed));
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<kate@contoso.test>"));
        }
    }

    @Test
    void messageRateLimitDropsTheSessionWith421AndEvent1031() throws Exception {
        relay = RunningRelay.start(directory, "{ Name = \"Default Frontend EX01\", Server = EX01, MessageRateLimit = 2 }");
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.example");
            for (int i = 0; i < 2; i++) {
                assertTrue(c.sendMessage("app@example.com", List.of("kate@contoso.test"), "Subject: " + UUID.randomUUID()
                    + "\r\n\r\nx\r\n").startsWith("250 2.6.0"));
            }
            assertEquals("421 4.4.2 Message submission rate for this client has exceeded the configured limit",
                c.command("MAIL FROM:<app@example.com>"));
            assertTrue(c.closedByServer());
        }
        assertFalse(events(1031).isEmpty());
    }

    @Test
    void connectionTimeoutEndsEvenABusySessionWith421() throws Exception {
        // The one socket test of this timer, with a short real interval; the rest run on a manual clock.
        relay = RunningRelay.start(directory, "{ Name = \"Default Frontend EX01\", Server = EX01, "
            + "ProtocolLoggingLevel = None, ConnectionTimeout = \"00:00:02\", ConnectionInactivityTimeout = \"00:00:01\" }");
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            String reply = c.command("NOOP");
            while ("250 2.0.0 OK".equals(reply)) {
                reply = c.command("NOOP");
            }
            assertEquals("421 4.4.1 Connection timed out", reply);
        }
    }

    @Test
    void theAdminApiRefusesARequestWithoutTheToken() throws Exception {
        relay = RunningRelay.start(directory);
        String endpoint = java.nio.file.Files.readString(relay.dataDirectory.resolve("admin.endpoint")).strip();
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(endpoint)).header("Authorization", "Bearer wrong")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("Get-ReceiveConnector")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", relay.topology.adminPort()));
            assertTrue(s.isConnected(), "the admin API listens on loopback");
        }
    }
}
