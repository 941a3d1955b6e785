package io.mailflow.core.logging;

import io.mailflow.core.organization.ProtocolLoggingLevel;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTP protocol log: Exchange's receive and send protocol log format. */
class ProtocolLogTest {
    private static final String CONNECTOR = "MAIL01\\Default Frontend MAIL01";

    @TempDir
    Path logs;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:34:27.520Z"));

    @Test
    void receiveLogHasExchangeHeaderAndOneLinePerEventNumberedFromZero() throws IOException {
        String sessionId;
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session s = log.openSession(CONNECTOR, "10.0.0.5:25", "203.0.113.7:56026");
            sessionId = s.sessionId();
            s.connected();
            s.sent(SmtpReply.of(220, "mail01.contoso.com Microsoft ESMTP MAIL Service ready"));
            clock.advance(Duration.ofMillis(15));
            s.received("EHLO [203.0.113.7]");
            s.info("SMTPSubmit SMTPAcceptAnySender", "Set Session Permissions");
            s.received("MAIL FROM:<a@b.example>");
            s.sent(SmtpReply.of(250, "2.1.0", "Sender OK"));
            s.disconnected("Remote");
        }
        List<String> lines = Files.readAllLines(logs.resolve("ProtocolLog/SmtpReceive/RECV20261122-1.LOG"));
        String p1 = "2026-11-22T10:34:27.520Z," + CONNECTOR + "," + sessionId + ",";
        String p2 = "2026-11-22T10:34:27.535Z," + CONNECTOR + "," + sessionId + ",";
        String ends = ",10.0.0.5:25,203.0.113.7:56026,";
        assertEquals(List.of(
            "#Software: Microsoft Exchange Server",
            "#Version: 15.01.2375.007",
            "#Log-type: SMTP Receive Protocol Log",
            "#Date: 2026-11-22T10:34:27.520Z",
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context",
            p1 + "0" + ends + "+,,",
            p1 + "1" + ends + ">,220 mail01.contoso.com Microsoft ESMTP MAIL Service ready,",
            p2 + "2" + ends + "<,EHLO [203.0.113.7],",
            p2 + "3" + ends + "*,SMTPSubmit SMTPAcceptAnySender,Set Session Permissions",
            p2 + "4" + ends + "<,MAIL FROM:<a@b.example>,",
            p2 + "5" + ends + ">,250 2.1.0 Sender OK,",
            p2 + "6" + ends + "-,,Remote"),
            lines);
    }

    @Test
    void sessionIdsAreSixteenUpperCaseHexDigitsSeededFromTheClock() {
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session a = log.openSession(CONNECTOR, "l", "r");
            ProtocolLog.Session b = log.openSession(CONNECTOR, "l", "r");
            assertTrue(a.sessionId().matches("[0-9A-F]{16}"), a.sessionId());
            assertEquals(SessionIdGenerator.format(SessionIdGenerator.ticks(clock.now())), a.sessionId());
            assertEquals(Long.parseUnsignedLong(a.sessionId(), 16) + 1, Long.parseUnsignedLong(b.sessionId(), 16));
        }
        assertEquals("08D675E58CA1DA38", SessionIdGenerator.format(0x08D675E58CA1DA38L));
        // .NET: new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks
        assertEquals(630_822_816_000_000_000L, SessionIdGenerator.ticks(Instant.parse("2000-01-01T00:00:00Z")));
    }

    @Test
    void eachSessionKeepsItsOwnSequence() {
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session a = log.openSession(CONNECTOR, "l:25", "r:1");
            ProtocolLog.Session b = log.openSession(CONNECTOR, "l:25", "r:2");
            a.connected();
            b.connected();
            a.received("EHLO a");
            b.received("EHLO b");
            a.disconnected("Local");
            log.flush();
            assertEquals(List.of(0, 1, 2), ProtocolLog.readSession(logs, ProtocolLog.Kind.SmtpReceive, a.sessionId())
                .stream().map(ProtocolLog.Line::sequenceNumber).toList());
            List<ProtocolLog.Line> bLines = ProtocolLog.readSession(logs, ProtocolLog.Kind.SmtpReceive, b.sessionId());
            assertEquals(List.of(0, 1), bLines.stream().map(ProtocolLog.Line::sequenceNumber).toList());
            assertEquals(List.of(ProtocolLog.Event.CONNECT, ProtocolLog.Event.RECEIVE),
                bLines.stream().map(ProtocolLog.Line::event).toList());
            assertEquals("EHLO b", bLines.get(1).data());
        }
    }

    @Test
    void multiLineRepliesAreFlattenedToOneLine() {
        String ehlo = "250-mail01.contoso.com Hello [203.0.113.7]\r\n250-SIZE 37748736\r\n250-PIPELINING\r\n"
            + "250-DSN\r\n250 8BITMIME\r\n";
        assertEquals("250 mail01.contoso.com Hello [203.0.113.7] SIZE 37748736 PIPELINING DSN 8BITMIME",
            ProtocolLog.flatten(ehlo));
        assertEquals("550 5.7.1 first part second part",
            ProtocolLog.flatten("550-5.7.1 first part\r\n550 5.7.1 second part\r\n"));
        assertEquals("221 2.0.0 Service closing transmission channel",
            ProtocolLog.flatten("221 2.0.0 Service closing transmission channel\r\n"));
        assertEquals("not a reply second line", ProtocolLog.flatten("not a reply\nsecond line"));

        SmtpReply reply = SmtpReply.multiline(250, List.of("mail01.contoso.com Hello [203.0.113.7]", "SIZE 37748736",
            "PIPELINING"));
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session s = log.openSession(CONNECTOR, "l:25", "r:1");
            s.sent(reply.render());
            s.sent(reply);
        }
        List<ProtocolLog.Line> lines = ProtocolLog.read(logs, ProtocolLog.Kind.SmtpReceive);
        assertEquals(2, lines.size());
        assertEquals("250 mail01.contoso.com Hello [203.0.113.7] SIZE 37748736 PIPELINING", lines.get(0).data());
        assertEquals(lines.get(0).data(), lines.get(1).data());
    }

    @Test
    void disabledSessionWritesNothing() {
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session s = log.openSession(ProtocolLoggingLevel.None, CONNECTOR, "l:25", "r:1");
            assertSame(ProtocolLog.Session.DISABLED, s);
            assertFalse(s.isEnabled());
            s.connected();
            s.received("EHLO x");
            s.sent(SmtpReply.of(250, "OK"));
            s.sent("250 OK");
            s.info("data", "context");
            s.disconnected("Local");
            log.flush();
        }
        assertFalse(Files.exists(logs.resolve("ProtocolLog/SmtpReceive/RECV20261122-1.LOG")));
        assertEquals(List.of(), ProtocolLog.read(logs, ProtocolLog.Kind.SmtpReceive));
    }

    @Test
    void verboseLevelOpensARealSession() {
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session s = log.openSession(ProtocolLoggingLevel.Verbose, CONNECTOR, "l:25", "r:1");
            assertTrue(s.isEnabled());
            assertNotEquals("", s.sessionId());
        }
    }

    @Test
    void sendLogGoesToSmtpSendWithItsOwnHeader() throws IOException {
        try (ProtocolLog log = ProtocolLog.send(logs, clock)) {
            ProtocolLog.Session s = log.openSession("Internet", "10.0.0.5:50111", "198.51.100.9:25");
            s.connected();
            s.sent("EHLO mail01.contoso.com");
        }
        List<String> lines = Files.readAllLines(logs.resolve("ProtocolLog/SmtpSend/SEND20261122-1.LOG"));
        assertEquals("#Log-type: SMTP Send Protocol Log", lines.get(2));
        assertTrue(lines.get(6).endsWith(",>,EHLO mail01.contoso.com,"), lines.get(6));
    }

    @Test
    void commasAndQuotesInDataAreQuoted() throws IOException {
        try (ProtocolLog log = ProtocolLog.receive(logs, clock)) {
            ProtocolLog.Session s = log.openSession(CONNECTOR, "l:25", "r:1");
            s.received("MAIL FROM:<\"odd,local\"@x.example>");
        }
        List<String> lines = Files.readAllLines(logs.resolve("ProtocolLog/SmtpReceive/RECV20261122-1.LOG"));
        assertTrue(lines.get(5).endsWith(",<,\"MAIL FROM:<\"\"odd,local\"\"@x.example>\","), lines.get(5));
        assertEquals("MAIL FROM:<\"odd,local\"@x.example>",
            ProtocolLog.read(logs, ProtocolLog.Kind.SmtpReceive).get(0).data());
    }

    @Test
    void endpointsAreIpColonPortWithIpv6InBrackets() throws IOException {
        assertEquals("10.0.0.5:25",
            ProtocolLog.endpoint(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 5}), 25)));
        assertEquals("[0:0:0:0:0:0:0:1]:2525",
            ProtocolLog.endpoint(new InetSocketAddress(InetAddress.getByName("::1"), 2525)));
    }
}
