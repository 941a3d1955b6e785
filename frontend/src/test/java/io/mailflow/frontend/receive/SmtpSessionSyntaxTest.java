package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MAIL FROM / RCPT TO / EHLO arguments: what is tolerated and what gets which 5xx. */
class SmtpSessionSyntaxTest {

    /** Default Frontend EX01, greeted with EHLO, with room for many errors. */
    private static SessionFixture greeted() {
        return SessionFixture.defaultFrontend(b -> b.maxProtocolErrors(Unlimited.UNLIMITED)).greeted();
    }

    private static ReceivedMessage deliver(SessionFixture s) {
        s.send("DATA");
        s.data("Subject: x\r\n\r\nbody\r\n.\r\n");
        return s.submitted();
    }

    @Test
    void mailWithoutBracketsOrWithASpaceAfterTheColonIsAccepted() {
        SessionFixture s = greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:chris@fabrikam.example"));
        s.send("RSET");
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM: <chris@fabrikam.example>"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO: kate@contoso.test"));
    }

    @Test
    void nullReversePathIsAccepted() {
        SessionFixture s = greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<>"));
        s.send("RCPT TO:<kate@contoso.test>");
        assertEquals(Optional.empty(), deliver(s).sender());
    }

    @Test
    void mailArgumentThatCannotBeParsedIs501InvalidArguments() {
        SessionFixture s = greeted();
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL chris@fabrikam.example"));
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL FROM:<chris@fabrikam.example"));
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL FROM:"));
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL"));
    }

    @Test
    void senderThatIsNotAnAddressIs501Dot517() {
        SessionFixture s = greeted();
        assertEquals(List.of("550 5.1.7 Invalid address"), s.send("MAIL FROM:<chris>"));
        assertEquals(List.of("550 5.1.7 Invalid address"), s.send("MAIL FROM:<chris@>"));
        assertEquals(List.of("550 5.1.7 Invalid address"), s.send("MAIL FROM:<@fabrikam.example>"));
    }

    @Test
    void recipientThatIsNotAnAddressIs501Dot513() {
        SessionFixture s = greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("501 5.1.3 Invalid address"), s.send("RCPT TO:<kate>"));
        assertEquals(List.of("501 5.1.3 Invalid address"), s.send("RCPT TO:<>"));
        assertEquals(List.of("501 5.1.3 Invalid address"), s.send("RCPT kate@contoso.test"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<kate@contoso.test>"));
    }

    @Test
    void declaredSizeOverMaxMessageSizeIsRefusedAtMail() {
        SessionFixture s = greeted();
        assertEquals(List.of("552 5.3.4 Message size exceeds fixed maximum message size"),
            s.send("MAIL FROM:<chris@fabrikam.example> SIZE=37748737"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example> SIZE=37748736"));
    }

    @Test
    void declaredSizeIsComparedWithTheConnectorsOwnLimit() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.maxMessageSize(ByteSize.ofKilobytes(64))).greeted();
        assertEquals(List.of("552 5.3.4 Message size exceeds fixed maximum message size"),
            s.send("MAIL FROM:<chris@fabrikam.example> SIZE=65537"));
    }

    @Test
    void sizeThatIsNotANumberIsInvalidArguments() {
        SessionFixture s = greeted();
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL FROM:<chris@fabrikam.example> SIZE=big"));
    }

    @Test
    void unknownMailParameterIsUnrecognized() {
        SessionFixture s = greeted();
        assertEquals(List.of("501 5.5.4 Unrecognized parameter"), s.send("MAIL FROM:<chris@fabrikam.example> XFOO"));
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL FROM:<chris@fabrikam.example> RET=ALL"));
    }

    @Test
    void dsnParametersOfRfc3461AreKeptInTheEnvelope() {
        SessionFixture s = greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"),
            s.send("MAIL FROM:<chris@fabrikam.example> RET=FULL ENVID=QQ+2B314159"));
        assertEquals(List.of("250 2.1.5 Recipient OK"),
            s.send("RCPT TO:<kate@contoso.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;k.smith+2Btag@contoso.test"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<lisa@contoso.test> NOTIFY=NEVER"));
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("RCPT TO:<david@contoso.test> NOTIFY=NEVER,DELAY"));
        assertEquals(List.of("501 5.5.4 Unrecognized parameter"), s.send("RCPT TO:<david@contoso.test> XFOO=1"));
        ReceivedMessage m = deliver(s);
        assertEquals("QQ+314159", m.envelopeId());
        assertEquals(io.mailflow.core.envelope.DsnReturn.FULL, m.dsnReturn());
        var kate = m.envelopeRecipients().get(0);
        assertEquals(java.util.Set.of(io.mailflow.core.envelope.DsnNotify.SUCCESS,
            io.mailflow.core.envelope.DsnNotify.FAILURE), kate.dsnNotify());
        assertEquals("k.smith+tag@contoso.test", kate.originalRecipient().toString());
        assertEquals(java.util.Set.of(io.mailflow.core.envelope.DsnNotify.NEVER),
            m.envelopeRecipients().get(1).dsnNotify());
    }

    @Test
    void esmtpParametersAfterHeloAreRefused() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        s.send("HELO client.fabrikam.example");
        assertEquals(List.of("501 5.5.4 Unrecognized parameter"), s.send("MAIL FROM:<chris@fabrikam.example> SIZE=100"));
        assertEquals(List.of("501 5.5.4 Unrecognized parameter"),
            s.send("MAIL FROM:<chris@fabrikam.example> BODY=8BITMIME"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void body8BitMimeIsAcceptedAndCarriedToTheMessage() {
        SessionFixture s = greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example> BODY=8BITMIME SIZE=100"));
        s.send("RCPT TO:<kate@contoso.test>");
        assertEquals(BodyType.EightBitMime, deliver(s).bodyType());
    }

    @Test
    void body7BitIsAcceptedAndUnknownBodyTypesAreNot() {
        SessionFixture s = greeted();
        assertEquals(List.of("501 5.5.4 Invalid arguments"), s.send("MAIL FROM:<chris@fabrikam.example> BODY=BINARYMIME"));
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<chris@fabrikam.example> BODY=7BIT"));
    }

    @Test
    void nonAsciiSenderWithoutSmtpUtf8Is553() {
        SessionFixture s = greeted();
        assertEquals(List.of("553 5.6.7 Non-ASCII addresses require the SMTPUTF8 parameter"),
            s.send("MAIL FROM:<jörg@fabrikam.example>"));
    }

    @Test
    void nonAsciiRecipientWithoutSmtpUtf8Is553() {
        SessionFixture s = greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("553 5.6.7 Non-ASCII addresses require the SMTPUTF8 parameter"),
            s.send("RCPT TO:<jörg@contoso.test>"));
    }

    @Test
    void nonAsciiSenderWithSmtpUtf8IsAcceptedAndTheProtocolIsUtf8Smtp() {
        SessionFixture s = greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<jörg@fabrikam.example> SMTPUTF8"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<kate@contoso.test>"));
        ReceivedMessage message = deliver(s);
        assertEquals(Optional.of(SmtpAddress.of("jörg@fabrikam.example")), message.sender());
        assertEquals("UTF8SMTP", message.protocol());
        assertTrue(message.smtpUtf8());
    }

    @Test
    void smtpUtf8LastsOnlyForItsTransaction() {
        SessionFixture s = greeted();
        s.send("MAIL FROM:<jörg@fabrikam.example> SMTPUTF8");
        s.send("RSET");
        assertEquals(List.of("553 5.6.7 Non-ASCII addresses require the SMTPUTF8 parameter"),
            s.send("MAIL FROM:<jörg@fabrikam.example>"));
    }

    @Test
    void barePostmasterIsThePostmasterOfTheDefaultAcceptedDomain() {
        SessionFixture s = greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<postmaster>"));
        assertEquals(List.of(SmtpAddress.of("postmaster@contoso.test")), deliver(s).recipients());
    }

    @Test
    void postmasterMatchesInAnyCase() {
        SessionFixture s = greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<PostMaster>"));
    }

    @Test
    void sourceRouteIsIgnored() {
        SessionFixture s = greeted();
        s.send("MAIL FROM:<chris@fabrikam.example>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<@relay.example:kate@contoso.test>"));
        assertEquals(List.of(SmtpAddress.of("kate@contoso.test")), deliver(s).recipients());
    }

    @Test
    void ehloWithoutArgumentIs501InvalidDomainName() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        assertEquals(List.of("501 5.5.4 Invalid domain name"), s.send("EHLO"));
        assertEquals(List.of("501 5.5.4 Invalid domain name"), s.send("HELO "));
        assertFalse(s.session.isClosed());
        assertEquals(List.of("503 5.5.2 Send hello first"), s.send("MAIL FROM:<chris@fabrikam.example>"));
    }

    @Test
    void invalidEhloDomainIsToleratedByDefault() {
        SessionFixture s = SessionFixture.defaultFrontend();
        s.connect();
        assertEquals("250-ex01.contoso.test Hello [192.0.2.10]", s.send("EHLO not_a_domain!").get(0));
    }

    @Test
    void requireEhloDomainClosesOnAnInvalidDomain() {
        SessionFixture s = SessionFixture.defaultFrontend(b -> b.requireEHLODomain(true));
        s.connect();
        assertEquals(List.of("501 5.5.4 Invalid domain name"), s.send("EHLO not_a_domain!"));
        assertTrue(s.last().close());
        assertTrue(s.session.isClosed());
    }

    @Test
    void requireEhloDomainAcceptsDomainsAndAddressLiterals() {
        for (String name : List.of("client.fabrikam.example", "localhost", "[192.0.2.10]", "[IPv6:2001:db8::1]",
            "mail-01.fabrikam.example.")) {
            SessionFixture s = SessionFixture.defaultFrontend(b -> b.requireEHLODomain(true));
            s.connect();
            assertEquals("250-ex01.contoso.test Hello [192.0.2.10]", s.send("EHLO " + name).get(0), name);
        }
    }
}
