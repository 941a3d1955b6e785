package io.mailflow.core.logging;

import io.mailflow.core.organization.Binding;
import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event log: the catalogue of transport events and the file they go to. */
class EventLogTest {
    @TempDir
    Path logs;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));

    @Test
    void event1021TextIsExchangesVerbatim() {
        TransportEvent e = TransportEvents.maxConnectionPerSourceReached("Default Frontend MAIL01", "203.0.113.7", 20);
        assertEquals("Receive connector 'Default Frontend MAIL01' rejected an incoming connection from IP address "
            + "'203.0.113.7'. The maximum number of connections per source ('20') for this connector has been "
            + "reached by this source IP address.", e.text());
        assertEquals(1021, e.eventId());
        assertEquals(TransportEvent.Level.Warning, e.level());
        assertEquals("MSExchangeTransport", e.source());
        assertEquals("SmtpReceive", e.category());
    }

    @Test
    void exchangeTextsForConnectionAndRateLimits() {
        assertEquals("Receive connector Default MAIL01 rejected an incoming connection. The maximum number of "
                + "connections (5000) for this connector has been reached.",
            TransportEvents.maxConnectionReached("Default MAIL01", 5000).text());
        TransportEvent rate = TransportEvents.messageRateLimitExceeded("CONTOSO\\alice", "198.51.100.4", 30);
        assertEquals("The connection for user [CONTOSO\\alice] with IP address [198.51.100.4] is being dropped. The "
            + "rate of message submissions from this connection has exceeded the throttling policy of 30 per minute.",
            rate.text());
        assertEquals(TransportEvent.Level.Error, rate.level());
        assertEquals(1030, TransportEvents.connectionRateLimitExceeded("Default MAIL01", "198.51.100.4", 5).eventId());
        TransportEvent pct = TransportEvents.maxConnectionPercentagePerSourceReached("Default MAIL01", "198.51.100.4",
            2, 100);
        assertEquals(1021, pct.eventId());
        assertTrue(pct.text().contains("'2' percent, '100' connections"), pct.text());
    }

    @Test
    void backPressureEventsNameLevelsAndResources() {
        TransportEvent up = TransportEvents.resourcePressureIncreased("Normal", "High",
            List.of(TransportEvents.reading("QueueLength[SubmissionQueue]", 15001, "High", 2000, 9999, 15000)),
            List.of("Inbound mail submission from the Internet"));
        assertEquals(15004, up.eventId());
        assertEquals(TransportEvent.Level.Error, up.level());
        assertEquals("Resource pressure increased from Normal to High. The following resources are under pressure: "
            + "QueueLength[SubmissionQueue] = 15001 [High] [Normal=2000 Medium=9999 High=15000]. The following "
            + "components are disabled due to back pressure: Inbound mail submission from the Internet.", up.text());
        TransportEvent down = TransportEvents.resourcePressureDecreased("High", "Normal", List.of(), List.of());
        assertEquals(15005, down.eventId());
        assertEquals(TransportEvent.Level.Information, down.level());
        assertTrue(down.text().startsWith("Resource pressure decreased from High to Normal."), down.text());
    }

    @Test
    void skeletonEventsHaveMailflowIds() {
        assertEquals("Receive connector 'Default MAIL01' is listening on 0.0.0.0:25, [::]:25.",
            TransportEvents.receiveConnectorListening("Default MAIL01",
                List.of(Binding.parse("0.0.0.0:25"), Binding.parse("[::]:25"))).text());
        assertEquals(7002, TransportEvents.spoolRecovered(12, "/data/spool").eventId());
        TransportEvent notSpooled = TransportEvents.messageNotSpooled("<m@x>", "a@x", "disk full");
        assertEquals(7003, notSpooled.eventId());
        assertEquals(TransportEvent.Level.Error, notSpooled.level());
    }

    @Test
    void catalogueListsEveryEventOnceWithFilledTemplates() {
        Set<String> names = new HashSet<>();
        for (EventDescriptor d : TransportEvents.CATALOGUE) {
            assertTrue(names.add(d.symbolicName()), "duplicate " + d.symbolicName());
            Object[] inserts = new Object[d.insertCount()];
            for (int i = 0; i < inserts.length; i++) {
                inserts[i] = "v" + (i + 1);
            }
            String text = d.format(inserts).text();
            assertTrue(!text.matches(".*%\\d.*"), "unfilled insert in " + text);
        }
        Set<Integer> ids = new HashSet<>();
        TransportEvents.CATALOGUE.forEach(d -> ids.add(d.eventId()));
        assertTrue(ids.containsAll(List.of(1009, 1021, 1030, 1031, 15004, 15005, 7001, 7002, 7003)), ids.toString());
        assertEquals(2, TransportEvents.byId(1021).size());
        assertEquals(EventDescriptor.Origin.Exchange,
            TransportEvents.bySymbolicName("SmtpReceiveMaxConnectionPerSourceReached").orElseThrow().origin());
        assertThrows(IllegalArgumentException.class, () -> TransportEvents.MAX_CONNECTION_REACHED.format("only one"));
    }

    @Test
    void eventsAreWrittenWithHeaderAndReadBack() throws IOException {
        TransportEvent first = TransportEvents.maxConnectionPerSourceReached("Default, \"odd\" name", "203.0.113.7", 20);
        TransportEvent second = TransportEvents.spoolRecovered(3, "/data/spool");
        try (EventLog log = new EventLog(logs, clock)) {
            log.write(first);
            log.write(second);
        }
        List<String> lines = Files.readAllLines(logs.resolve("Events/EVENTS20261122-1.LOG"));
        assertEquals("#Log-Type: Mailflow Event Log", lines.get(1));
        assertEquals("#Date: 2026-11-22T12:00:00.000Z", lines.get(2));
        assertEquals("#Fields: date-time,level,event-id,source,category,text", lines.get(3));
        assertTrue(lines.get(5).startsWith("2026-11-22T12:00:00.000Z,Information,7002,MSExchangeTransport,Spool,"),
            lines.get(5));
        assertEquals(List.of(new EventLog.Entry(clock.now(), first), new EventLog.Entry(clock.now(), second)),
            EventLog.read(logs));
    }
}
