package io.mailflow.core.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SMTP line codec of a receive session: bytes in, frames out, in two modes.
 * <ul>
 * <li>Command mode: one frame per line ending in LF (CR before it dropped). A line longer than
 * MaxCommandSize is discarded up to its end and reported as {@link LineTooLong}, so the session
 * can answer {@code 500 5.5.2 Line too long} instead of failing the stream. NUL, bare CR, other
 * control bytes and invalid UTF-8 give {@link InvalidCommand}.</li>
 * <li>Data mode (after 354): only CRLF.CRLF ends the message; leading dots are unstuffed
 * (RFC 5321 §4.5.2); bare LF and bare CR are counted and normalised to CRLF, never passed on;
 * content past the size limit is counted but not kept.</li>
 * </ul>
 * Pull-based: {@link #feed} buffers, {@link #next} yields at most one frame in the current mode,
 * so pipelined commands after DATA's end are decoded only once the session has switched back.
 */
public final class SmtpFramer {

    public sealed interface Frame permits CommandLine, InvalidCommand, LineTooLong, DataComplete {
    }

    /** A command line, decoded as UTF-8 (ASCII for ordinary clients). */
    public record CommandLine(String text) implements Frame {
    }

    /** A command line with bytes no command may contain. */
    public record InvalidCommand(String reason) implements Frame {
    }

    /** A command line longer than the connector allows; its bytes were discarded. */
    public record LineTooLong(long length) implements Frame {
    }

    /**
     * The end of a message. {@code content} holds at most the size limit; {@code size} counts all.
     */
    public record DataComplete(byte[] content, long size, boolean overSizeLimit, int bareLineFeeds,
                               int bareCarriageReturns) implements Frame {
    }

    private enum DataState { LINE_START, DOT_AT_LINE_START, DOT_CR, MID_LINE, SAW_CR }

    private final int maxCommandLength;
    /** Starts small: most sessions are a few short lines, and an idle one should cost little. */
    private byte[] buffer = new byte[512];
    private int start;
    private int end;
    private boolean discardingLongLine;
    private long discardedLength;

    private boolean dataMode;
    private DataState dataState;
    private boolean lineStartFollowsCrlf;
    private long sizeLimit;
    private byte[] content;
    private int contentLength;
    private long size;
    private int bareLf;
    private int bareCr;

    public SmtpFramer(int maxCommandLength) {
        this.maxCommandLength = maxCommandLength;
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    public void feed(byte[] bytes, int offset, int length) {
        ensureCapacity(length);
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    public void feed(ByteBuffer bytes) {
        int length = bytes.remaining();
        ensureCapacity(length);
        bytes.get(buffer, end, length);
        end += length;
    }

    /** Bytes received but not yet decoded (e.g. pipelined commands, or TLS must discard them). */
    public int buffered() {
        return end - start;
    }

    public void discardBuffered() {
        start = end = 0;
    }

    public boolean inDataMode() {
        return dataMode;
    }

    /** Switches to data mode; the next frame will be a {@link DataComplete}. */
    public void startData(long maxMessageSize) {
        dataMode = true;
        dataState = DataState.LINE_START;
        lineStartFollowsCrlf = true;
        sizeLimit = maxMessageSize;
        content = new byte[(int) Math.min(Math.max(maxMessageSize, 0), 64 * 1024)];
        contentLength = 0;
        size = 0;
        bareLf = 0;
        bareCr = 0;
    }

    /** The next complete frame, or null until more bytes arrive. */
    public Frame next() {
        return dataMode ? nextData() : nextCommand();
    }

    private Frame nextCommand() {
        while (start < end) {
            int lf = indexOf((byte) '\n', start, end);
            if (discardingLongLine) {
                if (lf < 0) {
                    discardedLength += end - start;
                    start = end = 0;
                    return null;
                }
                discardedLength += lf + 1 - start;
                start = lf + 1;
                discardingLongLine = false;
                return new LineTooLong(discardedLength);
            }
            if (lf < 0) {
                if (end - start > maxCommandLength) {
                    discardingLongLine = true;
                    discardedLength = end - start;
                    start = end = 0;
                    continue;
                }
                return null;
            }
            int lineEnd = lf;
            if (lineEnd > start && buffer[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            int lineStart = start;
            start = lf + 1;
            if (lineEnd - lineStart > maxCommandLength) {
                return new LineTooLong(lineEnd - lineStart);
            }
            return decodeCommand(lineStart, lineEnd);
        }
        return null;
    }

    private Frame decodeCommand(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buffer[i];
            if (b == 0) {
                return new InvalidCommand("NUL byte in command");
            }
            if (b == '\r') {
                return new InvalidCommand("bare CR in command");
            }
            if ((b >= 0 && b < 32 && b != '\t') || b == 127) {
                return new InvalidCommand("control character in command");
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buffer, from, to - from)).toString();
            return new CommandLine(text);
        } catch (CharacterCodingException e) {
            return new InvalidCommand("8-bit bytes that are not UTF-8 in command");
        }
    }

    private Frame nextData() {
        while (start < end) {
            byte b = buffer[start++];
            switch (dataState) {
                case LINE_START -> {
                    if (b == '.') {
                        dataState = DataState.DOT_AT_LINE_START;
                    } else {
                        midLine(b);
                    }
                }
                case DOT_AT_LINE_START -> {
                    if (b == '\r') {
                        dataState = DataState.DOT_CR;
                    } else if (b == '\n') {
                        emit((byte) '.'); // "." ended by a bare LF: a line holding one dot
                        midLine(b);
                    } else {
                        midLine(b); // the leading dot was stuffing: dropped
                    }
                }
                case DOT_CR -> {
                    if (b == '\n' && lineStartFollowsCrlf) {
                        return finishData();
                    }
                    if (b == '\n') {
                        // ".\r\n" after a bare LF: a line holding one dot, not the end.
                        emit((byte) '.');
                    }
                    afterCr(b);
                }
                case MID_LINE -> midLine(b);
                case SAW_CR -> afterCr(b);
                default -> throw new IllegalStateException(dataState.name());
            }
        }
        compact();
        return null;
    }

    /** The byte after a CR: LF completes a CRLF; anything else makes the CR a bare CR, read again. */
    private void afterCr(byte b) {
        newline();
        dataState = DataState.LINE_START;
        if (b == '\n') {
            lineStartFollowsCrlf = true;
        } else {
            bareCr++;
            lineStartFollowsCrlf = false;
            start--; // re-read b at the start of the new line
        }
    }

    private void midLine(byte b) {
        if (b == '\r') {
            dataState = DataState.SAW_CR;
        } else if (b == '\n') {
            bareLf++;
            newline();
            lineStartFollowsCrlf = false;
            dataState = DataState.LINE_START;
        } else {
            emit(b);
            dataState = DataState.MID_LINE;
        }
    }

    private void newline() {
        emit((byte) '\r');
        emit((byte) '\n');
    }

    private void emit(byte b) {
        size++;
        if (size > sizeLimit) {
            return;
        }
        if (contentLength == content.length) {
            content = Arrays.copyOf(content, (int) Math.min(sizeLimit, (long) content.length * 2 + 1024));
        }
        content[contentLength++] = b;
    }

    private Frame finishData() {
        dataMode = false;
        byte[] body = Arrays.copyOf(content, contentLength);
        content = null;
        compact();
        return new DataComplete(body, size, size > sizeLimit, bareLf, bareCr);
    }

    private void ensureCapacity(int more) {
        if (end + more <= buffer.length) {
            return;
        }
        compact();
        if (end + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, end + more));
        }
    }

    private void compact() {
        if (start == 0) {
            return;
        }
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
