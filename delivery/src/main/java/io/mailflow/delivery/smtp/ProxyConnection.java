package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The handle on one running {@link ProxyClientSession}, for Front End Transport's proxy: each
 * request returns the destination's reply to it. Requests are answered in the order they were
 * made (the session answers in order), and a leg that has ended answers at once with the reply
 * that stands for its failure, so a proxied session never waits on a dead connection.
 */
public final class ProxyConnection {
    private static final SmtpReply CLOSED = SmtpReply.of(451, "4.4.2", "Proxy connection closed");

    private final SmtpClientStage.Control<ProxyClientSession> control;
    private final Answers answers;
    private final CompletionStage<SmtpReply> ready;

    ProxyConnection(SmtpClientStage.Control<ProxyClientSession> control, Answers answers,
                    CompletionStage<SmtpReply> ready) {
        this.control = control;
        this.answers = answers;
        this.ready = ready;
        control.finished().thenAccept(session ->
            answers.close(session.failure() != null ? session.failure() : CLOSED));
    }

    /** The destination's EHLO (or HELO) reply once the leg is ready, or the 4xx/5xx that says why not. */
    public CompletionStage<SmtpReply> ready() {
        return ready;
    }

    /** Relays one command line; completes with the destination's reply. */
    public CompletionStage<SmtpReply> relay(String line) {
        CompletionStage<SmtpReply> reply = answers.expect();
        control.perform(session -> session.relay(line));
        return reply;
    }

    /** Relays the message after a 354; completes with the destination's reply to the final dot. */
    public CompletionStage<SmtpReply> relayContent(byte[] content) {
        CompletionStage<SmtpReply> reply = answers.expect();
        control.perform(session -> session.relayContent(content));
        return reply;
    }

    /** Ends the leg (QUIT); nothing to wait for. */
    public void quit() {
        control.perform(ProxyClientSession::quit);
    }

    /** The replies still owed, in request order; once the leg has ended, every one is its failure. */
    static final class Answers {
        private final Deque<CompletableFuture<SmtpReply>> owed = new ArrayDeque<>();
        private SmtpReply closedWith;

        synchronized CompletionStage<SmtpReply> expect() {
            CompletableFuture<SmtpReply> f = new CompletableFuture<>();
            if (closedWith != null) {
                f.complete(closedWith);
            } else {
                owed.add(f);
            }
            return f;
        }

        void answer(SmtpReply reply) {
            CompletableFuture<SmtpReply> f;
            synchronized (this) {
                f = owed.poll();
            }
            if (f != null) {
                f.complete(reply);
            }
        }

        void close(SmtpReply reply) {
            Deque<CompletableFuture<SmtpReply>> left;
            synchronized (this) {
                closedWith = reply;
                left = new ArrayDeque<>(owed);
                owed.clear();
            }
            left.forEach(f -> f.complete(reply));
        }
    }
}
