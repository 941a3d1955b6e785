package io.mailflow.frontend.receive;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpFramer;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;
import io.mailflow.frontend.auth.Authenticator;
import io.mailflow.frontend.auth.LogonRequest;
import io.mailflow.frontend.auth.LogonResult;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The stream shell of one SMTP connection: a single stage that hosts the {@link SmtpFramer} and
 * the {@link SmtpSession} decision class. It pulls bytes only when the session can take another
 * frame, so a slow spool or a tarpit pushes back on the client through TCP, and a long line or
 * a bad byte becomes a reply, never a stream failure. A proxied outbound session's requests go
 * to the {@link OutboundProxy}'s leg the same way: the session waits for each reply; so do AUTH
 * credentials, checked by the {@link Authenticator}. It sits on a {@link StartTlsSwitch}: with
 * STARTTLS's 220 it asks for TLS and throws away every plaintext byte the client sent after the
 * STARTTLS line (RFC 3207 §5), buffered or still arriving.
 */
public final class SmtpConnectionStage
    extends GraphStage<FlowShape<StartTlsSwitch.Read, StartTlsSwitch.Write>> {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnectionStage.class);
    private static final String TICK = "tick";
    private static final String TARPIT = "tarpit";

    private final Inlet<StartTlsSwitch.Read> in = Inlet.create("SmtpConnection.in");
    private final Outlet<StartTlsSwitch.Write> out = Outlet.create("SmtpConnection.out");
    private final FlowShape<StartTlsSwitch.Read, StartTlsSwitch.Write> shape = FlowShape.of(in, out);

    private final Supplier<SmtpSession> sessionFactory;
    private final int maxCommandSize;
    private final MessageSink sink;
    private final ProtocolLog.Session log;
    private final java.util.function.Consumer<io.mailflow.core.logging.TransportEvent> events;
    private final Clock clock;
    private final String description;
    private final OutboundProxy outboundProxy;
    private final Authenticator authenticator;

    public SmtpConnectionStage(Supplier<SmtpSession> sessionFactory, int maxCommandSize, MessageSink sink,
                               ProtocolLog.Session log,
                               java.util.function.Consumer<io.mailflow.core.logging.TransportEvent> events, Clock clock,
                               String description, OutboundProxy outboundProxy, Authenticator authenticator) {
        this.outboundProxy = outboundProxy;
        this.authenticator = authenticator;
        this.sessionFactory = sessionFactory;
        this.maxCommandSize = maxCommandSize;
        this.sink = sink;
        this.log = log;
        this.events = events;
        this.clock = clock;
        this.description = description;
    }

    @Override
    public FlowShape<StartTlsSwitch.Read, StartTlsSwitch.Write> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new TimerGraphStageLogic(shape) {
            private final SmtpFramer framer = new SmtpFramer(maxCommandSize);
            private SmtpSession session;
            private boolean busy; // waiting for the sink or a tarpit delay
            private boolean inputClosed;
            private boolean closing;
            private boolean tlsStarting; // STARTTLS answered, handshake not done: plaintext is dropped
            private SessionOutput delayed = SessionOutput.NOTHING; // its replies wait for the tarpit
            private AsyncCallback<Object> submitted;
            private AsyncCallback<SmtpReply> proxied;
            private AsyncCallback<LogonResult> loggedOn;
            private final ProxyLink proxyLink = new ProxyLink(outboundProxy);

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        StartTlsSwitch.Read read = grab(in);
                        if (read instanceof StartTlsSwitch.Negotiated negotiated) {
                            tlsStarting = false;
                            apply(session.onTlsNegotiated(negotiated.protocol(), negotiated.cipherSuite()));
                        } else if (read instanceof StartTlsSwitch.Received received) {
                            if (tlsStarting && !received.secured()) {
                                discarded(received.bytes().size());
                            } else {
                                session.onBytesReceived();
                                framer.feed(received.bytes().toArray());
                            }
                        }
                        process();
                    }

                    @Override
                    public void onUpstreamFinish() {
                        inputClosed = true;
                        process();
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        if (tlsStarting) {
                            tlsStarting = false;
                            apply(session.onTlsFailed(String.valueOf(ex.getMessage())));
                            return;
                        }
                        LOG.info("{}: connection failed: {}", description, ex.toString());
                        log.disconnected("Remote error: " + ex.getMessage());
                        session.onDisconnected();
                        completeStage();
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        // replies are written with emit(), which waits for demand itself
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        session.onDisconnected();
                        completeStage();
                    }
                });
            }

            @Override
            public void preStart() {
                session = sessionFactory.get();
                submitted = createAsyncCallback(this::onSubmitResult);
                proxied = createAsyncCallback(this::onProxyReply);
                loggedOn = createAsyncCallback(this::onLogonResult);
                log.connected();
                apply(session.start());
                scheduleTick();
                pull(in);
            }

            @Override
            public void onTimer(Object key) {
                if (TARPIT.equals(key)) {
                    busy = false;
                    send(delayed);
                    delayed = SessionOutput.NOTHING;
                    process();
                } else if (TICK.equals(key)) {
                    apply(session.onTick());
                    if (!closing) {
                        scheduleTick();
                    }
                }
            }

            @Override
            public void postStop() {
                proxyLink.close();
                if (!closing) {
                    log.disconnected("Local");
                }
            }

            private void process() {
                while (!busy && !closing) {
                    SmtpFramer.Frame frame = framer.next();
                    if (frame == null) {
                        if (inputClosed) {
                            if (session.onDisconnected()) {
                                LOG.info("{}: client disconnected in the middle of DATA; the transaction is discarded",
                                    description);
                                log.info("Client disconnected mid-DATA; nothing was queued", "");
                            }
                            closing = true;
                            log.disconnected("Remote");
                            completeStage();
                        } else if (!hasBeenPulled(in) && !isClosed(in)) {
                            pull(in);
                        }
                        return;
                    }
                    if (frame instanceof SmtpFramer.CommandLine line) {
                        log.received(session.protocolLogText(line.text()));
                    } else if (frame instanceof SmtpFramer.DataComplete data) {
                        log.info("Received " + data.size() + " octets of message data", "");
                    }
                    apply(session.onFrame(frame));
                }
            }

            private void apply(SessionOutput output) {
                output.events().forEach(events);
                for (String note : output.notes()) {
                    log.info(note, "");
                    LOG.info("{}: {}", description, note);
                }
                output.startDataWithSizeLimit().ifPresent(framer::startData);
                if (output.submit().isPresent()) {
                    busy = true;
                    try {
                        sink.submit(output.submit().get())
                            .whenComplete((queued, error) -> submitted.invoke(error != null ? error : queued));
                    } catch (RuntimeException e) {
                        submitted.invoke(e);
                    }
                }
                output.proxy().ifPresent(this::toProxy);
                output.logon().ifPresent(this::toAuthenticator);
                if (!output.delay().isZero() && !output.replies().isEmpty()) {
                    busy = true;
                    delayed = output;
                    log.info("Tarpit for " + output.delay().toMillis() + " ms", "");
                    scheduleOnce(TARPIT, output.delay());
                    return;
                }
                send(output);
            }

            private void toProxy(ProxyRequest request) {
                CompletionStage<SmtpReply> reply = proxyLink.perform(request);
                if (reply != null) {
                    busy = true;
                    reply.whenComplete((r, error) -> proxied.invoke(r != null ? r
                        : SmtpReply.of(451, "4.4.2", "Proxy connection failed: " + error)));
                }
            }

            private void toAuthenticator(LogonRequest request) {
                busy = true;
                try {
                    authenticator.logon(request).whenComplete((result, error) -> loggedOn.invoke(result != null ? result
                        : new LogonResult.Unavailable(String.valueOf(error))));
                } catch (RuntimeException e) {
                    loggedOn.invoke(new LogonResult.Unavailable(e.toString()));
                }
            }

            private void onLogonResult(LogonResult result) {
                busy = false;
                apply(session.onLogonResult(result));
                if (!closing) {
                    process();
                }
            }

            private void onProxyReply(SmtpReply reply) {
                busy = false;
                apply(session.onProxyReply(reply));
                if (!closing) {
                    process();
                }
            }

            private void onSubmitResult(Object result) {
                busy = false;
                if (result instanceof MessageSink.Queued queued) {
                    apply(session.onQueued(queued));
                } else {
                    Throwable error = (Throwable) result;
                    LOG.warn("{}: message could not be queued: {}", description, error.toString());
                    apply(session.onSubmitFailed(String.valueOf(error.getMessage())));
                }
                if (!closing) {
                    process();
                }
            }

            private void send(SessionOutput output) {
                List<SmtpReply> replies = output.replies();
                boolean close = output.close();
                if (!replies.isEmpty()) {
                    StringBuilder all = new StringBuilder();
                    for (SmtpReply reply : replies) {
                        log.sent(reply);
                        all.append(reply.render());
                    }
                    StartTlsSwitch.Write write = new StartTlsSwitch.Write(ByteString.fromString(all.toString()),
                        output.startTls());
                    if (output.startTls()) {
                        tlsStarting = true;
                        discarded(framer.buffered());
                        framer.discardBuffered();
                    }
                    if (close) {
                        closing = true;
                        log.disconnected("Local");
                        emit(out, write, () -> completeStage());
                        return;
                    }
                    emit(out, write);
                } else if (close) {
                    closing = true;
                    log.disconnected("Local");
                    completeStage();
                }
            }

            /** Plaintext after STARTTLS is never obeyed (RFC 3207 §5); the log says how much there was. */
            private void discarded(int octets) {
                if (octets > 0) {
                    log.info("Discarded " + octets + " octets of plaintext sent after STARTTLS", "");
                }
            }

            private void scheduleTick() {
                Duration wait = Duration.between(clock.now(), session.nextDeadline());
                scheduleOnce(TICK, wait.isNegative() ? Duration.ZERO : wait.plusMillis(1));
            }
        };
    }
}
