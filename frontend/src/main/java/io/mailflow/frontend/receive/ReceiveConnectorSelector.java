package io.mailflow.frontend.receive;

import io.mailflow.core.organization.IpRange;
import io.mailflow.core.organization.ReceiveConnector;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * ReceiveConnectorSelector: which connector answers a connection when several share a binding.
 * Exchange picks the connector whose RemoteIPRanges entry containing the client is the most
 * specific (smallest); disabled connectors never answer.
 */
public final class ReceiveConnectorSelector {
    private ReceiveConnectorSelector() {
    }

    public static Optional<ReceiveConnector> select(List<ReceiveConnector> sharingBinding, InetAddress client) {
        ReceiveConnector best = null;
        BigInteger bestSize = null;
        for (ReceiveConnector c : sharingBinding) {
            if (!c.enabled()) {
                continue;
            }
            for (IpRange range : c.remoteIPRanges()) {
                if (range.contains(client) && (bestSize == null || range.size().compareTo(bestSize) < 0)) {
                    best = c;
                    bestSize = range.size();
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
