package io.mailflow.frontend.receive;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.time.Clock;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The TCP binding of one or more receive connectors sharing an address and port. Each accepted
 * connection is handed to the connector selected by RemoteIPRanges and gets its own
 * {@link SmtpConnectionStage}. The organization is read per connection, so a changed connector
 * takes effect for new connections without a restart.
 */
public final class ReceiveConnectorListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveConnectorListener.class);
    private static final AtomicLong SESSION_COUNTER = new AtomicLong(System.nanoTime() & 0x0000FFFFFFFFFFFFL);

    private ReceiveConnectorListener() {
    }

    /** Binds {@code binding}; the stage completes once the socket listens (or fails to). */
    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem system, Binding binding,
                                                          Supplier<Organization> organization, MessageSink sink,
                                                          SessionLogFactory logs, Clock clock) {
        Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> connections =
            Tcp.get(system).bind(binding.address(), binding.port(), 1024, List.of(), false,
                java.util.Optional.empty());
        return connections.to(Sink.foreach(connection -> handle(system, connection, binding, organization, sink,
            logs, clock))).run(system);
    }

    private static void handle(ActorSystem system, Tcp.IncomingConnection connection, Binding binding,
                               Supplier<Organization> organizationSupplier, MessageSink sink, SessionLogFactory logs,
                               Clock clock) {
        Organization organization = organizationSupplier.get();
        InetSocketAddress remote = connection.remoteAddress();
        InetSocketAddress local = connection.localAddress();
        List<ReceiveConnector> sharing = organization.receiveConnectors().stream()
            .filter(c -> c.bindings().stream().anyMatch(b -> b.port() == binding.port()
                && (b.address().equals(binding.address()) || isWildcard(b.address()))))
            .toList();
        var selected = ReceiveConnectorSelector.select(sharing, remote.getAddress());
        if (selected.isEmpty()) {
            LOG.info("connection from {} to {} matches no enabled receive connector's RemoteIPRanges; refused",
                remote, binding);
            connection.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(),
                Source.single(ByteString.fromString(SmtpReplies.SERVICE_NOT_AVAILABLE.render()))), system);
            return;
        }
        ReceiveConnector connector = selected.get();
        ProtocolLog.Session log = logs.open(connector, local, remote);
        String sessionId = log.isEnabled() ? log.sessionId()
            : String.format(Locale.ROOT, "%016X", SESSION_COUNTER.incrementAndGet());
        String clientIp = remote.getAddress().getHostAddress();
        String serverIp = local.getAddress().getHostAddress();
        String description = connector.identity() + " session " + sessionId + " from " + clientIp;
        SmtpConnectionStage stage = new SmtpConnectionStage(
            () -> new SmtpSession(connector, organization, SessionPolicies.defaults(organization, clock), clock, sessionId,
                clientIp, serverIp),
            connector.maxCommandSize(), sink, log, clock, description);
        connection.handleWith(Flow.fromGraph(stage), system);
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
    }
}
