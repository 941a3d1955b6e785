package io.mailflow.delivery.smtp;

import com.typesafe.config.ConfigFactory;
import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.time.SystemClock;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP client over real sockets against {@link ScriptedSmtpServer}: the bytes on the wire
 * (pipelined groups, dot-stuffing, CRLF.CRLF, QUIT), the protocol log, and the failures a Send
 * connector meets (connection refused, a server that never speaks).
 */
class SmtpClientTest {
    private static ActorSystem system;
    private static SmtpClient client;

    @BeforeAll
    static void startPekko() {
        system = ActorSystem.create("smtp-client-test", ConfigFactory.parseString("pekko.loglevel = WARNING"));
        client = new SmtpClient(system, SystemClock.INSTANCE);
    }

    @AfterAll
    static void stopPekko() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static SmtpTarget target(int port, Duration inactivity) {
        return new SmtpTarget("127.0.0.1", port, "ex01.contoso.com", Duration.ofSeconds(5), inactivity);
    }

    private static DeliveryBatchResult deliver(SmtpTarget target, List<OutboundMessage> messages,
                                               ProtocolLog.Session log) throws Exception {
        return client.deliver(target, messages, log).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void pipelinedBatchOnTheWireIsStuffedTerminatedLoggedAndQuit(@TempDir Path logs) throws Exception {
        String first = "Subject: one\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nlast line without CRLF";
        String second = "Subject: two\r\n\r\nplain\r\n";
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(c -> {
            c.send("220 mx.fabrikam.test ESMTP");
            assertEquals("EHLO ex01.contoso.com", c.readLine());
            c.send("250-mx.fabrikam.test Hello\n250-PIPELINING\n250-SIZE 1000000\n250 ENHANCEDSTATUSCODES");
            // The whole group is read before any reply: a client waiting for MAIL's reply would hang.
            assertEquals(List.of("MAIL FROM:<kate@contoso.com> SIZE=" + first.length(),
                "RCPT TO:<a@fabrikam.test>", "RCPT TO:<b@fabrikam.test>", "RCPT TO:<c@fabrikam.test>", "DATA"),
                c.readLines(5));
            c.send("250 2.1.0 Sender OK\n250 2.1.5 Recipient OK\n550 5.1.1 User unknown\n250 2.1.5 Recipient OK");
            c.send("354 Start mail input; end with <CRLF>.<CRLF>");
            assertEquals("Subject: one\r\n\r\n..leading dot\r\n...two dots\r\n..\r\nlast line without CRLF\r\n.\r\n",
                c.readData());
            c.send("250 2.6.0 <1@contoso.com> Queued mail for delivery");
            assertEquals(List.of("MAIL FROM:<> SIZE=" + second.length(), "RCPT TO:<d@fabrikam.test>", "DATA"),
                c.readLines(3));
            c.send("250 2.1.0 Sender OK\n250 2.1.5 Recipient OK\n354 go ahead");
            assertEquals(second + ".\r\n", c.readData());
            c.send("250 2.6.0 <2@contoso.com> Queued mail for delivery");
            assertEquals("QUIT", c.readLine());
            c.send("221 2.0.0 Service closing transmission channel");
            assertTrue(c.clientClosed(), "the client closes after 221 without another byte");
        })) {
            ProtocolLog sendLog = ProtocolLog.send(logs, SystemClock.INSTANCE);
            ProtocolLog.Session log = sendLog.openSession("EX01\\Internet", "", "127.0.0.1:" + server.port());
            DeliveryBatchResult result = deliver(target(server.port(), Duration.ofSeconds(30)), List.of(
                OutboundMessage.of("1", "kate@contoso.com", List.of("a@fabrikam.test", "b@fabrikam.test",
                    "c@fabrikam.test"), first.getBytes(StandardCharsets.US_ASCII)),
                OutboundMessage.of("2", "", List.of("d@fabrikam.test"), second.getBytes(StandardCharsets.US_ASCII))),
                log);
            ScriptedSmtpServer.Conversation conversation = server.awaitScript();

            assertEquals(Optional.empty(), result.failure());
            assertEquals(2, result.results().size());
            assertEquals(List.of("a@fabrikam.test", "c@fabrikam.test"), result.results().get(0).delivered());
            assertEquals("550 5.1.1 User unknown", result.results().get(0).recipients().get(1).reply().toLogString());
            assertEquals(List.of("d@fabrikam.test"), result.results().get(1).delivered());
            assertTrue(result.serverCapabilities().pipelining());
            assertEquals("127.0.0.1:" + server.port(), result.remoteEndpoint());
            assertTrue(conversation.received().endsWith("QUIT\r\n"));

            sendLog.flush();
            List<ProtocolLog.Line> lines = ProtocolLog.readSession(logs, ProtocolLog.Kind.SmtpSend, log.sessionId());
            sendLog.close();
            assertEquals(ProtocolLog.Event.CONNECT, lines.get(0).event());
            assertEquals("220 mx.fabrikam.test ESMTP", lines.stream()
                .filter(l -> l.event() == ProtocolLog.Event.RECEIVE).findFirst().orElseThrow().data());
            assertTrue(lines.stream().anyMatch(l -> l.event() == ProtocolLog.Event.SEND
                && l.data().equals("RCPT TO:<b@fabrikam.test>")));
            assertTrue(lines.stream().noneMatch(l -> l.data().contains("leading dot")), "content is never logged");
            assertEquals(ProtocolLog.Event.DISCONNECT, lines.get(lines.size() - 1).event());
        }
    }

