package io.mailflow.frontend.receive;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.ReceiveConnector;

import java.net.InetSocketAddress;

/** Opens the protocol log of one session, honouring the connector's ProtocolLoggingLevel. */
@FunctionalInterface
public interface SessionLogFactory {
    ProtocolLog.Session open(ReceiveConnector connector, InetSocketAddress local, InetSocketAddress remote);

    SessionLogFactory NONE = (connector, local, remote) -> ProtocolLog.Session.DISABLED;
}
