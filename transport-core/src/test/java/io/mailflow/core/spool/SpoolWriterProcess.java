package io.mailflow.core.spool;

import java.nio.file.Path;

/**
 * Child process for {@link SpoolKillDurabilityTest}: a receive session's view of the spool. Stores
 * messages one after another and prints each InternalId only after {@code store} returned, the
 * moment a real session would send its 250. The parent kills it with SIGKILL mid-stream.
 * Arguments: spool directory, number of messages, content size.
 */
public final class SpoolWriterProcess {

    private SpoolWriterProcess() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        try (RocksDbSpool spool = RocksDbSpool.open(directory)) {
            for (int i = 0; i < count; i++) {
                long id = spool.nextInternalId();
                spool.store(SpoolFixtures.envelope(id), SpoolFixtures.content(id, size));
                System.out.println(id);
                System.out.flush();
            }
        }
    }
}
