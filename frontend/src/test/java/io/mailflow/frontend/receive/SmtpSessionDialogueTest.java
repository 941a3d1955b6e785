package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ordinary dialogue of seed 002 and the commands around it, on Default Frontend EX01. */
class SmtpSessionDialogueTest {

    @Test
    void seed002TelnetWalkThroughGetsExchangesRepliesAndQueuesOnlyAfterTheSinkAnswers() {
        SessionFixture s = SessionFixture.defaultFrontend();

        assertEquals(List.of("220 ex01.contoso.test Microsoft ESMTP MAIL Service ready at Thu, 1 Jan 2026 00:00:00 +0000"),
            s.connect());
        assertEquals(List.of(
            "250-ex01.contoso.test Hello [192.0.2.10]",
            "250-SIZE 37748736",
            "250-PIPELINING", "250-DSN",
            "250-ENHANCEDSTATUSCODES",
            "250-8BITMIME",
            "250 SMTPUTF8"), s.send("EHLO client.fabrikam.example"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("Mail from:chris@fabrikam.example"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("Rcpt to:kate@contoso.test"));
        assertEquals(List.of("354 Start mail input; end with <CRLF>.<CRLF>"), s.send("Data"));
        assertEquals(37748736L, s.last().startDataWithSizeLimit().getAsLong());

        assertEquals(List.of(), s.data("\r\nThis is a test message.\r\n.\r\n"));
        ReceivedMessage message = s.submitted();
        assertEquals(Optional.of(SmtpAddress.of("chris@fabrikam.example")), message.sender());
        assertEquals(List.of(SmtpAddress.of("kate@contoso.test")), message.recipients());
        assertEquals("\r\nThis is a test message.\r\n", new String(message.content(), StandardCharsets.UTF_8));
        assertEquals("ESMTP", message.protocol());
        assertEquals("client.fabrikam.example", message.heloName());
        assertEquals("ex01.contoso.test", message.serverFqdn());
        assertEquals("EX01\\Default Frontend EX01", message.connectorId());
        assertEquals(SessionFixture.CLIENT_IP, message.clientIp());
        assertEquals(BodyType.SevenBit, message.bodyType());
        assertEquals(s.clock.now(), message.receivedAt());
        assertEquals(0, s.session.messagesAccepted());

        assertEquals(List.of("250 2.6.0 <id@x> [InternalId=42, Hostname=ex01.contoso.test] Queued mail for delivery"),
            s.queued(42, "<id@x>"));
        assertEquals(1, s.session.messagesAccepted());

        assertEquals(List.of("221 2.0.0 Service closing transmission channel"), s.send("QUIT"));
        assertTrue(s.last().close());
        assertTrue(s.session.isClosed());
        assertEquals(List.of(), s.send("NOOP"));
    }

    @Test
    void customBannerIsSentAsIs() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.banner("220 Mail Server"));
        assertEquals(List.of("220 Mail Server"), s.connect());
    }

    @Test
    void heloGetsOneLineWithoutExtensions() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        assertEquals(List.of("250 ex01.contoso.test Hello [192.0.2.10]"), s.send("HELO client.fabrikam.example"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        s.send("RCPT TO:<kate@contoso.test>");
        s.send("DATA");
        s.data("Subject: hi\r\n\r\nbody\r\n.\r\n");
        assertEquals("SMTP", s.submitted().protocol());
    }

    @Test
    void rsetAbandonsTheTransaction() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        assertEquals(List.of("250 2.0.0 Resetting"), s.send("RSET"));
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("DATA"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<lisa@fabrikam.example>"));
    }

    @Test
    void rsetBeforeHelloIsAnsweredButDoesNotGreet() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        assertEquals(List.of("250 2.0.0 Resetting"), s.send("RSET"));
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void noopKeepsTheTransaction() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        assertEquals(List.of("250 2.0.0 OK"), s.send("NOOP"));
        assertEquals(List.of("354 Start mail input; end with <CRLF>.<CRLF>"), s.send("DATA"));
    }

