package io.mailflow.frontend.receive;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ConnectionInactivityTimeout and ConnectionTimeout on the manual clock. */
class SmtpSessionTimeoutTest {

    private static final Duration INACTIVITY = Duration.ofMinutes(5);
    private static final Duration TOTAL = Duration.ofMinutes(10);
    private static final List<String> IDLE = List.of("451 4.7.0 Timeout waiting for client input");
    private static final List<String> TIMED_OUT = List.of("421 4.4.1 Connection timed out");

    @Test
    void inactivityTimeoutClosesExactlyAtTheDeadlineAndNotBefore() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        s.advance(INACTIVITY.minusNanos(1));
        assertEquals(List.of(), s.tick());
        assertFalse(s.session.isClosed());
        s.advance(Duration.ofNanos(1));
        assertEquals(IDLE, s.tick());
        assertTrue(s.last().close());
        assertTrue(s.session.isClosed());
        assertEquals(List.of(), s.tick());
    }

    @Test
    void clientInputPushesTheInactivityDeadline() {
        SessionFixture s = SessionFixture.defaultFrontend();
        Instant start = s.clock.now();
        s.connect();
        s.advance(Duration.ofMinutes(4));
        s.send("EHLO client.fabrikam.example");
        assertEquals(start.plus(Duration.ofMinutes(9)), s.session.nextDeadline());
        s.advance(Duration.ofMinutes(4));
        assertEquals(List.of(), s.tick());
        s.advance(Duration.ofMinutes(1));
        assertEquals(IDLE, s.tick());
    }

    @Test
    void erroneousInputAlsoCountsAsActivity() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        s.advance(Duration.ofMinutes(4));
        s.send("XYZZY");
        s.advance(Duration.ofMinutes(4));
        assertEquals(List.of(), s.tick());
    }

    @Test
    void inactivityTimeoutFollowsTheConnector() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.connectionInactivityTimeout(Duration.ofSeconds(30)));
        s.connect();
        s.advance(Duration.ofSeconds(30));
        assertEquals(IDLE, s.tick());
    }

    @Test
    void clientThatStopsAfterDataTimesOutMidData() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("DATA");
        s.data("Subject: half");
        s.advance(INACTIVITY);
        assertEquals(IDLE, s.tick());
    }

    @Test
    void aClientStillStreamingALargeMessageIsNotIdle() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("DATA");
        for (int minute = 0; minute < 4; minute++) {
            s.advance(Duration.ofSeconds(70));
            s.session.onBytesReceived();
            assertEquals(List.of(), s.tick());
        }
        s.advance(INACTIVITY);
        assertEquals(IDLE, s.tick());
    }

    @Test
    void connectionTimeoutCloses421EvenWhileTheClientIsActive() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        for (int minute = 0; minute < 9; minute++) {
            s.advance(Duration.ofMinutes(1));
            s.send("NOOP");
            assertEquals(List.of(), s.tick());
        }
        s.advance(Duration.ofMinutes(1).minusNanos(1));
        assertEquals(List.of(), s.tick());
        s.advance(Duration.ofNanos(1));
        assertEquals(TIMED_OUT, s.tick());
        assertTrue(s.last().close());
        assertTrue(s.session.isClosed());
    }

    @Test
    void noInactivityTimeoutWhileTheSinkIsSubmitting() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("DATA");
        s.data("Subject: slow spool\r\n\r\n.\r\n");
        assertTrue(s.submitting());
        s.advance(Duration.ofMinutes(6));
        assertEquals(List.of(), s.tick());
        assertFalse(s.session.isClosed());
        assertEquals("250 2.6.0 <m@x> [InternalId=9, Hostname=ex01.contoso.test] Queued mail for delivery",
            s.queued(9, "<m@x>").get(0));
    }

    @Test
    void connectionTimeoutStillAppliesWhileSubmitting() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("DATA");
        s.data("Subject: slow spool\r\n\r\n.\r\n");
        s.advance(TOTAL);
        assertEquals(TIMED_OUT, s.tick());
    }

    @Test
    void inactivityCountsAgainFromTheQueuedReply() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.connectionTimeout(Duration.ofHours(1))).greeted()
            .transaction();
        s.send("DATA");
        s.data("Subject: slow spool\r\n\r\n.\r\n");
        s.advance(Duration.ofMinutes(7));
        s.queued(1, "<m@x>");
        assertEquals(s.clock.now().plus(INACTIVITY), s.session.nextDeadline());
        s.advance(INACTIVITY.minusSeconds(1));
        assertEquals(List.of(), s.tick());
        s.advance(Duration.ofSeconds(1));
        assertEquals(IDLE, s.tick());
    }

    @Test
    void nextDeadlineIsTheEarlierOfInactivityAndTotalTimeout() {
        SessionFixture s = SessionFixture.defaultFrontend();
        Instant start = s.clock.now();
        s.connect();
        assertEquals(start.plus(INACTIVITY), s.session.nextDeadline());
        s.advance(Duration.ofMinutes(7));
        s.send("EHLO client.fabrikam.example");
        assertEquals(start.plus(TOTAL), s.session.nextDeadline());
    }

    @Test
    void nextDeadlineWhileSubmittingIsTheConnectionTimeoutSoTheShellDoesNotSpin() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        Instant start = s.clock.now();
        s.send("DATA");
        s.data("Subject: slow spool\r\n\r\n.\r\n");
        assertEquals(start.plus(TOTAL), s.session.nextDeadline());
        s.advance(Duration.ofMinutes(6));
        assertEquals(List.of(), s.tick());
        assertTrue(s.session.nextDeadline().isAfter(s.clock.now()),
            "a tick that changed nothing must not be due again at once");
    }
}
