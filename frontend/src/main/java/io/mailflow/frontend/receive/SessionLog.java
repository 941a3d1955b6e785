package io.mailflow.frontend.receive;

import io.mailflow.core.smtp.SmtpReply;

/**
 * What a receive session writes to the SMTP protocol log (exchange.md §7.2: {@code +} connect,
 * {@code <} received, {@code >} sent, {@code *} information, {@code -} disconnect). The server
 * adapts it onto the protocol log files; {@link #NONE} is ProtocolLoggingLevel None.
 */
public interface SessionLog {
    void connected();

    void received(String line);

    void sent(SmtpReply reply);

    void info(String text);

    void disconnected(String reason);

    SessionLog NONE = new SessionLog() {
        @Override
        public void connected() {
        }

        @Override
        public void received(String line) {
        }

        @Override
        public void sent(SmtpReply reply) {
        }

        @Override
        public void info(String text) {
        }

        @Override
        public void disconnected(String reason) {
        }
    };
}
