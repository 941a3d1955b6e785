package io.mailflow.core.logging;

import io.mailflow.core.time.Clock;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Event log: Mailflow's stand-in for the Windows Application log that Exchange's
 * MSExchangeTransport writes to. Any stage writes a {@link TransportEvent} from
 * {@link TransportEvents}; files {@code logs/Events/EVENTS<yyyymmdd>-<n>.LOG}, CSV
 * {@code date-time,level,event-id,source,category,text}; read back by Get-EventLog.
 *
 * <pre>{@code
 * EventLog events = new EventLog(dataDir.resolve("logs"), clock);
 * events.write(TransportEvents.maxConnectionPerSourceReached("Default Frontend MAIL01", "203.0.113.7", 20));
 * List<EventLog.Entry> all = EventLog.read(dataDir.resolve("logs"));
 * }</pre>
 */
public final class EventLog implements AutoCloseable {
    public static final String DIRECTORY = "Events";
    public static final String PREFIX = "EVENTS";
    public static final List<String> FIELDS = List.of("date-time", "level", "event-id", "source", "category", "text");

    /** One event as read back, with the time it was written. */
    public record Entry(Instant dateTime, TransportEvent event) {
    }

    private final Clock clock;
    private final RollingLogFile file;

    public EventLog(Path logsDirectory, Clock clock) {
        this(logsDirectory, clock, RollingLogFile.DEFAULT_MAX_FILE_SIZE);
    }

    public EventLog(Path logsDirectory, Clock clock, long maxFileSize) {
        this.clock = Objects.requireNonNull(clock);
        this.file = new RollingLogFile(logsDirectory.resolve(DIRECTORY), PREFIX, EventLog::header, clock, maxFileSize);
    }

    public static List<String> header(Instant created) {
        return List.of(
            "#Software: Mailflow",
            "#Log-Type: Mailflow Event Log",
            "#Date: " + LogTime.format(created),
            "#Fields: " + String.join(",", FIELDS));
    }

    /** Writes one event stamped with the clock's now. */
    public void write(TransportEvent event) {
        Instant at = clock.now();
        file.append(at, Csv.line(List.of(
            LogTime.format(at),
            event.level().name(),
            Integer.toString(event.eventId()),
            event.source(),
            event.category(),
            event.text())));
    }

    public void flush() {
        file.flush();
    }

    @Override
    public void close() {
        file.close();
    }

    /** Every event under {@code logsDirectory}, in the order written. */
    public static List<Entry> read(Path logsDirectory) {
        return read(logsDirectory, e -> true);
    }

    public static List<Entry> read(Path logsDirectory, Predicate<Entry> filter) {
        List<Entry> found = new ArrayList<>();
        LogReader.forEach(logsDirectory.resolve(DIRECTORY), PREFIX, r -> {
            Entry entry = new Entry(
                LogTime.parse(r.get("date-time")),
                new TransportEvent(
                    TransportEvent.Level.valueOf(r.get("level").trim()),
                    Integer.parseInt(r.get("event-id").trim()),
                    r.get("source"),
                    r.get("category"),
                    r.get("text")));
            if (filter.test(entry)) {
                found.add(entry);
            }
        });
        return found;
    }
}
