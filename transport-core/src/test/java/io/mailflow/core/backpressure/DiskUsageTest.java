package io.mailflow.core.backpressure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Percent used from total and usable space, with a probe standing in for the disk. */
class DiskUsageTest {

    private static long percent(long total, long usable) throws IOException {
        return new DiskUsage(path -> new DiskUsage.Space(total, usable)).percentUsed(Path.of("spool"));
    }

    @Test
    void usedIsTotalMinusUsableRoundedToTheNearestPercent() throws IOException {
        assertEquals(0, percent(1000, 1000));
        assertEquals(50, percent(1000, 500));
        assertEquals(89, percent(1000, 114), "88.6 rounds up");
        assertEquals(88, percent(1000, 116), "88.4 rounds down");
        assertEquals(100, percent(1000, 0));
    }

    @Test
    void oddStores() throws IOException {
        assertEquals(100, percent(0, 0), "a store without a size counts as full");
        assertEquals(0, percent(1000, 2000), "usable above total is read as empty");
        long petabytes = 100L * 1024 * 1024 * 1024 * 1024 * 1024;
        assertEquals(75, percent(petabytes, petabytes / 4), "no overflow on huge stores");
    }

    @Test
    void theProbesFailureReachesTheCaller() {
        DiskUsage broken = new DiskUsage(path -> {
            throw new IOException("no such file: " + path);
        });
        assertThrows(IOException.class, () -> broken.percentUsed(Path.of("missing")));
    }

    @Test
    void theRealFileStoreGivesAPercentage(@TempDir Path dir) throws IOException {
        long used = DiskUsage.system().percentUsed(dir);
        assertTrue(used >= 0 && used <= 100, "percent used " + used);
    }
}
