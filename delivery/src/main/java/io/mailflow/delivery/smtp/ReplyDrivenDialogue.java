package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.time.Instant;
import java.util.Objects;

/**
 * What both client dialogues ({@link SmtpClientSession}, {@link ProxyClientSession}) do alike:
 * read the server's bytes into replies and hand each to {@link #onReply}, keep the time of the
 * last activity for their timers, note the connection, and collect each input's output in a
 * {@link StepBuffer}. The dialogue itself, its timeouts and its failures are theirs.
 */
abstract class ReplyDrivenDialogue implements ClientDialogue {
    final Clock clock;
    final StepBuffer out = new StepBuffer();
    private final SmtpReplyReader reader = new SmtpReplyReader();

    String remoteEndpoint;
    boolean connected;
    boolean finished;
    boolean writingBody;
    Instant lastActivity;

    ReplyDrivenDialogue(Clock clock, String remoteEndpoint) {
        this.clock = Objects.requireNonNull(clock);
        this.remoteEndpoint = remoteEndpoint;
        this.lastActivity = clock.now();
    }

    /** One complete reply from the server, already logged. */
    abstract void onReply(SmtpReply reply);

    /** The server sent something that is not an SMTP reply; the dialogue fails. */
    abstract void onMalformedReply(String why);

    /** Bytes from the server. */
    @Override
    public final SmtpClientSession.Step onReceived(byte[] bytes) {
        out.begin();
        if (finished) {
            return out.end();
        }
        if (!connected) {
            // The greeting can overtake the shell's "connected" notice.
            markConnected();
        }
        lastActivity = clock.now();
        reader.feed(bytes);
        while (!finished) {
            SmtpReply reply;
            try {
                reply = reader.next();
            } catch (SmtpReplyReader.MalformedReply e) {
                onMalformedReply(e.getMessage());
                break;
            }
            if (reply == null) {
                break;
            }
            out.log(ProtocolLog.Event.RECEIVE, reply.toLogString());
            onReply(reply);
        }
        return out.end();
    }

    /** The shell wrote part of the message content (the data-block timer restarts). */
    @Override
    public final void onWriteProgress() {
        lastActivity = clock.now();
    }

    /** The shell has written everything asked so far; the wait for the final reply starts now. */
    @Override
    public final void onWritten() {
        if (writingBody) {
            writingBody = false;
            lastActivity = clock.now();
        }
    }

    @Override
    public final boolean isFinished() {
        return finished;
    }

    final void markConnected() {
        connected = true;
        lastActivity = clock.now();
        out.log(ProtocolLog.Event.CONNECT, "");
    }
}
