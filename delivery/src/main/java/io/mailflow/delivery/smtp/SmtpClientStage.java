package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.time.Clock;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The stream shell of one outbound SMTP connection: joined to {@code Tcp.outgoingConnection}, it
 * feeds server bytes to the {@link SmtpClientSession} decision class, writes what the session
 * asks in chunks only as the TCP stage pulls (so a 25 MB message never floods the socket's
 * buffers), drives the session's timers, and writes the session's lines to the protocol log.
 * Materialises a {@link Control}: tell it when the TCP connection is up, and await the session.
 */
final class SmtpClientStage<S extends ClientDialogue>
    extends AbstractGraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>,
    SmtpClientStage.Control<S>> {

    /** Content is written in pieces of this size, each when the socket is ready for more. */
    static final int CHUNK_SIZE = 64 * 1024;
    private static final String TIMEOUT = "timeout";

    /** The outside's handle on a running stage. */
    static final class Control<S extends ClientDialogue> {
        private final CompletableFuture<S> finished = new CompletableFuture<>();
        private AsyncCallback<Tcp.OutgoingConnection> connected;
        private AsyncCallback<Function<S, SmtpClientSession.Step>> inputs;

        /** Called when the TCP connect succeeds; safe from any thread. */
        void connected(Tcp.OutgoingConnection connection) {
            connected.invoke(connection);
        }

        /** Completes with the session once the connection is closed, whatever the reason. */
        CompletionStage<S> finished() {
            return finished;
        }

        /** Gives the session an input from outside (a proxied command); safe from any thread. */
        void perform(Function<S, SmtpClientSession.Step> input) {
            inputs.invoke(input);
        }
    }

    private final Inlet<ByteString> in = Inlet.create("SmtpClient.in");
    private final Outlet<ByteString> out = Outlet.create("SmtpClient.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

    private final S session;
    private final ProtocolLog.Session protocolLog;
    private final Clock clock;

    SmtpClientStage(S session, ProtocolLog.Session protocolLog, Clock clock) {
        this.session = session;
        this.protocolLog = protocolLog;
        this.clock = clock;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, Control<S>> createLogicAndMaterializedValuePair(Attributes attributes) {
        Control<S> control = new Control<>();
        GraphStageLogic logic = new TimerGraphStageLogic(shape) {
            private final Deque<ByteString> pending = new ArrayDeque<>();
            private boolean closeWhenWritten;

            {
                // Created here, not in preStart: invocations before the stage starts are queued.
                control.connected = createAsyncCallback(c -> apply(session.onConnected(
                    ProtocolLog.endpoint(c.localAddress()), ProtocolLog.endpoint(c.remoteAddress()))));
                control.inputs = createAsyncCallback(input -> {
                    if (!isClosed(out)) {
                        apply(input.apply(session));
                    }
                });

                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        apply(session.onReceived(grab(in).toArray()));
                        if (!isClosed(in) && !hasBeenPulled(in)) {
                            pull(in);
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        apply(session.onClosedByServer());
                        completeStage();
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        apply(session.onTransportFailed(reason(ex)));
                        completeStage();
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        flush();
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        apply(session.onTransportFailed(reason(cause)));
                        completeStage();
                    }
                });
            }

            @Override
            public void preStart() {
                pull(in);
            }

            @Override
            public void onTimer(Object key) {
                apply(session.onTick());
            }

            @Override
            public void postStop() {
                // A materializer shutdown can stop the stage without any of the handlers above.
                if (!session.isFinished()) {
                    log(session.onTransportFailed("the stream was stopped"));
                }
                control.finished.complete(session);
            }

            private void apply(SmtpClientSession.Step step) {
                log(step);
                ByteString bytes = ByteString.fromArrayUnsafe(step.send());
                for (int i = 0; i < bytes.length(); i += CHUNK_SIZE) {
                    pending.add(bytes.slice(i, Math.min(bytes.length(), i + CHUNK_SIZE)));
                }
                closeWhenWritten |= step.close();
                if (!isClosed(out)) {
                    flush();
                }
            }

            private void log(SmtpClientSession.Step step) {
                for (SmtpClientSession.LogLine line : step.log()) {
                    switch (line.event()) {
                        case CONNECT -> protocolLog.connected();
                        case DISCONNECT -> protocolLog.disconnected(line.data());
                        case SEND -> protocolLog.sent(line.data());
                        case RECEIVE -> protocolLog.received(line.data());
                        case INFORMATION -> protocolLog.info(line.data(), "");
                        default -> throw new IllegalStateException(line.event().name());
                    }
                }
            }

            private void flush() {
                if (!pending.isEmpty() && isAvailable(out)) {
                    push(out, pending.poll());
                    session.onWriteProgress();
                }
                if (pending.isEmpty()) {
                    session.onWritten();
                    if (closeWhenWritten) {
                        completeStage();
                        return;
                    }
                }
                scheduleTimeout();
            }

            private void scheduleTimeout() {
                Instant deadline = session.nextDeadline();
                if (session.isFinished() || deadline.equals(Instant.MAX)) {
                    cancelTimer(TIMEOUT);
                    return;
                }
                Duration wait = Duration.between(clock.now(), deadline);
                scheduleOnce(TIMEOUT, wait.isNegative() ? Duration.ZERO : wait.plusMillis(1));
            }
        };
        return Pair.create(logic, control);
    }

    private static String reason(Throwable ex) {
        if (ex == null) {
            return "closed";
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }
}
