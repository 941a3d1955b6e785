package io.mailflow.core.logging;

import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logging: the shared rolling file writer under every log. */
class RollingLogFileTest {
    private static final List<String> HEADER = List.of("#Log-Type: Test Log", "#Fields: a,b");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static String names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList().toString();
    }

    @Test
    void headerLinesStartTheFileAndLinesEndInCrlf() throws IOException {
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", () -> HEADER, clock)) {
            log.append("1,2");
            log.append("3,4");
            log.flush();
            Path file = dir.resolve("TEST20261122-1.LOG");
            assertEquals(file, log.currentFile());
            assertEquals(List.of("#Log-Type: Test Log", "#Fields: a,b", "1,2", "3,4"), lines(file));
            String raw = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals("#Log-Type: Test Log\r\n#Fields: a,b\r\n1,2\r\n3,4\r\n", raw);
        }
    }

    @Test
    void noFileIsCreatedUntilTheFirstLine() throws IOException {
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", () -> HEADER, clock)) {
            log.flush();
            assertEquals(List.of(), RollingLogFile.files(dir, "TEST"));
        }
    }

    @Test
    void newUtcDayStartsANewFileNumberedFromOne() throws IOException {
        clock.set(Instant.parse("2026-11-22T23:59:59.500Z"));
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", () -> HEADER, clock)) {
            log.append("before midnight");
            log.append("before midnight too");
            clock.advance(Duration.ofSeconds(1));
            log.append("after midnight");
            log.flush();
        }
        List<Path> files = RollingLogFile.files(dir, "TEST");
        assertEquals("[TEST20261122-1.LOG, TEST20261123-1.LOG]", names(files));
        assertEquals(List.of("#Log-Type: Test Log", "#Fields: a,b", "before midnight", "before midnight too"),
            lines(files.get(0)));
        assertEquals(List.of("#Log-Type: Test Log", "#Fields: a,b", "after midnight"), lines(files.get(1)));
    }

    @Test
    void aFileThatWouldPassTheMaximumSizeIsClosedAndTheNextNumberOpened() throws IOException {
        long max = 300;
        List<String> written = new ArrayList<>();
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", at -> HEADER, clock, max)) {
            for (int i = 0; i < 40; i++) {
                String line = String.format("line %02d %s", i, "x".repeat(40));
                written.add(line);
                log.append(line);
            }
        }
        List<Path> files = RollingLogFile.files(dir, "TEST");
        assertTrue(files.size() > 5, names(files));
        List<String> readBack = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            assertEquals("TEST20261122-" + (i + 1) + ".LOG", file.getFileName().toString());
            assertTrue(Files.size(file) <= max, file + " is " + Files.size(file) + " bytes");
            List<String> content = lines(file);
            assertEquals(HEADER, content.subList(0, 2));
            assertTrue(content.size() > 2, "every file holds at least one line");
            readBack.addAll(content.subList(2, content.size()));
        }
        assertEquals(written, readBack);
    }

    @Test
    void aLineLongerThanTheMaximumStillGetsAFileOfItsOwn() throws IOException {
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", at -> HEADER, clock, 50)) {
            log.append("short");
            log.append("y".repeat(200));
            log.append("short again");
        }
        List<Path> files = RollingLogFile.files(dir, "TEST");
        assertEquals(3, files.size());
        assertEquals("y".repeat(200), lines(files.get(1)).get(2));
    }

    @Test
    void numberingContinuesAfterExistingFilesOfTheSameDayAndNeverOverwrites() throws IOException {
        Files.writeString(dir.resolve("TEST20261122-1.LOG"), "old one\r\n");
        Files.writeString(dir.resolve("TEST20261122-3.LOG"), "old three\r\n");
        Files.writeString(dir.resolve("TEST20261121-7.LOG"), "yesterday\r\n");
        Files.writeString(dir.resolve("TESTX20261122-9.LOG"), "another prefix\r\n");
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", () -> HEADER, clock)) {
            log.append("new");
            log.flush();
            assertEquals(dir.resolve("TEST20261122-4.LOG"), log.currentFile());
        }
        try (RollingLogFile again = new RollingLogFile(dir, "TEST", () -> HEADER, clock)) {
            again.append("after restart");
        }
        assertEquals("[TEST20261121-7.LOG, TEST20261122-1.LOG, TEST20261122-3.LOG, TEST20261122-4.LOG, "
            + "TEST20261122-5.LOG]", names(RollingLogFile.files(dir, "TEST")));
        assertEquals("old one\r\n", Files.readString(dir.resolve("TEST20261122-1.LOG")));
        assertEquals("old three\r\n", Files.readString(dir.resolve("TEST20261122-3.LOG")));
        assertEquals(List.of("#Log-Type: Test Log", "#Fields: a,b", "after restart"),
            lines(dir.resolve("TEST20261122-5.LOG")));
    }

    @Test
    void filesSortByDayThenNumberNotByName() throws IOException {
        for (String name : List.of("TEST20261122-10.LOG", "TEST20261122-2.LOG", "TEST20261121-11.LOG")) {
            Files.writeString(dir.resolve(name), "");
        }
        assertEquals("[TEST20261121-11.LOG, TEST20261122-2.LOG, TEST20261122-10.LOG]",
            names(RollingLogFile.files(dir, "TEST")));
    }

    @Test
    void eightConcurrentWritersProduceCompleteNonInterleavedLines() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", at -> HEADER, clock, 256 * 1024)) {
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread writer = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        log.append("writer=" + id + ",seq=" + i + ",payload=" + "abcdefghij".repeat(5) + ",end");
                    }
                });
                writers.add(writer);
                writer.start();
            }
            start.countDown();
            for (Thread writer : writers) {
                writer.join();
            }
            log.flush();

            Pattern complete = Pattern.compile("writer=(\\d),seq=(\\d+),payload=(?:abcdefghij){5},end");
            Map<Integer, Integer> nextSeq = new HashMap<>();
            int count = 0;
            for (Path file : RollingLogFile.files(dir, "TEST")) {
                List<String> content = lines(file);
                assertEquals(HEADER, content.subList(0, 2));
                for (String line : content.subList(2, content.size())) {
                    Matcher m = complete.matcher(line);
                    assertTrue(m.matches(), "broken line: " + line);
                    int writer = Integer.parseInt(m.group(1));
                    int seq = Integer.parseInt(m.group(2));
                    assertEquals(nextSeq.getOrDefault(writer, 0), seq, "writer " + writer + " out of order");
                    nextSeq.put(writer, seq + 1);
                    count++;
                }
            }
            assertEquals(threads * perThread, count);
            assertEquals(0, log.droppedLines());
        }
    }

    @Test
    void crAndLfInsideALineBecomeSpaces() throws IOException {
        try (RollingLogFile log = new RollingLogFile(dir, "TEST", () -> HEADER, clock)) {
            log.append("one\r\ntwo\nthree\rfour");
        }
        assertEquals("one two three four", lines(dir.resolve("TEST20261122-1.LOG")).get(2));
    }

    @Test
    void linesAppendedAfterCloseAreDroppedAndCounted() throws IOException {
        RollingLogFile log = new RollingLogFile(dir, "TEST", () -> HEADER, clock);
        log.append("kept");
        log.close();
        log.append("late");
        log.flush();
        log.close();
        assertEquals(1, log.droppedLines());
        assertEquals(List.of("#Log-Type: Test Log", "#Fields: a,b", "kept"), lines(dir.resolve("TEST20261122-1.LOG")));
    }

    @Test
    void headerIsAskedForWithTheCreatingLinesInstant() throws IOException {
        clock.set(Instant.parse("2026-11-22T10:15:30.250Z"));
        try (RollingLogFile log = new RollingLogFile(dir, "TEST",
            at -> List.of("#Date: " + LogTime.format(at)), clock)) {
            log.append("x");
            clock.advance(Duration.ofDays(1));
            log.append("y");
        }
        assertEquals("#Date: 2026-11-22T10:15:30.250Z", lines(dir.resolve("TEST20261122-1.LOG")).get(0));
        assertEquals("#Date: 2026-11-23T10:15:30.250Z", lines(dir.resolve("TEST20261123-1.LOG")).get(0));
    }
}
