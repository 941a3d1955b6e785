package io.mailflow.core.spool;

import io.mailflow.core.envelope.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 250 promise against a real crash: a child JVM stores messages and reports each one only after
 * {@code store} returned; SIGKILL stops it mid-stream, and every reported message must come back.
 */
class SpoolKillDurabilityTest {

    private static final int CONTENT_SIZE = 1024;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
        Path spoolDir = dir.resolve("spool");
        Path childErrors = dir.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            SpoolWriterProcess.class.getName(), spoolDir.toString(), "1000000", String.valueOf(CONTENT_SIZE))
            .redirectError(childErrors.toFile())
            .start();

        List<Long> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (acknowledged.size() < 300 && (line = out.readLine()) != null) {
                acknowledged.add(Long.parseLong(line.trim()));
            }
            assertEquals(300, acknowledged.size(), () -> "child ended early: " + read(childErrors));
            // Killed while storing: ids printed after our last read are lost to us with the pipe,
            // which Process closes on destroy, so only the ids read above are checked.
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertEquals(137, child.exitValue(), "the child must die by SIGKILL, not finish");

        try (Spool spool = RocksDbSpool.open(spoolDir)) {
            Map<Long, Envelope> recovered = spool.recover().stream()
                .collect(Collectors.toMap(Envelope::internalId, Function.identity()));
            for (long id : acknowledged) {
                assertNotNull(recovered.get(id), "acknowledged InternalId " + id + " lost");
                assertEquals(SpoolFixtures.envelope(id), recovered.get(id));
                assertArrayEquals(SpoolFixtures.content(id, CONTENT_SIZE), spool.content(id));
            }
            long highest = acknowledged.get(acknowledged.size() - 1);
            assertTrue(spool.nextInternalId() > highest, "an InternalId would be reused after the crash");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
