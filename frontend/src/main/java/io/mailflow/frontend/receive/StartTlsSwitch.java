package io.mailflow.frontend.receive;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * StartTlsSwitch: the transport under {@link SmtpConnectionStage}, plaintext until the session's
 * STARTTLS reply has been written, Pekko's own TLS stage ({@link TLS#create}) after it (RFC 3207).
 * Pekko Streams cannot upgrade a connection, so this stage does the switch: the write that
 * carries the 220 also says "then start TLS"; the 220 goes out in plaintext, and from then on
 * every byte in either direction goes through the TLS stage, which this stage runs as a
 * sub-stream created at that moment (a plain session costs no engine, and a server-mode engine
 * writes nothing before the client's hello). Bytes the client sent after STARTTLS that were
 * already handed up are marked as plaintext, so the session drops them instead of obeying them
 * (the CVE-2011-0411 command injection); bytes read later go to the TLS engine, where they can
 * only break the handshake. The session hears {@link Negotiated} once the handshake is done, and
 * a failed handshake fails the read side, so the session can say why before it closes.
 * <p>
 * Ports: on top the session's {@link Write}s in and its {@link Read}s out; at the bottom the
 * connection's bytes. {@code TLSClosing.eagerClose()}: when the session completes (after 221)
 * the engine sends close_notify; a client that then neither answers nor hangs up is cut off
 * after {@link #CLOSE_NOTIFY_WAIT}.
 */
public final class StartTlsSwitch
    extends GraphStage<BidiShape<StartTlsSwitch.Write, ByteString, ByteString, StartTlsSwitch.Read>> {

    /** How long a TLS connection lingers after the session ended or the engine stopped reading. */
    static final Duration CLOSE_NOTIFY_WAIT = Duration.ofSeconds(5);
    private static final String LINGER = "linger";

    /** From the session to the client; {@code thenStartTls} on the write of STARTTLS's 220. */
    public record Write(ByteString bytes, boolean thenStartTls) {
    }

    /** From the client to the session. */
    public sealed interface Read permits Received, Negotiated {
    }

    /** Bytes from the client; {@code secured}: they came through TLS. */
    public record Received(ByteString bytes, boolean secured) implements Read {
    }

    /** The TLS handshake completed; always before the first secured bytes. */
    public record Negotiated(String protocol, String cipherSuite) implements Read {
    }

    private final Inlet<Write> fromSession = Inlet.create("StartTlsSwitch.fromSession");
    private final Outlet<ByteString> toNetwork = Outlet.create("StartTlsSwitch.toNetwork");
    private final Inlet<ByteString> fromNetwork = Inlet.create("StartTlsSwitch.fromNetwork");
    private final Outlet<Read> toSession = Outlet.create("StartTlsSwitch.toSession");
    private final BidiShape<Write, ByteString, ByteString, Read> shape =
        BidiShape.of(fromSession, toNetwork, fromNetwork, toSession);

    private final Optional<Supplier<SSLEngine>> engines;

    /** @param engines server-mode engines for STARTTLS; empty when the server has no certificate */
    public StartTlsSwitch(Optional<Supplier<SSLEngine>> engines) {
        this.engines = engines;
    }

    /** The connection's handler: this switch under {@code session}. */
    public static Flow<ByteString, ByteString, NotUsed> under(Flow<Read, Write, NotUsed> session,
                                                               Optional<Supplier<SSLEngine>> engines) {
        return BidiFlow.fromGraph(new StartTlsSwitch(engines)).reversed().join(session);
    }

    @Override
    public BidiShape<Write, ByteString, ByteString, Read> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new TimerGraphStageLogic(shape) {
            private boolean tls;
            // The TLS sub-stream's four ends, created at the switch.
            private SubSourceOutlet<ByteString> toEngine;
            private SubSinkInlet<ByteString> fromEngine;
            private SubSourceOutlet<TLSProtocol.SslTlsOutbound> toEngineUser;
            private SubSinkInlet<TLSProtocol.SslTlsInbound> fromEngineUser;
            private ByteString heldForEngine; // read from the network before the engine asked
            private boolean networkFinished;
            private boolean finishing;
            private boolean negotiated;
            private AsyncCallback<SSLSession> verified;

            {
                setHandler(fromSession, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        Write write = grab(fromSession);
                        if (tls) {
                            // Pulled only when the engine asked; if it has failed since, the write is moot.
                            if (toEngineUser.isAvailable()) {
                                toEngineUser.push(new TLSProtocol.SendBytes(write.bytes()));
                            }
                        } else if (write.thenStartTls()) {
                            // The 220 goes out first: the engine's bytes are emitted after it.
                            emit(toNetwork, write.bytes());
                            startTls();
                        } else {
                            emit(toNetwork, write.bytes(), () -> pullIfOpen(fromSession));
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        if (!tls) {
                            finish();
                        } else {
                            toEngineUser.complete();
                            scheduleOnce(LINGER, CLOSE_NOTIFY_WAIT);
                        }
                    }
                });
                setHandler(toSession, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!tls) {
                            pullIfOpen(fromNetwork);
                        } else if (!fromEngineUser.hasBeenPulled() && !fromEngineUser.isClosed()) {
                            fromEngineUser.pull();
                        }
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        // The session stopped reading; it may not have handed over its last reply yet
                        // (this can overtake it), so the connection ends when its write side does.
                        // Until then what the client sends is read and dropped: closing a socket with
                        // unread input resets it, and the client would lose that last reply.
                        if (!tls) {
                            pullIfOpen(fromNetwork);
                        } else if (!fromEngineUser.hasBeenPulled() && !fromEngineUser.isClosed()) {
                            // Drained, not cancelled: cancelling makes the engine close at once.
                            fromEngineUser.pull();
                        }
                    }
                });
                setHandler(fromNetwork, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(fromNetwork);
                        if (!tls && isClosed(toSession)) {
                            pull(fromNetwork); // the session is gone: drained until the connection closes
                        } else if (!tls) {
                            push(toSession, new Received(bytes, false));
                        } else if (toEngine.isAvailable()) {
                            toEngine.push(bytes);
                        } else if (!toEngine.isClosed()) {
                            heldForEngine = bytes;
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        networkFinished = true;
                        if (!tls) {
                            complete(toSession);
                        } else if (heldForEngine == null && !toEngine.isClosed()) {
                            toEngine.complete();
                        }
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        if (!tls) {
                            fail(toSession, ex);
                        } else {
                            toEngine.fail(ex);
                        }
                    }
                });
                setHandler(toNetwork, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        // writes are emitted, which waits for demand itself
                    }
                });
            }

            @Override
            public void preStart() {
                verified = createAsyncCallback(this::onNegotiated);
                pull(fromSession);
            }

            /**
             * Completes the write side once everything queued for it is written; the connection then
             * closes and its read side ending stops the stage. Cancelling the read side instead
             * would close the socket before the last reply (221, 421) is written.
             */
            private void finish() {
                if (!finishing) {
                    finishing = true;
                    complete(toNetwork);
                }
            }

            @Override
            public void onTimer(Object key) {
                completeStage(); // lingered long enough: cut off, written or not
            }

            @Override
            public void postStop() {
                // Sub-ports are not closed with the stage; the engine would wait on them forever.
                if (tls) {
                    if (!fromEngine.isClosed()) {
                        fromEngine.cancel();
                    }
                    if (!fromEngineUser.isClosed()) {
                        fromEngineUser.cancel();
                    }
                    if (!toEngine.isClosed()) {
                        toEngine.complete();
                    }
                    if (!toEngineUser.isClosed()) {
                        toEngineUser.complete();
                    }
                }
            }

            private void startTls() {
                Supplier<SSLEngine> engine = engines.orElseThrow(() ->
                    new IllegalStateException("STARTTLS accepted without a certificate"));
                tls = true;
                toEngine = new SubSourceOutlet<>("StartTlsSwitch.toEngine");
                fromEngine = new SubSinkInlet<>("StartTlsSwitch.fromEngine");
                toEngineUser = new SubSourceOutlet<>("StartTlsSwitch.toEngineUser");
                fromEngineUser = new SubSinkInlet<>("StartTlsSwitch.fromEngineUser");
                toEngine.setHandler(new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (heldForEngine != null) {
                            toEngine.push(heldForEngine);
                            heldForEngine = null;
                            if (networkFinished) {
                                toEngine.complete();
                            }
                        } else {
                            pullIfOpen(fromNetwork);
                        }
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        // The engine stopped reading (it failed or closed): its last bytes are on the way.
                        scheduleOnce(LINGER, CLOSE_NOTIFY_WAIT);
                    }
                });
                fromEngine.setHandler(new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        emit(toNetwork, fromEngine.grab(), () -> {
                            if (!fromEngine.isClosed()) {
                                fromEngine.pull();
                            }
                        });
                    }

                    @Override
                    public void onUpstreamFinish() {
                        finish();
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        finish();
                    }
                });
                toEngineUser.setHandler(new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pullIfOpen(fromSession);
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        // The engine failed; the session hears why on its read side.
                    }
                });
                fromEngineUser.setHandler(new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        TLSProtocol.SslTlsInbound in = fromEngineUser.grab();
                        if (!isClosed(toSession) && in instanceof TLSProtocol.SessionBytes bytes) {
                            onNegotiated(bytes.session());
                            emit(toSession, new Received(bytes.bytes(), true));
                        } else {
                            // The session is gone (drain until the engine closes), or SessionTruncated.
                            fromEngineUser.pull();
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        complete(toSession);
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        fail(toSession, ex);
                    }
                });
                Flow<ByteString, ByteString, NotUsed> network =
                    Flow.fromSinkAndSource(fromEngine.sink(), toEngine.source());
                Source.fromGraph(toEngineUser.source())
                    .via(TLS.create(engine, verified::invoke, TLSClosing.eagerClose()).join(network))
                    .runWith(fromEngineUser.sink(), subFusingMaterializer());
                fromEngine.pull();
                if (isAvailable(toSession)) {
                    fromEngineUser.pull();
                }
            }

            /** From the engine's verifier or its first bytes, whichever comes first. */
            private void onNegotiated(SSLSession session) {
                if (!negotiated && !isClosed(toSession)) {
                    negotiated = true;
                    emit(toSession, new Negotiated(session.getProtocol(), session.getCipherSuite()));
                }
            }

            private void pullIfOpen(Inlet<?> inlet) {
                if (!hasBeenPulled(inlet) && !isClosed(inlet)) {
                    pull(inlet);
                }
            }
        };
    }
}
