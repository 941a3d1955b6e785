package io.mailflow.frontend.receive;

import io.mailflow.core.params.ByteSize;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End of DATA: the content checks, and what the sink's answer does to the session. */
class SmtpSessionDataTest {

    private static final Duration TARPIT = Duration.ofSeconds(5);
    private static final String QUEUED = "250 2.6.0 <m@x> [InternalId=1, Hostname=ex01.contoso.test] Queued mail for delivery";

    private static SessionFixture inData(SessionFixture s) {
        s.greeted().transaction();
        assertEquals(List.of("354 Start mail input; end with <CRLF>.<CRLF>"), s.send("DATA"));
        return s;
    }

    private static String content(SessionFixture s) {
        return new String(s.submitted().content(), StandardCharsets.UTF_8);
    }

    private static String received(int n, String by) {
        return "Received: from hop" + n + ".fabrikam.example (192.0.2." + n + ") by " + by
            + " with SMTP; Thu, 1 Jan 2026 00:00:00 +0000\r\n";
    }

    private static String withReceived(int remote, int local) {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < local; i++) {
            m.append(received(i, "ex01.contoso.test"));
        }
        for (int i = 0; i < remote; i++) {
            m.append(received(i, "relay" + i + ".fabrikam.example"));
        }
        return m.append("Subject: loop\r\n\r\nbody\r\n.\r\n").toString();
    }

    @Test
    void leadingDotsAreUnstuffed() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        s.data("Subject: dots\r\n\r\n..one dot\r\n...\r\n.\r\n");
        assertEquals("Subject: dots\r\n\r\n.one dot\r\n..\r\n", content(s));
    }

    @Test
    void messageOverMaxMessageSizeWhileStreamingIs552AndTheTransactionResets() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.maxMessageSize(ByteSize.ofKilobytes(64))));
        assertEquals(64 * 1024L, s.last().startDataWithSizeLimit().getAsLong());
        assertEquals(List.of("552 5.3.4 Message size exceeds fixed maximum message size"),
            s.data("Subject: big\r\n\r\n" + "x".repeat(100).concat("\r\n").repeat(700) + ".\r\n"));
        assertTrue(s.last().submit().isEmpty());
        assertEquals(TARPIT, s.last().delay());
        assertFalse(s.session.isClosed());
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("RCPT TO:<kate@contoso.test>"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void messageOfExactlyMaxMessageSizeIsAccepted() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.maxMessageSize(ByteSize.ofKilobytes(64))));
        String body = "x".repeat(64 * 1024 - 2) + "\r\n";
        assertEquals(List.of(), s.data(body + ".\r\n"));
        assertEquals(body, content(s));
    }

    @Test
    void bareLinefeedIsRefusedWhenBareLinefeedRejectionIsEnabled() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.bareLinefeedRejectionEnabled(true)));
        assertEquals(List.of("550 5.6.11 Bare linefeeds are not allowed"), s.data("Subject: lf\n\nbody\r\n.\r\n"));
        assertTrue(s.last().submit().isEmpty());
        assertEquals(TARPIT, s.last().delay());
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void bareLinefeedIsNormalisedToCrlfWhenRejectionIsDisabled() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        assertEquals(List.of(), s.data("Subject: lf\n\nbody\nmore\r\n.\r\n"));
        assertEquals("Subject: lf\r\n\r\nbody\r\nmore\r\n", content(s));
        assertTrue(s.last().notes().stream().anyMatch(n -> n.contains("3 bare LF")), s.last().notes().toString());
        assertEquals(List.of(QUEUED), s.queued(1, "<m@x>"));
    }

    @Test
    void dotAfterABareLinefeedDoesNotEndTheMessage() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        assertEquals(List.of(), s.data("one\n.\ntwo\n.\r\nthree\r\n"));
        assertFalse(s.submitting());
        s.data(".\r\n");
        assertEquals("one\r\n.\r\ntwo\r\n.\r\nthree\r\n", content(s));
    }

    @Test
    void headerBiggerThanMaxHeaderSizeIs552() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.maxHeaderSize(ByteSize.ofKilobytes(1))));
        assertEquals(List.of("552 5.3.4 Header size exceeds fixed maximum size"),
            s.data("Subject: " + "h".repeat(1100) + "\r\n\r\nbody\r\n.\r\n"));
        assertEquals(TARPIT, s.last().delay());
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void headerWithinMaxHeaderSizeIsAcceptedWhateverTheBodySize() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.maxHeaderSize(ByteSize.ofKilobytes(1))));
        assertEquals(List.of(), s.data("Subject: small\r\n\r\n" + "b".repeat(5000) + "\r\n.\r\n"));
        assertTrue(s.submitting());
    }

    @Test
    void thirtyReceivedHeadersExceedMaxHopCount() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        assertEquals(List.of("554 5.4.6 Hop count exceeded - possible mail loop"), s.data(withReceived(30, 0)));
        assertEquals(TARPIT, s.last().delay());
        assertFalse(s.submitting());
    }

    @Test
    void twentyNineReceivedHeadersAreAccepted() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        assertEquals(List.of(), s.data(withReceived(29, 0)));
        assertTrue(s.submitting());
    }

    @Test
    void maxLocalHopCountCountsReceivedHeadersByThisServer() {
        SessionFixture refused = inData(SessionFixture.defaultFrontend());
        assertEquals(List.of("554 5.4.6 Hop count exceeded - possible mail loop"), refused.data(withReceived(2, 8)));

        SessionFixture accepted = inData(SessionFixture.defaultFrontend());
        assertEquals(List.of(), accepted.data(withReceived(20, 7)));
        assertTrue(accepted.submitting());
    }

    @Test
    void maxLocalHopCountFollowsTheConnector() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.maxLocalHopCount(2)));
        assertEquals(List.of("554 5.4.6 Hop count exceeded - possible mail loop"), s.data(withReceived(0, 2)));
    }

    @Test
    void maxLocalHopCountZeroNeverCounts() {
        SessionFixture s = inData(SessionFixture.defaultFrontend(b -> b.maxLocalHopCount(0)));
        assertEquals(List.of(), s.data(withReceived(0, 20)));
        assertTrue(s.submitting());
    }

    @Test
    void submitFailureIs451AndTheClientCanStartANewTransaction() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        s.data("Subject: x\r\n\r\n.\r\n");
        assertEquals(List.of("451 4.3.2 System not accepting network messages"), s.submitFailed("spool is full"));
        assertEquals(Duration.ZERO, s.last().delay());
        assertFalse(s.last().close());
        assertEquals(0, s.session.messagesAccepted());
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("RCPT TO:<kate@contoso.test>"));
        s.transaction();
        s.send("DATA");
        s.data("Subject: again\r\n\r\n.\r\n");
        assertEquals(List.of(QUEUED), s.queued(1, "<m@x>"));
        assertEquals(1, s.session.messagesAccepted());
    }

    @Test
    void sinkAnswersOutsideASubmissionAreRefused() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        assertThrows(IllegalStateException.class, () -> s.queued(1, "<m@x>"));
        assertThrows(IllegalStateException.class, () -> s.submitFailed("late"));
    }

    @Test
    void disconnectMidDataIsReportedAsALostTransaction() {
        SessionFixture s = inData(SessionFixture.defaultFrontend());
        s.data("Subject: half\r\n\r\nbody");
        assertTrue(s.session.onDisconnected());
        assertTrue(s.session.isClosed());

        SessionFixture idle = SessionFixture.defaultFrontend().greeted();
        assertFalse(idle.session.onDisconnected());
    }
}
