package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.ManualClock;
import io.mailflow.delivery.conversion.Octets;
import io.mailflow.delivery.conversion.SevenBitDowngrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP client's decision class against scripted servers, no sockets: each dialogue lists what
 * the server sends (one chunk per {@code S}) and exactly what the client must write in answer.
 */
class SmtpClientSessionTest {
    private static final SmtpTarget TARGET = new SmtpTarget("mx.fabrikam.com", 25, "ex01.contoso.com",
        Duration.ofSeconds(30), Duration.ofMinutes(10));
    private static final String EHLO_PIPELINING = "250-mx.fabrikam.com Hello [192.0.2.10]\n250-PIPELINING\n"
        + "250-SIZE 10485760\n250-8BITMIME\n250 ENHANCEDSTATUSCODES";
    private static final String EHLO_PLAIN = "250-mx.fabrikam.com Hello [192.0.2.10]\n250 ENHANCEDSTATUSCODES";

    private final ManualClock clock = ManualClock.atEpoch();

    // ---- the dialogue driver ---------------------------------------------------------------

    /** A server chunk ({@code \n} becomes CRLF, one more CRLF at the end) or the client's bytes. */
    record Line(boolean fromServer, String text) {
    }

    static Line s(String text) {
        return new Line(true, text.replace("\n", "\r\n") + "\r\n");
    }

    static Line c(String command) {
        return new Line(false, command + "\r\n");
    }

    /** Raw client bytes (message content), no CRLF added. */
    static Line raw(String bytes) {
        return new Line(false, bytes);
    }

    final class Dialogue {
        final SmtpClientSession session;
        final List<SmtpClientSession.LogLine> log = new ArrayList<>();
        SmtpClientSession.Step last;

        Dialogue(List<OutboundMessage> messages) {
            session = new SmtpClientSession(TARGET, messages, clock);
            log.addAll(session.onConnected("198.51.100.1:50123", "192.0.2.25:25").log());
        }

        /** Feeds each server chunk; the client must answer each with exactly the client lines after it. */
        Dialogue play(Line... lines) {
            for (int i = 0; i < lines.length; ) {
                Line server = lines[i++];
                assertTrue(server.fromServer(), "the script must alternate server chunks and client answers");
                StringBuilder expected = new StringBuilder();
                while (i < lines.length && !lines[i].fromServer()) {
                    expected.append(lines[i++].text());
                }
                last = session.onReceived(server.text().getBytes(StandardCharsets.UTF_8));
                log.addAll(last.log());
                assertEquals(expected.toString(), last.sendText(), "client's answer to " + server.text());
                session.onWritten();
            }
            return this;
        }

        DeliveryBatchResult result() {
            return session.result();
        }
    }

    static OutboundMessage message(String id, String body, String... recipients) {
        return OutboundMessage.of(id, "kate@contoso.com", List.of(recipients), body.getBytes(StandardCharsets.UTF_8));
    }

    static final String BODY = "Subject: hello\r\n\r\nHi.\r\n";

    private static SmtpReply reply(int code, String enhanced, String text) {
        return SmtpReply.of(code, enhanced, text);
    }

