package io.mailflow.core.logging;

import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logging: the facade that opens every log of a transport service together. */
class TransportLogsTest {
    @TempDir
    Path logs;

    @Test
    void opensEveryLogUnderOneDirectoryAndFlushesThemTogether() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T00:00:00Z"));
        try (TransportLogs all = TransportLogs.open(logs, clock)) {
            all.tracking().log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP)
                .messageId("<f@x>").build());
            all.receiveProtocol().openSession("C", "l:25", "r:1").connected();
            all.sendProtocol().openSession("S", "l:1", "r:25").connected();
            all.events().write(TransportEvents.spoolRecovered(0, "spool"));
            all.flush();
            assertTrue(Files.exists(logs.resolve("MessageTracking/MSGTRK20261122-1.LOG")));
            assertTrue(Files.exists(logs.resolve("ProtocolLog/SmtpReceive/RECV20261122-1.LOG")));
            assertTrue(Files.exists(logs.resolve("ProtocolLog/SmtpSend/SEND20261122-1.LOG")));
            assertTrue(Files.exists(logs.resolve("Events/EVENTS20261122-1.LOG")));
            assertEquals(1, MessageTrackingLog.search(logs, "<f@x>").size());
            assertEquals(1, EventLog.read(logs).size());
        }
    }
}
