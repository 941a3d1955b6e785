package io.mailflow.server.transport;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.frontend.receive.SessionLogFactory;

import java.net.InetSocketAddress;

/** Opens each receive session's protocol log in the shared SmtpReceive files, per ProtocolLoggingLevel. */
public final class ProtocolSessionLogs implements SessionLogFactory {
    private final ProtocolLog log;

    public ProtocolSessionLogs(ProtocolLog log) {
        this.log = log;
    }

    @Override
    public ProtocolLog.Session open(ReceiveConnector connector, InetSocketAddress local, InetSocketAddress remote) {
        return log.openSession(connector.protocolLoggingLevel(), connector.identity(), ProtocolLog.endpoint(local),
            ProtocolLog.endpoint(remote));
    }
}
