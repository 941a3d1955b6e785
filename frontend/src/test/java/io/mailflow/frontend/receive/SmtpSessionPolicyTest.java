package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.PermissionGroup;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.smtp.SmtpFramer;
import io.mailflow.core.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relay, permissions, the per-session limits and the tarpit. */
class SmtpSessionPolicyTest {

    private static final Duration TARPIT = Duration.ofSeconds(5);

    @Test
    void recipientInANonAcceptedDomainIsRelayDeniedAfterTheTarpit() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"),
            s.send("RCPT TO:<someone@fabrikam.example>"));
        assertEquals(TARPIT, s.last().delay());
        assertFalse(s.last().close());
    }

    @Test
    void acceptAnyRecipientRightLetsAnonymousSessionsRelay() {
        SessionFixture s = SessionFixture.defaultFrontend(
            b -> b.anonymousExtendedRights(Set.of(ReceiveConnector.ACCEPT_ANY_RECIPIENT))).greeted();
        s.send("MAIL FROM:<app@contoso.test>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<someone@fabrikam.example>"));
        s.send("DATA");
        s.data("Subject: relay\r\n\r\n.\r\n");
        assertEquals(List.of(SmtpAddress.of("someone@fabrikam.example")), s.submitted().recipients());
    }

    @Test
    void acceptedDomainsMatchInAnyCase() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<Kate@CONTOSO.TEST>"));
    }

    @Test
    void anAnonymousSenderSpoofingTheOrganizationIsRefusedWhereTheRightIsNotGranted() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b
            .permissionGroups(java.util.Set.of(io.mailflow.core.organization.PermissionGroup.None))
            .anonymousExtendedRights(java.util.Set.of("Ms-Exch-SMTP-Submit"))).greeted();
        assertEquals(List.of("550 5.7.1 Anonymous client does not have permission to send as this sender"),
            s.send("MAIL FROM:<kate@contoso.test>"));
        assertEquals(TARPIT, s.last().delay());
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void anonymousUsersMaySendAsTheOrganizationAsInExchange() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<kate@contoso.test>"));
    }

    @Test
    void hubConnectorWithoutAnonymousUsersRefusesMailFromAnonymousSessions() {
        // Default EX01 as Exchange ships it, off loopback: ExchangeServer authentication, which
        // Mailflow cannot perform, so every session stays anonymous.
        SessionFixture s = SessionFixture.on("Default EX01", b -> b
            .permissionGroups(Set.of(PermissionGroup.ExchangeLegacyServers, PermissionGroup.ExchangeServers,
                PermissionGroup.ExchangeUsers))
            .authMechanism(Set.of(AuthMechanism.Tls, AuthMechanism.BasicAuth, AuthMechanism.ExchangeServer,
                AuthMechanism.Integrated)));
        s.connect();
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("530 5.7.1 Client was not authenticated"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertEquals(TARPIT, s.last().delay());
        assertEquals(List.of("503 5.5.2 Need mail command"), s.send("RCPT TO:<kate@contoso.test>"));
    }

    @Test
    void recipientsPastMaxRecipientsPerMessageGet452AndTheMessageGoesToTheOthers() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxRecipientsPerMessage(2)).greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<kate@contoso.test>"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<david@contoso.test>"));
        assertEquals(List.of("452 4.5.3 Too many recipients"), s.send("RCPT TO:<lisa@contoso.test>"));
        assertEquals(Duration.ZERO, s.last().delay());
        assertEquals(List.of("354 Start mail input; end with <CRLF>.<CRLF>"), s.send("DATA"));
        s.data("Subject: two of three\r\n\r\n.\r\n");
        assertEquals(List.of(SmtpAddress.of("kate@contoso.test"), SmtpAddress.of("david@contoso.test")),
            s.submitted().recipients());
    }

    @Test
    void tooManyRecipientsIsNotAProtocolError() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxRecipientsPerMessage(1)
            .maxProtocolErrors(Unlimited.of(0))).greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        s.send("RCPT TO:<kate@contoso.test>");
        assertEquals(List.of("452 4.5.3 Too many recipients"), s.send("RCPT TO:<lisa@contoso.test>"));
        assertEquals(List.of("452 4.5.3 Too many recipients"), s.send("RCPT TO:<david@contoso.test>"));
        assertFalse(s.session.isClosed());
    }

    @Test
    void errorPastMaxProtocolErrorsGetsOnly421AndCloses() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxProtocolErrors(Unlimited.of(2)));
        s.connect();
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertEquals(List.of("500 5.3.3 Unrecognized command"), s.send("XYZZY"));
        assertFalse(s.session.isClosed());
        assertEquals(List.of("421 4.7.0 Too many errors on this connection, closing transmission channel"),
            s.send("XYZZY"));
        assertTrue(s.last().close());
        assertEquals(Duration.ZERO, s.last().delay());
        assertTrue(s.session.isClosed());
    }

    @Test
    void defaultMaxProtocolErrorsAllowsFiveErrors() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("500 5.3.3 Unrecognized command"), s.send("XYZZY"));
        }
        assertEquals(List.of("421 4.7.0 Too many errors on this connection, closing transmission channel"),
            s.send("XYZZY"));
    }

    @Test
    void commandLineLongerThanMaxCommandSizeIsLineTooLongAndCountsAsAProtocolError() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxCommandSize(512).maxProtocolErrors(Unlimited.of(1)))
            .greeted();
        assertEquals(List.of("500 5.5.2 Line too long"), s.send("MAIL FROM:<" + "a".repeat(600) + "@fabrikam.example>"));
        assertEquals(TARPIT, s.last().delay());
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertEquals(List.of("421 4.7.0 Too many errors on this connection, closing transmission channel"),
            s.send("NOOP " + "x".repeat(600)));
    }

    @Test
    void commandWithControlCharactersIsInvalidCharacters() {
        SessionFixture s = SessionFixture.defaultFrontend().greeted();
        assertEquals(List.of("500 5.5.2 Invalid characters in command"),
            s.feed("NOOP\0\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("500 5.5.2 Invalid characters in command"),
            s.feed(new byte[]{'N', 'O', 'O', 'P', ' ', (byte) 0xFF, '\r', '\n'}));
        assertEquals(TARPIT, s.last().delay());
    }

    @Test
    void invalidCommandFrameCountsAsAProtocolError() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxProtocolErrors(Unlimited.of(0)));
        s.connect();
        s.session.onFrame(new SmtpFramer.InvalidCommand("NUL byte in command"));
        assertTrue(s.session.isClosed());
    }

    @Test
    void every5xxToAnAnonymousSessionCarriesTheTarpitAndNothingElseDoes() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxProtocolErrors(Unlimited.UNLIMITED)
            .maxRecipientsPerMessage(1).maxMessageSize(ByteSize.ofKilobytes(64)));
        s.connect();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        s.send("EHLO client.fabrikam.example");
        s.send("HELP");
        s.send("VRFY kate");
        s.send("XYZZY");
        s.send("MAIL FROM:<chris> ");
        s.send("MAIL FROM:<chris@fabrikam.example> SIZE=100000");
        s.send("MAIL FROM:<chris@fabrikam.example>");
        s.send("RCPT TO:<x@fabrikam.example>");
        s.send("RCPT TO:<kate@contoso.test>");
        s.send("RCPT TO:<david@contoso.test>");
        s.send("DATA");
        s.data("Subject: big\r\n\r\n" + "x".repeat(70 * 1024) + "\r\n.\r\n");
        s.send("MAIL FROM:<chris@fabrikam.example>");
        s.send("RCPT TO:<kate@contoso.test>");
        s.send("DATA");
        s.data("Subject: fine\r\n\r\n.\r\n");
        s.queued(1, "<1@x>");
        s.send("QUIT");

        int permanent = 0;
        for (SessionOutput out : s.outputs) {
            for (SmtpReply reply : out.replies()) {
                Duration expected = reply.isPermanentFailure() ? TARPIT : Duration.ZERO;
                assertEquals(expected, out.delay(), reply.toLogString());
                permanent += reply.isPermanentFailure() ? 1 : 0;
            }
        }
        assertTrue(permanent >= 6, "the transcript exercised " + permanent + " permanent failures");
    }

    @Test
    void tarpitIntervalZeroTurnsTheTarpitOff() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.tarpitInterval(Duration.ZERO)).greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"),
            s.send("RCPT TO:<someone@fabrikam.example>"));
        assertEquals(Duration.ZERO, s.last().delay());
        s.send("XYZZY");
        assertEquals(Duration.ZERO, s.last().delay());
    }

    @Test
    void tarpitFollowsTheConnectorsInterval() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.tarpitInterval(Duration.ofSeconds(12))).greeted();
        s.send("XYZZY");
        assertEquals(Duration.ofSeconds(12), s.last().delay());
    }

    @Test
    void tarpitNeverDelaysAuthenticatedSessions() {
        ReceiveConnector c = SessionFixture.connector(SessionFixture.DEFAULT_FRONTEND);
        SmtpReply relayDenied = SmtpReply.of(550, "5.7.54", "SMTP; Unable to relay recipient in non-accepted domain");
        assertEquals(Duration.ZERO, Tarpit.delayFor(relayDenied, true, c));
        assertEquals(TARPIT, Tarpit.delayFor(relayDenied, false, c));
        assertEquals(Duration.ZERO, Tarpit.delayFor(SmtpReply.of(452, "4.5.3", "Too many recipients"), false, c));
    }
}
