package io.mailflow.core.smtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpFramerTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<SmtpFramer.Frame> drain(SmtpFramer framer) {
        List<SmtpFramer.Frame> frames = new ArrayList<>();
        for (SmtpFramer.Frame f = framer.next(); f != null; f = framer.next()) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void commandLinesEndAtCrlfAndPipelinedLinesComeOneAtATime() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.feed(ascii("EHLO a.example\r\nMAIL FROM:<x@y.example>\r\nRCPT TO:<z@contoso.test>\r\nDA"));
        assertEquals(new SmtpFramer.CommandLine("EHLO a.example"), framer.next());
        assertEquals(new SmtpFramer.CommandLine("MAIL FROM:<x@y.example>"), framer.next());
        assertEquals(new SmtpFramer.CommandLine("RCPT TO:<z@contoso.test>"), framer.next());
        assertNull(framer.next());
        framer.feed(ascii("TA\r\n"));
        assertEquals(new SmtpFramer.CommandLine("DATA"), framer.next());
    }

    @Test
    void aCommandSplitAcrossManyReadsIsOneLine() {
        SmtpFramer framer = new SmtpFramer(512);
        for (byte b : ascii("NOOP\r\n")) {
            assertNull(framer.next());
            framer.feed(new byte[]{b});
        }
        assertEquals(new SmtpFramer.CommandLine("NOOP"), framer.next());
    }

    @Test
    void aLineLongerThanMaxCommandSizeIsReportedOnceAndTheNextLineStillWorks() {
        SmtpFramer framer = new SmtpFramer(16);
        framer.feed(ascii("MAIL FROM:<" + "a".repeat(100)));
        assertNull(framer.next());
        framer.feed(ascii("a".repeat(5000) + "@b.example>\r\nNOOP\r\n"));
        SmtpFramer.Frame first = framer.next();
        assertInstanceOf(SmtpFramer.LineTooLong.class, first);
        assertTrue(((SmtpFramer.LineTooLong) first).length() > 5000);
        assertEquals(new SmtpFramer.CommandLine("NOOP"), framer.next());
    }

    @Test
    void nulBareCrAndNonUtf8BytesInACommandAreInvalid() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.feed(ascii("NO\0OP\r\nNO\rOP\r\n"));
        framer.feed(new byte[]{'M', 'A', 'I', 'L', ' ', (byte) 0xff, '\r', '\n'});
        List<SmtpFramer.Frame> frames = drain(framer);
        assertEquals(3, frames.size());
        frames.forEach(f -> assertInstanceOf(SmtpFramer.InvalidCommand.class, f));
    }

    @Test
    void utf8InACommandIsDecoded() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.feed("RCPT TO:<jörg@contoso.test>\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(new SmtpFramer.CommandLine("RCPT TO:<jörg@contoso.test>"), framer.next());
    }

    @Test
    void onlyCrlfDotCrlfEndsDataAndLeadingDotsAreUnstuffed() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.startData(1_000_000);
        framer.feed(ascii("Subject: t\r\n\r\n..leading dot\r\n.x\r\nend\r\n.\r\nQUIT\r\n"));
        SmtpFramer.DataComplete data = (SmtpFramer.DataComplete) framer.next();
        assertArrayEquals(ascii("Subject: t\r\n\r\n.leading dot\r\nx\r\nend\r\n"), data.content());
        assertEquals(0, data.bareLineFeeds());
        assertFalse(framer.inDataMode());
        assertEquals(new SmtpFramer.CommandLine("QUIT"), framer.next());
    }

    @Test
    void bareLfAndBareCrNeverEndDataAndAreNormalisedToCrlf() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.startData(1_000_000);
        framer.feed(ascii("a\n.\nb\rc\n.\r\n"));
        assertNull(framer.next(), "\\n.\\n and \\n.\\r\\n after a bare LF do not end the message");
        framer.feed(ascii("d\r\n.\r\n"));
        SmtpFramer.DataComplete data = (SmtpFramer.DataComplete) framer.next();
        assertArrayEquals(ascii("a\r\n.\r\nb\r\nc\r\n.\r\nd\r\n"), data.content());
        assertEquals(3, data.bareLineFeeds());
        assertEquals(1, data.bareCarriageReturns());
    }

    @Test
    void anEmptyMessageEndsAtTheFirstDotLine() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.startData(100);
        framer.feed(ascii(".\r\n"));
        SmtpFramer.DataComplete data = (SmtpFramer.DataComplete) framer.next();
        assertEquals(0, data.size());
    }

    @Test
    void contentPastTheSizeLimitIsCountedButNotKept() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.startData(10);
        framer.feed(ascii("0123456789abcdef\r\n.\r\n"));
        SmtpFramer.DataComplete data = (SmtpFramer.DataComplete) framer.next();
        assertTrue(data.overSizeLimit());
        assertEquals(18, data.size());
        assertEquals(10, data.content().length);
    }

    @Test
    void dataArrivingByteByByteEndsCorrectly() {
        SmtpFramer framer = new SmtpFramer(512);
        framer.startData(1000);
        byte[] bytes = ascii("line\r\n..\r\n.\r\n");
        SmtpFramer.Frame result = null;
        for (byte b : bytes) {
            framer.feed(new byte[]{b});
            SmtpFramer.Frame f = framer.next();
            if (f != null) {
                result = f;
            }
        }
        assertArrayEquals(ascii("line\r\n.\r\n"), ((SmtpFramer.DataComplete) result).content());
    }
}
