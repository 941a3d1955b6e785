package io.mailflow.core.spool;

import io.mailflow.core.envelope.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RocksDbSpool: what the Transport service relies on across restarts and under concurrent sessions. */
class RocksDbSpoolTest {

    @TempDir
    Path dir;

    private static void store(Spool spool, long id) {
        spool.store(SpoolFixtures.envelope(id), SpoolFixtures.content(id, 1024));
    }

    @Test
    void storedMessageIsRecoveredAfterReopen() {
        Envelope envelope;
        try (Spool spool = RocksDbSpool.open(dir)) {
            envelope = SpoolFixtures.envelope(spool.nextInternalId());
            spool.store(envelope, SpoolFixtures.content(envelope.internalId(), 2048));
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(List.of(envelope), spool.recover());
            assertArrayEquals(SpoolFixtures.content(envelope.internalId(), 2048), spool.content(envelope.internalId()));
        }
    }

    @Test
    void updatedEnvelopeIsWhatRecoveryReturns() {
        Envelope delivered;
        try (Spool spool = RocksDbSpool.open(dir)) {
            long id = spool.nextInternalId();
            store(spool, id);
            delivered = SpoolFixtures.envelope(id).mapRecipients(r -> r.delivered("250 2.6.0 Queued mail for delivery"));
            spool.update(delivered);
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(List.of(delivered), spool.recover());
        }
    }

