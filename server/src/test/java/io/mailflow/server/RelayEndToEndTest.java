package io.mailflow.server;

import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton end to end over real sockets: SMTP in on Default Frontend, spool,
 * categorizer, Mailbox Transport Delivery into Maildir, and the logs of every step.
 */
class RelayEndToEndTest {
    private static final Pattern QUEUED = Pattern.compile(
        "250 2\\.6\\.0 (<[^>]+>) \\[InternalId=\\d+, Hostname=ex01\\.contoso\\.test] Queued mail for delivery");

    @TempDir
    static Path directory;
    static RunningRelay relay;

    @BeforeAll
    static void start() {
        relay = RunningRelay.start(directory, java.util.stream.Stream.of("Default Frontend EX01",
                "Client Frontend EX01", "Outbound Proxy Frontend EX01", "Default EX01", "Client Proxy EX01",
                "Mailbox Delivery EX01")
            .map(name -> "{ Name = \"" + name + "\", Server = EX01, TarpitInterval = \"00:00:00\" }")
            .toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void theTelnetWalkThroughOfSeed002DeliversIntoTheMailbox() throws Exception {
        String token = UUID.randomUUID().toString();
        String messageId;
        try (SmtpTestClient c = relay.connect()) {
            assertTrue(c.replyLine().matches("220 ex01\\.contoso\\.test Microsoft ESMTP MAIL Service ready at "
                + "\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000"));
            c.send("EHLO client.example\r\n");
            assertEquals(List.of("250-ex01.contoso.test Hello [127.0.0.1]", "250-SIZE 37748736", "250-PIPELINING", "250-DSN",
                "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-8BITMIME", "250 SMTPUTF8"), c.reply());
            assertEquals("250 2.1.0 Sender OK", c.command("Mail from:someone@example.com"));
            assertEquals("250 2.1.5 Recipient OK", c.command("Rcpt to:kate@contoso.test"));
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>", c.command("Data"));
            c.send("Subject: " + token + "\r\n\r\nThis is a test message.\r\n.\r\n");
            var queued = QUEUED.matcher(c.replyLine());
            assertTrue(queued.matches());
            messageId = queued.group(1);
            assertEquals("221 2.0.0 Service closing transmission channel", c.command("QUIT"));
        }
        Eventually.await("delivery to kate", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "kate", token) == 1);
        String delivered = Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream()
            .filter(m -> m.contains(token)).findFirst().orElseThrow();
        assertTrue(delivered.startsWith("Return-Path: <someone@example.com>\r\nReceived: from ex01.contoso.test"),
            "Mailbox Transport Delivery stamps its own hop (475): " + delivered);
        assertTrue(delivered.contains("\r\nReceived: from client.example ([127.0.0.1])"), delivered);
        assertTrue(delivered.contains("Message-ID: " + messageId + "\r\n"), "a Message-ID is added when missing");
        assertTrue(delivered.contains("\r\nDate: "), "a Date is added when missing");
        assertTrue(delivered.endsWith("\r\n\r\nThis is a test message.\r\n"));

        relay.topology.logs().flush();
        Eventually.await("SEND and DELIVER in the tracking log", Duration.ofSeconds(10), () -> {
            relay.topology.logs().flush();
            List<TrackingEvent> events = MessageTrackingLog.search(relay.logs(), messageId);
            return events.stream().anyMatch(e -> e.eventId() == TrackingEventId.DELIVER)
                && events.stream().anyMatch(e -> e.eventId() == TrackingEventId.SEND);
        });
        List<TrackingEventId> steps = MessageTrackingLog.search(relay.logs(), messageId).stream()
            .map(TrackingEvent::eventId).toList();
        // The Transport service SENDs to Mailbox Transport Delivery (475), which DELIVERs: Exchange's sequence.
        assertEquals(List.of(TrackingEventId.RECEIVE, TrackingEventId.SUBMIT), steps.subList(0, 2));
        assertEquals(java.util.Set.of(TrackingEventId.SEND, TrackingEventId.DELIVER),
            java.util.Set.copyOf(steps.subList(2, steps.size())));
        var receive = MessageTrackingLog.search(relay.logs(), messageId).get(0);
        assertEquals("EX01\\Default Frontend EX01", receive.connectorId());
        assertEquals(token, receive.messageSubject());

        var lines = ProtocolLog.read(relay.logs(), ProtocolLog.Kind.SmtpReceive);
        assertTrue(lines.stream().anyMatch(l -> l.data().equals("Rcpt to:kate@contoso.test")),
            "Default Frontend logs its sessions (ProtocolLoggingLevel Verbose)");
    }

    @Test
    void aProxyAddressAndAGroupWithAnUnknownRecipientDeliverOneCopyPerMailboxAndFailTheUnknown() throws Exception {
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO client.example");
            String reply = c.sendMessage("app@example.com",
                List.of("all-staff@contoso.test", "k.smith@contoso.test", "nobody@contoso.test"),
                "Subject: " + token + "\r\n\r\nhello all\r\n");
            assertTrue(QUEUED.matcher(reply).matches(), reply);
        }
        for (String[] box : new String[][]{{"DB01", "administrator"}, {"DB01", "kate"}, {"DB01", "chris"},
            {"DB02", "david"}, {"DB02", "lisa"}, {"DB02", "helpdesk"}}) {
            Eventually.await(box[1] + "'s copy", Duration.ofSeconds(20),
                () -> Mailboxes.count(relay.dataDirectory, box[0], box[1], token) == 1);
        }
        Eventually.await("FAIL for the unknown recipient", Duration.ofSeconds(10), () -> {
            relay.topology.logs().flush();
            return MessageTrackingLog.search(relay.logs(), e -> e.eventId() == TrackingEventId.FAIL
                && token.equals(e.messageSubject())
                && e.recipientStatus().contains("550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found")).size() == 1;
        });
        assertEquals(1, Mailboxes.count(relay.dataDirectory, "DB01", "kate", token),
            "kate is a member and named by her proxy address, and still gets one copy");
    }

