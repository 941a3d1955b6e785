package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.time.Duration;
import java.time.Instant;
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
public final class ProxyClientSession extends ReplyDrivenDialogue {

    /** What the leg waits for. */
    private enum Await { GREETING, EHLO, HELO, IDLE, REPLY, END_OF_DATA, QUIT }

    private final SmtpTarget target;
    private final Consumer<SmtpReply> answers;
    private final SmtpClientTimeouts timeouts;

    private Await awaiting = Await.GREETING;
    private boolean dataStarted; // the destination said 354 and waits for content
    private SmtpReply failure;


    public ProxyClientSession(SmtpTarget target, Clock clock, Consumer<SmtpReply> answers) {
        super(clock, target.endpoint());
        this.target = Objects.requireNonNull(target);
        this.answers = Objects.requireNonNull(answers);
        this.timeouts = SmtpClientTimeouts.scaledTo(target.inactivityTimeout());
    }

    // ---- requests from the proxy -----------------------------------------------------------

    /** Relays one command line (MAIL, RCPT, DATA, RSET); its reply is the next answer. */
    public SmtpClientSession.Step relay(String line) {
        out.begin();
        if (failure != null) {
            answers.accept(failure);
        } else {
            requireIdle(line);
            out.sendLine(line);
            awaiting = Await.REPLY;
            lastActivity = clock.now();
        }
        return out.end();
    }

    /** Relays the message after the destination's 354; the reply to the final dot is the next answer. */
    public SmtpClientSession.Step relayContent(byte[] content) {
        out.begin();
        if (failure != null) {
            answers.accept(failure);
        } else {
            requireIdle("message content");
            dataStarted = false;
            out.note("Relaying " + content.length + " octets of message data");
            out.write(DotStuffing.encode(content));
            writingBody = true;
            awaiting = Await.END_OF_DATA;
            lastActivity = clock.now();
        }
        return out.end();
    }

    /** The proxied session ended: QUIT, and no answer. */
    public SmtpClientSession.Step quit() {
        out.begin();
        if (!finished) {
            // After a 354 a QUIT would be message text: only dropping the connection ends the transaction.
            if (connected && failure == null && awaiting == Await.IDLE && !dataStarted) {
                out.sendLine("QUIT");
                awaiting = Await.QUIT;
                lastActivity = clock.now();
            } else {
                finish("Local");
            }
        }
        return out.end();
    }

    // ---- the connection --------------------------------------------------------------------

    @Override
    public SmtpClientSession.Step onConnected(String localEndpoint, String remoteEndpoint) {
        out.begin();
        this.remoteEndpoint = remoteEndpoint;
        if (!connected && !finished) {
            markConnected();
            out.note("Proxy connection to " + remoteEndpoint + " from " + localEndpoint);
        }
        return out.end();
    }

    @Override
    public SmtpClientSession.Step onTick() {
        out.begin();
        if (!finished && connected && !clock.now().isBefore(nextDeadline())) {
            if (awaiting == Await.QUIT) {
                finish("Local");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Timed out waiting for the remote server to reply to the proxy"),
                    "Local");
            }
        }
        return out.end();
    }

    @Override
    public SmtpClientSession.Step onClosedByServer() {
        out.begin();
        if (!finished) {
            if (awaiting == Await.QUIT) {
                finish("Remote");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Connection closed by the remote server"), "Remote");
            }
        }
        return out.end();
    }

    @Override
    public SmtpClientSession.Step onTransportFailed(String reason) {
        out.begin();
        if (!finished) {
            if (!connected) {
                fail(SmtpReply.of(451, "4.4.1", "Failed to connect to " + remoteEndpoint + ": " + reason), null);
            } else if (awaiting == Await.QUIT) {
                finish("Remote");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Connection to the remote server broken: " + reason), "Remote");
            }
        }
        return out.end();
    }

    /** Idle between relayed commands, the leg waits as long as the proxied session may. */
    @Override
    public Instant nextDeadline() {
        if (finished || !connected || awaiting == Await.IDLE) {
            return Instant.MAX;
        }
        return lastActivity.plus(currentTimeout());
    }

    /** The reply that stands for a failed leg, or null while it works. */
    public SmtpReply failure() {
        return failure;
    }

    // ---- the dialogue ----------------------------------------------------------------------

    @Override
    void onMalformedReply(String why) {
        fail(SmtpReply.of(451, "4.5.0", "Protocol error: " + why), "Local");
    }

    @Override
    void onReply(SmtpReply reply) {
        switch (awaiting) {
            case GREETING -> {
                if (reply.code() == 220) {
                    out.sendLine("EHLO " + target.heloName());
                    awaiting = Await.EHLO;
                } else {
                    refused(reply, "the remote server refused the session: ");
                }
            }
            case EHLO -> {
                if (reply.isPositive()) {
                    ready(reply);
                } else if (reply.isPermanentFailure()) {
                    out.sendLine("HELO " + target.heloName());
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
                    out.note("Ignored an unsolicited reply");
                }
            }
            default -> throw new IllegalStateException(awaiting.name());
        }
    }

    private void ready(SmtpReply reply) {
        awaiting = Await.IDLE;
        out.note("Proxy connection ready");
        answers.accept(reply);
    }

    /** The destination would not talk: the leg is not ready; QUIT politely (RFC 5321 §3.1). */
    private void refused(SmtpReply reply, String why) {
        out.note(why + reply.toLogString());
        failure = reply.isPositive() ? SmtpReply.of(451, "4.4.0", reply.toLogString()) : reply;
        answers.accept(failure);
        out.sendLine("QUIT");
        awaiting = Await.QUIT;
    }

    /**
     * The leg is gone: the request waiting, if any, gets {@code reply}; so does every later one.
     *
     * @param disconnectedBy "Local" or "Remote" for the protocol log, null if never connected
     */
    private void fail(SmtpReply reply, String disconnectedBy) {
        out.note(reply.toLogString());
        boolean waiting = awaiting != Await.IDLE && awaiting != Await.QUIT;
        failure = reply;
        if (waiting) {
            answers.accept(reply);
        }
        if (disconnectedBy == null) {
            finished = true;
            out.close();
        } else {
            finish(disconnectedBy);
        }
    }

    private void finish(String disconnectedBy) {
        if (failure == null) {
            failure = SmtpReply.of(451, "4.4.2", "Proxy connection closed");
        }
        finished = true;
        out.close();
        awaiting = Await.IDLE;
        if (connected) {
            out.log(ProtocolLog.Event.DISCONNECT, disconnectedBy);
        }
    }

    private void requireIdle(String what) {
        if (awaiting != Await.IDLE || finished) {
            throw new IllegalStateException("cannot relay " + what + " while awaiting " + awaiting);
        }
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




}
