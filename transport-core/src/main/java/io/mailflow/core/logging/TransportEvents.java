package io.mailflow.core.logging;

import io.mailflow.core.logging.EventDescriptor.Origin;
import io.mailflow.core.logging.TransportEvent.Level;
import io.mailflow.core.organization.Binding;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Event log: the catalogue of every event Mailflow writes, with Exchange's ids and texts verbatim
 * where Exchange has them (exchange.md §10, REFERENCE.md) and Mailflow's own ids (1030, 7001…)
 * otherwise. Each stage makes its events here, e.g. the receive side
 * {@code events.write(TransportEvents.maxConnectionPerSourceReached(name, ip, 20))};
 * {@link #CATALOGUE} lists them all for the documentation's event table.
 */
public final class TransportEvents {
    public static final String SOURCE = "MSExchangeTransport";

    public static final String SMTP_RECEIVE = "SmtpReceive";
    public static final String RESOURCE_MANAGER = "ResourceManager";
    public static final String SPOOL = "Spool";

    public static final EventDescriptor MAX_CONNECTION_PER_SOURCE_REACHED = new EventDescriptor(
        1021, Level.Warning, "SmtpReceiveMaxConnectionPerSourceReached", SOURCE, SMTP_RECEIVE,
        "Receive connector '%1' rejected an incoming connection from IP address '%2'. The maximum number of "
            + "connections per source ('%3') for this connector has been reached by this source IP address.",
        Origin.Exchange);

    /** Same id as per-source (REFERENCE.md); Exchange publishes no text for the percentage limit. */
    public static final EventDescriptor MAX_CONNECTION_PERCENTAGE_PER_SOURCE_REACHED = new EventDescriptor(
        1021, Level.Warning, "SmtpReceiveMaxConnectionPercentagePerSourceReached", SOURCE, SMTP_RECEIVE,
        "Receive connector '%1' rejected an incoming connection from IP address '%2'. The maximum percentage of "
            + "connections per source ('%3' percent, '%4' connections) for this connector has been reached by "
            + "this source IP address.",
        Origin.Mailflow);

    public static final EventDescriptor MAX_CONNECTION_REACHED = new EventDescriptor(
        1009, Level.Warning, "SmtpReceiveMaxConnectionReached", SOURCE, SMTP_RECEIVE,
        "Receive connector %1 rejected an incoming connection. The maximum number of connections (%2) for this "
            + "connector has been reached.",
        Origin.Exchange);

    /** ConnectionRateThrottle (Sendmail's name): connections per second per connector. */
    public static final EventDescriptor CONNECTION_RATE_LIMIT_EXCEEDED = new EventDescriptor(
        1030, Level.Warning, "SmtpReceiveConnectionRateLimitExceeded", SOURCE, SMTP_RECEIVE,
        "Receive connector '%1' rejected an incoming connection from IP address '%2'. The maximum rate of "
            + "connections ('%3' per second) for this connector has been exceeded.",
        Origin.Mailflow);

    public static final EventDescriptor MESSAGE_RATE_LIMIT_EXCEEDED = new EventDescriptor(
        1031, Level.Error, "SmtpReceiveMessageRateLimitExceeded", SOURCE, SMTP_RECEIVE,
        "The connection for user [%1] with IP address [%2] is being dropped. The rate of message submissions "
            + "from this connection has exceeded the throttling policy of %3 per minute.",
        Origin.Exchange);

    public static final EventDescriptor RESOURCE_PRESSURE_INCREASED = new EventDescriptor(
        15004, Level.Error, "ResourcePressureIncreased", SOURCE, RESOURCE_MANAGER,
        "Resource pressure increased from %1 to %2. The following resources are under pressure: %3. "
            + "The following components are disabled due to back pressure: %4.",
        Origin.Exchange);

    public static final EventDescriptor RESOURCE_PRESSURE_DECREASED = new EventDescriptor(
        15005, Level.Information, "ResourcePressureDecreased", SOURCE, RESOURCE_MANAGER,
        "Resource pressure decreased from %1 to %2. The following resources are under pressure: %3. "
            + "The following components are disabled due to back pressure: %4.",
        Origin.Exchange);

    public static final EventDescriptor LOW_DISK_SPACE = new EventDescriptor(
        15006, Level.Error, "ResourceManagerLowDiskSpace", SOURCE, RESOURCE_MANAGER,
        "The Transport service is rejecting messages because available disk space is below the configured "
            + "threshold: %1.",
        Origin.Exchange);

    public static final EventDescriptor HIGH_MEMORY = new EventDescriptor(
        15007, Level.Error, "ResourceManagerHighMemory", SOURCE, RESOURCE_MANAGER,
        "The Transport service is rejecting messages because memory use is above the configured threshold: %1.",
        Origin.Exchange);

    public static final EventDescriptor RECEIVE_CONNECTOR_LISTENING = new EventDescriptor(
        7001, Level.Information, "ReceiveConnectorListening", SOURCE, SMTP_RECEIVE,
        "Receive connector '%1' is listening on %2.",
        Origin.Mailflow);

    public static final EventDescriptor SPOOL_RECOVERED = new EventDescriptor(
        7002, Level.Information, "SpoolRecovered", SOURCE, SPOOL,
        "The spool recovered %1 message(s) at startup from '%2'.",
        Origin.Mailflow);

    public static final EventDescriptor MESSAGE_NOT_SPOOLED = new EventDescriptor(
        7003, Level.Error, "MessageNotSpooled", SOURCE, SPOOL,
        "Message '%1' from '%2' could not be written to the spool and was refused: %3",
        Origin.Mailflow);

    public static final EventDescriptor RECEIVE_CONNECTOR_BIND_FAILED = new EventDescriptor(
        7004, Level.Error, "ReceiveConnectorBindFailed", SOURCE, SMTP_RECEIVE,
        "Receive connector '%1' could not listen on %2: %3",
        Origin.Mailflow);

    public static final EventDescriptor CONFIGURATION_CHANGE_NOT_APPLIED = new EventDescriptor(
        7005, Level.Warning, "ConfigurationChangeNotApplied", SOURCE, "Configuration",
        "A configuration change recorded in '%1' no longer applies and was skipped: %2",
        Origin.Mailflow);

    /** Every event Mailflow writes, by id. */
    public static final List<EventDescriptor> CATALOGUE = List.of(
        MAX_CONNECTION_REACHED,
        MAX_CONNECTION_PER_SOURCE_REACHED,
        MAX_CONNECTION_PERCENTAGE_PER_SOURCE_REACHED,
        CONNECTION_RATE_LIMIT_EXCEEDED,
        MESSAGE_RATE_LIMIT_EXCEEDED,
        RECEIVE_CONNECTOR_LISTENING,
        SPOOL_RECOVERED,
        MESSAGE_NOT_SPOOLED,
        RECEIVE_CONNECTOR_BIND_FAILED,
        CONFIGURATION_CHANGE_NOT_APPLIED,
        RESOURCE_PRESSURE_INCREASED,
        RESOURCE_PRESSURE_DECREASED,
        LOW_DISK_SPACE,
        HIGH_MEMORY);

    private static final Map<String, EventDescriptor> BY_NAME = CATALOGUE.stream()
        .collect(Collectors.toUnmodifiableMap(EventDescriptor::symbolicName, Function.identity()));

    private TransportEvents() {
    }

    /** The descriptor with this symbolic name. */
    public static Optional<EventDescriptor> bySymbolicName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The descriptors with this id (1021 has two: per source and percentage per source). */
    public static List<EventDescriptor> byId(int eventId) {
        return CATALOGUE.stream().filter(d -> d.eventId() == eventId).toList();
    }

    /** 1021: MaxInboundConnectionPerSource reached. */
    public static TransportEvent maxConnectionPerSourceReached(String connector, String ip, int limit) {
        return MAX_CONNECTION_PER_SOURCE_REACHED.format(connector, ip, limit);
    }

    /** 1021: MaxInboundConnectionPercentagePerSource reached; {@code limit} is the computed count. */
    public static TransportEvent maxConnectionPercentagePerSourceReached(String connector, String ip,
                                                                         int percentage, int limit) {
        return MAX_CONNECTION_PERCENTAGE_PER_SOURCE_REACHED.format(connector, ip, percentage, limit);
    }

    /** 1009: MaxInboundConnection reached. */
    public static TransportEvent maxConnectionReached(String connector, int limit) {
        return MAX_CONNECTION_REACHED.format(connector, limit);
    }

    /** 1030: ConnectionRateThrottle exceeded. */
    public static TransportEvent connectionRateLimitExceeded(String connector, String ip, int perSecond) {
        return CONNECTION_RATE_LIMIT_EXCEEDED.format(connector, ip, perSecond);
    }

    /** 1031: MessageRateLimit exceeded; the connection is dropped. */
    public static TransportEvent messageRateLimitExceeded(String user, String ip, int perMinute) {
        return MESSAGE_RATE_LIMIT_EXCEEDED.format(user, ip, perMinute);
    }

    /**
     * 15004: back pressure went up. Levels as Exchange names them ({@code Normal}, {@code Medium},
     * {@code High}); resources as {@link #reading} writes them; components such as
     * {@code Inbound mail submission from the Internet}.
     */
    public static TransportEvent resourcePressureIncreased(String fromLevel, String toLevel,
                                                           List<String> resourcesUnderPressure,
                                                           List<String> disabledComponents) {
        return RESOURCE_PRESSURE_INCREASED.format(fromLevel, toLevel, list(resourcesUnderPressure),
            list(disabledComponents));
    }

    /** 15005: back pressure went down; the lists say what is still under pressure and disabled. */
    public static TransportEvent resourcePressureDecreased(String fromLevel, String toLevel,
                                                           List<String> resourcesUnderPressure,
                                                           List<String> disabledComponents) {
        return RESOURCE_PRESSURE_DECREASED.format(fromLevel, toLevel, list(resourcesUnderPressure),
            list(disabledComponents));
    }

    /** 15006: the disk holding the spool is below its threshold. */
    public static TransportEvent lowDiskSpace(String reading) {
        return LOW_DISK_SPACE.format(reading);
    }

    /** 15007: the process uses more memory than its threshold. */
    public static TransportEvent highMemory(String reading) {
        return HIGH_MEMORY.format(reading);
    }

    /**
     * One resource as the back-pressure events list it:
     * {@code QueueLength[SubmissionQueue] = 15001 [High] [Normal=2000 Medium=9999 High=15000]}.
     */
    public static String reading(String resource, long value, String level, long normal, long medium, long high) {
        return resource + " = " + value + " [" + level + "] [Normal=" + normal + " Medium=" + medium
            + " High=" + high + "]";
    }

    /** 7001: a receive connector bound its sockets. */
    public static TransportEvent receiveConnectorListening(String connector, List<Binding> bindings) {
        return RECEIVE_CONNECTOR_LISTENING.format(connector,
            bindings.stream().map(Binding::toString).collect(Collectors.joining(", ")));
    }

    /** 7002: the spool found {@code count} messages at startup and queued them again. */
    public static TransportEvent spoolRecovered(long count, String location) {
        return SPOOL_RECOVERED.format(count, location);
    }

    /** 7003: a message could not be spooled, so its 250 was never given. */
    public static TransportEvent messageNotSpooled(String messageId, String sender, String reason) {
        return MESSAGE_NOT_SPOOLED.format(messageId, sender, reason);
    }

    /** 7004: a receive connector could not bind one of its bindings. */
    public static TransportEvent receiveConnectorBindFailed(String connector, Binding binding, String reason) {
        return RECEIVE_CONNECTOR_BIND_FAILED.format(connector, binding, reason);
    }

    public static TransportEvent configurationChangeNotApplied(String journal, String change) {
        return CONFIGURATION_CHANGE_NOT_APPLIED.format(journal, change);
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "None" : String.join(", ", items);
    }
}