    @Test
    void swaksPipelinesAMessageThroughTheRelay() throws Exception {
        String token = UUID.randomUUID().toString();
        Process swaks = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + relay.defaultFrontendPort(),
            "--pipeline", "--ehlo", "swaks.example", "--from", "swaks@example.com", "--to", "chris@contoso.test",
            "--header", "Subject: " + token, "--body", "sent by swaks").redirectErrorStream(true).start();
        String transcript = new String(swaks.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, swaks.waitFor(), transcript);
        assertTrue(transcript.contains("<-  250-PIPELINING"), transcript);
        assertTrue(transcript.contains("Queued mail for delivery"), transcript);
        Eventually.await("swaks's message", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "chris", token) == 1);
    }

    @Test
    void eachListeningConnectorAndTheSpoolRecoveryAreInTheEventLog() {
        relay.topology.logs().flush();
        List<String> texts = io.mailflow.core.logging.EventLog.read(relay.logs()).stream()
            .map(e -> e.event().eventId() + " " + e.event().text()).toList();
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("7001 ") && t.contains("Default Frontend EX01")
            && t.contains(":" + relay.defaultFrontendPort())), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("7002 ")), texts.toString());
    }

    @Test
    void anExternalRecipientIsRefusedAsRelayDenied() throws Exception {
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO client.example");
            c.command("MAIL FROM:<app@example.com>");
            assertEquals("550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
                c.command("RCPT TO:<someone@fabrikam.example>"));
        }
    }

    @Test
    void onLoopbackTheServerToServerConnectorsTrustTheNetwork() throws Exception {
        // Default EX01, Mailbox Delivery EX01 and Outbound Proxy Frontend EX01 are ExternalAuthoritative
        // on a loopback binding.
        for (int exchangePort : new int[]{2525, 475, 717}) {
            try (SmtpTestClient c = relay.connect(relay.organization.port(exchangePort))) {
                assertTrue(c.replyLine().startsWith("220 "));
                c.command("EHLO ex02.contoso.test");
                assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<a@example.com>"), "port " + exchangePort);
            }
        }
    }

    @Test
    void theClientConnectorsRefuseAnonymousSenders() throws Exception {
        for (int exchangePort : new int[]{465, 587}) {
            try (SmtpTestClient c = relay.connect(relay.organization.port(exchangePort))) {
                assertTrue(c.replyLine().startsWith("220 "));
                c.command("EHLO client.example");
                assertEquals("530 5.7.1 Client was not authenticated", c.command("MAIL FROM:<a@example.com>"),
                    "port " + exchangePort);
            }
        }
    }
}
