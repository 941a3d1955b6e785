package io.mailflow.frontend.admission;

import io.mailflow.core.organization.AccessMap;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.time.Clock;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The live admission state of every receive connector of a server: one {@link ConnectionAdmission}
 * and one {@link MessageRateLimiter} per connector identity. When Set-ReceiveConnector changes a
 * connector, the next connection finds the new limits applied to the same counters, so the
 * connections already open keep counting against the new limit, as in Exchange.
 */
public final class AdmissionRegistry {
    private record Entry(ReceiveConnector connector, ConnectionAdmission admission, MessageRateLimiter messageRate) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> byIdentity = new ConcurrentHashMap<>();

    public AdmissionRegistry(Clock clock) {
        this.clock = clock;
    }

    public ConnectionAdmission admission(ReceiveConnector connector) {
        return entry(connector).admission();
    }

    public MessageRateLimiter messageRate(ReceiveConnector connector) {
        return entry(connector).messageRate();
    }

    private Entry entry(ReceiveConnector connector) {
        return byIdentity.compute(connector.identity().toLowerCase(java.util.Locale.ROOT), (id, current) -> {
            if (current == null) {
                return new Entry(connector, new ConnectionAdmission(connector.name(), limits(connector), clock),
                    MessageRateLimiter.forConnector(connector, clock));
            }
            if (current.connector().equals(connector)) {
                return current;
            }
            current.admission().updateLimits(limits(connector));
            boolean rateChanged = !current.connector().messageRateLimit().equals(connector.messageRateLimit())
                || !current.connector().messageRateSource().equals(connector.messageRateSource());
            return new Entry(connector, current.admission(),
                rateChanged ? MessageRateLimiter.forConnector(connector, clock) : current.messageRate());
        });
    }

    private static AdmissionLimits limits(ReceiveConnector c) {
        return AdmissionLimits.from(c, c.connectionRateThrottle(), c.maxDaemonChildren(),
            AccessMap.parse(c.accessMap()));
    }
}