    @Test
    void vrfyCannotVerifyButPromisesDelivery() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        assertEquals(List.of("252 2.1.5 Cannot VRFY user, but will accept message and attempt delivery"),
            s.send("VRFY kate"));
    }

    @Test
    void helpIsAMultiLine214ListingStartTlsAndAuthWhereOffered() {
        SessionFixture s = SessionFixture.withCertificate(SessionFixture.DEFAULT_FRONTEND, b -> b).greeted();
        assertEquals(List.of(
            "214-This server supports the following commands:",
            "214 HELO EHLO STARTTLS MAIL RCPT DATA RSET NOOP QUIT HELP VRFY AUTH"), s.send("HELP"));
        SessionFixture internal = SessionFixture.on("Mailbox Delivery EX01", b -> b).greeted();
        assertEquals("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY", internal.send("HELP").get(1),
            "a connector without Tls and BasicAuth offers neither");
    }

    @Test
    void commandsNotOfferedGet502AndUnknownCommandsGet500() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxProtocolErrors(Unlimited.UNLIMITED))
            .greeted();
        for (String command : List.of("EXPN all-staff", "BDAT 10 LAST")) {
            assertEquals(List.of("502 5.3.3 Command not implemented"), s.send(command), command);
        }
        assertEquals(List.of("500 5.3.3 Unrecognized command"), s.send("XYZZY"));
        assertEquals(List.of("500 5.3.3 Unrecognized command"), s.send("MAILFROM:<a@b.example>"));
        assertFalse(s.session.isClosed());
    }

    @Test
    void verbsMatchInAnyCase() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        assertEquals("250 ex01.contoso.test Hello [192.0.2.10]", s.send("helo client.fabrikam.example").get(0));
        assertEquals(List.of("250 2.0.0 OK"), s.send("nOoP"));
    }

    @Test
    void mailBeforeHelloIsRefused() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("RCPT TO:<kate@contoso.test>"));
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("DATA"));
    }

    @Test
    void rcptBeforeMailIsRefused() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("RCPT TO:<kate@contoso.test>"));
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("DATA"));
    }

    @Test
    void dataBeforeAnyAcceptedRcptIsRefused() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("503 5.5.2 Need rcpt command"), s.send("DATA"));
        s.send("RCPT TO:<someone@fabrikam.example>");
        assertEquals(List.of("503 5.5.2 Need rcpt command"), s.send("DATA"));
    }

    @Test
    void secondMailInOneTransactionIsRefused() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("503 5.5.2 Sender already specified"), s.send("MAIL FROM:<lisa@fabrikam.example>"));
        s.send("RCPT TO:<kate@contoso.test>");
        assertEquals(List.of("503 5.5.2 Sender already specified"), s.send("MAIL FROM:<lisa@fabrikam.example>"));
    }

    @Test
    void ehloResetsATransaction() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("EHLO other.fabrikam.example");
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("RCPT TO:<kate@contoso.test>"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<lisa@fabrikam.example>"));
        s.send("RCPT TO:<david@contoso.test>");
        s.send("DATA");
        s.data("Subject: x\r\n\r\n.\r\n");
        ReceivedMessage message = s.submitted();
        assertEquals(List.of(SmtpAddress.of("david@contoso.test")), message.recipients());
        assertEquals("other.fabrikam.example", message.heloName());
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        List<String> replies = s.data("MAIL FROM:<chris@fabrikam.example>\r\nRCPT TO:<kate@contoso.test>\r\n"
            + "RCPT TO:<david@contoso.test>\r\nDATA\r\n");
        assertEquals(List.of("250 2.1.0 Sender OK", "250 2.1.5 Recipient OK", "250 2.1.5 Recipient OK",
            "354 Start mail input; end with <CRLF>.<CRLF>"), replies);
    }

    @Test
    void commandsPipelinedAfterTheDotWaitForTheQueuedReply() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("DATA");
        assertEquals(List.of(), s.data("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n"));
        assertTrue(s.submitting());
        assertEquals(List.of("250 2.6.0 <a@b> [InternalId=7, Hostname=ex01.contoso.test] Queued mail for delivery"),
            s.queued(7, "<a@b>"));
        assertEquals(List.of("221 2.0.0 Service closing transmission channel"), s.feed(new byte[0]));
    }

    @Test
    void secondMessageOnTheSameSessionStartsAFreshEnvelope() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted().transaction();
        s.send("DATA");
        s.data("Subject: one\r\n\r\n.\r\n");
        s.queued(1, "<1@x>");
        s.send("MAIL FROM:<>");
        s.send("RCPT TO:<lisa@contoso.test>");
        s.send("DATA");
        s.data("Subject: two\r\n\r\n.\r\n");
        ReceivedMessage second = s.submitted();
        assertEquals(Optional.empty(), second.sender());
        assertEquals(List.of(SmtpAddress.of("lisa@contoso.test")), second.recipients());
        s.queued(2, "<2@x>");
        assertEquals(2, s.session.messagesAccepted());
    }
}
