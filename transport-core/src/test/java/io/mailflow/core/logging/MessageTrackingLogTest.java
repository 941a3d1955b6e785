package io.mailflow.core.logging;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Message tracking log: Exchange's file format, written and read back. */
class MessageTrackingLogTest {
    private static final String FIELDS = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,"
        + "source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
        + "recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,"
        + "message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,"
        + "original-server-ip,custom-data,transport-traffic-type,log-id,schema-version";

    @TempDir
    Path logs;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T08:30:00Z"));

    @Test
    void fileHasExchangeHeaderLinesAndFieldOrder() throws IOException {
        try (MessageTrackingLog log = new MessageTrackingLog(logs, clock)) {
            clock.advance(Duration.ofMillis(7));
            log.log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP)
                .clientIp("203.0.113.7")
                .clientHostname("client.example")
                .serverIp("10.0.0.5")
                .serverHostname("mail01.contoso.com")
                .sourceContext("08DE2A1B3C4D5E6F;2026-11-22T08:30:00.007Z;0")
                .connectorId("MAIL01\\Default Frontend MAIL01")
                .internalMessageId(42)
                .messageId("<a@client.example>")
                .networkMessageId("1c1e8b6e-0000-4000-8000-000000000001")
                .recipientAddress("bob@contoso.com", "carol@contoso.com")
                .totalBytes(1234)
                .recipientCount(2)
                .messageSubject("Hello")
                .senderAddress("alice@client.example")
                .returnPath("alice@client.example")
                .directionality("Incoming")
                .build());
        }
        Path file = logs.resolve("MessageTracking/MSGTRK20261122-1.LOG");
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(
            "#Software: Microsoft Exchange Server",
            "#Version: 15.01.2375.007",
            "#Log-Type: Message Tracking Log",
            "#Date: 2026-11-22T08:30:00.007Z",
            FIELDS,
            "2026-11-22T08:30:00.007Z,203.0.113.7,client.example,10.0.0.5,mail01.contoso.com,"
                + "08DE2A1B3C4D5E6F;2026-11-22T08:30:00.007Z;0,MAIL01\\Default Frontend MAIL01,SMTP,RECEIVE,42,"
                + "<a@client.example>,1c1e8b6e-0000-4000-8000-000000000001,bob@contoso.com;carol@contoso.com,,"
                + "1234,2,,,Hello,alice@client.example,alice@client.example,,Incoming,,,,,,,"),
            lines);
        assertEquals(30, MessageTrackingLog.FIELDS.size());
    }

    @Test
    void subjectWithCommasQuotesAndNewlinesRoundTripsThroughTheReader() {
        String subject = "Re: \"Q4\" numbers, final\r\nsecond line, \"quoted\"";
        try (MessageTrackingLog log = new MessageTrackingLog(logs, clock)) {
            log.log(TrackingEvent.builder(TrackingEventId.DELIVER, TrackingSource.STOREDRIVER)
                .messageId("<q@x>")
                .messageSubject(subject)
                .recipientAddress("a@x.com", "b@x.com")
                .recipientStatus("250 2.1.5 Recipient OK", "550 4.4.7 QUEUE.Expired;Message expired, \"late\"")
                .customData("S:DeliveryPriority=Normal;S:AccountForest=contoso.com")
                .build());
        }
        List<TrackingEvent> found = MessageTrackingLog.search(logs, "<q@x>");
        assertEquals(1, found.size());
        TrackingEvent e = found.get(0);
        assertEquals("Re: \"Q4\" numbers, final second line, \"quoted\"", e.messageSubject());
        assertEquals(List.of("a@x.com", "b@x.com"), e.recipientAddress());
        assertEquals(List.of("250 2.1.5 Recipient OK", "550 4.4.7 QUEUE.Expired;Message expired, \"late\""),
            e.recipientStatus());
        assertEquals("S:DeliveryPriority=Normal;S:AccountForest=contoso.com", e.customData());
        assertEquals(TrackingEventId.DELIVER, e.eventId());
        assertEquals(TrackingSource.STOREDRIVER, e.source());
        assertEquals(Instant.parse("2026-11-22T08:30:00Z"), e.dateTime());
    }

    @Test
    void everyFieldRoundTrips() {
        TrackingEvent original = TrackingEvent.builder(TrackingEventId.FAIL, TrackingSource.ROUTING)
            .dateTime(Instant.parse("2026-11-22T09:00:01.123Z"))
            .clientIp("1").clientHostname("2").serverIp("3").serverHostname("4").sourceContext("5,5")
            .connectorId("6").internalMessageId("7").messageId("<8@x>").networkMessageId("9")
            .recipientAddress("r1@x", "r2@x").recipientStatus("550 5.1.1 User unknown", "550 5.1.1 User unknown")
            .totalBytes(10).recipientCount(2).relatedRecipientAddress("11").reference("12")
            .messageSubject("13").senderAddress("14").returnPath("15").messageInfo("16").directionality("17")
            .tenantId("18").originalClientIp("19").originalServerIp("20").customData("21")
            .transportTrafficType("22").logId("23").schemaVersion("24")
            .build();
        try (MessageTrackingLog log = new MessageTrackingLog(logs, clock)) {
            log.log(original);
        }
        assertEquals(List.of(original), MessageTrackingLog.read(logs));
    }

    @Test
    void emptyOptionalFieldsReadBackEmpty() {
        try (MessageTrackingLog log = new MessageTrackingLog(logs, clock)) {
            log.log(TrackingEvent.builder(TrackingEventId.DEFER, TrackingSource.QUEUE).messageId("<d@x>").build());
        }
        TrackingEvent e = MessageTrackingLog.search(logs, "<d@x>").get(0);
        assertEquals(List.of(), e.recipientAddress());
        assertEquals(OptionalLong.empty(), e.totalBytes());
        assertEquals(OptionalInt.empty(), e.recipientCount());
        assertEquals("", e.messageSubject());
    }

    @Test
    void searchReturnsOneMessagesStepsInOrderAcrossDays() {
        clock.set(Instant.parse("2026-11-22T23:59:59.900Z"));
        try (MessageTrackingLog log = new MessageTrackingLog(logs, clock)) {
            log.log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP).messageId("<m@x>").build());
            log.log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP).messageId("<other@x>").build());
            clock.advance(Duration.ofMillis(200));
            log.log(TrackingEvent.builder(TrackingEventId.RESOLVE, TrackingSource.RESOLVER).messageId("<m@x>").build());
            log.log(TrackingEvent.builder(TrackingEventId.DELIVER, TrackingSource.STOREDRIVER).messageId("<m@x>").build());
        }
        List<TrackingEventId> steps = MessageTrackingLog.search(logs, "<m@x>").stream()
            .map(TrackingEvent::eventId).toList();
        assertEquals(List.of(TrackingEventId.RECEIVE, TrackingEventId.RESOLVE, TrackingEventId.DELIVER), steps);
        assertEquals(2, RollingLogFile.files(logs.resolve("MessageTracking"), "MSGTRK").size());
    }

    @Test
    void envelopeFillsTheFieldsTheSessionKnows() {
        Envelope envelope = new Envelope(77, "<e@client.example>", Optional.of(SmtpAddress.of("alice@client.example")),
            List.of(EnvelopeRecipient.ready(SmtpAddress.of("bob@contoso.com"))), clock.now(), "203.0.113.7",
            "client.example", "MAIL01\\Default MAIL01", "mail01.contoso.com", 2048, "Quarterly, \"final\"",
            BodyType.SevenBit, false, null);
        try (MessageTrackingLog log = new MessageTrackingLog(logs, clock)) {
            log.log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP).envelope(envelope).build());
        }
        TrackingEvent e = MessageTrackingLog.search(logs, "<e@client.example>").get(0);
        assertEquals("77", e.internalMessageId());
        assertEquals(List.of("bob@contoso.com"), e.recipientAddress());
        assertEquals(OptionalLong.of(2048), e.totalBytes());
        assertEquals(OptionalInt.of(1), e.recipientCount());
        assertEquals("Quarterly, \"final\"", e.messageSubject());
        assertEquals("alice@client.example", e.senderAddress());
        assertEquals("MAIL01\\Default MAIL01", e.connectorId());
    }

    @Test
    void readerFollowsTheFilesOwnFieldsLineAndSkipsBrokenRecords() throws IOException {
        Path dir = Files.createDirectories(logs.resolve("MessageTracking"));
        Files.writeString(dir.resolve("MSGTRK20261120-1.LOG"), String.join("\r\n",
            "#Software: Microsoft Exchange Server",
            "#Fields: event-id,source,date-time,message-id,message-subject",
            "SEND,SMTP,2026-11-20T01:02:03.456Z,<z@x>,\"a, b\"",
            "NOSUCHEVENT,SMTP,2026-11-20T01:02:03.456Z,<z@x>,bad",
            "DELIVER,STOREDRIVER,2026-11-20T01:02:04.000Z,<z@x>",
            "") );
        List<TrackingEvent> found = MessageTrackingLog.search(logs, "<z@x>");
        assertEquals(1, found.size());
        assertEquals(TrackingEventId.SEND, found.get(0).eventId());
        assertEquals("a, b", found.get(0).messageSubject());
        assertEquals(Instant.parse("2026-11-20T01:02:03.456Z"), found.get(0).dateTime());
    }

    @Test
    void recipientStatusSplitsOnlyWhereANewReplyCodeStarts() {
        assertEquals(List.of("250 2.1.5 Recipient OK", "550 4.4.7 QUEUE.Expired;text"),
            MessageTrackingLog.splitStatuses("250 2.1.5 Recipient OK;550 4.4.7 QUEUE.Expired;text"));
        assertEquals(List.of("{a}", "{b}"), MessageTrackingLog.splitStatuses("{a};{b}"));
        assertEquals(List.of(), MessageTrackingLog.splitStatuses(""));
    }
}
