package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both ends of the FrontendProxyEnabled leg without sockets: the Transport service's client names
 * the destination after EHLO and gives up on a refusal (transient: the queue retries), and the
 * FET's onward {@link ProxyClientSession} relays one request at a time, answering each in order.
 */
class ProxyClientSessionTest {
    private static final SmtpTarget DESTINATION = SmtpTarget.of("192.0.2.25", 2525, "ex01.contoso.com");
    private static final ProxyDestination SMART_HOST = ProxyDestination.smartHosts(List.of("[192.0.2.25]"), 2525);

    private final ManualClock clock = ManualClock.atEpoch();
    private final List<SmtpReply> answers = new ArrayList<>();
    private final ProxyClientSession leg = new ProxyClientSession(DESTINATION, clock, answers::add);

    private String server(ClientDialogue session, String text) {
        SmtpClientSession.Step step = session.onReceived((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        session.onWritten();
        return step.sendText();
    }

    private void ready() {
        leg.onConnected("127.0.0.1:50000", "192.0.2.25:2525");
        assertEquals("EHLO ex01.contoso.com\r\n", server(leg, "220 mx.fabrikam.com ESMTP"));
        assertEquals("", server(leg, "250-mx.fabrikam.com Hello\r\n250 PIPELINING"));
        assertEquals(List.of("250 mx.fabrikam.com Hello PIPELINING"), answers.stream().map(SmtpReply::toLogString).toList());
        answers.clear();
    }

    @Test
    void theTransportServiceNamesTheDestinationAfterEhlo() {
        SmtpClientSession session = new SmtpClientSession(SmtpTarget.of("127.0.0.1", 10717, "ex01.contoso.com")
            .proxying(SMART_HOST), List.of(OutboundMessage.of("1", "kate@contoso.com", List.of("chris@fabrikam.com"),
            "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII))), clock);
        session.onConnected("127.0.0.1:50001", "127.0.0.1:10717");
        assertEquals("EHLO ex01.contoso.com\r\n", server(session, "220 ex01.contoso.com ready"));
        assertEquals("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.25] PORT=2525\r\n",
            server(session, "250-ex01.contoso.com Hello\r\n250 XMAILFLOWPROXYTO"));
        assertEquals("MAIL FROM:<kate@contoso.com>\r\n",
            server(session, "250 2.0.0 Proxy session established with mx.fabrikam.com"));
    }

    @Test
    void aProxyThatCannotReachTheDestinationIsATransientConnectionFailure() {
        SmtpClientSession session = new SmtpClientSession(SmtpTarget.of("127.0.0.1", 10717, "ex01.contoso.com")
            .proxying(SMART_HOST), List.of(OutboundMessage.of("1", "kate@contoso.com", List.of("chris@fabrikam.com"),
            "x\r\n".getBytes(StandardCharsets.US_ASCII))), clock);
        session.onConnected("127.0.0.1:50001", "127.0.0.1:10717");
        server(session, "220 ex01.contoso.com ready");
        server(session, "250 ex01.contoso.com Hello");
        assertEquals("QUIT\r\n", server(session, "451 4.4.0 Primary target IP address responded with: \"451 4.4.1 "
            + "Failed to connect.\" Attempted failover to alternate host, but that did not succeed."));
        ConnectionFailure failure = session.failure().orElseThrow();
        assertTrue(failure.isTransient());
        assertTrue(failure.reply().toLogString().startsWith("451 4.4.0 Primary target IP address responded with"));
        assertTrue(session.results().isEmpty(), "no message was offered");
    }

    @Test
    void theLegAnswersEachRelayedCommandWithTheDestinationsReply() {
        ready();
        assertEquals("MAIL FROM:<kate@contoso.com>\r\n", leg.relay("MAIL FROM:<kate@contoso.com>").sendText());
        assertEquals("", server(leg, "250 2.1.0 Ok"));
        assertEquals("RCPT TO:<nobody@fabrikam.com>\r\n", leg.relay("RCPT TO:<nobody@fabrikam.com>").sendText());
        server(leg, "550 5.1.1 <nobody@fabrikam.com>: Recipient address rejected");
        leg.relay("RCPT TO:<chris@fabrikam.com>");
        server(leg, "250 2.1.5 Ok");
        leg.relay("DATA");
        server(leg, "354 End data with <CR><LF>.<CR><LF>");
        assertEquals("Subject: x\r\n\r\n..dot\r\n.\r\n",
            leg.relayContent("Subject: x\r\n\r\n.dot\r\n".getBytes(StandardCharsets.US_ASCII)).sendText());
        leg.onWritten();
        server(leg, "250 2.0.0 Ok: queued as 4F2");
        assertEquals(List.of("250 2.1.0 Ok", "550 5.1.1 <nobody@fabrikam.com>: Recipient address rejected",
                "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>", "250 2.0.0 Ok: queued as 4F2"),
            answers.stream().map(SmtpReply::toLogString).toList());
        assertEquals("QUIT\r\n", leg.quit().sendText());
    }

    @Test
    void aRefusedConnectionAnswersTheOpenAndEveryLaterRequestWithTheFailure() {
        leg.onTransportFailed("Connection refused");
        assertEquals(List.of("451 4.4.1 Failed to connect to 192.0.2.25:2525: Connection refused"),
            answers.stream().map(SmtpReply::toLogString).toList());
        assertEquals("", leg.relay("MAIL FROM:<>").sendText());
        assertEquals(2, answers.size());
        assertEquals(answers.get(0), answers.get(1));
    }

    @Test
    void aGreetingRefusalIsAnsweredAndTheLegSaysQuit() {
        leg.onConnected("127.0.0.1:50000", "192.0.2.25:2525");
        assertEquals("QUIT\r\n", server(leg, "554 5.7.1 No thanks"));
        assertEquals(List.of("554 5.7.1 No thanks"), answers.stream().map(SmtpReply::toLogString).toList());
    }

    @Test
    void aDestinationThatStopsAnsweringTimesOutWithA451() {
        ready();
        leg.relay("MAIL FROM:<kate@contoso.com>");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertTrue(leg.onTick().close());
        assertEquals(List.of("451 4.4.2 Timed out waiting for the remote server to reply to the proxy"),
            answers.stream().map(SmtpReply::toLogString).toList());
    }

    @Test
    void aLegDroppedAfter354ClosesWithoutWritingQuitIntoTheMessage() {
        ready();
        leg.relay("DATA");
        server(leg, "354 go ahead");
        SmtpClientSession.Step step = leg.quit();
        assertEquals("", step.sendText());
        assertTrue(step.close());
    }

    @Test
    void aLegIdleBetweenCommandsHasNoDeadline() {
        ready();
        assertEquals(java.time.Instant.MAX, leg.nextDeadline());
    }
}
