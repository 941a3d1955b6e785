package io.mailflow.delivery.dsn;

import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.smtp.SmtpReply;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.MimeUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DSNs built and read back with Mime4j: structure, RFC 3464 fields, RET, NOTIFY, the null sender, line discipline. */
class DeliveryStatusNotificationTest {

    private static final Instant ARRIVAL = Instant.parse("2026-01-01T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T08:00:05Z");
    private static final SmtpAddress SENDER = SmtpAddress.of("alice@fabrikam.com");
    private static final SmtpAddress BOB = SmtpAddress.of("bob@contoso.com");
    private static final SmtpAddress CAROL = SmtpAddress.of("carol@tailspintoys.com");
    private static final SmtpReply NOT_FOUND = SmtpReply.of(550, "5.1.1", "RESOLVER.ADR.ExRecipNotFound; not found");
    private static final SmtpReply RELAY_DENIED =
        SmtpReply.of(550, "5.7.54", "SMTP; Unable to relay recipient in non-accepted domain");
    private static final String BODY_MARKER = "The secret body line that HDRS never returns.";
    private static final byte[] CONTENT = ("From: Alice <alice@fabrikam.com>\r\n"
        + "To: bob@contoso.com\r\n"
        + "Subject: Quarterly report\r\n"
        + "Message-ID: <q1-2026@fabrikam.com>\r\n"
        + "Date: Thu, 1 Jan 2026 08:00:00 +0000\r\n"
        + "\r\n"
        + BODY_MARKER + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private static OriginalMessage original(DsnReturn ret) {
        return new OriginalMessage(Optional.of(SENDER), Optional.of("QQ+2B314159"), ARRIVAL, CONTENT,
            Optional.of("mail.fabrikam.com ([192.0.2.10])"), ret);
    }

    private static DeliveryStatusNotification.Builder builder(OriginalMessage original) {
        return DeliveryStatusNotification.builder()
            .reportingMta("ex01.contoso.com")
            .postmasterDomain("contoso.com")
            .original(original)
            .date(NOW);
    }

    private static DsnMessage ndr(DsnReturn ret) {
        List<DsnMessage> dsns = builder(original(ret))
            .recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW).withOriginalRecipient("rfc822;Bob+40contoso.com"))
            .recipient(RecipientNotice.failed(CAROL, RELAY_DENIED, NOW).withRemoteMta("mx.tailspintoys.com"))
            .build();
        assertEquals(1, dsns.size());
        return dsns.get(0);
    }

    @Test
    void anNdrIsAMultipartReportWithThreePartsInOrder() throws IOException {
        DsnMessage dsn = ndr(DsnReturn.HDRS);
        Message message = parse(dsn);
        assertEquals("multipart/report", message.getMimeType());
        ContentTypeField type = (ContentTypeField) message.getHeader().getField("Content-Type");
        assertEquals("delivery-status", type.getParameter("report-type"));
        Multipart multipart = assertInstanceOf(Multipart.class, message.getBody());
        assertEquals("report", multipart.getSubType());
        assertEquals(List.of("text/plain", "message/delivery-status", "text/rfc822-headers"),
            multipart.getBodyParts().stream().map(Entity::getMimeType).toList());
        assertEquals(DsnAction.FAILED, dsn.action());
        assertEquals("alice@fabrikam.com", dsn.envelopeRecipient());
        assertEquals("", dsn.reversePath());
        assertEquals(BodyType.SevenBit, dsn.bodyType());
        assertFalse(dsn.smtpUtf8());
    }

    @Test
    void theDeliveryStatusPartHasThePerMessageAndPerRecipientFields() throws IOException {
        List<Map<String, String>> blocks = statusBlocks(parse(ndr(DsnReturn.HDRS)));
        assertEquals(3, blocks.size());
        Map<String, String> message = blocks.get(0);
        assertEquals("dns; ex01.contoso.com", message.get("Reporting-MTA"));
        assertEquals("dns; mail.fabrikam.com ([192.0.2.10])", message.get("Received-From-MTA"));
        assertEquals("Thu, 1 Jan 2026 08:00:00 +0000", message.get("Arrival-Date"));
        assertEquals("QQ+314159", message.get("Original-Envelope-Id"));

        Map<String, String> bob = blocks.get(1);
        assertEquals("rfc822;Bob@contoso.com", bob.get("Original-Recipient"));
        assertEquals("rfc822;bob@contoso.com", bob.get("Final-Recipient"));
        assertEquals("failed", bob.get("Action"));
        assertEquals("5.1.1", bob.get("Status"));
        assertEquals("smtp; 550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found", bob.get("Diagnostic-Code"));
        assertEquals("Thu, 1 Jan 2026 08:00:05 +0000", bob.get("Last-Attempt-Date"));
        assertNull(bob.get("Remote-MTA"));
        assertNull(bob.get("Will-Retry-Until"));
        assertEquals(List.of("Original-Recipient", "Final-Recipient", "Action", "Status", "Diagnostic-Code",
            "Last-Attempt-Date"), List.copyOf(bob.keySet()));

        Map<String, String> carol = blocks.get(2);
        assertEquals("rfc822;carol@tailspintoys.com", carol.get("Final-Recipient"));
        assertNull(carol.get("Original-Recipient"));
        assertEquals("5.7.54", carol.get("Status"));
        assertEquals("dns; mx.tailspintoys.com", carol.get("Remote-MTA"));
        assertEquals("smtp; 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
            carol.get("Diagnostic-Code"));
    }

    @Test
    void retHdrsReturnsTheOriginalHeaderWithoutTheBody() throws IOException {
        DsnMessage dsn = ndr(DsnReturn.HDRS);
        String headers = text(part(parse(dsn), 2));
        assertTrue(headers.contains("Subject: Quarterly report\r\n"), headers);
        assertTrue(headers.contains("Message-ID: <q1-2026@fabrikam.com>\r\n"), headers);
        assertTrue(headers.contains("From: Alice <alice@fabrikam.com>\r\n"), headers);
        assertFalse(ascii(dsn).contains(BODY_MARKER));
    }

    @Test
    void retFullReturnsTheWholeMessage() throws IOException {
        DsnMessage dsn = ndr(DsnReturn.FULL);
        Entity returned = part(parse(dsn), 2);
        assertEquals("message/rfc822", returned.getMimeType());
        Message inner = assertInstanceOf(Message.class, returned.getBody());
        assertEquals("Quarterly report", inner.getSubject());
        assertEquals(BODY_MARKER + "\r\n", text(inner));
    }

    @Test
    void retFullFallsBackToHeadersWhenALineIsTooLongToTravel() throws IOException {
        byte[] longLine = ("Subject: wide\r\n\r\n" + "x".repeat(1200) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        OriginalMessage original = new OriginalMessage(Optional.of(SENDER), Optional.empty(), ARRIVAL, longLine,
            Optional.empty(), DsnReturn.FULL);
        DsnMessage dsn = builder(original).recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW)).build().get(0);
        assertEquals("text/rfc822-headers", part(parse(dsn), 2).getMimeType());
        assertLinesWellFormed(dsn.content());
    }

    @Test
    void theHumanReadablePartReadsLikeExchangesNdr() throws IOException {
        String text = text(part(parse(ndr(DsnReturn.HDRS)), 0));
        assertTrue(text.startsWith("Delivery has failed to these recipients or groups:\r\n\r\nbob@contoso.com\r\n"
            + "The email address you entered couldn't be found."), text);
        assertTrue(text.contains("Diagnostic information for administrators:\r\n\r\n"
            + "Generating server: ex01.contoso.com\r\n"), text);
        assertTrue(text.contains("bob@contoso.com\r\nRemote server returned"
            + " '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found'\r\n"), text);
        assertTrue(text.contains("carol@tailspintoys.com\r\nServer at mx.tailspintoys.com returned"
            + " '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'\r\n"), text);
    }

    @Test
    void theDsnsOwnHeaderNamesItAsAnAutomaticReply() throws IOException {
        DsnMessage dsn = ndr(DsnReturn.HDRS);
        Message message = parse(dsn);
        assertEquals("Undeliverable: Quarterly report", message.getSubject());
        assertEquals("auto-replied", field(message, "Auto-Submitted"));
        assertEquals("1.0", field(message, "MIME-Version"));
        assertEquals("en-US", field(message, "Content-Language"));
        assertEquals("Mailflow Delivery System <postmaster@contoso.com>", field(message, "From"));
        assertEquals("<alice@fabrikam.com>", field(message, "To"));
        assertEquals("<q1-2026@fabrikam.com>", field(message, "In-Reply-To"));
        assertEquals("<q1-2026@fabrikam.com>", field(message, "References"));
        assertEquals("", field(message, "X-MS-Exchange-Message-Is-Ndr"));
        assertEquals(dsn.messageId(), field(message, "Message-ID"));
        assertTrue(dsn.messageId().matches("<[0-9a-f-]{36}@ex01\\.contoso\\.com>"), dsn.messageId());
        assertEquals(NOW, ZonedDateTime.parse(field(message, "Date"),
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US)).toInstant());
        assertEquals(NOW, message.getDate().toInstant());
    }

    @Test
    void theSameReportIsTheSameMessageAndADifferentOneIsNot() {
        assertEquals(ndr(DsnReturn.HDRS).messageId(), ndr(DsnReturn.HDRS).messageId());
        DsnMessage later = builder(original(DsnReturn.HDRS)).date(NOW.plusSeconds(1))
            .recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW)).build().get(0);
        assertNotEquals(ndr(DsnReturn.HDRS).messageId(), later.messageId());
    }

    @Test
    void everyLineEndsInCrlfAndNoneIsLongerThan998Octets() {
        SmtpReply huge = SmtpReply.of(550, "5.7.1", "Rejected " + "y".repeat(2500) + " and " + "z ".repeat(600));
        byte[] longHeader = ("Subject: long\r\nX-Long: " + "h".repeat(1500) + "\r\n\r\nbody\n" + "bare lf\n")
            .getBytes(StandardCharsets.US_ASCII);
        OriginalMessage original = new OriginalMessage(Optional.of(SENDER), Optional.empty(), ARRIVAL, longHeader,
            Optional.empty(), DsnReturn.HDRS);
        for (DsnMessage dsn : builder(original)
            .recipient(RecipientNotice.failed(BOB, huge, NOW).withRemoteMta("mx.contoso.com"))
            .recipient(RecipientNotice.delayed(CAROL, huge, NOW, NOW.plus(Duration.ofDays(2))))
            .build()) {
            assertLinesWellFormed(dsn.content());
        }
        assertLinesWellFormed(ndr(DsnReturn.FULL).content());
    }

    @Test
    void aMessageWithTheNullSenderNeverGetsADsn() {
        OriginalMessage fromNull = new OriginalMessage(Optional.empty(), Optional.empty(), ARRIVAL, CONTENT,
            Optional.empty(), DsnReturn.HDRS);
        assertEquals(List.of(), builder(fromNull).recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW)).build());
    }

    @Test
    void notifyNeverSuppressesTheDsn() {
        assertEquals(List.of(), builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW).withNotify(DsnNotify.parse("NEVER")))
            .build());
        assertEquals(List.of(), builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW).withNotify(Set.of(DsnNotify.SUCCESS)))
            .build());
        List<DsnMessage> onlyCarol = builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW).withNotify(Set.of(DsnNotify.NEVER)))
            .recipient(RecipientNotice.failed(CAROL, RELAY_DENIED, NOW))
            .build();
        assertEquals(1, onlyCarol.size());
        assertFalse(ascii(onlyCarol.get(0)).contains("Final-Recipient: rfc822;bob@contoso.com"));
        assertTrue(ascii(onlyCarol.get(0)).contains("Final-Recipient: rfc822;carol@tailspintoys.com"));
    }

    @Test
    void notifyParsesRfc3461Values() {
        assertEquals(Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), DsnNotify.parse("success,Failure"));
        assertEquals(DsnNotify.DEFAULT, DsnNotify.effective(Set.of()));
        assertEquals(Set.of(DsnNotify.FAILURE, DsnNotify.DELAY), DsnNotify.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> DsnNotify.parse("NEVER,SUCCESS"));
        assertThrows(IllegalArgumentException.class, () -> DsnNotify.parse("SOMETIMES"));
    }

    @Test
    void aSuccessDsnOnlyOnNotifySuccess() throws IOException {
        SmtpReply queued = SmtpReply.of(250, "2.6.0", "<q1-2026@fabrikam.com> Queued mail for delivery");
        assertEquals(List.of(), builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.delivered(BOB, queued, NOW)).build());
        List<DsnMessage> dsns = builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.delivered(BOB, queued, NOW).withNotify(DsnNotify.parse("SUCCESS,FAILURE")))
            .build();
        assertEquals(1, dsns.size());
        Message message = parse(dsns.get(0));
        assertEquals("Delivered: Quarterly report", message.getSubject());
        assertNull(message.getHeader().getField("X-MS-Exchange-Message-Is-Ndr"));
        Map<String, String> bob = statusBlocks(message).get(1);
        assertEquals("delivered", bob.get("Action"));
        assertEquals("2.6.0", bob.get("Status"));
        assertTrue(text(part(message, 0)).startsWith(
            "Your message has been delivered to the following recipients:\r\n\r\nbob@contoso.com\r\n"));
    }

    @Test
    void aDelayDsnSaysUntilWhenItWillRetry() throws IOException {
        Instant fourHours = ARRIVAL.plus(Duration.ofHours(4));
        Instant expiry = ARRIVAL.plus(Duration.ofDays(2));
        SmtpReply deferred = SmtpReply.of(451, "4.4.0", "DNS query failed");
        List<DsnMessage> dsns = builder(original(DsnReturn.HDRS)).date(fourHours)
            .recipient(RecipientNotice.delayed(CAROL, deferred, fourHours.minusSeconds(60), expiry)
                .withRemoteMta("mx.tailspintoys.com"))
            .build();
        assertEquals(1, dsns.size());
        Message message = parse(dsns.get(0));
        assertEquals("Delivery delayed: Quarterly report", message.getSubject());
        assertNull(message.getHeader().getField("X-MS-Exchange-Message-Is-Ndr"));
        Map<String, String> carol = statusBlocks(message).get(1);
        assertEquals("delayed", carol.get("Action"));
        assertEquals("4.4.0", carol.get("Status"));
        assertEquals("Sat, 3 Jan 2026 08:00:00 +0000", carol.get("Will-Retry-Until"));
        String text = text(part(message, 0));
        assertTrue(text.startsWith("Delivery is delayed to these recipients or groups:\r\n"), text);
        assertTrue(text.contains("for the next 1 day, 20 hours and 0 minutes"), text);
        assertThrows(IllegalArgumentException.class, () -> new RecipientNotice(CAROL, Optional.empty(), Set.of(),
            DsnAction.DELAYED, deferred, Optional.empty(), NOW, Optional.empty()));
        assertEquals(List.of(), builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.delayed(CAROL, deferred, NOW, expiry).withNotify(Set.of(DsnNotify.FAILURE)))
            .build());
    }

    @Test
    void anExpiredMessageGetsExchangesQueueExpiredNdr() throws IOException {
        Message message = parse(builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.failed(CAROL, RecipientNotice.EXPIRED, NOW)).build().get(0));
        Map<String, String> carol = statusBlocks(message).get(1);
        assertEquals("failed", carol.get("Action"));
        assertEquals("4.4.7", carol.get("Status"));
        assertEquals("smtp; 550 4.4.7 QUEUE.Expired; message expired", carol.get("Diagnostic-Code"));
        assertTrue(text(part(message, 0)).contains("has stopped trying"));
    }

    @Test
    void recipientsSettledDifferentlyGetOneDsnPerAction() {
        List<DsnMessage> dsns = builder(original(DsnReturn.HDRS))
            .recipient(RecipientNotice.delivered(BOB, SmtpReply.of(250, "2.6.0", "Queued"), NOW)
                .withNotify(Set.of(DsnNotify.SUCCESS)))
            .recipient(RecipientNotice.failed(CAROL, RELAY_DENIED, NOW))
            .build();
        assertEquals(List.of(DsnAction.FAILED, DsnAction.DELIVERED), dsns.stream().map(DsnMessage::action).toList());
        assertNotEquals(dsns.get(0).messageId(), dsns.get(1).messageId());
    }

    @Test
    void aNonAsciiSubjectIsEncodedAndTheTextStaysSevenBit() throws IOException {
        byte[] content = "Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        OriginalMessage original = new OriginalMessage(Optional.of(SENDER), Optional.empty(), ARRIVAL, content,
            Optional.empty(), DsnReturn.HDRS);
        DsnMessage dsn = builder(original).recipient(RecipientNotice.failed(BOB, NOT_FOUND, NOW)).build().get(0);
        Message message = parse(dsn);
        assertEquals("Undeliverable: Résumé", message.getSubject());
        assertEquals(BodyType.SevenBit, dsn.bodyType());
        assertLinesWellFormed(dsn.content());
    }

    @Test
    void utf8AddressesMakeAGlobalDeliveryStatusReport() throws IOException {
        SmtpAddress jose = SmtpAddress.of("josé@fabrikam.com");
        SmtpAddress zoe = SmtpAddress.of("zoë@contoso.com");
        OriginalMessage original = new OriginalMessage(Optional.of(jose), Optional.empty(), ARRIVAL, CONTENT,
            Optional.empty(), DsnReturn.HDRS);
        DsnMessage dsn = builder(original).recipient(RecipientNotice.failed(zoe, NOT_FOUND, NOW)).build().get(0);
        assertTrue(dsn.smtpUtf8());
        assertEquals(BodyType.EightBitMime, dsn.bodyType());
        assertEquals("josé@fabrikam.com", dsn.envelopeRecipient());
        Message message = parse(dsn);
        ContentTypeField type = (ContentTypeField) message.getHeader().getField("Content-Type");
        assertEquals("global-delivery-status", type.getParameter("report-type"));
        assertEquals("message/global-delivery-status", part(message, 1).getMimeType());
        assertTrue(new String(dsn.content(), StandardCharsets.UTF_8).contains("Final-Recipient: utf-8;zoë@contoso.com"));
        assertLinesWellFormed(dsn.content());
    }

    @Test
    void anEnvelopeBecomesTheOriginalMessage() {
        Envelope envelope = new Envelope(7, "<q1-2026@fabrikam.com>", Optional.of(SENDER),
            List.of(EnvelopeRecipient.ready(BOB)), ARRIVAL, "192.0.2.10", "mail.fabrikam.com",
            "EX01\\Default Frontend EX01", "ex01.contoso.com", CONTENT.length, "Quarterly report",
            BodyType.SevenBit, false, "QQ314159");
        OriginalMessage original = OriginalMessage.of(envelope, CONTENT, DsnReturn.FULL);
        assertEquals(Optional.of(SENDER), original.envelopeSender());
        assertEquals(Optional.of("QQ314159"), original.envelopeId());
        assertEquals(Optional.of("mail.fabrikam.com ([192.0.2.10])"), original.receivedFromMta());
        assertEquals(ARRIVAL, original.arrival());
    }

    // --- reading the DSN back -------------------------------------------------------------

    private static Message parse(DsnMessage dsn) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.STRICT);
        return builder.parseMessage(new ByteArrayInputStream(dsn.content()));
    }

    private static Entity part(Message message, int index) {
        return ((Multipart) message.getBody()).getBodyParts().get(index);
    }

    private static String field(Message message, String name) {
        return MimeUtil.unfold(message.getHeader().getField(name).getBody()).trim();
    }

    private static String text(Entity entity) throws IOException {
        Body body = entity.getBody();
        if (body instanceof TextBody t) {
            try (var reader = t.getReader()) {
                StringBuilder out = new StringBuilder();
                char[] buf = new char[4096];
                for (int n; (n = reader.read(buf)) > 0; ) {
                    out.append(buf, 0, n);
                }
                return out.toString();
            }
        }
        try (InputStream in = ((SingleBody) body).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The delivery-status part as blocks of unfolded fields: the per-message block, then one per recipient. */
    private static List<Map<String, String>> statusBlocks(Message message) throws IOException {
        Entity status = part(message, 1);
        String body;
        try (InputStream in = ((SingleBody) status.getBody()).getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Map<String, String>> blocks = new ArrayList<>();
        for (String block : body.split("\r\n\r\n")) {
            if (block.isBlank()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String f : block.replace("\r\n ", " ").replace("\r\n\t", "\t").split("\r\n")) {
                int colon = f.indexOf(':');
                fields.put(f.substring(0, colon), f.substring(colon + 1).trim());
            }
            blocks.add(fields);
        }
        return blocks;
    }

    private static String ascii(DsnMessage dsn) {
        return new String(dsn.content(), StandardCharsets.ISO_8859_1);
    }

    private static void assertLinesWellFormed(byte[] content) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r') {
                assertTrue(i + 1 < content.length && content[i + 1] == '\n', "bare CR at " + i);
                assertTrue(line.size() <= 998, "line of " + line.size() + " octets: " + line);
                line.reset();
                i++;
            } else {
                assertNotEquals('\n', b, "bare LF at " + i);
                line.write(b);
            }
        }
        assertEquals(0, line.size(), "the content ends with CRLF");
    }
}
