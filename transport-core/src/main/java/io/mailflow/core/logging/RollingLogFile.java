package io.mailflow.core.logging;

import io.mailflow.core.time.Clock;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Logging: the file writer under every Mailflow log (message tracking, protocol logs, event log).
 * Writes {@code <PREFIX><yyyymmdd>-<n>.LOG} files, n counting from 1 per UTC day, each starting
 * with the log's header lines; starts a new file when the UTC day changes or a file would grow
 * past its maximum size (Exchange's default 10 MB), and never reopens or overwrites an existing
 * file: a new instance continues the day's numbering.
 *
 * <p>Any thread may {@link #append} at any rate without waiting for the disk: lines go on a
 * queue that one background thread drains, flushing to the file whenever the queue runs empty.
 * Each line is stamped with the injected {@link Clock} when appended, and that instant (not the
 * moment it reaches the disk) decides its file; a line stamped a day earlier than the open file
 * (its thread read the clock just before midnight) goes into the open file. {@link #flush()} returns once every line appended
 * before it is in the file. Lines never interleave; CR and LF inside a line become spaces.
 *
 * <p>A failing disk never stops the pipeline: a line that cannot be written is dropped and
 * counted ({@link #droppedLines()}), and the next line tries a fresh file.
 */
public final class RollingLogFile implements AutoCloseable {
    /** Exchange's default maximum log file size (MessageTrackingLogMaxFileSize, ProtocolLogMaxFileSize). */
    public static final long DEFAULT_MAX_FILE_SIZE = 10L * 1024 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path directory;
    private final String prefix;
    private final Function<Instant, List<String>> header;
    private final Clock clock;
    private final long maxFileSize;
    private final Pattern fileName;

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    // Owned by the writer thread only.
    private OutputStream out;
    private Path currentFile;
    private LocalDate currentDay;
    private long currentSize;
    private long linesInFile;
    private volatile Path lastFile;
    private volatile IOException lastError;

    private sealed interface Item permits Line, Barrier, Close {
    }

    private record Line(Instant at, String text) implements Item {
    }

    private record Barrier(CompletableFuture<Void> done) implements Item {
    }

    private record Close(CompletableFuture<Void> done) implements Item {
    }

    /**
     * @param directory   where the files go (created if missing)
     * @param prefix      the file name prefix, e.g. {@code MSGTRK} or {@code RECV}
     * @param header      the header lines for a new file, given the instant the file is created
     * @param clock       stamps each line; its UTC day names the file
     * @param maxFileSize a file is closed before a line would take it past this many bytes
     */
    public RollingLogFile(Path directory, String prefix, Function<Instant, List<String>> header,
                          Clock clock, long maxFileSize) {
        this.directory = Objects.requireNonNull(directory);
        this.prefix = Objects.requireNonNull(prefix);
        this.header = Objects.requireNonNull(header);
        this.clock = Objects.requireNonNull(clock);
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("maximum file size must be positive: " + maxFileSize);
        }
        this.maxFileSize = maxFileSize;
        this.fileName = fileNamePattern(prefix);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + directory, e);
        }
        this.writer = new Thread(this::drain, "mailflow-log-" + prefix);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** A log whose header lines do not depend on the file's creation time. */
    public RollingLogFile(Path directory, String prefix, Supplier<List<String>> header, Clock clock) {
        this(directory, prefix, at -> header.get(), clock, DEFAULT_MAX_FILE_SIZE);
    }

    public RollingLogFile(Path directory, String prefix, Function<Instant, List<String>> header, Clock clock) {
        this(directory, prefix, header, clock, DEFAULT_MAX_FILE_SIZE);
    }

    /** Queues one line stamped with the clock's now. Dropped (and counted) once the log is closed. */
    public void append(String line) {
        append(clock.now(), line);
    }

    /**
     * Queues one line whose file is chosen by {@code at}, for callers that already read the clock
     * for the line's own date-time field, so the field and the file agree.
     */
    public void append(Instant at, String line) {
        Objects.requireNonNull(at);
        if (closed.get()) {
            dropped.incrementAndGet();
            return;
        }
        queue.add(new Line(at, Csv.oneLine(line)));
    }

    /** Waits until every line appended before this call is written to the file. */
    public void flush() {
        if (closed.get()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Barrier(done));
        await(done);
    }

    /** Writes everything queued, closes the file and stops the writer thread. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Close(done));
            await(done);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path directory() {
        return directory;
    }

    public String prefix() {
        return prefix;
    }

    /** The file most recently written to, or null before the first line. */
    public Path currentFile() {
        return lastFile;
    }

    /** Lines lost to a write error or appended after close. */
    public long droppedLines() {
        return dropped.get();
    }

    /** The last write error, or null if none happened. */
    public IOException lastError() {
        return lastError;
    }

    /**
     * This prefix's files in {@code directory}, oldest first (by day, then number). Files of other
     * prefixes that share the beginning ({@code MSGTRKMD} beside {@code MSGTRK}) are not included.
     */
    public static List<Path> files(Path directory, String prefix) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Pattern pattern = fileNamePattern(prefix);
        List<FileName> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.forEach(p -> {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new FileName(p, m.group(1), Long.parseLong(m.group(2))));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        found.sort(Comparator.comparing(FileName::day).thenComparingLong(FileName::number));
        return found.stream().map(FileName::path).toList();
    }

    /** The file name for a day and number: {@code MSGTRK20261122-1.LOG}. */
    public static String fileName(String prefix, LocalDate day, long number) {
        return prefix + LogTime.FILE_DAY.format(day) + "-" + number + ".LOG";
    }

    private record FileName(Path path, String day, long number) {
    }

    private static Pattern fileNamePattern(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + "(\\d{8})-(\\d{1,9})\\.LOG", Pattern.CASE_INSENSITIVE);
    }

    private void await(CompletableFuture<Void> done) {
        boolean interrupted = false;
        while (!done.isDone() && writer.isAlive()) {
            try {
                done.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // keep waiting while the writer lives
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- writer thread ----

    private void drain() {
        try {
            while (true) {
                Item item = queue.take();
                if (item instanceof Line line) {
                    write(line);
                } else if (item instanceof Barrier barrier) {
                    flushStream();
                    barrier.done().complete(null);
                } else if (item instanceof Close close) {
                    finish(close);
                    return;
                }
                if (queue.isEmpty()) {
                    flushStream();
                }
            }
        } catch (InterruptedException e) {
            closeStream();
        }
    }

    private void finish(Close close) {
        Item rest;
        while ((rest = queue.poll()) != null) {
            if (rest instanceof Line line) {
                write(line);
            } else if (rest instanceof Barrier barrier) {
                barrier.done().complete(null);
            } else if (rest instanceof Close other) {
                other.done().complete(null);
            }
        }
        closeStream();
        close.done().complete(null);
    }

    private void write(Line line) {
        byte[] bytes = line.text().getBytes(StandardCharsets.UTF_8);
        long length = bytes.length + CRLF.length;
        try {
            LocalDate day = LogTime.utcDay(line.at());
            boolean newDay = currentDay == null || day.isAfter(currentDay);
            boolean full = linesInFile > 0 && currentSize + length > maxFileSize;
            if (out == null || newDay || full) {
                open(newDay || currentDay == null ? day : currentDay, line.at());
            }
            out.write(bytes);
            out.write(CRLF);
            currentSize += length;
            linesInFile++;
        } catch (IOException | RuntimeException e) {
            lastError = e instanceof IOException io ? io : new IOException(e);
            dropped.incrementAndGet();
            closeStream();
        }
    }

    private void open(LocalDate day, Instant at) throws IOException {
        closeStream();
        Files.createDirectories(directory);
        long number = nextNumber(day);
        while (true) {
            Path file = directory.resolve(fileName(prefix, day, number));
            try {
                out = new BufferedOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER_SIZE);
                currentFile = file;
                break;
            } catch (FileAlreadyExistsException e) {
                number++;
            }
        }
        currentDay = day;
        currentSize = 0;
        linesInFile = 0;
        lastFile = currentFile;
        for (String h : header.apply(at)) {
            byte[] bytes = Csv.oneLine(h).getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            out.write(CRLF);
            currentSize += bytes.length + CRLF.length;
        }
    }

    private long nextNumber(LocalDate day) throws IOException {
        String dayText = LogTime.FILE_DAY.format(day);
        long max = 0;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Matcher m = fileName.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).equals(dayText)) {
                    max = Math.max(max, Long.parseLong(m.group(2)));
                }
            }
        }
        return max + 1;
    }

    private void flushStream() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            lastError = e;
            closeStream();
        }
    }

    private void closeStream() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            lastError = e;
        }
        out = null;
        currentFile = null;
    }
}
