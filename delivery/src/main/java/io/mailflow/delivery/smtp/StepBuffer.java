package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client dialogue ({@link SmtpClientSession}, {@link ProxyClientSession}) collects while it
 * handles one input: the bytes to write, the protocol-log lines and whether to close afterwards,
 * handed to the shell as one {@link SmtpClientSession.Step}.
 */
final class StepBuffer {
    private ByteArrayOutputStream send;
    private List<SmtpClientSession.LogLine> log;
    private boolean close;

    /** Starts collecting for one input. */
    void begin() {
        send = new ByteArrayOutputStream();
        log = new ArrayList<>();
        close = false;
    }

    /** What the input produced; {@link SmtpClientSession.Step#NOTHING} when nothing. */
    SmtpClientSession.Step end() {
        byte[] bytes = send.toByteArray();
        SmtpClientSession.Step step = bytes.length == 0 && log.isEmpty() && !close
            ? SmtpClientSession.Step.NOTHING : new SmtpClientSession.Step(bytes, log, close);
        send = null;
        log = null;
        return step;
    }

    /** A command line: written with CRLF and logged as sent. */
    void sendLine(String line) {
        log(ProtocolLog.Event.SEND, line);
        send.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes written as they are (message content), not logged. */
    void write(byte[] bytes) {
        send.writeBytes(bytes);
    }

    void note(String text) {
        log(ProtocolLog.Event.INFORMATION, text);
    }

    void log(ProtocolLog.Event event, String data) {
        log.add(new SmtpClientSession.LogLine(event, data));
    }

    /** Close the connection once this input's bytes are written. */
    void close() {
        close = true;
    }
}
