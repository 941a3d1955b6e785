package io.mailflow.core.logging;

import io.mailflow.core.time.Clock;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Message tracking log: written by every stage of the pipeline, one line per step of every
 * message, read by Get-MessageTrackingLog. Files {@code logs/MessageTracking/MSGTRK<yyyymmdd>-<n>.LOG}
 * in Exchange's CSV format (exchange.md §7.1): Exchange's header lines and {@code #Fields:} order,
 * date-time {@code yyyy-MM-ddTHH:mm:ss.fffZ} UTC from the injected Clock, multi-valued fields
 * joined with {@code ;}.
 * Reads: MessageTrackingLogMaxFileSize (10 MB).
 *
 * <pre>{@code
 * MessageTrackingLog tracking = new MessageTrackingLog(dataDir.resolve("logs"), clock);
 * tracking.log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP).envelope(envelope).build());
 * List<TrackingEvent> steps = MessageTrackingLog.search(dataDir.resolve("logs"), "<id@example.com>");
 * }</pre>
 */
public final class MessageTrackingLog implements AutoCloseable {
    public static final String DIRECTORY = "MessageTracking";
    public static final String PREFIX = "MSGTRK";
    public static final String SOFTWARE = "Microsoft Exchange Server";
    public static final String VERSION = "15.01.2375.007";
    public static final List<String> FIELDS = List.of(
        "date-time", "client-ip", "client-hostname", "server-ip", "server-hostname", "source-context",
        "connector-id", "source", "event-id", "internal-message-id", "message-id", "network-message-id",
        "recipient-address", "recipient-status", "total-bytes", "recipient-count", "related-recipient-address",
        "reference", "message-subject", "sender-address", "return-path", "message-info", "directionality",
        "tenant-id", "original-client-ip", "original-server-ip", "custom-data", "transport-traffic-type",
        "log-id", "schema-version");

    /** A new status in recipient-status starts with a reply code; a {@code ;} inside one does not. */
    private static final Pattern STATUS_SEPARATOR = Pattern.compile(";(?=\\d{3}(?:[ ;]|$))");
    private static final Pattern STARTS_WITH_CODE = Pattern.compile("^\\d{3}(?:[ ;].*|)$", Pattern.DOTALL);

    private final Clock clock;
    private final RollingLogFile file;

    public MessageTrackingLog(Path logsDirectory, Clock clock) {
        this(logsDirectory, clock, RollingLogFile.DEFAULT_MAX_FILE_SIZE);
    }

    public MessageTrackingLog(Path logsDirectory, Clock clock, long maxFileSize) {
        this.clock = Objects.requireNonNull(clock);
        this.file = new RollingLogFile(logsDirectory.resolve(DIRECTORY), PREFIX, MessageTrackingLog::header,
            clock, maxFileSize);
    }

    /** The header lines of a file created at {@code created}. */
    public static List<String> header(Instant created) {
        return List.of(
            "#Software: " + SOFTWARE,
            "#Version: " + VERSION,
            "#Log-Type: Message Tracking Log",
            "#Date: " + LogTime.format(created),
            "#Fields: " + String.join(",", FIELDS));
    }

    /** Writes one event; an event without a date-time is stamped with the clock's now. */
    public void log(TrackingEvent event) {
        Instant at = event.dateTime() != null ? event.dateTime() : clock.now();
        file.append(at, toCsv(event, at));
    }

    /** Waits until every event logged so far is in the file. */
    public void flush() {
        file.flush();
    }

    @Override
    public void close() {
        file.close();
    }

    public Path directory() {
        return file.directory();
    }

    /** Every event in the tracking logs under {@code logsDirectory}, oldest file first. */
    public static List<TrackingEvent> read(Path logsDirectory) {
        return search(logsDirectory, e -> true);
    }

    /** The events of one message, by its Message-ID as logged (with angle brackets). */
    public static List<TrackingEvent> search(Path logsDirectory, String messageId) {
        Objects.requireNonNull(messageId);
        return search(logsDirectory, e -> e.messageId().equals(messageId));
    }

    /** The events matching {@code filter}, in the order they were written. */
    public static List<TrackingEvent> search(Path logsDirectory, Predicate<TrackingEvent> filter) {
        List<TrackingEvent> found = new ArrayList<>();
        LogReader.forEach(logsDirectory.resolve(DIRECTORY), PREFIX, row -> {
            TrackingEvent event = fromRow(row);
            if (filter.test(event)) {
                found.add(event);
            }
        });
        return found;
    }

    static String toCsv(TrackingEvent e, Instant at) {
        return Csv.line(Arrays.asList(
            LogTime.format(at),
            e.clientIp(),
            e.clientHostname(),
            e.serverIp(),
            e.serverHostname(),
            e.sourceContext(),
            e.connectorId(),
            e.source().name(),
            e.eventId().name(),
            e.internalMessageId(),
            e.messageId(),
            e.networkMessageId(),
            String.join(";", e.recipientAddress()),
            String.join(";", e.recipientStatus()),
            e.totalBytes().isPresent() ? Long.toString(e.totalBytes().getAsLong()) : "",
            e.recipientCount().isPresent() ? Integer.toString(e.recipientCount().getAsInt()) : "",
            e.relatedRecipientAddress(),
            e.reference(),
            e.messageSubject(),
            e.senderAddress(),
            e.returnPath(),
            e.messageInfo(),
            e.directionality(),
            e.tenantId(),
            e.originalClientIp(),
            e.originalServerIp(),
            e.customData(),
            e.transportTrafficType(),
            e.logId(),
            e.schemaVersion()));
    }

    static TrackingEvent fromRow(LogReader.Row r) {
        String bytes = r.get("total-bytes").trim();
        String count = r.get("recipient-count").trim();
        return new TrackingEvent(
            LogTime.parse(r.get("date-time")),
            r.get("client-ip"),
            r.get("client-hostname"),
            r.get("server-ip"),
            r.get("server-hostname"),
            r.get("source-context"),
            r.get("connector-id"),
            TrackingSource.valueOf(r.get("source").trim()),
            TrackingEventId.valueOf(r.get("event-id").trim()),
            r.get("internal-message-id"),
            r.get("message-id"),
            r.get("network-message-id"),
            splitAddresses(r.get("recipient-address")),
            splitStatuses(r.get("recipient-status")),
            bytes.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(bytes)),
            count.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(count)),
            r.get("related-recipient-address"),
            r.get("reference"),
            r.get("message-subject"),
            r.get("sender-address"),
            r.get("return-path"),
            r.get("message-info"),
            r.get("directionality"),
            r.get("tenant-id"),
            r.get("original-client-ip"),
            r.get("original-server-ip"),
            r.get("custom-data"),
            r.get("transport-traffic-type"),
            r.get("log-id"),
            r.get("schema-version"));
    }

    static List<String> splitAddresses(String field) {
        return field.isEmpty() ? List.of() : List.of(field.split(";", -1));
    }

    /**
     * Splits recipient-status back into one status per recipient. Statuses such as
     * {@code 550 4.4.7 QUEUE.Expired;<ErrorText>} carry a {@code ;} of their own, so when the field
     * starts with a reply code a new status starts only where a {@code ;} is followed by one.
     */
    static List<String> splitStatuses(String field) {
        if (field.isEmpty()) {
            return List.of();
        }
        String[] parts = STARTS_WITH_CODE.matcher(field).matches()
            ? STATUS_SEPARATOR.split(field, -1)
            : field.split(";", -1);
        return List.of(parts);
    }
}
