package io.mailflow.server;

import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEventId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Transport service delivering onward through a smart-host Send connector, over real sockets:
 * to a downstream server written here and to Postfix's smtp-sink, through a downstream that is
 * down for a while (Retry queue, delay DSN, recovery), one that refuses a recipient (NDR for that
 * one only), one that never comes back (expiry NDR), and with the queue viewer's cmdlets.
 */
class OutboundDeliveryTest {
    /** Exchange's timers shortened so the story fits in seconds; the rules are the same. */
    static final String FAST_TIMERS = "TransportService { TransientFailureRetryCount = 1, "
        + "TransientFailureRetryInterval = \"00:00:01\", OutboundConnectionFailureRetryInterval = \"00:00:01\", "
        + "MessageRetryInterval = \"00:00:01\", DelayNotificationTimeout = \"00:00:02\" }";
    static final String RELAY_FRONTEND = "{ Name = \"Default Frontend EX01\", Server = EX01, TarpitInterval = \"00:00:00\", "
        + "AnonymousExtendedRights = [\"Ms-Exch-SMTP-Accept-Any-Recipient\"] }";

    @TempDir
    Path directory;
    RunningRelay relay;
    DownstreamSmtpServer downstream;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (downstream != null) {
            downstream.close();
        }
    }

    static String smartHost(int port) {
        return "SendConnectors = [ { Name = \"To Fabrikam\", AddressSpaces = [\"SMTP:fabrikam.example;1\"], "
            + "SmartHosts = [\"[127.0.0.1]\"], DNSRoutingEnabled = false, Port = " + port + " } ]";
    }

    private void start(String timers) throws Exception {
        downstream = new DownstreamSmtpServer();
        relay = RunningRelay.startWith(directory, smartHost(downstream.port()) + "\n" + timers, RELAY_FRONTEND);
    }

    private String send(List<String> to, String token) throws Exception {
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.contoso.test");
            String reply = c.sendMessage("kate@contoso.test", to, "Subject: " + token + "\r\n\r\nbody " + token + "\r\n");
            assertTrue(reply.startsWith("250 2.6.0"), reply);
            return reply;
        }
    }

    private List<String> kateMessages(String containing) {
        return Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream().filter(m -> m.contains(containing))
            .toList();
    }

    @Test
    void mailForAnExternalDomainGoesThroughTheSmartHostSendConnector() throws Exception {
        start("");
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example", "alice@fabrikam.example"), token);
        Eventually.await("the downstream server to receive it", Duration.ofSeconds(20), () -> downstream.count(token) == 1);
        DownstreamSmtpServer.Received r = downstream.received.stream().filter(x -> x.data().contains(token)).findFirst()
            .orElseThrow();
        assertEquals("kate@contoso.test", r.mailFrom());
        assertEquals(List.of("bob@fabrikam.example", "alice@fabrikam.example"), r.recipients());
        assertTrue(r.data().startsWith("Received: from app.contoso.test"), r.data());
        assertFalse(r.data().contains("X-MS-Exchange-Organization-"), "organization headers stay inside: " + r.data());
        Eventually.await("SEND in the tracking log", Duration.ofSeconds(10), () -> {
            relay.topology.logs().flush();
            return MessageTrackingLog.search(relay.logs(), e -> e.eventId() == TrackingEventId.SEND
                && token.equals(e.messageSubject())).size() == 1;
        });
    }

    @Test
    void aRecipientRefusedDownstreamGetsAnNdrAndTheOthersAreDelivered() throws Exception {
        start("");
        downstream.refused = Set.of("nobody@fabrikam.example");
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example", "nobody@fabrikam.example", "alice@fabrikam.example"), token);
        Eventually.await("the NDR in kate's mailbox", Duration.ofSeconds(20),
            () -> !kateMessages("Undeliverable: " + token).isEmpty());
        String ndr = kateMessages("Undeliverable: " + token).get(0);
        assertTrue(ndr.contains("Content-Type: multipart/report; report-type=delivery-status"), ndr);
        assertTrue(ndr.contains("Final-Recipient: rfc822;nobody@fabrikam.example"), ndr);
        assertTrue(ndr.contains("550 5.1.1 User unknown"), ndr);
        assertTrue(ndr.startsWith("Return-Path: <>"), "a DSN is sent from the null sender");
        assertFalse(ndr.contains("Final-Recipient: rfc822;bob@fabrikam.example"), ndr);
        assertEquals(1, downstream.count(token));
        assertEquals(List.of("bob@fabrikam.example", "alice@fabrikam.example"), downstream.received.stream()
            .filter(x -> x.data().contains(token)).findFirst().orElseThrow().recipients());
    }

    @Test
    void whileTheSmartHostIsDownTheQueueRetriesSendsADelayDsnAndDeliversOnceItIsBack() throws Exception {
        start(FAST_TIMERS);
        downstream.down = true;
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example"), token);
        Eventually.await("the queue to be in Retry", Duration.ofSeconds(20), () -> {
            String q = AdminShell.run(relay.dataDirectory,
                "Get-Queue -Filter \"DeliveryType -eq 'SmartHostConnectorDelivery'\" | fl Status,LastError,NextRetryTime,MessageCount").output();
            return q.contains("Retry") && q.contains("421 4.3.2") && q.contains("NextRetryTime");
        });
        String timers = AdminShell.run(relay.dataDirectory, "Get-TransportService | fl *RetryInterval,DelayNotificationTimeout").output();
        assertTrue(timers.contains("TransientFailureRetryInterval") && timers.contains(": 00:00:01")
            && timers.contains("DelayNotificationTimeout") && timers.contains(": 00:00:02"), timers);
        Eventually.await("the delay DSN", Duration.ofSeconds(20), () -> !kateMessages("Delivery delayed: " + token).isEmpty());
        assertTrue(kateMessages("Delivery delayed: " + token).get(0).contains("Action: delayed"));
        downstream.down = false;
        Eventually.await("delivery after recovery", Duration.ofSeconds(30), () -> downstream.count(token) == 1);
        assertEquals(1, kateMessages("Delivery delayed: " + token).size(), "one delay DSN only");
        Eventually.await("the queue to empty", Duration.ofSeconds(10), () -> AdminShell.run(relay.dataDirectory,
            "Get-Message").output().isBlank());
        assertEquals(1, downstream.count(token), "delivered once");
    }

    @Test
    void aMessageThatCannotBeDeliveredBeforeMessageExpirationTimeoutIsReturnedWithAnNdr() throws Exception {
        start("TransportService { TransientFailureRetryCount = 1, TransientFailureRetryInterval = \"00:00:01\", "
            + "OutboundConnectionFailureRetryInterval = \"00:00:01\", MessageExpirationTimeout = \"00:00:05\", "
            + "DelayNotificationTimeout = \"00:00:04\" }");
        downstream.down = true;
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example"), token);
        Eventually.await("the expiry NDR", Duration.ofSeconds(30), () -> !kateMessages("Undeliverable: " + token).isEmpty());
        assertTrue(kateMessages("Undeliverable: " + token).get(0).contains("4.4.7"));
        assertEquals(0, downstream.count(token));
    }

    @Test
    void theQueueViewerSuspendsResumesAndRemovesAsExchangeDocuments() throws Exception {
        start(FAST_TIMERS);
        downstream.down = true;
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example"), token);
        Eventually.await("the message to be queued", Duration.ofSeconds(20), () -> AdminShell.run(relay.dataDirectory,
            "Get-Message | fl Identity,Subject").output().contains(token));
        String identity = AdminShell.run(relay.dataDirectory, "Get-Message | fl Identity").output()
            .lines().filter(l -> l.startsWith("Identity")).findFirst().orElseThrow().split(":", 2)[1].strip();
        String queue = identity.substring(0, identity.lastIndexOf('\\'));
        assertTrue(AdminShell.run(relay.dataDirectory, "Suspend-Queue " + queue + " -Confirm:$false").success());
        assertTrue(AdminShell.run(relay.dataDirectory, "Get-Queue " + queue + " | fl Status").output().contains("Suspended"));
        assertTrue(AdminShell.run(relay.dataDirectory, "Resume-Queue " + queue + " -Confirm:$false").success());
        assertTrue(AdminShell.run(relay.dataDirectory, "Suspend-Message " + identity + " -Confirm:$false").success());
        // A message caught in a connection attempt is PendingSuspend until the attempt ends.
        Eventually.await("the message to be Suspended", Duration.ofSeconds(10), () -> AdminShell.run(relay.dataDirectory,
            "Get-Message " + identity + " | fl Status").output().contains(": Suspended"));
        AdminShell.Result removed = AdminShell.run(relay.dataDirectory,
            "Remove-Message " + identity + " -WithNDR $false -Confirm:$false");
        assertTrue(removed.success(), removed.output());
        Eventually.await("the message to leave the queue", Duration.ofSeconds(10), () -> !AdminShell.run(
            relay.dataDirectory, "Get-Message").output().contains(token));
        downstream.down = false;
        assertTrue(kateMessages("Undeliverable: " + token).isEmpty(), "removed without an NDR");
        assertEquals(0, downstream.count(token));
    }

    @Test
    void notifySuccessGetsADeliveredDsnAndAnUnknownLocalRecipientAnNdrWithItsOriginalRecipient() throws Exception {
        start("");
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.contoso.test");
            assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<kate@contoso.test> RET=HDRS ENVID=" + token));
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<lisa@contoso.test> NOTIFY=SUCCESS,FAILURE"));
            assertEquals("250 2.1.5 Recipient OK",
                c.command("RCPT TO:<nobody@contoso.test> ORCPT=rfc822;nobody+2Bsales@contoso.test"));
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<david@contoso.test> NOTIFY=NEVER"));
            c.command("DATA");
            c.send("Subject: " + token + "\r\n\r\nhello\r\n.\r\n");
            assertTrue(c.replyLine().startsWith("250 2.6.0"));
        }
        Eventually.await("the success DSN", Duration.ofSeconds(20), () -> !kateMessages("Delivered: " + token).isEmpty());
        String success = kateMessages("Delivered: " + token).get(0);
        assertTrue(success.contains("Action: delivered") && success.contains("Final-Recipient: rfc822;lisa@contoso.test"));
        assertTrue(success.contains("Original-Envelope-Id: " + token), success);
        Eventually.await("the NDR", Duration.ofSeconds(20), () -> !kateMessages("Undeliverable: " + token).isEmpty());
        String ndr = kateMessages("Undeliverable: " + token).get(0);
        assertTrue(ndr.contains("Original-Recipient: rfc822;nobody+sales@contoso.test"), ndr);
        assertTrue(ndr.contains("550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found"), ndr);
        assertFalse(ndr.contains("david@contoso.test"), "NOTIFY=NEVER: no DSN for david");
        assertEquals(1, kateMessages("Undeliverable: " + token).size());
    }

    @Test
    void anEmptyDeliveryQueueIsRemovedAfterQueueMaxIdleTime() throws Exception {
        start("TransportService { QueueMaxIdleTime = \"00:00:05\" }");
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example"), token);
        Eventually.await("delivery", Duration.ofSeconds(20), () -> downstream.count(token) == 1);
        Eventually.await("the idle queue to go", Duration.ofSeconds(20), () -> !AdminShell.run(relay.dataDirectory,
            "Get-Queue").output().contains("SmartHostConnectorDelivery"));
        String again = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example"), again);
        Eventually.await("a new queue to deliver the next message", Duration.ofSeconds(20),
            () -> downstream.count(again) == 1);
    }

    @Test
    void postfixSmtpSinkReceivesEveryMessage() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("/usr/sbin/smtp-sink"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "root"));
        }
        command.addAll(List.of("127.0.0.1:" + port, "100"));
        Process sink = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            relay = RunningRelay.startWith(directory, smartHost(port), RELAY_FRONTEND);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String token = "sink-" + i + "-" + UUID.randomUUID();
                tokens.add(token);
                send(List.of("bob@fabrikam.example"), token);
            }
            Eventually.await("20 SEND events", Duration.ofSeconds(30), () -> {
                relay.topology.logs().flush();
                return MessageTrackingLog.search(relay.logs(), e -> e.eventId() == TrackingEventId.SEND
                    && e.messageSubject() != null && e.messageSubject().startsWith("sink-")).size() == 20;
            });
        } finally {
            sink.destroyForcibly();
        }
    }
}
