package io.mailflow.frontend.receive;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.frontend.admission.ConnectionAdmission;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCP binding of one or more receive connectors sharing an address and port. Each accepted
 * connection is handed to the connector selected by RemoteIPRanges, passes that connector's
 * admission (connection limits, ConnectionRateThrottle, AccessMap) or is refused with its 421,
 * and then gets its own {@link SmtpConnectionStage} on a {@link StartTlsSwitch}. The organization
 * is read per connection, so a changed connector takes effect for new connections without a restart.
 */
public final class ReceiveConnectorListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveConnectorListener.class);
    private static final AtomicLong SESSION_COUNTER = new AtomicLong(System.nanoTime() & 0x0000FFFFFFFFFFFFL);

    private ReceiveConnectorListener() {
    }

    /** Binds {@code binding}; the stage completes once the socket listens (or fails to). */
    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem system, Binding binding,
                                                          ReceiveServices services) {
        Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> connections =
            Tcp.get(system).bind(binding.address(), binding.port(), 1024, List.of(), false, Optional.empty());
        return connections.to(Sink.foreach(connection -> handle(system, connection, binding, services)))
            .run(system);
    }

    private static void handle(ActorSystem system, Tcp.IncomingConnection connection, Binding binding,
                               ReceiveServices services) {
        Organization organization = services.organization().get();
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
            refuse(system, connection, SmtpReplies.SERVICE_NOT_AVAILABLE);
            return;
        }
        ReceiveConnector connector = selected.get();
        ConnectionAdmission admission = services.admissions().admission(connector);
        ConnectionAdmission.Decision decision = admission.tryAdmit(remote.getAddress(),
            hostnameFor(connector, remote.getAddress()));
        if (decision instanceof ConnectionAdmission.Refused refused) {
            LOG.info("{} refused a connection from {}: {}", connector.identity(), remote.getAddress().getHostAddress(),
                refused.reason());
            refused.event().ifPresent(services.events());
            refuse(system, connection, refused.reply());
            return;
        }
        ConnectionAdmission.Admitted admitted = (ConnectionAdmission.Admitted) decision;
        ProtocolLog.Session log = services.sessionLogs().open(connector, local, remote);
        String sessionId = log.isEnabled() ? log.sessionId()
            : String.format(Locale.ROOT, "%016X", SESSION_COUNTER.incrementAndGet());
        String clientIp = remote.getAddress().getHostAddress();
        String serverIp = local.getAddress().getHostAddress();
        String description = connector.identity() + " session " + sessionId + " from " + clientIp;
        SessionPolicies policies = new SessionPolicies(services.recipientFilter(organization),
            services.backPressure(), services.admissions().messageRate(connector), services.authenticator(),
            services.tls().isPresent());
        SmtpConnectionStage stage = new SmtpConnectionStage(
            () -> new SmtpSession(connector, organization, policies, services.clock(), sessionId, clientIp, serverIp),
            connector.maxCommandSize(), services.sinkFor(connector), log, services.events(), services.clock(), description,
            services.outboundProxy(), services.authenticator());
        Flow<ByteString, ByteString, NotUsed> handler = StartTlsSwitch.under(Flow.fromGraph(stage), services.tls());
        connection.handleWith(handler.watchTermination((mat, done) -> {
            done.whenComplete((ok, error) -> admission.release(admitted));
            return mat;
        }), system);
    }

    /**
     * The client's host name, for AccessMap entries written with names (Sendmail looks up the
     * connecting host's name the same way). Looked up only when the map has such entries.
     */
    private static Optional<String> hostnameFor(ReceiveConnector connector, InetAddress client) {
        boolean namesHosts = connector.accessMap().stream()
            .anyMatch(line -> !line.matches("(?i)\\s*Connect:\\s*(\\[?IPv6:|[0-9.]+\\s).*"));
        if (!namesHosts) {
            return Optional.empty();
        }
        String name = client.getCanonicalHostName();
        return name.equals(client.getHostAddress()) ? Optional.empty() : Optional.of(name);
    }

    private static void refuse(ActorSystem system, Tcp.IncomingConnection connection, SmtpReply reply) {
        connection.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(),
            Source.single(ByteString.fromString(reply.render()))), system);
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
    }
}
