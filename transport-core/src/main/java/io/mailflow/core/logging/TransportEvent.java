package io.mailflow.core.logging;

import java.util.Objects;

/**
 * Event log: one entry of Mailflow's Application log, what Exchange writes to the Windows event
 * log under MSExchangeTransport (a connector refusing a connection, back pressure changing level,
 * the spool recovering). Made by {@link TransportEvents}, written by {@link EventLog}.
 *
 * @param eventId  Exchange's id where Exchange has one (1021, 15004…), Mailflow's own otherwise
 * @param source   the event source, {@code MSExchangeTransport}
 * @param category the component, e.g. {@code SmtpReceive}, {@code ResourceManager}
 */
public record TransportEvent(Level level, int eventId, String source, String category, String text) {

    /** The event level, as the Windows event log names it. */
    public enum Level { Information, Warning, Error }

    public TransportEvent {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(text, "text");
        if (eventId < 0) {
            throw new IllegalArgumentException("event ids are not negative: " + eventId);
        }
    }
}
