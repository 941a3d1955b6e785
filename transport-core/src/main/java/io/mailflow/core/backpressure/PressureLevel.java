package io.mailflow.core.backpressure;

/**
 * Back pressure: a resource's utilization level, and the server's (the worst of its resources).
 * Exchange calls the lowest level Low in its threshold keys (LowToMedium) and Normal in its events
 * and documentation; Mailflow prints Normal, as events 15004/15005 do (exchange.md §3).
 */
public enum PressureLevel {
    /** Accept everything. */
    Normal,
    /** Senders inside the organization flow; others are tarpitted or refused, by resource. */
    Medium,
    /** Every new MAIL FROM is refused. */
    High;

    public boolean isWorseThan(PressureLevel other) {
        return compareTo(other) > 0;
    }

    public static PressureLevel worst(PressureLevel a, PressureLevel b) {
        return a.isWorseThan(b) ? a : b;
    }
}
