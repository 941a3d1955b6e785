package io.mailflow.server;

import io.mailflow.core.logging.ProtocolLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Send connector with FrontendProxyEnabled $true over real sockets: the Transport service's
 * queue connects to the Outbound Proxy Frontend connector (717 + the test's offset), names the
 * smart host with XMAILFLOWPROXYTO, and the Front End Transport relays the session to the
 * downstream server, which sees the FET's EHLO name; a recipient refused downstream gets an NDR,
 * and a downstream that is down leaves the message in the Retry queue with the FET's 451.
 */
class FrontendProxyDeliveryTest {
    private static final String FET_NAME = "ex01-fet.contoso.test";
    /** The 717 connector logs its sessions and announces its own name, so the leg can be told apart. */
    private static final String OUTBOUND_PROXY = "{ Name = \"Outbound Proxy Frontend EX01\", Server = EX01, "
        + "ProtocolLoggingLevel = Verbose, Fqdn = \"" + FET_NAME + "\" }";

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

    private void start(String timers) throws Exception {
        downstream = new DownstreamSmtpServer();
        String connector = "SendConnectors = [ { Name = \"To Fabrikam\", AddressSpaces = [\"SMTP:fabrikam.example;1\"], "
            + "SmartHosts = [\"[127.0.0.1]\"], DNSRoutingEnabled = false, Port = " + downstream.port()
            + ", FrontendProxyEnabled = \"$true\" } ]";
        relay = RunningRelay.startWith(directory, connector + "\n" + timers, OutboundDeliveryTest.RELAY_FRONTEND,
            OUTBOUND_PROXY);
    }

    private void send(List<String> to, String token) throws Exception {
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.contoso.test");
            String reply = c.sendMessage("kate@contoso.test", to, "Subject: " + token + "\r\n\r\nbody " + token + "\r\n");
            assertTrue(reply.startsWith("250 2.6.0"), reply);
        }
    }

    @Test
    void theMessageLeavesThroughTheFrontEndTransport() throws Exception {
        start("");
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example", "alice@fabrikam.example"), token);
        Eventually.await("the downstream server to receive it", Duration.ofSeconds(20), () -> downstream.count(token) == 1);
        DownstreamSmtpServer.Received r = downstream.received.stream().filter(x -> x.data().contains(token))
            .findFirst().orElseThrow();
        assertEquals("kate@contoso.test", r.mailFrom());
        assertEquals(List.of("bob@fabrikam.example", "alice@fabrikam.example"), r.recipients());
        assertEquals(List.of(FET_NAME), downstream.helloNames, "only the FET's leg reached the downstream server");

        relay.topology.logs().flush();
        int proxyPort = relay.organization.port(717);
        List<ProtocolLog.Line> received = ProtocolLog.read(relay.logs(), ProtocolLog.Kind.SmtpReceive,
            l -> l.connectorId().equals("EX01\\Outbound Proxy Frontend EX01"));
        assertTrue(received.stream().anyMatch(l -> l.data().equals("XMAILFLOWPROXYTO SMARTHOSTS=[127.0.0.1] PORT="
            + downstream.port())), "the 717 session was told the destination: " + received);
        assertTrue(received.stream().anyMatch(l -> l.data().startsWith("250 2.0.0 Proxy session established")));
        List<ProtocolLog.Line> sent = ProtocolLog.read(relay.logs(), ProtocolLog.Kind.SmtpSend);
        assertTrue(sent.stream().anyMatch(l -> l.connectorId().equals("To Fabrikam")
            && l.remoteEndpoint().endsWith(":" + proxyPort)), "the Transport service connected to 717: " + sent);
        assertTrue(sent.stream().anyMatch(l -> l.connectorId().equals("EX01\\Outbound Proxy Frontend EX01")
            && l.data().equals("EHLO " + FET_NAME)), "the FET's leg is in the send log: " + sent);
        assertFalse(sent.stream().anyMatch(l -> l.connectorId().equals("To Fabrikam")
            && l.remoteEndpoint().endsWith(":" + downstream.port())), "the Transport service never connected itself");
    }

    @Test
    void aRecipientRefusedDownstreamGetsAnNdrAndTheOthersAreDelivered() throws Exception {
        start("");
        downstream.refused = Set.of("nobody@fabrikam.example");
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example", "nobody@fabrikam.example"), token);
        Eventually.await("the NDR in kate's mailbox", Duration.ofSeconds(20),
            () -> Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream()
                .anyMatch(m -> m.contains("Undeliverable: " + token)));
        String ndr = Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream()
            .filter(m -> m.contains("Undeliverable: " + token)).findFirst().orElseThrow();
        assertTrue(ndr.contains("Final-Recipient: rfc822;nobody@fabrikam.example"), ndr);
        assertTrue(ndr.contains("550 5.1.1 User unknown"), "the destination's own reply, passed through: " + ndr);
        assertFalse(ndr.contains("Final-Recipient: rfc822;bob@fabrikam.example"), ndr);
        assertEquals(List.of("bob@fabrikam.example"), downstream.received.stream()
            .filter(x -> x.data().contains(token)).findFirst().orElseThrow().recipients());
    }

    @Test
    void aDownstreamThatIsDownLeavesTheMessageInRetryWithTheProxysReply() throws Exception {
        start(OutboundDeliveryTest.FAST_TIMERS);
        downstream.down = true;
        String token = UUID.randomUUID().toString();
        send(List.of("bob@fabrikam.example"), token);
        Eventually.await("the queue to be in Retry", Duration.ofSeconds(20), () -> {
            String q = AdminShell.run(relay.dataDirectory,
                "Get-Queue -Filter \"DeliveryType -eq 'SmartHostConnectorDelivery'\" | fl Status,LastError,MessageCount")
                .output();
            return q.contains("Retry") && q.contains("451 4.4.0 Primary target IP address responded with")
                && q.contains("421 4.3.2 Service not available");
        });
        assertEquals(0, downstream.count(token));
        downstream.down = false;
        Eventually.await("delivery once the downstream is back", Duration.ofSeconds(30), () -> downstream.count(token) == 1);
    }
}
