package io.mailflow.frontend.admission;

import io.mailflow.core.organization.AccessMap;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.params.Unlimited;

import java.util.Objects;

/**
 * Receive connector, before the banner: the limits {@link ConnectionAdmission} applies to a new
 * connection, Exchange's beside Sendmail's, as one immutable value so they can be replaced live.
 * Reads: MaxInboundConnection, MaxInboundConnectionPerSource, MaxInboundConnectionPercentagePerSource
 * (exchange.md §1.1), ConnectionRateThrottle, MaxDaemonChildren and the access map's Connect: entries
 * (peers.md §2).
 *
 * @param connectionRateThrottle connections accepted per second per connector; 0 = no limit, as in Sendmail
 * @param maxDaemonChildren      Sendmail's total cap; the smaller of it and MaxInboundConnection applies.
 *                               Sendmail's 0 ("no limit") is {@link Unlimited#UNLIMITED} here.
 */
public record AdmissionLimits(
    Unlimited maxInboundConnection,
    Unlimited maxInboundConnectionPerSource,
    int maxInboundConnectionPercentagePerSource,
    int connectionRateThrottle,
    Unlimited maxDaemonChildren,
    AccessMap accessMap) {

    public AdmissionLimits {
        Objects.requireNonNull(maxInboundConnection, "maxInboundConnection");
        Objects.requireNonNull(maxInboundConnectionPerSource, "maxInboundConnectionPerSource");
        Objects.requireNonNull(maxDaemonChildren, "maxDaemonChildren");
        Objects.requireNonNull(accessMap, "accessMap");
        atLeastOne("MaxInboundConnection", maxInboundConnection);
        atLeastOne("MaxInboundConnectionPerSource", maxInboundConnectionPerSource);
        atLeastOne("MaxDaemonChildren", maxDaemonChildren);
        if (maxInboundConnectionPercentagePerSource < 1 || maxInboundConnectionPercentagePerSource > 100) {
            throw new IllegalArgumentException("MaxInboundConnectionPercentagePerSource is 1-100, not "
                + maxInboundConnectionPercentagePerSource);
        }
        if (connectionRateThrottle < 0) {
            throw new IllegalArgumentException("ConnectionRateThrottle is 0 (none) or more, not " + connectionRateThrottle);
        }
    }

    /** The connector's own limits with Sendmail's beside them (set on the connector by its owner). */
    public static AdmissionLimits from(ReceiveConnector c, int connectionRateThrottle, Unlimited maxDaemonChildren,
                                       AccessMap accessMap) {
        return new AdmissionLimits(c.maxInboundConnection(), c.maxInboundConnectionPerSource(),
            c.maxInboundConnectionPercentagePerSource(), connectionRateThrottle, maxDaemonChildren, accessMap);
    }

    /** The total cap that applies: the smaller of MaxInboundConnection and MaxDaemonChildren. */
    public Unlimited maxConnections() {
        return daemonChildrenBind() ? maxDaemonChildren : maxInboundConnection;
    }

    /** The name of the parameter that sets {@link #maxConnections()}, for refusal reasons. */
    String maxConnectionsName() {
        return daemonChildrenBind() ? "MaxDaemonChildren" : "MaxInboundConnection";
    }

    private boolean daemonChildrenBind() {
        return !maxDaemonChildren.isUnlimited()
            && (maxInboundConnection.isUnlimited() || maxDaemonChildren.orElse(0) < maxInboundConnection.orElse(0));
    }

    public AdmissionLimits withMaxInboundConnectionPerSource(Unlimited v) {
        return new AdmissionLimits(maxInboundConnection, v, maxInboundConnectionPercentagePerSource,
            connectionRateThrottle, maxDaemonChildren, accessMap);
    }

    public AdmissionLimits withConnectionRateThrottle(int v) {
        return new AdmissionLimits(maxInboundConnection, maxInboundConnectionPerSource,
            maxInboundConnectionPercentagePerSource, v, maxDaemonChildren, accessMap);
    }

    public AdmissionLimits withAccessMap(AccessMap v) {
        return new AdmissionLimits(maxInboundConnection, maxInboundConnectionPerSource,
            maxInboundConnectionPercentagePerSource, connectionRateThrottle, maxDaemonChildren, v);
    }

    private static void atLeastOne(String name, Unlimited value) {
        if (!value.isUnlimited() && value.orElse(0) < 1) {
            throw new IllegalArgumentException(name + " is 1 or more, or unlimited; not " + value);
        }
    }
}
