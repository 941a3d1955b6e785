package io.mailflow.frontend.receive;

import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STARTTLS (RFC 3207) and RequireTLS on Default Frontend EX01, whose AuthMechanism contains Tls. */
class SmtpSessionStartTlsTest {

    private static final String PROTOCOL = "TLSv1.3";
    private static final String CIPHER = "TLS_AES_256_GCM_SHA384";
    /** Default Frontend over TLS: no STARTTLS again, and AUTH now that BasicAuthRequireTLS is met (exchange.md §2.1). */
    private static final List<String> EHLO_OVER_TLS = List.of(
        "250-ex01.contoso.test Hello [192.0.2.10]", "250-SIZE 37748736", "250-PIPELINING", "250-DSN",
        "250-ENHANCEDSTATUSCODES", "250-AUTH LOGIN PLAIN", "250-8BITMIME", "250 SMTPUTF8");

    private static SessionFixture withCertificate() {
        return withCertificate(b -> b);
    }

    private static SessionFixture withCertificate(UnaryOperator<ReceiveConnectorBuilder> change) {
        return SessionFixture.withCertificate(SessionFixture.DEFAULT_FRONTEND, change);
    }

    /** Greets, starts TLS and reports the handshake, as a client and the shell do. */
    private static SessionFixture secured(SessionFixture s) {
        s.connect();
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("220 2.0.0 SMTP server ready"), s.send("STARTTLS"));
        s.tlsNegotiated(PROTOCOL, CIPHER);
        return s;
    }

    @Test
    void ehloAdvertisesStartTlsRightAfterEnhancedStatusCodesWhenTheServerHasACertificate() {
        SessionFixture s = withCertificate();
        s.connect();
        assertEquals(List.of(
            "250-ex01.contoso.test Hello [192.0.2.10]", "250-SIZE 37748736", "250-PIPELINING", "250-DSN",
            "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-8BITMIME", "250 SMTPUTF8"),
            s.send("EHLO client.fabrikam.example"));
    }

    @Test
    void withoutACertificateStartTlsIsNotAdvertisedAndAnswers454WithoutCountingAProtocolError() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxProtocolErrors(Unlimited.of(0)));
        s.connect();
        assertFalse(s.send("EHLO client.fabrikam.example").contains("250-STARTTLS"));
        assertEquals(List.of("454 4.7.0 TLS not available due to temporary reason"), s.send("STARTTLS"));
        assertEquals(List.of("454 4.7.0 TLS not available due to temporary reason"), s.send("STARTTLS"));
        assertFalse(s.session.isClosed());
        assertFalse(s.last().startTls());
    }

    @Test
    void aConnectorWithoutTlsInItsAuthMechanismNeitherAdvertisesNorAcceptsStartTls() {
        SessionFixture s = withCertificate(b -> b.authMechanism(Set.of(AuthMechanism.None)));
        s.connect();
        assertFalse(s.send("EHLO client.fabrikam.example").contains("250-STARTTLS"));
        assertEquals(List.of("502 5.3.3 Command not implemented"), s.send("STARTTLS"));
        assertFalse(s.last().startTls());
    }

    @Test
    void startTlsAnswers220AsksTheShellForTlsAndForgetsTheGreeting() {
        SessionFixture s = withCertificate();
        s.connect();
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("220 2.0.0 SMTP server ready"), s.send("STARTTLS"));
        assertTrue(s.last().startTls());
        assertFalse(s.session.isSecured(), "secured only once the handshake is done");

        assertEquals(List.of(), s.tlsNegotiated(PROTOCOL, CIPHER));
        assertEquals(List.of("TLS protocol TLSv1.3 negotiation succeeded using cipher TLS_AES_256_GCM_SHA384"),
            s.last().notes());
        assertTrue(s.session.isSecured());
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertEquals(EHLO_OVER_TLS, s.send("EHLO client.fabrikam.example"), "STARTTLS is not offered twice");
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void commandsPipelinedBehindStartTlsAreDiscardedNotAnswered() {
        SessionFixture s = withCertificate();
        s.connect();
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("220 2.0.0 SMTP server ready"),
            s.feed("STARTTLS\r\nRSET\r\nMAIL FROM:<x@fabrikam.example>\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, s.framer.buffered());
        s.tlsNegotiated(PROTOCOL, CIPHER);
        assertEquals(EHLO_OVER_TLS, s.send("EHLO client.fabrikam.example"));
    }

    @Test
    void startTlsBeforeHelloIsSendHelloFirst() {
        SessionFixture s = withCertificate();
        s.connect();
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("STARTTLS"));
    }

    @Test
    void startTlsWithAnArgumentIsInvalidArguments() {
        SessionFixture s = withCertificate();
        s.connect();
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("STARTTLS now"));
        assertFalse(s.last().startTls());
    }

    @Test
    void startTlsInsideATransactionIsABadSequence() {
        SessionFixture s = withCertificate();
        s.connect();
        s.send("EHLO client.fabrikam.example");
        s.transaction();
        assertEquals(List.of("503 5.5.1 Bad sequence of commands"), s.send("STARTTLS"));
        assertFalse(s.last().startTls());
        assertEquals(List.of("354 Start mail input; end with <CRLF>.<CRLF>"), s.send("DATA"), "the transaction goes on");
    }

    @Test
    void startTlsWhenTlsIsAlreadyActiveIsABadSequence() {
        SessionFixture s = secured(withCertificate());
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("503 5.5.1 Bad sequence of commands"), s.send("STARTTLS"));
        assertFalse(s.last().startTls());
    }

    @Test
    void requireTlsRefusesMailBeforeTlsWithoutATarpitOrAProtocolError() {
        SessionFixture s = withCertificate(b -> b.requireTLS(true).maxProtocolErrors(Unlimited.of(0)));
        s.connect();
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("451 5.7.3 STARTTLS is required to send mail"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertEquals(Duration.ZERO, s.last().delay());
        assertEquals(List.of("451 5.7.3 STARTTLS is required to send mail"), s.send("MAIL FROM:<chris@fabrikam.example>"));
        assertFalse(s.session.isClosed());

        assertEquals(List.of("220 2.0.0 SMTP server ready"), s.send("STARTTLS"));
        s.tlsNegotiated(PROTOCOL, CIPHER);
        s.send("EHLO client.fabrikam.example");
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void requireTlsWithoutACertificateRefusesEveryMail() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.requireTLS(true)).greeted();
        assertEquals(List.of("451 5.7.3 STARTTLS is required to send mail"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void aMessageReceivedOverTlsIsStampedEsmtps() {
        SessionFixture s = secured(withCertificate());
        s.send("EHLO client.fabrikam.example");
        s.transaction();
        s.send("DATA");
        s.data("Subject: tls\r\n\r\nover TLS\r\n.\r\n");
        assertEquals("ESMTPS", s.submitted().protocol());
    }

    @Test
    void heloAfterTlsIsStillEsmtpsBecauseStartTlsIsAnEsmtpExtension() {
        SessionFixture s = secured(withCertificate());
        s.send("HELO client.fabrikam.example");
        s.transaction();
        s.send("DATA");
        s.data("Subject: tls\r\n\r\nover TLS\r\n.\r\n");
        assertEquals("ESMTPS", s.submitted().protocol());
    }

    @Test
    void smtpUtf8OverTlsIsStampedUtf8Smtps() {
        SessionFixture s = secured(withCertificate());
        s.send("EHLO client.fabrikam.example");
        s.send("MAIL FROM:<chris@fabrikam.example> SMTPUTF8");
        s.send("RCPT TO:<kate@contoso.test>");
        s.send("DATA");
        s.data("Subject: tls\r\n\r\nover TLS\r\n.\r\n");
        assertEquals("UTF8SMTPS", s.submitted().protocol());
    }

    @Test
    void aFailedHandshakeClosesTheSessionAndSaysWhy() {
        SessionFixture s = withCertificate();
        s.connect();
        s.send("EHLO client.fabrikam.example");
        s.send("STARTTLS");
        SessionOutput out = s.session.onTlsFailed("Unsupported or unrecognized SSL message");
        assertTrue(out.close());
        assertEquals(List.of(), out.replies(), "nothing can be said in plaintext any more");
        assertEquals(List.of("TLS negotiation failed with error Unsupported or unrecognized SSL message"), out.notes());
        assertTrue(s.session.isClosed());
    }
}
