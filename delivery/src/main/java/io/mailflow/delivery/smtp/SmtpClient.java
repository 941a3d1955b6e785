package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SmtpClient: the delivery agent's wire to the next hop, used by the Transport service's
 * delivery queues for Send connectors (and for Mailbox Transport Delivery over port 475). One
 * {@link #deliver} call is one TCP connection carrying one batch of messages; the caller sizes
 * batches by SmtpMaxMessagesPerConnection (20) and turns each {@link MessageResult} into
 * delivered / Retry / DSN. The protocol decisions are {@link SmtpClientSession}'s; this class
 * only opens the connection ({@code Tcp.outgoingConnection} with the target's connect timeout)
 * and runs the session in a {@link SmtpClientStage}.
 * Reads: Port, Fqdn, ConnectionInactivityTimeOut (through {@link SmtpTarget}).
 *
 * <pre>{@code
 * SmtpClient client = new SmtpClient(system, SystemClock.INSTANCE);
 * ProtocolLog.Session log = sendLog.openSession("EX01\\Internet", "", "mx.fabrikam.com:25");
 * client.deliver(SmtpTarget.of("mx.fabrikam.com", 25, "ex01.contoso.com"), batch, log)
 *     .thenAccept(result -> ...);   // result.results().get(i) is batch.get(i)'s, if attempted
 * }</pre>
 *
 * Not supported: STARTTLS (recorded in {@link EhloCapabilities}, never negotiated), AUTH, BDAT
 * (CHUNKING), DSN parameters on MAIL/RCPT, pipelining across messages (each message waits for
 * the previous one's final reply). 8-bit and SMTPUTF8 content is downgraded for a next hop that
 * lacks the extension ({@link NextHopConversion}).
 */
public final class SmtpClient {
    private final ClassicActorSystemProvider system;
    private final Clock clock;

    public SmtpClient(ClassicActorSystemProvider system, Clock clock) {
        this.system = Objects.requireNonNull(system);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Delivers {@code messages} over one connection without a protocol log. */
    public CompletionStage<DeliveryBatchResult> deliver(SmtpTarget target, List<OutboundMessage> messages) {
        return deliver(target, messages, ProtocolLog.Session.DISABLED);
    }

    /**
     * Delivers {@code messages} over one connection, logging every line exchanged to
     * {@code protocolLog} (the SmtpSend log; {@link ProtocolLog.Session#DISABLED} for none).
     * The stage never fails: connection problems come back as {@link DeliveryBatchResult#failure()}.
     */
    public CompletionStage<DeliveryBatchResult> deliver(SmtpTarget target, List<OutboundMessage> messages,
                                                        ProtocolLog.Session protocolLog) {
        SmtpClientSession session = new SmtpClientSession(target, messages, clock);
        return run(target, session, protocolLog).finished().thenApply(SmtpClientSession::result);
    }

    /**
     * Opens Front End Transport's onward connection of a proxied session (the Outbound Proxy
     * Frontend connector's leg to the destination): greeting and EHLO now, then each command the
     * proxy relays, one at a time. Failures come back as replies, never as failed stages.
     */
    public ProxyConnection openProxy(SmtpTarget target, ProtocolLog.Session protocolLog) {
        ProxyConnection.Answers answers = new ProxyConnection.Answers();
        // Owed before the connection starts: a fast server must not answer before anyone waits.
        CompletionStage<SmtpReply> ready = answers.expect();
        ProxyClientSession session = new ProxyClientSession(target, clock, answers::answer);
        return new ProxyConnection(run(target, session, protocolLog), answers, ready);
    }

    private <S extends ClientDialogue> SmtpClientStage.Control<S> run(SmtpTarget target, S session,
                                                                       ProtocolLog.Session protocolLog) {
        // Unresolved: Pekko's own DNS resolves the host without blocking the caller.
        InetSocketAddress remote = InetSocketAddress.createUnresolved(target.host(), target.port());
        Flow<ByteString, ByteString, CompletionStage<Tcp.OutgoingConnection>> connection =
            Tcp.get(system).outgoingConnection(remote, Optional.empty(), List.of(), false,
                Optional.of(target.connectTimeout()), Optional.empty());
        Pair<CompletionStage<Tcp.OutgoingConnection>, SmtpClientStage.Control<S>> running = connection
            .joinMat(Flow.fromGraph(new SmtpClientStage<>(session, protocolLog, clock)), Keep.both())
            .run(system);
        SmtpClientStage.Control<S> control = running.second();
        // A failed connect also fails the stream, which the stage reports; only success matters here.
        running.first().thenAccept(control::connected);
        return control;
    }
}
