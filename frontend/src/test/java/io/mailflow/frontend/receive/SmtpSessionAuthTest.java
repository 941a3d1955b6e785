package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTP AUTH (RFC 4954) on a receive connector: Exchange's BasicAuth with LOGIN and PLAIN. */
class SmtpSessionAuthTest {

    private static final String CLIENT_FRONTEND = "Client Frontend EX01";
    private static final String PASSWORD = "P@ssw0rd";
    /** Client Frontend with BasicAuth allowed before TLS, so AUTH can be tested without a handshake. */
    private static final UnaryOperator<ReceiveConnectorBuilder> CLEAR_TEXT_AUTH =
        b -> b.authMechanism(EnumSet.of(AuthMechanism.Tls, AuthMechanism.BasicAuth));

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SessionFixture clientFrontend() {
        return clientFrontend(CLEAR_TEXT_AUTH);
    }

    private static SessionFixture clientFrontend(UnaryOperator<ReceiveConnectorBuilder> change) {
        SessionFixture s = SessionFixture.on(CLIENT_FRONTEND, change);
        s.connect();
        return s;
    }

    private static SessionFixture signedIn(String user) {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("235 2.7.0 Authentication successful"),
            s.send("AUTH PLAIN " + b64("\0" + user + "\0" + PASSWORD)));
        return s;
    }

    @Test
    void ehloOffersLoginAndPlainWhereBasicAuthIsAllowed() {
        SessionFixture s = clientFrontend();
        List<String> ehlo = s.send("EHLO laptop.contoso.test");
        assertTrue(ehlo.contains("250-AUTH LOGIN PLAIN"), ehlo.toString());
        assertEquals(ehlo.indexOf("250-ENHANCEDSTATUSCODES") + 1, ehlo.indexOf("250-AUTH LOGIN PLAIN"),
            "Exchange lists AUTH after ENHANCEDSTATUSCODES (and STARTTLS)");
    }

    @Test
    void withBasicAuthRequireTlsAuthIsNotOfferedInTheClearAndAskingGets538() {
        SessionFixture s = clientFrontend(b -> b);
        List<String> ehlo = s.send("EHLO laptop.contoso.test");
        assertFalse(ehlo.stream().anyMatch(l -> l.contains("AUTH")), ehlo.toString());
        assertEquals(List.of("538 5.7.11 Encryption required for requested authentication mechanism"),
            s.send("AUTH LOGIN"));
    }

    @Test
    void authLoginWalksUsernameAndPasswordChallengesAndSignsIn() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("334 VXNlcm5hbWU6"), s.send("AUTH LOGIN"));
        assertEquals(List.of("334 UGFzc3dvcmQ6"), s.send(b64("kate@contoso.test")));
        assertEquals(List.of("235 2.7.0 Authentication successful"), s.send(b64(PASSWORD)));
        List<String> notes = s.outputs.get(s.outputs.size() - 1).notes();
        assertEquals(List.of("kate@contoso.test authenticated with AUTH LOGIN",
            "SMTPSubmit SMTPAcceptAnyRecipient BypassAntiSpam AcceptRoutingHeaders Set Session Permissions"), notes);
    }

    @Test
    void authLoginTakesTheUserNameAsAnInitialResponse() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("334 UGFzc3dvcmQ6"), s.send("AUTH LOGIN " + b64("kate")));
        assertEquals(List.of("235 2.7.0 Authentication successful"), s.send(b64(PASSWORD)));
    }

    @Test
    void authPlainWithoutInitialResponseGetsAnEmptyChallenge() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("334 "), s.send("AUTH PLAIN"));
        assertEquals(List.of("235 2.7.0 Authentication successful"), s.send(b64("\0kate@contoso.test\0" + PASSWORD)));
    }

    @Test
    void aUserSignsInByAliasByProxyAddressOrAsDomainBackslashAlias() {
        signedIn("kate");
        signedIn("k.smith@contoso.test");
        signedIn("CONTOSO\\kate");
        signedIn("Kate@Contoso.Test");
    }

    @Test
    void aSignedInUserRelaysAndTheMessageCarriesTheUserAndEsmtpa() {
        SessionFixture s = signedIn("kate@contoso.test");
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<k.smith@contoso.test>"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<someone@fabrikam.example>"));
        s.send("DATA");
        s.data("Subject: from Outlook\r\n\r\nhello\r\n.\r\n");
        ReceivedMessage m = s.submitted();
        assertEquals("kate@contoso.test", m.authenticatedUser().orElseThrow().userPrincipalName());
        assertEquals("ESMTPA", m.protocol());
        assertEquals(List.of(SmtpAddress.of("someone@fabrikam.example")), m.recipients());
    }

    @Test
    void sendingAsAnotherUsersAddressIsRefusedWith5760ButTheNullSenderIsAllowed() {
        SessionFixture s = signedIn("kate@contoso.test");
        assertEquals(List.of("550 5.7.60 SMTP; Client does not have permissions to send as this sender"),
            s.send("MAIL FROM:<chris@contoso.test>"));
        assertEquals(Duration.ZERO, s.last().delay(), "authenticated sessions are never tarpitted");
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<>"));
    }

    @Test
    void aWrongPasswordGets535AfterAuthTarpitIntervalAndTheThirdFailureCloses() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        for (int i = 1; i <= 2; i++) {
            assertEquals(List.of("535 5.7.3 Authentication unsuccessful"),
                s.send("AUTH PLAIN " + b64("\0kate@contoso.test\0guess" + i)));
            assertEquals(Duration.ofSeconds(5), s.outputs.get(s.outputs.size() - 1).delay());
            assertTrue(s.outputs.get(s.outputs.size() - 1).notes()
                .contains("Inbound AUTH PLAIN failed because of LogonDenied"));
        }
        assertEquals(List.of("421 4.7.0 Too many errors on this connection, closing transmission channel"),
            s.send("AUTH PLAIN " + b64("\0kate@contoso.test\0guess3")));
        assertTrue(s.session.isClosed());
    }

    @Test
    void maxLogonFailuresZeroNeverClosesAndAuthTarpitIntervalZeroAnswersAtOnce() {
        SessionFixture s = clientFrontend(b -> CLEAR_TEXT_AUTH.apply(b).maxLogonFailures(0)
            .authTarpitInterval(Duration.ZERO));
        s.send("EHLO laptop.contoso.test");
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("535 5.7.3 Authentication unsuccessful"),
                s.send("AUTH PLAIN " + b64("\0nobody@contoso.test\0x")));
            assertEquals(Duration.ZERO, s.outputs.get(s.outputs.size() - 1).delay());
        }
        assertFalse(s.session.isClosed());
    }

    @Test
    void aMailboxWithoutAPasswordCannotSignIn() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("535 5.7.3 Authentication unsuccessful"),
            s.send("AUTH PLAIN " + b64("\0david@contoso.test\0" + PASSWORD)));
    }

    @Test
    void anotherAuthorizationIdentityIsRefused() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("535 5.7.3 Authentication unsuccessful"),
            s.send("AUTH PLAIN " + b64("chris@contoso.test\0kate@contoso.test\0" + PASSWORD)));
        assertEquals(List.of("235 2.7.0 Authentication successful"),
            s.send("AUTH PLAIN " + b64("kate\0kate@contoso.test\0" + PASSWORD)));
    }

    @Test
    void theClientCancelsWithAStarAndMayTryAgain() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        s.send("AUTH LOGIN");
        assertEquals(List.of("501 5.0.0 Authentication cancelled"), s.send("*"));
        assertEquals(List.of("334 VXNlcm5hbWU6"), s.send("AUTH LOGIN"));
    }

    @Test
    void aResponseThatIsNotBase64Gets501AndCountsAsAProtocolError() {
        SessionFixture s = clientFrontend(b -> CLEAR_TEXT_AUTH.apply(b)
            .maxProtocolErrors(io.mailflow.core.params.Unlimited.of(1)));
        s.send("EHLO laptop.contoso.test");
        s.send("AUTH LOGIN");
        assertEquals(List.of("501 5.5.2 Cannot decode response"), s.send("not base64 at all!"));
        assertEquals(List.of("421 4.7.0 Too many errors on this connection, closing transmission channel"),
            s.send("AUTH PLAIN " + b64("no separators")));
    }

    @Test
    void authOutOfSequenceOrTwiceIsRefused() {
        SessionFixture s = clientFrontend();
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("AUTH LOGIN"));
        s.send("HELO laptop.contoso.test");
        assertEquals(List.of("502 5.3.3 Command not implemented"), s.send("AUTH LOGIN"));
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("504 5.7.4 Unrecognized authentication type"), s.send("AUTH CRAM-MD5"));
        s.send("AUTH PLAIN " + b64("\0kate\0" + PASSWORD));
        assertEquals(List.of("503 5.5.1 Already authenticated"), s.send("AUTH LOGIN"));
        List<String> ehlo = s.send("EHLO laptop.contoso.test");
        assertFalse(ehlo.stream().anyMatch(l -> l.contains("AUTH")), "no AUTH offered once signed in: " + ehlo);
        s.send("MAIL FROM:<kate@contoso.test>");
        assertEquals(List.of("503 5.5.1 Bad sequence of commands"), s.send("AUTH LOGIN"));
    }

    @Test
    void theProtocolLogNeverSeesCredentials() {
        SessionFixture s = clientFrontend();
        s.send("EHLO laptop.contoso.test");
        String plain = "AUTH PLAIN " + b64("\0kate\0" + PASSWORD);
        assertEquals("AUTH PLAIN *****", s.session.protocolLogText(plain));
        s.send("AUTH LOGIN");
        assertEquals("*****", s.session.protocolLogText(b64("kate")));
        s.send(b64("kate"));
        assertEquals("*****", s.session.protocolLogText(b64(PASSWORD)));
        s.send(b64(PASSWORD));
        assertEquals("MAIL FROM:<kate@contoso.test>", s.session.protocolLogText("MAIL FROM:<kate@contoso.test>"));
    }

    @Test
    void aConnectorWithoutTheExchangeUsersGroupGivesASignedInUserNoRightToSubmit() {
        SessionFixture s = SessionFixture.defaultFrontend(CLEAR_TEXT_AUTH);
        s.connect();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("235 2.7.0 Authentication successful"), s.send("AUTH PLAIN " + b64("\0kate\0" + PASSWORD)));
        assertEquals(List.of("530 5.7.1 Client was not authenticated"), s.send("MAIL FROM:<kate@contoso.test>"));
    }

    @Test
    void messageRateSourceUserCountsTheSignedInUserWhateverTheClientAddress() {
        // Client Frontend: MessageRateLimit 5 per minute, MessageRateSource User.
        SessionFixture s = signedIn("kate");
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<kate@contoso.test>"));
            s.send("RSET");
        }
        assertEquals(List.of("421 4.4.2 Message submission rate for this client has exceeded the configured limit"),
            s.send("MAIL FROM:<k.smith@contoso.test>"));
        assertTrue(s.session.isClosed());
    }

    @Test
    void aSignedInUsersPermanentFailuresAreNotTarpitted() {
        SessionFixture s = signedIn("kate");
        s.send("MAIL FROM:<kate@contoso.test>");
        assertEquals(List.of("501 5.1.3 Invalid address"), s.send("RCPT TO:<not an address>"));
        assertEquals(Duration.ZERO, s.last().delay());
    }

    @Test
    void onClientFrontendsDefaultsAUserStartsTlsThenSignsIn() {
        SessionFixture s = SessionFixture.withCertificate(CLIENT_FRONTEND, b -> b);
        s.connect();
        List<String> ehlo = s.send("EHLO laptop.contoso.test");
        assertTrue(ehlo.contains("250-STARTTLS") && ehlo.stream().noneMatch(l -> l.contains("AUTH")), ehlo.toString());
        assertEquals(List.of("220 2.0.0 SMTP server ready"), s.send("STARTTLS"));
        s.tlsNegotiated("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        ehlo = s.send("EHLO laptop.contoso.test");
        assertEquals(ehlo.indexOf("250-ENHANCEDSTATUSCODES") + 1, ehlo.indexOf("250-AUTH LOGIN PLAIN"), ehlo.toString());
        assertEquals(List.of("235 2.7.0 Authentication successful"), s.send("AUTH PLAIN " + b64("\0kate\0" + PASSWORD)));
        s.send("MAIL FROM:<kate@contoso.test>");
        s.send("RCPT TO:<someone@fabrikam.example>");
        s.send("DATA");
        s.data("Subject: over TLS\r\n\r\nhello\r\n.\r\n");
        assertEquals("ESMTPSA", s.submitted().protocol());
    }

    @Test
    void aSignInBeforeStartTlsDoesNotCarryOverButItsFailuresDo() {
        SessionFixture s = SessionFixture.withCertificate(CLIENT_FRONTEND, b -> CLEAR_TEXT_AUTH.apply(b).maxLogonFailures(2));
        s.connect();
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("535 5.7.3 Authentication unsuccessful"), s.send("AUTH PLAIN " + b64("\0kate\0wrong")));
        assertEquals(List.of("235 2.7.0 Authentication successful"), s.send("AUTH PLAIN " + b64("\0kate\0" + PASSWORD)));
        s.send("STARTTLS");
        s.tlsNegotiated("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        s.send("EHLO laptop.contoso.test");
        assertEquals(List.of("530 5.7.1 Client was not authenticated"), s.send("MAIL FROM:<kate@contoso.test>"),
            "RFC 3207: nothing said before TLS counts after it");
        assertEquals(List.of("421 4.7.0 Too many errors on this connection, closing transmission channel"),
            s.send("AUTH PLAIN " + b64("\0kate\0wrong again")));
    }
}