    @Test
    void updateOfUnknownMessageFails() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertThrows(SpoolException.class, () -> spool.update(SpoolFixtures.envelope(7)));
            assertEquals(List.of(), spool.recover());
        }
    }

    @Test
    void removeDeletesEnvelopeAndContent() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            store(spool, 1);
            store(spool, 2);
            spool.remove(1);
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(List.of(SpoolFixtures.envelope(2)), spool.recover());
            assertThrows(SpoolException.class, () -> spool.content(1));
            assertEquals(1, spool.stats().messageCount());
        }
    }

    @Test
    void removeSettledDeletesWithoutASyncAndIsSeenAfterACleanReopen() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            store(spool, 1);
            store(spool, 2);
            spool.removeSettled(1);
            assertEquals(List.of(SpoolFixtures.envelope(2)), spool.recover());
            assertEquals(1, spool.stats().messageCount());
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(List.of(SpoolFixtures.envelope(2)), spool.recover());
        }
    }

    @Test
    void aMessageMarkedInProcessWhenTheProcessStopsCountsACrashAtTheNextStart() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            store(spool, 1);
            store(spool, 2);
            store(spool, 3);
            spool.markInProcess(1);
            spool.markInProcess(2);
            spool.clearInProcess(2);
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(java.util.Map.of(1L, 1), spool.countCrashes());
            assertEquals(java.util.Map.of(1L, 1), spool.countCrashes(), "the marks were consumed");
            spool.markInProcess(1);
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(java.util.Map.of(1L, 2), spool.countCrashes());
            spool.clearCrashes(1);
            spool.markInProcess(3);
            spool.remove(3);
            assertEquals(java.util.Map.of(), spool.countCrashes(), "cleared, and a removed message leaves nothing behind");
        }
    }

    @Test
    void removeOfUnknownIdIsIgnored() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            store(spool, 1);
            spool.remove(42);
            spool.remove(1);
            spool.remove(1);
            assertEquals(0, spool.stats().messageCount());
        }
    }

    @Test
    void storingAnIdTwiceIsRefused() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            store(spool, 5);
            assertThrows(SpoolException.class, () -> store(spool, 5));
            assertEquals(1, spool.stats().messageCount());
        }
    }

    @Test
    void recoveryIsInInternalIdOrder() {
        // 256 and 65536 would sort before 255 under little-endian keys.
        long[] ids = {65_536, 3, 256, 1, 255, 4_294_967_296L, 2};
        try (Spool spool = RocksDbSpool.open(dir)) {
            for (long id : ids) {
                store(spool, id);
            }
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            List<Long> recovered = spool.recover().stream().map(Envelope::internalId).toList();
            assertEquals(List.of(1L, 2L, 3L, 255L, 256L, 65_536L, 4_294_967_296L), recovered);
        }
    }

    @Test
    void internalIdsNeverRepeatAcrossReopen() {
        Set<Long> seen = new HashSet<>();
        long last = 0;
        for (int run = 0; run < 3; run++) {
            try (Spool spool = RocksDbSpool.open(dir)) {
                // Crosses a reservation block boundary in the second run.
                for (int i = 0; i < 6_000; i++) {
                    long id = spool.nextInternalId();
                    assertTrue(id > last, "id " + id + " after " + last);
                    assertTrue(seen.add(id));
                    last = id;
                }
            }
        }
    }

    @Test
    void idsHandedOutButNeverStoredAreNotReused() {
        long handedOut;
        try (Spool spool = RocksDbSpool.open(dir)) {
            handedOut = spool.nextInternalId();
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertTrue(spool.nextInternalId() > handedOut);
        }
    }

    @Test
    void idsStartAboveStoredIdsEvenWithoutReservation() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            store(spool, 1_000_000);
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertTrue(spool.nextInternalId() > 1_000_000);
        }
    }

    @Test
    void statsCountMessagesAndDiskBytes() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            for (long id = 1; id <= 10; id++) {
                store(spool, id);
            }
            spool.remove(3);
            Spool.SpoolStats stats = spool.stats();
            assertEquals(9, stats.messageCount());
            // The WAL alone holds the ten synced KB messages.
            assertTrue(stats.diskBytes() > 10 * 1024, "disk bytes " + stats.diskBytes());
        }
        try (Spool spool = RocksDbSpool.open(dir)) {
            assertEquals(9, spool.stats().messageCount());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        Spool spool = RocksDbSpool.open(dir);
        spool.close();
        assertDoesNotThrow(spool::close);
        assertThrows(SpoolException.class, spool::recover);
        assertThrows(SpoolException.class, () -> store(spool, 1));
    }

    @Test
    void secondOpenOfSameDirectoryFailsCleanly() {
        try (Spool spool = RocksDbSpool.open(dir)) {
            SpoolException e = assertThrows(SpoolException.class, () -> RocksDbSpool.open(dir));
            assertTrue(e.getMessage().startsWith("cannot open spool at "), e.getMessage());
        }
    }

    @Test
    void diskFullIsReportedInPlainWords() {
        RocksDBException e = new RocksDBException("IO error: No space left on device: While appending to file: 000004.log",
            new Status(Status.Code.IOError, Status.SubCode.NoSpace, "While appending to file: 000004.log"));
        assertEquals("spool write failed: No space left on device", RocksDbSpool.failure("write", e).getMessage());
    }

    @Test
    @Timeout(120)
    void concurrentStoresFromEightThreadsAllRecover() throws Exception {
        int threads = 8;
        int perThread = 500;
        Set<Long> stored = ConcurrentHashMap.newKeySet();
        long elapsedNanos;
        try (Spool spool = RocksDbSpool.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    writers.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            long id = spool.nextInternalId();
                            spool.store(SpoolFixtures.envelope(id), SpoolFixtures.content(id, 1024));
                            stored.add(id);
                        }
                        return null;
                    }));
                }
                long begin = System.nanoTime();
                start.countDown();
                for (Future<?> writer : writers) {
                    writer.get();
                }
                elapsedNanos = System.nanoTime() - begin;
            } finally {
                pool.shutdownNow();
            }
            assertEquals(threads * perThread, spool.stats().messageCount());
        }
        System.out.printf("RocksDbSpool: %d threads stored %d synced 1 KB messages in %d ms (%.0f msg/s)%n",
            threads, threads * perThread, elapsedNanos / 1_000_000, threads * perThread * 1e9 / elapsedNanos);

        try (Spool spool = RocksDbSpool.open(dir)) {
            List<Envelope> recovered = spool.recover();
            assertEquals(threads * perThread, recovered.size());
            for (Envelope envelope : recovered) {
                long id = envelope.internalId();
                assertTrue(stored.contains(id));
                assertEquals(SpoolFixtures.envelope(id), envelope);
                assertArrayEquals(SpoolFixtures.content(id, 1024), spool.content(id));
            }
        }
    }
}
