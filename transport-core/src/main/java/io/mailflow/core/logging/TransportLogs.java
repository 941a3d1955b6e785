package io.mailflow.core.logging;

import io.mailflow.core.time.Clock;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Logging: every log of one transport service under its data directory's {@code logs/} folder,
 * opened by the server at start and closed at shutdown, and handed to each stage:
 * message tracking, the receive and send protocol logs, and the event log.
 *
 * <pre>{@code
 * try (TransportLogs logs = TransportLogs.open(dataDir.resolve("logs"), clock)) {
 *     logs.events().write(TransportEvents.spoolRecovered(12, spoolPath.toString()));
 * }
 * }</pre>
 */
public final class TransportLogs implements AutoCloseable {
    private final Path directory;
    private final MessageTrackingLog tracking;
    private final ProtocolLog receive;
    private final ProtocolLog send;
    private final EventLog events;

    private TransportLogs(Path directory, MessageTrackingLog tracking, ProtocolLog receive, ProtocolLog send,
                          EventLog events) {
        this.directory = directory;
        this.tracking = tracking;
        this.receive = receive;
        this.send = send;
        this.events = events;
    }

    /** Opens all logs under {@code logsDirectory} with the default 10 MB files. */
    public static TransportLogs open(Path logsDirectory, Clock clock) {
        return open(logsDirectory, clock, RollingLogFile.DEFAULT_MAX_FILE_SIZE);
    }

    public static TransportLogs open(Path logsDirectory, Clock clock, long maxFileSize) {
        Objects.requireNonNull(logsDirectory);
        Objects.requireNonNull(clock);
        return new TransportLogs(logsDirectory,
            new MessageTrackingLog(logsDirectory, clock, maxFileSize),
            new ProtocolLog(logsDirectory, ProtocolLog.Kind.SmtpReceive, clock, maxFileSize),
            new ProtocolLog(logsDirectory, ProtocolLog.Kind.SmtpSend, clock, maxFileSize),
            new EventLog(logsDirectory, clock, maxFileSize));
    }

    public Path directory() {
        return directory;
    }

    public MessageTrackingLog tracking() {
        return tracking;
    }

    public ProtocolLog receiveProtocol() {
        return receive;
    }

    public ProtocolLog sendProtocol() {
        return send;
    }

    public EventLog events() {
        return events;
    }

    /** Waits until everything logged so far, in every log, is in its file. */
    public void flush() {
        tracking.flush();
        receive.flush();
        send.flush();
        events.flush();
    }

    /** Flushes and closes every log; the event log last, so shutdown events still get written. */
    @Override
    public void close() {
        tracking.close();
        receive.close();
        send.close();
        events.close();
    }
}