    // ---- greeting and EHLO -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"500 5.5.1 Command unrecognized", "502 5.5.2 Command not implemented",
        "504 5.5.4 Command parameter not implemented"})
    void ehloRefusedFallsBackToHeloAndSpeaksPlainSmtp(String ehloRefusal) {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "chris@fabrikam.com"))).play(
            s("220 mx.fabrikam.com SMTP ready"),
            c("EHLO ex01.contoso.com"),
            s(ehloRefusal),
            c("HELO ex01.contoso.com"),
            s("250 mx.fabrikam.com"),
            c("MAIL FROM:<kate@contoso.com>"),     // no SIZE=: the server announced nothing
            s("250 OK"),
            c("RCPT TO:<chris@fabrikam.com>"),
            s("250 OK"),
            c("DATA"),
            s("354 go ahead"),
            raw(BODY + ".\r\n"),
            s("250 Queued"),
            c("QUIT"),
            s("221 Bye"));

        assertTrue(d.last.close());
        DeliveryBatchResult result = d.result();
        assertFalse(result.serverCapabilities().extended());
        assertEquals("mx.fabrikam.com", result.serverCapabilities().greeting());
        assertEquals(Optional.empty(), result.failure());
        assertEquals(List.of("chris@fabrikam.com"), result.results().get(0).delivered());
        assertEquals("192.0.2.25:25", result.remoteEndpoint());
    }

    @Test
    void multiLineEhloIsParsedAcrossChunksSplitMidLine() {
        SmtpClientSession session = new SmtpClientSession(TARGET, List.of(), clock);
        session.onConnected("198.51.100.1:50123", "192.0.2.25:25");
        session.onReceived("220 mx.fabrikam.com ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("", session.onReceived("250-mx.fabrikam.com Hello [192.0.2.10]\r\n250-PIPE".getBytes(
            StandardCharsets.US_ASCII)).sendText());
        assertEquals("", session.onReceived("LINING\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
            .getBytes(StandardCharsets.US_ASCII)).sendText());
        SmtpClientSession.Step step = session.onReceived(("250-ENHANCEDSTATUSCODES\r\n250-dsn\r\n"
            + "250-AUTH LOGIN PLAIN\r\n250-CHUNKING\r\n250 STARTTLS\r\n").getBytes(StandardCharsets.US_ASCII));

        assertEquals("QUIT\r\n", step.sendText()); // an empty batch: straight to QUIT
        EhloCapabilities caps = session.capabilities();
        assertTrue(caps.extended());
        assertEquals("mx.fabrikam.com Hello [192.0.2.10]", caps.greeting());
        assertTrue(caps.pipelining());
        assertTrue(caps.size());
        assertEquals(35882577L, caps.sizeLimit().getAsLong());
        assertTrue(caps.eightBitMime());
        assertTrue(caps.smtpUtf8());
        assertTrue(caps.enhancedStatusCodes());
        assertTrue(caps.dsn(), "keywords are case-insensitive");
        assertTrue(caps.startTls());
        assertTrue(caps.chunking());
        assertEquals("LOGIN PLAIN", caps.keywords().get("AUTH"));
        assertEquals(List.of("PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "DSN", "AUTH",
            "CHUNKING", "STARTTLS"), List.copyOf(caps.keywords().keySet()));
        // The protocol log sees the reply flattened to one line, as Exchange writes it.
        assertEquals(new SmtpClientSession.LogLine(ProtocolLog.Event.RECEIVE,
                "250 mx.fabrikam.com Hello [192.0.2.10] PIPELINING SIZE 35882577 8BITMIME SMTPUTF8 "
                    + "ENHANCEDSTATUSCODES dsn AUTH LOGIN PLAIN CHUNKING STARTTLS"),
            step.log().get(0));
    }

    @Test
    void sizeWithoutAValueOrZeroIsNoFixedLimit() {
        assertTrue(EhloCapabilities.fromEhlo(SmtpReply.multiline(250, List.of("mx", "SIZE"))).sizeLimit().isEmpty());
        assertTrue(EhloCapabilities.fromEhlo(SmtpReply.multiline(250, List.of("mx", "SIZE 0"))).sizeLimit().isEmpty());
        assertTrue(EhloCapabilities.fromEhlo(SmtpReply.multiline(250, List.of("mx", "SIZE 0"))).size());
    }

    @ParameterizedTest
    @CsvSource({
        "'421 4.3.2 Service not available, closing transmission channel', true, false",
        "'554 5.7.1 No SMTP service here', false, true",
        "'450 4.7.1 Try again later', true, true",
    })
    void refusedGreetingFailsTheConnection(String greeting, boolean isTransient, boolean saysQuit) {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "chris@fabrikam.com")));
        d.play(saysQuit ? new Line[]{s(greeting), c("QUIT")} : new Line[]{s(greeting)});
        assertEquals(!saysQuit, d.last.close(), "421 closes at once; other refusals still say QUIT");
        if (saysQuit) {
            d.play(s("221 Bye"));
            assertTrue(d.last.close());
        }

        DeliveryBatchResult result = d.result();
        assertEquals(List.of(), result.results(), "no message was attempted");
        ConnectionFailure failure = result.failure().orElseThrow();
        assertEquals(isTransient, failure.isTransient());
        assertTrue(failure.fromServer());
        assertEquals(greeting, failure.reply().toLogString());
        assertEquals(EhloCapabilities.NONE, result.serverCapabilities());
    }

    // ---- transactions ----------------------------------------------------------------------

    @Test
    void pipelinedBatchSendsMailRcptsAndDataInOneWriteAndMatchesRepliesInOrder() {
        String content = "Subject: pipelined\r\n\r\nHello.\r\n";
        Dialogue d = new Dialogue(List.of(message("m1", content,
            "a@fabrikam.com", "b@fabrikam.com", "c@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PIPELINING),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + content.length()),
            c("RCPT TO:<a@fabrikam.com>"),
            c("RCPT TO:<b@fabrikam.com>"),
            c("RCPT TO:<c@fabrikam.com>"),
            c("DATA"),
            s("250 2.1.0 Sender OK\n250 2.1.5 Recipient OK\n550 5.1.1 User unknown\n250 2.1.5 Recipient OK\n"
                + "354 Start mail input; end with <CRLF>.<CRLF>"),
            raw(content + ".\r\n"),
            s("250 2.6.0 <id@contoso.com> Queued mail for delivery"),
            c("QUIT"),
            s("221 2.0.0 Service closing transmission channel"));

        MessageResult m = d.result().results().get(0);
        assertEquals(List.of(
            new RecipientResult("a@fabrikam.com", reply(250, "2.1.5", "Recipient OK")),
            new RecipientResult("b@fabrikam.com", reply(550, "5.1.1", "User unknown")),
            new RecipientResult("c@fabrikam.com", reply(250, "2.1.5", "Recipient OK"))), m.recipients());
        assertEquals(Optional.of(reply(250, "2.6.0", "<id@contoso.com> Queued mail for delivery")), m.dataReply());
        assertEquals(List.of("a@fabrikam.com", "c@fabrikam.com"), m.delivered());
        assertEquals("550 5.1.1 User unknown", m.outcomes().get(1).reply().toLogString());
        assertTrue(d.session.isFinished());
        assertEquals(Optional.empty(), d.result().failure());
    }

    @Test
    void noAcceptedRecipientMeansRsetInsteadOfDataAndNoContent() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com", "b@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PLAIN),
            c("MAIL FROM:<kate@contoso.com>"),
            s("250 2.1.0 Sender OK"),
            c("RCPT TO:<a@fabrikam.com>"),
            s("550 5.1.1 User unknown"),
            c("RCPT TO:<b@fabrikam.com>"),
            s("450 4.2.1 Mailbox busy"),
            c("RSET"),
            s("250 2.0.0 Resetting"),
            c("QUIT"),
            s("221 Bye"));

        MessageResult m = d.result().results().get(0);
        assertEquals(Optional.empty(), m.dataReply());
        assertEquals(List.of(550, 450), m.recipients().stream().map(r -> r.reply().code()).toList());
        assertEquals(List.of(), m.delivered());
    }

    @Test
    void pipelinedWithEveryRecipientRefusedResetsAfterTheRefusedData() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com"), message("m2", BODY, "d@fabrikam.com")))
            .play(
                s("220 mx.fabrikam.com ESMTP"),
                c("EHLO ex01.contoso.com"),
                s(EHLO_PIPELINING),
                c("MAIL FROM:<kate@contoso.com> SIZE=" + BODY.length()),
                c("RCPT TO:<a@fabrikam.com>"),
                c("DATA"),
                s("250 2.1.0 Sender OK\n550 5.1.1 User unknown\n554 5.5.1 Error: no valid recipients"),
                c("RSET"),                                          // the sender is still set: clear it
                s("250 2.0.0 Ok"),
                c("MAIL FROM:<kate@contoso.com> SIZE=" + BODY.length()),
                c("RCPT TO:<d@fabrikam.com>"),
                c("DATA"),
                s("250 2.1.0 Sender OK\n250 2.1.5 OK\n354 go"),
                raw(BODY + ".\r\n"),
                s("250 2.0.0 Ok: queued"),
                c("QUIT"));

        List<MessageResult> results = d.result().results();
        assertEquals(Optional.empty(), results.get(0).dataReply(), "DATA's refusal says nothing about a recipient");
        assertEquals("550 5.1.1 User unknown", results.get(0).recipients().get(0).reply().toLogString());
        assertEquals(List.of("d@fabrikam.com"), results.get(1).delivered());
    }

    @Test
    void refusedMailFromStandsForEveryRecipientAndNeedsNoRset() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com", "b@fabrikam.com"),
            message("m2", BODY, "c@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PLAIN),
            c("MAIL FROM:<kate@contoso.com>"),
            s("550 5.7.1 Sender rejected"),
            c("MAIL FROM:<kate@contoso.com>"),
            s("250 2.1.0 Sender OK"),
            c("RCPT TO:<c@fabrikam.com>"));

        MessageResult m1 = d.result().results().get(0);
        assertEquals(List.of("550 5.7.1 Sender rejected", "550 5.7.1 Sender rejected"),
            m1.recipients().stream().map(r -> r.reply().toLogString()).toList());
    }

    @Test
    void twoMessagesOnOneConnectionAndAFailedTransactionLeavesItUsable() {
        // Pipelined, replies arriving one per packet: nothing is written until DATA's 354.
        String first = "Subject: one\r\n\r\n1\r\n";
        String second = "Subject: two\r\n\r\n2\r\n";
        String third = "Subject: three\r\n\r\n3\r\n";
        Dialogue d = new Dialogue(List.of(message("m1", first, "a@fabrikam.com"),
            message("m2", second, "b@fabrikam.com"), message("m3", third, "c@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PIPELINING),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + first.length()), c("RCPT TO:<a@fabrikam.com>"), c("DATA"),
            s("250 2.1.0 Sender OK"),
            s("250 2.1.5 Recipient OK"),
            s("354 go"),
            raw(first + ".\r\n"),
            s("250 2.6.0 Queued"),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + second.length()), c("RCPT TO:<b@fabrikam.com>"), c("DATA"),
            s("250 2.1.0 Sender OK\n250 2.1.5 Recipient OK\n451 4.3.2 System not accepting network messages"),
            c("RSET"),
            s("250 2.0.0 Resetting"),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + third.length()), c("RCPT TO:<c@fabrikam.com>"), c("DATA"),
            s("250 2.1.0 Sender OK\n250 2.1.5 Recipient OK\n354 go"),
            raw(third + ".\r\n"),
            s("554 5.6.0 Content rejected"),
            c("QUIT"),                                       // a refused end of data needs no RSET
            s("221 Bye"));

        List<MessageResult> results = d.result().results();
        assertEquals(3, results.size());
        assertEquals(List.of("a@fabrikam.com"), results.get(0).delivered());
        assertEquals("451 4.3.2 System not accepting network messages",
            results.get(1).outcomes().get(0).reply().toLogString());
        assertEquals("554 5.6.0 Content rejected", results.get(2).outcomes().get(0).reply().toLogString());
        assertEquals(Optional.empty(), d.result().failure());
    }

    // ---- local refusals --------------------------------------------------------------------

    @Test
    void messageLargerThanTheServersSizeIsRefusedLocallyWithoutMail() {
        String big = "X".repeat(2000) + "\r\n";
        Dialogue d = new Dialogue(List.of(message("big", big, "a@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s("250-mx.fabrikam.com\n250-PIPELINING\n250 SIZE 1000"),
            c("QUIT"),
            s("221 Bye"));

        MessageResult m = d.result().results().get(0);
        SmtpReply refusal = m.recipients().get(0).reply();
        assertEquals(552, refusal.code());
        assertEquals("5.3.4", refusal.enhancedCode());
        assertEquals(Optional.empty(), m.dataReply());
        assertTrue(d.log.stream().anyMatch(l -> l.event() == ProtocolLog.Event.INFORMATION
            && l.data().startsWith("Message big not sent: 552 5.3.4")));
    }

    // ---- content conversion for the next hop ------------------------------------------------

    private static final String EHLO_NO_8BITMIME = "250-mx.fabrikam.com\n250 SIZE 10485760";
    private static final String GREETING_TEXT = "Gr\u00fc\u00dfe aus K\u00f6ln, see you at the caf\u00e9 on Friday.";

    @Test
    void eightBitContentToAServerWithout8BitMimeIsSentAsSevenBitWithItsConvertedSize() {
        byte[] content = ("Subject: caf\u00e9\r\n\r\n" + GREETING_TEXT + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] converted = ((SevenBitDowngrade.Converted) SevenBitDowngrade.toSevenBit(content)).content();
        String sent = new String(converted, StandardCharsets.US_ASCII);
        assertTrue(sent.contains("Content-Transfer-Encoding: quoted-printable\r\n") && sent.startsWith("Subject: =?UTF-8?"),
            sent);

        Dialogue d = new Dialogue(List.of(OutboundMessage.detect("8bit", "kate@contoso.com", List.of("a@fabrikam.com"),
            content, false, false))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_NO_8BITMIME),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + converted.length), // no BODY=: the content is 7-bit now
            s("250 OK"),
            c("RCPT TO:<a@fabrikam.com>"),
            s("250 OK"),
            c("DATA"),
            s("354 go ahead"),
            raw(sent + ".\r\n"),
            s("250 Queued"),
            c("QUIT"));

        assertFalse(Octets.hasEightBit(d.last.send()));
        assertEquals(List.of("a@fabrikam.com"), d.result().results().get(0).delivered());
        assertTrue(d.log.stream().anyMatch(l -> l.event() == ProtocolLog.Event.INFORMATION
            && l.data().startsWith("Message 8bit downgraded for a next hop without 8BITMIME and SMTPUTF8: "
            + "1 body part re-encoded, "
            + "1 header field encoded")), d.log.toString());
    }

    @Test
    void utf8HeadersToAServerWithoutSmtpUtf8AreEncodedAndTheEightBitBodyKeepsBody8BitMime() {
        String body = "\r\n\r\n" + GREETING_TEXT + "\r\n";
        byte[] content = ("From: K\u00e5te <kate@contoso.com>\r\nSubject: caf\u00e9" + body).getBytes(StandardCharsets.UTF_8);
        OutboundMessage m = OutboundMessage.detect("utf8", "kate@contoso.com", List.of("a@fabrikam.com"), content,
            true, false);
        assertTrue(m.smtpUtf8(), "UTF-8 in the header section needs SMTPUTF8");
        String sent = "From: =?ISO-8859-1?Q?K=E5te?= <kate@contoso.com>\r\nSubject: =?UTF-8?B?Y2Fmw6k=?=" + body;

        Dialogue d = new Dialogue(List.of(m)).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PIPELINING),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + sent.getBytes(StandardCharsets.UTF_8).length + " BODY=8BITMIME"),
            c("RCPT TO:<a@fabrikam.com>"),
            c("DATA"),
            s("250 OK\n250 OK\n354 go ahead"),
            raw(sent + ".\r\n"));

        assertTrue(d.log.stream().anyMatch(l -> l.data().startsWith(
            "Message utf8 downgraded for a next hop without SMTPUTF8: 0 body parts re-encoded, 2 header fields encoded")));
    }

    @Test
    void aNonAsciiRecipientFailsAloneWithPostfixsReplyAndTheOthersAreSent() {
        OutboundMessage m = OutboundMessage.detect("idn", "kate@contoso.com",
            List.of("bj\u00f8rn@fabrikam.com", "b@fabrikam.com"), BODY.getBytes(StandardCharsets.US_ASCII), false, false);

        Dialogue d = new Dialogue(List.of(m)).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PIPELINING),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + BODY.length()),
            c("RCPT TO:<b@fabrikam.com>"),
            c("DATA"),
            s("250 OK\n250 OK\n354 go ahead"),
            raw(BODY + ".\r\n"),
            s("250 Queued"),
            c("QUIT"));

        List<RecipientResult> outcomes = d.result().results().get(0).outcomes();
        assertEquals("bj\u00f8rn@fabrikam.com", outcomes.get(0).address());
        assertEquals("554 5.6.7 SMTPUTF8 is required, but was not offered by host mx.fabrikam.com[192.0.2.25]",
            outcomes.get(0).reply().toLogString());
        assertEquals(List.of("b@fabrikam.com"), d.result().results().get(0).delivered());
    }

    @Test
    void aNonAsciiSenderFailsEveryRecipientWithoutACommandAndTheNextMessageGoes() {
        OutboundMessage utf8 = OutboundMessage.detect("utf8", "k\u00e5te@contoso.com",
            List.of("a@fabrikam.com", "b@fabrikam.com"), BODY.getBytes(StandardCharsets.US_ASCII), false, true);

        Dialogue d = new Dialogue(List.of(utf8, message("plain", BODY, "c@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_NO_8BITMIME),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + BODY.length()));

        MessageResult refused = d.result().results().get(0);
        assertEquals(2, refused.recipients().size());
        for (RecipientResult r : refused.outcomes()) {
            assertEquals("554 5.6.7", r.reply().code() + " " + r.reply().enhancedCode());
            assertTrue(r.reply().isPermanentFailure());
        }
    }

    @Test
    void aHeaderAddressThatCannotBeDowngradedFailsTheMessageWithTheSameReply() {
        byte[] content = "From: j\u00f6hn@contoso.com\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);
        OutboundMessage m = OutboundMessage.detect("hdr", "kate@contoso.com", List.of("a@fabrikam.com"), content,
            false, false);

        Dialogue d = new Dialogue(List.of(m)).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PIPELINING),
            c("QUIT"));

        assertEquals("554 5.6.7", code(d.result().results().get(0)));
        assertTrue(d.log.stream().anyMatch(l -> l.data().startsWith("Message hdr cannot be downgraded: the address")));
    }

    @Test
    void eightBitAndSmtpUtf8ContentAnnouncesItselfOnMailFrom() {
        byte[] content = "Subject: caf\u00e9\r\n\r\n\u00e9\r\n".getBytes(StandardCharsets.UTF_8);
        OutboundMessage utf8 = new OutboundMessage("utf8", "k\u00e4te@contoso.com", List.of("b@fabrikam.com"),
            content, true, true);
        new Dialogue(List.of(utf8)).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s("250-mx.fabrikam.com\n250-SIZE 10485760\n250-8BITMIME\n250 SMTPUTF8"),
            c("MAIL FROM:<k\u00e4te@contoso.com> SIZE=" + content.length + " BODY=8BITMIME SMTPUTF8"));
    }

    private static String code(MessageResult result) {
        SmtpReply r = result.recipients().get(0).reply();
        return r.code() + " " + r.enhancedCode();
    }

    // ---- connection failures ---------------------------------------------------------------

    @Test
    void a421AfterMailFailsTheConnectionAndLaterMessagesAreNotAttempted() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com", "b@fabrikam.com"),
            message("m2", BODY, "c@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PLAIN),
            c("MAIL FROM:<kate@contoso.com>"),
            s("421 4.3.2 Service not available, closing transmission channel"));

        assertTrue(d.last.close(), "closed at once: the server is gone");
        DeliveryBatchResult result = d.result();
        assertEquals(1, result.results().size(), "m2 was never offered");
        assertFalse(result.attempted(1));
        assertEquals(List.of(421, 421), result.results().get(0).recipients().stream()
            .map(r -> r.reply().code()).toList());
        ConnectionFailure failure = result.failure().orElseThrow();
        assertTrue(failure.isTransient());
        assertTrue(failure.fromServer());
        assertEquals(421, failure.reply().code());
        assertEquals(ProtocolLog.Event.DISCONNECT, d.log.get(d.log.size() - 1).event());
    }

    @Test
    void a421AmidPipelinedRepliesStandsForEveryReplyNotReceived() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com", "b@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PIPELINING),
            c("MAIL FROM:<kate@contoso.com> SIZE=" + BODY.length()),
            c("RCPT TO:<a@fabrikam.com>"), c("RCPT TO:<b@fabrikam.com>"), c("DATA"),
            s("250 2.1.0 Sender OK\n250 2.1.5 Recipient OK\n421 4.4.2 Connection dropped"));

        MessageResult m = d.result().results().get(0);
        assertEquals(250, m.recipients().get(0).reply().code());
        assertEquals(421, m.recipients().get(1).reply().code());
        assertEquals(421, m.dataReply().orElseThrow().code(), "the accepted recipient was not delivered");
        assertEquals(List.of(), m.delivered());
    }

    @Test
    void serverClosingMidTransactionIsATransientFailure() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PLAIN),
            c("MAIL FROM:<kate@contoso.com>"));
        SmtpClientSession.Step step = d.session.onClosedByServer();

        assertTrue(step.close());
        assertEquals(new SmtpClientSession.LogLine(ProtocolLog.Event.DISCONNECT, "Remote"),
            step.log().get(step.log().size() - 1));
        ConnectionFailure failure = d.result().failure().orElseThrow();
        assertTrue(failure.isTransient());
        assertFalse(failure.fromServer());
        assertEquals("451 4.4.2", failure.reply().code() + " " + failure.reply().enhancedCode());
        assertEquals(451, d.result().results().get(0).recipients().get(0).reply().code());
    }

    @Test
    void connectFailureIsTransientAndNothingIsAttempted() {
        SmtpClientSession session = new SmtpClientSession(TARGET, List.of(message("m1", BODY, "a@fabrikam.com")),
            clock);
        SmtpClientSession.Step step = session.onTransportFailed("Connection refused");

        assertTrue(step.close());
        assertTrue(step.log().stream().noneMatch(l -> l.event() == ProtocolLog.Event.DISCONNECT),
            "never connected, so nothing to disconnect");
        DeliveryBatchResult result = session.result();
        assertEquals(List.of(), result.results());
        assertEquals("mx.fabrikam.com:25", result.remoteEndpoint());
        ConnectionFailure failure = result.failure().orElseThrow();
        assertTrue(failure.isTransient());
        assertEquals("451 4.4.1", failure.reply().code() + " " + failure.reply().enhancedCode());
        assertTrue(failure.reason().contains("Connection refused"));
    }

    @Test
    void aLineThatIsNotAReplyFailsTheConnection() {
        Dialogue d = new Dialogue(List.of(message("m1", BODY, "a@fabrikam.com"))).play(s("HTTP/1.1 400 Bad Request"));
        assertTrue(d.last.close());
        ConnectionFailure failure = d.result().failure().orElseThrow();
        assertEquals("4.5.0", failure.reply().enhancedCode());
        assertTrue(failure.isTransient());
    }

    // ---- timeouts --------------------------------------------------------------------------

    @Test
    void eachWaitIsRfc5321sMinimumScaledByConnectionInactivityTimeOut() {
        SmtpClientTimeouts rfc = SmtpClientTimeouts.scaledTo(Duration.ofMinutes(10));
        assertEquals(SmtpClientTimeouts.rfc5321(), rfc);
        SmtpClientTimeouts oneMinute = SmtpClientTimeouts.scaledTo(Duration.ofMinutes(1));
        assertEquals(Duration.ofSeconds(30), oneMinute.greeting());
        assertEquals(Duration.ofSeconds(30), oneMinute.rcpt());
        assertEquals(Duration.ofSeconds(12), oneMinute.dataInitiation());
        assertEquals(Duration.ofSeconds(18), oneMinute.dataBlock());
        assertEquals(Duration.ofMinutes(1), oneMinute.dataTermination());
    }

    @Test
    void aSilentServerTimesOutAfterTheGreetingWait() {
        SmtpClientSession session = new SmtpClientSession(TARGET, List.of(message("m1", BODY, "a@fabrikam.com")),
            clock);
        session.onConnected("198.51.100.1:50123", "192.0.2.25:25");
        assertEquals(clock.now().plus(Duration.ofMinutes(5)), session.nextDeadline());

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertEquals(SmtpClientSession.Step.NOTHING, session.onTick());
        clock.advance(Duration.ofMillis(1));
        SmtpClientSession.Step step = session.onTick();

        assertTrue(step.close());
        ConnectionFailure failure = session.failure().orElseThrow();
        assertTrue(failure.isTransient());
        assertEquals("451 4.4.2", failure.reply().code() + " " + failure.reply().enhancedCode());
        assertTrue(failure.reason().contains("greeting"), failure.reason());
    }

    @Test
    void theEndOfDataWaitStartsOnlyOnceTheContentIsWritten() {
        SmtpClientSession session = new SmtpClientSession(TARGET, List.of(message("m1", BODY, "a@fabrikam.com")),
            clock);
        session.onConnected("198.51.100.1:50123", "192.0.2.25:25");
        session.onReceived(bytes("220 mx ESMTP\r\n"));
        session.onReceived(bytes("250-mx\r\n250 PIPELINING\r\n"));
        assertEquals(clock.now().plus(Duration.ofMinutes(5)), session.nextDeadline(), "MAIL: 5 min");
        session.onReceived(bytes("250 ok\r\n250 ok\r\n"));
        assertEquals(clock.now().plus(Duration.ofMinutes(2)), session.nextDeadline(), "DATA: 2 min");
        session.onReceived(bytes("354 go\r\n"));
        assertEquals(clock.now().plus(Duration.ofMinutes(3)), session.nextDeadline(), "writing: 3 min a block");

        clock.advance(Duration.ofMinutes(2));
        session.onWriteProgress();
        assertEquals(clock.now().plus(Duration.ofMinutes(3)), session.nextDeadline(), "each block restarts it");
        clock.advance(Duration.ofMinutes(2));
        session.onWritten();
        assertEquals(clock.now().plus(Duration.ofMinutes(10)), session.nextDeadline(), "final dot: 10 min");
    }

    @Test
    void aServerSlowToAnswerQuitCostsNothing() {
        Dialogue d = new Dialogue(List.of()).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s(EHLO_PLAIN),
            c("QUIT"));
        clock.advance(Duration.ofMinutes(5));
        assertTrue(d.session.onTick().close());
        assertEquals(Optional.empty(), d.result().failure());
    }

    // ---- codec -----------------------------------------------------------------------------

    @Test
    void contentIsDotStuffedAndEndsWithCrlfDotCrlf() {
        String content = ".hidden\r\n..double\r\nmid.dot\r\n.\r\nno final newline";
        new Dialogue(List.of(message("m1", content, "a@fabrikam.com"))).play(
            s("220 mx.fabrikam.com ESMTP"),
            c("EHLO ex01.contoso.com"),
            s("250-mx\n250 PIPELINING"),
            c("MAIL FROM:<kate@contoso.com>"), c("RCPT TO:<a@fabrikam.com>"), c("DATA"),
            s("250 ok\n250 ok\n354 go"),
            raw("..hidden\r\n...double\r\nmid.dot\r\n..\r\nno final newline\r\n.\r\n"));

        assertEquals(".\r\n", new String(DotStuffing.encode(new byte[0]), StandardCharsets.US_ASCII));
        assertEquals("..\r\n.\r\n", new String(DotStuffing.encode(bytes(".\r\n")), StandardCharsets.US_ASCII));
    }

    @Test
    void multiLineRepliesKeepTheirLinesAndTheirEnhancedStatusCode() throws Exception {
        SmtpReplyReader reader = new SmtpReplyReader();
        reader.feed(bytes("550-5.1.1 The email account that you tried to reach does not exist.\r\n"
            + "550-5.1.1 Please try double-checking the recipient's email address.\r\n550 5.1.1 Learn more\r\n"));
        assertEquals(new SmtpReply(550, "5.1.1", List.of("The email account that you tried to reach does not exist.",
            "Please try double-checking the recipient's email address.", "Learn more")), reader.next());

        reader.feed(bytes("250 2.0.0\r\n354 Start input\r\n220\n"));
        assertEquals(new SmtpReply(250, "2.0.0", List.of("")), reader.next());
        assertEquals(new SmtpReply(354, null, List.of("Start input")), reader.next());
        assertEquals(new SmtpReply(220, null, List.of("")), reader.next(), "bare LF and no text are tolerated");
        assertEquals(null, reader.next());

        // A 4.x.x code on a 5xx reply is not an enhanced status code of that reply.
        reader.feed(bytes("550 4.1.1 odd\r\n"));
        assertEquals(new SmtpReply(550, null, List.of("4.1.1 odd")), reader.next());
    }

    @Test
    void aVeryLongReplyLineIsTruncatedNotFatal() {
        Dialogue d = new Dialogue(List.of()).play(
            s("220 " + "x".repeat(100_000)),
            c("EHLO ex01.contoso.com"));
        assertEquals(Optional.empty(), d.result().failure());
        assertEquals(SmtpReplyReader.MAX_LINE, d.log.stream()
            .filter(l -> l.event() == ProtocolLog.Event.RECEIVE).findFirst().orElseThrow().data().length());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
