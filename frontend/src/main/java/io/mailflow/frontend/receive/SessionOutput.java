package io.mailflow.frontend.receive;

import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.frontend.auth.LogonRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the session asks its shell to do after one input: send these replies (after {@code delay},
 * the tarpit), then possibly switch to data mode, hand a message to the sink, ask the outbound
 * proxy's leg (its reply comes back through {@link SmtpSession#onProxyReply}), check AUTH
 * credentials (the answer comes back through {@link SmtpSession#onLogonResult}), start TLS right
 * after the replies (discarding whatever plaintext the client sent after STARTTLS; the outcome
 * comes back through {@link SmtpSession#onTlsNegotiated} or {@link SmtpSession#onTlsFailed}), or
 * close. {@code notes} explain the decision for the protocol and process logs; {@code events} go
 * to the event log.
 */
public record SessionOutput(List<SmtpReply> replies,
                            Duration delay,
                            OptionalLong startDataWithSizeLimit,
                            Optional<ReceivedMessage> submit,
                            boolean close,
                            List<String> notes,
                            List<TransportEvent> events,
                            Optional<ProxyRequest> proxy,
                            Optional<LogonRequest> logon,
                            boolean startTls) {

    public static final SessionOutput NOTHING =
        new SessionOutput(List.of(), Duration.ZERO, OptionalLong.empty(), Optional.empty(), false, List.of(),
            List.of(), Optional.empty(), Optional.empty(), false);

    static Builder reply(SmtpReply reply) {
        return new Builder().reply(reply);
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<SmtpReply> replies = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<TransportEvent> events = new ArrayList<>();
        private Duration delay = Duration.ZERO;
        private OptionalLong startData = OptionalLong.empty();
        private ReceivedMessage submit;
        private boolean close;
        private ProxyRequest proxy;
        private LogonRequest logon;
        private boolean startTls;

        Builder reply(SmtpReply r) {
            replies.add(r);
            return this;
        }

        Builder delay(Duration d) {
            delay = d;
            return this;
        }

        Builder startData(long sizeLimit) {
            startData = OptionalLong.of(sizeLimit);
            return this;
        }

        Builder submit(ReceivedMessage m) {
            submit = m;
            return this;
        }

        Builder proxy(ProxyRequest request) {
            proxy = request;
            return this;
        }

        Builder logon(LogonRequest request) {
            logon = request;
            return this;
        }

        Builder startTls() {
            startTls = true;
            return this;
        }

        Builder close() {
            close = true;
            return this;
        }

        Builder note(String n) {
            notes.add(n);
            return this;
        }

        Builder event(TransportEvent e) {
            events.add(e);
            return this;
        }

        SessionOutput build() {
            return new SessionOutput(List.copyOf(replies), delay, startData, Optional.ofNullable(submit), close,
                List.copyOf(notes), List.copyOf(events), Optional.ofNullable(proxy), Optional.ofNullable(logon),
                startTls);
        }
    }
}