    @Test
    void withoutPipeliningOneCommandAtATimeAndRsetWhenNoRecipientIsAccepted() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(c -> {
            c.send("220 mx.fabrikam.test ESMTP");
            assertEquals("EHLO ex01.contoso.com", c.readLine());
            c.send("502 5.5.2 Command not implemented");
            assertEquals("HELO ex01.contoso.com", c.readLine());
            c.send("250 mx.fabrikam.test");
            assertEquals("MAIL FROM:<kate@contoso.com>", c.readLine());
            c.send("250 OK");
            assertEquals("RCPT TO:<a@fabrikam.test>", c.readLine());
            c.send("550 No such user");
            assertEquals("RCPT TO:<b@fabrikam.test>", c.readLine());
            c.send("550 No such user");
            assertEquals("RSET", c.readLine());
            c.send("250 OK");
            assertEquals("QUIT", c.readLine());
            c.send("221 Bye");
            assertTrue(c.clientClosed());
        })) {
            DeliveryBatchResult result = deliver(target(server.port(), Duration.ofSeconds(30)), List.of(
                OutboundMessage.of("1", "kate@contoso.com", List.of("a@fabrikam.test", "b@fabrikam.test"),
                    "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))),
                ProtocolLog.Session.DISABLED);
            ScriptedSmtpServer.Conversation conversation = server.awaitScript();

            assertFalse(conversation.received().contains("DATA"), "no DATA and no content without a recipient");
            assertEquals(Optional.empty(), result.results().get(0).dataReply());
            assertEquals(Optional.empty(), result.failure());
            assertFalse(result.serverCapabilities().extended());
        }
    }

    @Test
    void connectionRefusedIsATransientConnectionFailure() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again: nothing listens there now
        }
        DeliveryBatchResult result = deliver(target(port, Duration.ofSeconds(30)), List.of(
            OutboundMessage.of("1", "kate@contoso.com", List.of("a@fabrikam.test"), new byte[]{'x'})),
            ProtocolLog.Session.DISABLED);

        assertEquals(List.of(), result.results());
        ConnectionFailure failure = result.failure().orElseThrow();
        assertTrue(failure.isTransient());
        assertFalse(failure.fromServer());
        assertEquals("4.4.1", failure.reply().enhancedCode());
        assertEquals("127.0.0.1:" + port, result.remoteEndpoint());
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndTheClientHangsUp() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(c ->
            assertTrue(c.clientClosed(), "the client gave up and closed without a word"))) {
            DeliveryBatchResult result = deliver(target(server.port(), Duration.ofMillis(500)), List.of(
                OutboundMessage.of("1", "kate@contoso.com", List.of("a@fabrikam.test"), new byte[]{'x'})),
                ProtocolLog.Session.DISABLED);
            server.awaitScript();

            ConnectionFailure failure = result.failure().orElseThrow();
            assertTrue(failure.isTransient());
            assertEquals("451 4.4.2", failure.reply().code() + " " + failure.reply().enhancedCode());
            assertTrue(failure.reason().contains("greeting"), failure.reason());
            assertEquals(List.of(), result.results());
        }
    }

    @Test
    void aServerThatStopsAnsweringMidTransactionTimesOut() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(c -> {
            c.send("220 mx.fabrikam.test ESMTP");
            c.readLine();
            c.send("250-mx.fabrikam.test\n250 PIPELINING");
            c.readLines(3);
            c.send("250 2.1.0 Sender OK");  // and then silence
            assertTrue(c.clientClosed());
        })) {
            DeliveryBatchResult result = deliver(target(server.port(), Duration.ofMillis(500)), List.of(
                OutboundMessage.of("1", "kate@contoso.com", List.of("a@fabrikam.test"), new byte[]{'x'}),
                OutboundMessage.of("2", "kate@contoso.com", List.of("b@fabrikam.test"), new byte[]{'y'})),
                ProtocolLog.Session.DISABLED);
            server.awaitScript();

            assertEquals(1, result.results().size(), "message 2 was not attempted");
            assertEquals(451, result.results().get(0).recipients().get(0).reply().code());
            assertTrue(result.failure().orElseThrow().isTransient());
        }
    }
}
