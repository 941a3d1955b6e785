package io.mailflow.core.backpressure;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Back pressure: the UsedDiskSpace and DatabaseUsedSpace readings, percent used of the file store
 * that holds a path (the spool directory). The shell calls {@link #percentUsed} every
 * ResourceMeteringInterval and hands the number to {@link BackPressure#update}; this is the only
 * back-pressure class that does I/O, so the decision stays testable without a full disk.
 *
 * <p>Used space is total minus <em>usable</em> space: blocks the file system reserves for root
 * count as used, because the spool cannot write to them. The percentage is rounded to the
 * nearest whole percent, as Exchange rounds its disk readings.
 */
public final class DiskUsage {

    /** Total and usable bytes of the store holding a path. */
    @FunctionalInterface
    public interface Probe {
        Space measure(Path path) throws IOException;
    }

    public record Space(long totalBytes, long usableBytes) {
        public Space {
            if (totalBytes < 0 || usableBytes < 0) {
                throw new IllegalArgumentException("negative space: total " + totalBytes + ", usable " + usableBytes);
            }
        }

        /** 0–100; a store that reports no size (some pseudo file systems) counts as full. */
        public long percentUsed() {
            if (totalBytes == 0) {
                return 100;
            }
            long used = Math.max(0, totalBytes - Math.min(usableBytes, totalBytes));
            // In doubles: total × 100 overflows a long for stores above 92 PB.
            return Math.round(100.0 * used / totalBytes);
        }
    }

    /** java.nio's view of the file store. */
    public static final Probe FILE_STORE = path -> {
        FileStore store = Files.getFileStore(path);
        return new Space(store.getTotalSpace(), store.getUsableSpace());
    };

    private final Probe probe;

    public DiskUsage(Probe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** Measures the real file stores. */
    public static DiskUsage system() {
        return new DiskUsage(FILE_STORE);
    }

    /** Percent used, 0–100, of the file store holding {@code path}; the path must exist. */
    public long percentUsed(Path path) throws IOException {
        return probe.measure(path).percentUsed();
    }
}
