package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * ProxyClientSession: Front End Transport's side of a proxied session's onward leg, from the
 * Outbound Proxy Frontend connector (717) to the destination, as a plain decision class. It
 * speaks the greeting and EHLO (HELO after a 5xx, RFC 5321 §3.2) itself, then sends exactly the
 * commands the proxy relays, one at a time, and answers each with the destination's reply, in
 * order, to the {@code answers} consumer: the first answer says whether the leg is ready (the
 * EHLO reply), each later one is the reply to one {@link #relay} or {@link #relayContent}. Nothing
 * is queued: when the leg fails, the request waiting and every later one are answered with a
 * {@code 4xx} that stands for the failure.
 * Reads: Fqdn (the HELO name), ConnectionInactivityTimeOut (through {@link SmtpClientTimeouts}).
 */
public final class ProxyClientSession implements ClientDialogue {

    /** What the leg waits for. */
    private enum Await { GREETING, EHLO, HELO, IDLE, REPLY, END_OF_DATA, QUIT }

    private final SmtpTarget target;
    private final Clock clock;
    private final Consumer<SmtpReply> answers;
    private final SmtpClientTimeouts timeouts;
    private final SmtpReplyReader reader = new SmtpReplyReader();

    private Await awaiting = Await.GREETING;
    private String remoteEndpoint;
    private boolean connected;
    private boolean finished;
    private boolean writingBody;
    private boolean dataStarted; // the destination said 354 and waits for content
    private SmtpReply failure;
    private Instant lastActivity;

    private ByteArrayOutputStream send;
    private List<SmtpClientSession.LogLine> log;
    private boolean close;

    public ProxyClientSession(SmtpTarget target, Clock clock, Consumer<SmtpReply> answers) {
        this.target = Objects.requireNonNull(target);
        this.clock = Objects.requireNonNull(clock);
        this.answers = Objects.requireNonNull(answers);
        this.timeouts = SmtpClientTimeouts.scaledTo(target.inactivityTimeout());
        this.remoteEndpoint = target.endpoint();
        this.lastActivity = clock.now();
    }

    // ---- requests from the proxy -----------------------------------------------------------

    /** Relays one command line (MAIL, RCPT, DATA, RSET); its reply is the next answer. */
    public SmtpClientSession.Step relay(String line) {
        begin();
        if (failure != null) {
            answers.accept(failure);
        } else {
            requireIdle(line);
            sendLine(line);
            awaiting = Await.REPLY;
            lastActivity = clock.now();
        }
        return end();
    }

    /** Relays the message after the destination's 354; the reply to the final dot is the next answer. */
    public SmtpClientSession.Step relayContent(byte[] content) {
        begin();
        if (failure != null) {
            answers.accept(failure);
        } else {
            requireIdle("message content");
            dataStarted = false;
            note("Relaying " + content.length + " octets of message data");
            send.writeBytes(DotStuffing.encode(content));
            writingBody = true;
            awaiting = Await.END_OF_DATA;
            lastActivity = clock.now();
        }
        return end();
    }

    /** The proxied session ended: QUIT, and no answer. */
    public SmtpClientSession.Step quit() {
        begin();
        if (!finished) {
            // After a 354 a QUIT would be message text: only dropping the connection ends the transaction.
            if (connected && failure == null && awaiting == Await.IDLE && !dataStarted) {
                sendLine("QUIT");
                awaiting = Await.QUIT;
                lastActivity = clock.now();
            } else {
                finish("Local");
            }
        }
        return end();
    }

    // ---- the connection --------------------------------------------------------------------

    @Override
    public SmtpClientSession.Step onConnected(String localEndpoint, String remoteEndpoint) {
        begin();
        this.remoteEndpoint = remoteEndpoint;
        if (!connected && !finished) {
            markConnected();
            note("Proxy connection to " + remoteEndpoint + " from " + localEndpoint);
        }
        return end();
    }

    @Override
    public SmtpClientSession.Step onReceived(byte[] bytes) {
        begin();
        if (finished) {
            return end();
        }
        if (!connected) {
            markConnected();
        }
        lastActivity = clock.now();
        reader.feed(bytes);
        while (!finished) {
            SmtpReply reply;
            try {
                reply = reader.next();
            } catch (SmtpReplyReader.MalformedReply e) {
                fail(SmtpReply.of(451, "4.5.0", "Protocol error: " + e.getMessage()), "Local");
                break;
            }
            if (reply == null) {
                break;
            }
            log.add(new SmtpClientSession.LogLine(ProtocolLog.Event.RECEIVE, reply.toLogString()));
            onReply(reply);
        }
        return end();
    }

    @Override
    public void onWriteProgress() {
        lastActivity = clock.now();
    }

    @Override
    public void onWritten() {
        if (writingBody) {
            writingBody = false;
            lastActivity = clock.now();
        }
    }

    @Override
    public SmtpClientSession.Step onTick() {
        begin();
        if (!finished && connected && !clock.now().isBefore(nextDeadline())) {
            if (awaiting == Await.QUIT) {
                finish("Local");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Timed out waiting for the remote server to reply to the proxy"),
                    "Local");
            }
        }
        return end();
    }

    @Override
    public SmtpClientSession.Step onClosedByServer() {
        begin();
        if (!finished) {
            if (awaiting == Await.QUIT) {
                finish("Remote");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Connection closed by the remote server"), "Remote");
            }
        }
        return end();
    }

    @Override
    public SmtpClientSession.Step onTransportFailed(String reason) {
        begin();
        if (!finished) {
            if (!connected) {
                fail(SmtpReply.of(451, "4.4.1", "Failed to connect to " + remoteEndpoint + ": " + reason), null);
            } else if (awaiting == Await.QUIT) {
                finish("Remote");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Connection to the remote server broken: " + reason), "Remote");
            }
        }
        return end();
    }

    /** Idle between relayed commands, the leg waits as long as the proxied session may. */
    @Override
    public Instant nextDeadline() {
        if (finished || !connected || awaiting == Await.IDLE) {
            return Instant.MAX;
        }
        return lastActivity.plus(currentTimeout());
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    /** The reply that stands for a failed leg, or null while it works. */
    public SmtpReply failure() {
        return failure;
    }

    // ---- the dialogue ----------------------------------------------------------------------

    private void onReply(SmtpReply reply) {
        switch (awaiting) {
            case GREETING -> {
                if (reply.code() == 220) {
                    sendLine("EHLO " + target.heloName());
                    awaiting = Await.EHLO;
                } else {
                    refused(reply, "the remote server refused the session: ");
                }
            }
            case EHLO -> {
                if (reply.isPositive()) {
                    ready(reply);
                } else if (reply.isPermanentFailure()) {
                    sendLine("HELO " + target.heloName());
                    awaiting = Await.HELO;
                } else {
                    refused(reply, "EHLO refused: ");
                }
            }
            case HELO -> {
                if (reply.isPositive()) {
                    ready(reply);
                } else {
                    refused(reply, "EHLO and HELO refused: ");
                }
            }
            case REPLY, END_OF_DATA -> {
                dataStarted = awaiting == Await.REPLY && reply.code() == 354;
                awaiting = Await.IDLE;
                answers.accept(reply);
                if (reply.code() == 421) {
                    // RFC 5321 §3.8: the server is closing; later requests get this reply too.
                    fail(reply, "Remote");
                }
            }
            case QUIT -> finish("Local");
            case IDLE -> {
                if (reply.code() == 421) {
                    fail(reply, "Remote");
                } else {
                    note("Ignored an unsolicited reply");
                }
            }
            default -> throw new IllegalStateException(awaiting.name());
        }
    }

    private void ready(SmtpReply reply) {
        awaiting = Await.IDLE;
        note("Proxy connection ready");
        answers.accept(reply);
    }

    /** The destination would not talk: the leg is not ready; QUIT politely (RFC 5321 §3.1). */
    private void refused(SmtpReply reply, String why) {
        note(why + reply.toLogString());
        failure = reply.isPositive() ? SmtpReply.of(451, "4.4.0", reply.toLogString()) : reply;
        answers.accept(failure);
        sendLine("QUIT");
        awaiting = Await.QUIT;
    }

    /**
     * The leg is gone: the request waiting, if any, gets {@code reply}; so does every later one.
     *
     * @param disconnectedBy "Local" or "Remote" for the protocol log, null if never connected
     */
    private void fail(SmtpReply reply, String disconnectedBy) {
        note(reply.toLogString());
        boolean waiting = awaiting != Await.IDLE && awaiting != Await.QUIT;
        failure = reply;
        if (waiting) {
            answers.accept(reply);
        }
        if (disconnectedBy == null) {
            finished = true;
            close = true;
        } else {
            finish(disconnectedBy);
        }
    }

    private void finish(String disconnectedBy) {
        if (failure == null) {
            failure = SmtpReply.of(451, "4.4.2", "Proxy connection closed");
        }
        finished = true;
        close = true;
        awaiting = Await.IDLE;
        if (connected) {
            log.add(new SmtpClientSession.LogLine(ProtocolLog.Event.DISCONNECT, disconnectedBy));
        }
    }

    private void requireIdle(String what) {
        if (awaiting != Await.IDLE || finished) {
            throw new IllegalStateException("cannot relay " + what + " while awaiting " + awaiting);
        }
    }

    private void markConnected() {
        connected = true;
        lastActivity = clock.now();
        log.add(new SmtpClientSession.LogLine(ProtocolLog.Event.CONNECT, ""));
    }

    private Duration currentTimeout() {
        if (writingBody) {
            return timeouts.dataBlock();
        }
        return switch (awaiting) {
            case GREETING -> timeouts.greeting();
            case END_OF_DATA -> timeouts.dataTermination();
            default -> timeouts.command();
        };
    }

    // ---- step building ---------------------------------------------------------------------

    private void begin() {
        send = new ByteArrayOutputStream();
        log = new ArrayList<>();
        close = false;
    }

    private SmtpClientSession.Step end() {
        byte[] bytes = send.toByteArray();
        SmtpClientSession.Step step = bytes.length == 0 && log.isEmpty() && !close
            ? SmtpClientSession.Step.NOTHING : new SmtpClientSession.Step(bytes, log, close);
        send = null;
        log = null;
        return step;
    }

    private void sendLine(String line) {
        log.add(new SmtpClientSession.LogLine(ProtocolLog.Event.SEND, line));
        send.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void note(String text) {
        log.add(new SmtpClientSession.LogLine(ProtocolLog.Event.INFORMATION, text));
    }
}
