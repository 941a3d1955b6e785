package io.mailflow.core.logging;

import io.mailflow.core.organization.ProtocolLoggingLevel;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMTP protocol log: the receive side (frontend SMTP sessions) writes
 * {@code logs/ProtocolLog/SmtpReceive/RECV<yyyymmdd>-<n>.LOG}, the send side (delivery to the
 * next hop) {@code logs/ProtocolLog/SmtpSend/SEND<yyyymmdd>-<n>.LOG}, in Exchange's format
 * (exchange.md §7.2). All connectors of one side share the files, as Exchange's do; each
 * connector with ProtocolLoggingLevel Verbose gets a {@link Session} per SMTP session, one with
 * None gets {@link Session#DISABLED}, which writes nothing and costs nothing.
 * Reads: ProtocolLogMaxFileSize (10 MB).
 *
 * <pre>{@code
 * ProtocolLog recv = ProtocolLog.receive(dataDir.resolve("logs"), clock);
 * ProtocolLog.Session s = recv.openSession(connector.protocolLoggingLevel(),
 *     "MAIL01\\Default Frontend MAIL01", "10.0.0.5:25", "203.0.113.7:50123");
 * s.connected();
 * s.sent(SmtpReply.of(220, "mail01.contoso.com Microsoft ESMTP MAIL Service ready"));
 * s.received("EHLO client.example");
 * s.info("", "Set Session Permissions");
 * s.disconnected("Remote");
 * }</pre>
 *
 * The caller decides what a line may reveal: AUTH exchanges and message content are never
 * passed here verbatim (Exchange logs {@code *,,Inbound AUTH LOGIN failed…}, not the blob).
 */
public final class ProtocolLog implements AutoCloseable {
    public static final String PARENT_DIRECTORY = "ProtocolLog";
    public static final List<String> FIELDS = List.of(
        "date-time", "connector-id", "session-id", "sequence-number", "local-endpoint", "remote-endpoint",
        "event", "data", "context");

    /** Which side of the transport a protocol log records. */
    public enum Kind {
        SmtpReceive("RECV", "SMTP Receive Protocol Log"),
        SmtpSend("SEND", "SMTP Send Protocol Log");

        private final String prefix;
        private final String logType;

        Kind(String prefix, String logType) {
            this.prefix = prefix;
            this.logType = logType;
        }

        public String prefix() {
            return prefix;
        }

        public String logType() {
            return logType;
        }

        /** {@code <logs>/ProtocolLog/SmtpReceive} or {@code …/SmtpSend}. */
        public Path directory(Path logsDirectory) {
            return logsDirectory.resolve(PARENT_DIRECTORY).resolve(name());
        }
    }

    /** The event column. */
    public enum Event {
        CONNECT('+'), DISCONNECT('-'), SEND('>'), RECEIVE('<'), INFORMATION('*');

        private final char symbol;

        Event(char symbol) {
            this.symbol = symbol;
        }

        public char symbol() {
            return symbol;
        }

        public static Event of(String symbol) {
            for (Event e : values()) {
                if (symbol.length() == 1 && symbol.charAt(0) == e.symbol) {
                    return e;
                }
            }
            throw new IllegalArgumentException("not a protocol log event: '" + symbol + "'");
        }
    }

    /** One line read back from a protocol log. */
    public record Line(Instant dateTime, String connectorId, String sessionId, int sequenceNumber,
                       String localEndpoint, String remoteEndpoint, Event event, String data, String context) {
    }

    /**
     * The log of one SMTP session; it numbers its lines from 0. One per connection, used by the
     * session's own actor; safe to call from several threads, lines keep their numbers in order.
     */
    public interface Session {
        /** The handle for a connector whose ProtocolLoggingLevel is None: every call does nothing. */
        Session DISABLED = new Disabled();

        /** The 16-hex-digit session id, empty when disabled. */
        String sessionId();

        boolean isEnabled();

        /** {@code +}: the TCP connection is open. */
        void connected();

        /** {@code <}: one command line from the peer, without its CRLF. */
        void received(String line);

        /** {@code >}: a reply or command sent; a multi-line reply is flattened to one line. */
        void sent(String text);

        /** {@code >}: a reply sent, as {@link SmtpReply#toLogString()} writes it. */
        void sent(SmtpReply reply);

        /** {@code *}: information, e.g. TLS negotiated or session permissions set. */
        void info(String data, String context);

        /** {@code -}: the connection closed; {@code reason} goes in context (Exchange: Local, Remote). */
        void disconnected(String reason);
    }

    private final Kind kind;
    private final Clock clock;
    private final RollingLogFile file;
    private final SessionIdGenerator sessionIds;

    /** The receive-side log under {@code logsDirectory}. */
    public static ProtocolLog receive(Path logsDirectory, Clock clock) {
        return new ProtocolLog(logsDirectory, Kind.SmtpReceive, clock, RollingLogFile.DEFAULT_MAX_FILE_SIZE);
    }

    /** The send-side log under {@code logsDirectory}. */
    public static ProtocolLog send(Path logsDirectory, Clock clock) {
        return new ProtocolLog(logsDirectory, Kind.SmtpSend, clock, RollingLogFile.DEFAULT_MAX_FILE_SIZE);
    }

    public ProtocolLog(Path logsDirectory, Kind kind, Clock clock, long maxFileSize) {
        this.kind = Objects.requireNonNull(kind);
        this.clock = Objects.requireNonNull(clock);
        this.sessionIds = new SessionIdGenerator(clock);
        this.file = new RollingLogFile(kind.directory(logsDirectory), kind.prefix(), at -> header(kind, at),
            clock, maxFileSize);
    }

    /** The header lines of a file of this kind created at {@code created}. */
    public static List<String> header(Kind kind, Instant created) {
        return List.of(
            "#Software: " + MessageTrackingLog.SOFTWARE,
            "#Version: " + MessageTrackingLog.VERSION,
            "#Log-type: " + kind.logType(),
            "#Date: " + LogTime.format(created),
            "#Fields: " + String.join(",", FIELDS));
    }

    public Kind kind() {
        return kind;
    }

    /** Starts the log of one session with a fresh session id; nothing is written until it is used. */
    public Session openSession(String connectorId, String localEndpoint, String remoteEndpoint) {
        return new Active(this, connectorId, sessionIds.next(), localEndpoint, remoteEndpoint);
    }

    public Session openSession(String connectorId, InetSocketAddress local, InetSocketAddress remote) {
        return openSession(connectorId, endpoint(local), endpoint(remote));
    }

    /** A session for a connector at this logging level: {@link Session#DISABLED} for None. */
    public Session openSession(ProtocolLoggingLevel level, String connectorId, String localEndpoint,
                               String remoteEndpoint) {
        return level == ProtocolLoggingLevel.None
            ? Session.DISABLED
            : openSession(connectorId, localEndpoint, remoteEndpoint);
    }

    public void flush() {
        file.flush();
    }

    @Override
    public void close() {
        file.close();
    }

    /** {@code ip:port} as the endpoint columns show it; IPv6 in brackets. */
    public static String endpoint(InetSocketAddress address) {
        if (address == null) {
            return "";
        }
        String host = address.getAddress() == null ? address.getHostString()
            : address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + address.getPort();
    }

    private static final Pattern REPLY_LINE = Pattern.compile("(\\d{3})(?:[ -](.*))?", Pattern.DOTALL);
    private static final Pattern ENHANCED = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3}) (.*)", Pattern.DOTALL);

    /**
     * A reply as the protocol log shows it: one line. Continuation lines ({@code 250-…}) lose their
     * code and a repeated enhanced status code, and are joined with spaces:
     * {@code 250-a / 250-SIZE 37748736 / 250 PIPELINING} becomes {@code 250 a SIZE 37748736 PIPELINING}.
     * Text that is not a reply (a command the send side wrote) has its lines joined with spaces.
     */
    public static String flatten(String text) {
        if (text == null) {
            return "";
        }
        String[] lines = text.split("\r\n|\r|\n");
        List<String> kept = new ArrayList<>(lines.length);
        for (String l : lines) {
            if (!l.isEmpty()) {
                kept.add(l);
            }
        }
        if (kept.size() <= 1) {
            return kept.isEmpty() ? "" : kept.get(0);
        }
        String code = null;
        String enhanced = null;
        List<String> texts = new ArrayList<>(kept.size());
        for (String l : kept) {
            Matcher m = REPLY_LINE.matcher(l);
            if (!m.matches() || (code != null && !code.equals(m.group(1)))) {
                return String.join(" ", kept);
            }
            String rest = m.group(2) == null ? "" : m.group(2);
            if (code == null) {
                Matcher e = ENHANCED.matcher(rest);
                if (e.matches()) {
                    enhanced = e.group(1);
                    rest = e.group(2);
                }
            } else if (enhanced != null && rest.startsWith(enhanced + " ")) {
                rest = rest.substring(enhanced.length() + 1);
            }
            code = m.group(1);
            texts.add(rest);
        }
        return code + " " + (enhanced == null ? "" : enhanced + " ") + String.join(" ", texts);
    }

    /** Every line of this kind's logs under {@code logsDirectory}, in file order. */
    public static List<Line> read(Path logsDirectory, Kind kind) {
        return read(logsDirectory, kind, l -> true);
    }

    /** The lines of one session, in file order. */
    public static List<Line> readSession(Path logsDirectory, Kind kind, String sessionId) {
        return read(logsDirectory, kind, l -> l.sessionId().equals(sessionId));
    }

    public static List<Line> read(Path logsDirectory, Kind kind, Predicate<Line> filter) {
        List<Line> found = new ArrayList<>();
        LogReader.forEach(kind.directory(logsDirectory), kind.prefix(), r -> {
            Line line = new Line(
                LogTime.parse(r.get("date-time")),
                r.get("connector-id"),
                r.get("session-id"),
                Integer.parseInt(r.get("sequence-number").trim()),
                r.get("local-endpoint"),
                r.get("remote-endpoint"),
                Event.of(r.get("event")),
                r.get("data"),
                r.get("context"));
            if (filter.test(line)) {
                found.add(line);
            }
        });
        return found;
    }

    private void write(Active s, Event event, String data, String context) {
        Instant at = clock.now();
        file.append(at, Csv.line(Arrays.asList(
            LogTime.format(at),
            s.connectorId,
            s.sessionId,
            Integer.toString(s.sequence++),
            s.localEndpoint,
            s.remoteEndpoint,
            String.valueOf(event.symbol()),
            data,
            context)));
    }

    private static final class Active implements Session {
        private final ProtocolLog log;
        private final String connectorId;
        private final String sessionId;
        private final String localEndpoint;
        private final String remoteEndpoint;
        private int sequence;

        Active(ProtocolLog log, String connectorId, String sessionId, String localEndpoint, String remoteEndpoint) {
            this.log = log;
            this.connectorId = connectorId == null ? "" : connectorId;
            this.sessionId = sessionId;
            this.localEndpoint = localEndpoint == null ? "" : localEndpoint;
            this.remoteEndpoint = remoteEndpoint == null ? "" : remoteEndpoint;
        }

        @Override public String sessionId() { return sessionId; }
        @Override public boolean isEnabled() { return true; }
        @Override public synchronized void connected() { log.write(this, Event.CONNECT, "", ""); }
        @Override public synchronized void received(String line) { log.write(this, Event.RECEIVE, line, ""); }
        @Override public synchronized void sent(String text) { log.write(this, Event.SEND, flatten(text), ""); }
        @Override public synchronized void sent(SmtpReply reply) { log.write(this, Event.SEND, reply.toLogString(), ""); }
        @Override public synchronized void info(String data, String context) { log.write(this, Event.INFORMATION, data, context); }
        @Override public synchronized void disconnected(String reason) { log.write(this, Event.DISCONNECT, "", reason); }
    }

    private static final class Disabled implements Session {
        @Override public String sessionId() { return ""; }
        @Override public boolean isEnabled() { return false; }
        @Override public void connected() { }
        @Override public void received(String line) { }
        @Override public void sent(String text) { }
        @Override public void sent(SmtpReply reply) { }
        @Override public void info(String data, String context) { }
        @Override public void disconnected(String reason) { }
    }
}
