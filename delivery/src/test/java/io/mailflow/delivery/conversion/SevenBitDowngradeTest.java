package io.mailflow.delivery.conversion;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 7-bit downgrade on its own: each converted message is 7-bit, every line within the limits
 * of its encoding, and parsed back with Mime4j it decodes to the original text and octets.
 */
class SevenBitDowngradeTest {

    private static final String GREETING = "Grüße aus Köln! We meet at the café on Friday — à bientôt.";

    // ---- bodies (RFC 6152 §3) ------------------------------------------------------------------

    @Test
    void eightBitPlainTextBecomesQuotedPrintableWithTheOtherHeaderFieldsUntouched() throws IOException {
        String original = "From: kate@contoso.com\r\nSubject: hello\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + GREETING + "\r\n";

        String out = sevenBit(original);

        assertTrue(out.startsWith("From: kate@contoso.com\r\nSubject: hello\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"), out);
        assertTrue(out.contains("Gr=C3=BC=C3=9Fe aus K=C3=B6ln! We meet at the caf=C3=A9"), out);
        assertEquals(GREETING + "\r\n", text(parse(out)));
    }

    @Test
    void aMultipartKeepsItsSevenBitPartVerbatimAndEncodesTheTextAndTheBinaryPart() throws IOException {
        String sevenBitPart = "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "plain ASCII, left alone\r\n";
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        byte[] original = concat(("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\n" + sevenBitPart + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n" + GREETING + "\r\n--b1\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8), binary, "\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));

        SevenBitDowngrade.Converted converted = (SevenBitDowngrade.Converted) SevenBitDowngrade.toSevenBit(original);
        String out = ascii(converted.content());

        assertEquals(2, converted.bodyParts());
        assertTrue(out.contains("--b1\r\n" + sevenBitPart + "--b1\r\n"), "the 7-bit part is byte-identical: " + out);
        Multipart parts = (Multipart) parse(out).getBody();
        assertEquals("quoted-printable", parts.getBodyParts().get(1).getContentTransferEncoding());
        // The CRLF before a boundary belongs to the delimiter (RFC 2046 §5.1.1), not to the part.
        assertEquals(GREETING, text(parts.getBodyParts().get(1)));
        assertEquals("base64", parts.getBodyParts().get(2).getContentTransferEncoding());
        assertArrayEquals(binary, bytes(parts.getBodyParts().get(2)));
    }

    @Test
    void aNestedMessageIsRecursedNotEncodedAndItsBodyAndHeadersBecomeSevenBit() throws IOException {
        String original = "MIME-Version: 1.0\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "--outer\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--outer\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Subject: Grüße\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n" + GREETING + "\r\n--outer--\r\n";

        String out = sevenBit(original);

        Entity attached = ((Multipart) parse(out).getBody()).getBodyParts().get(1);
        assertEquals("message/rfc822", attached.getMimeType());
        assertEquals("7bit", attached.getContentTransferEncoding(), "RFC 2045 §6.4: a message part is never encoded");
        Message inner = (Message) attached.getBody();
        assertEquals("Grüße", inner.getSubject());
        assertEquals("quoted-printable", inner.getContentTransferEncoding());
        assertEquals(GREETING, text(inner));
    }

    @Test
    void sevenBitContentComesBackAsTheSameArray() {
        byte[] plain = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] multipart = ("MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n--x  \r\n"
            + "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n--x--\r\n")
            .getBytes(StandardCharsets.US_ASCII);

        for (byte[] content : new byte[][]{plain, multipart}) {
            SevenBitDowngrade.Converted c = (SevenBitDowngrade.Converted) SevenBitDowngrade.toSevenBit(content);
            assertSame(content, c.content());
            assertFalse(c.changed());
        }
    }

    @Test
    void aNonMimeEightBitMessageBecomesMimeTextInTheGuessedCharset() throws IOException {
        String utf8 = sevenBit("Subject: old client\r\n\r\n" + GREETING + "\r\n");
        assertTrue(utf8.contains("MIME-Version: 1.0\r\n"), utf8);
        assertTrue(utf8.contains("Content-Type: text/plain; charset=utf-8\r\n"), utf8);
        assertTrue(utf8.contains("Content-Transfer-Encoding: quoted-printable\r\n"), utf8);
        assertEquals(GREETING + "\r\n", text(parse(utf8)));

        byte[] latin1 = ("Subject: old client\r\n\r\n" + GREETING.replace("—", "-") + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        String out = ascii(((SevenBitDowngrade.Converted) SevenBitDowngrade.toSevenBit(latin1)).content());
        assertTrue(out.contains("Content-Type: text/plain; charset=iso-8859-1\r\n"), out);
        assertEquals(GREETING.replace("—", "-") + "\r\n", text(parse(out)));
    }

    @Test
    void longLinesAreSoftBrokenAtSeventySixCharacters() throws IOException {
        String line = "é".repeat(40) + " a long line of mostly ASCII text ".repeat(30);
        String out = sevenBit("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + line + "\r\n");

        for (String l : out.split("\r\n")) {
            assertTrue(l.length() <= 76, "line of " + l.length() + ": " + l);
        }
        assertEquals(line + "\r\n", text(parse(out)));
    }

    @Test
    void mostlyNonAsciiTextIsBase64() throws IOException {
        String russian = "Привет, как дела? Всё хорошо, спасибо.";
        String out = sevenBit("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + russian + "\r\n");

        assertEquals("base64", parse(out).getContentTransferEncoding());
        assertEquals(russian + "\r\n", text(parse(out)));
    }

    // ---- header fields (RFC 2047, RFC 6532) ---------------------------------------------------

    @Test
    void rawUtf8HeaderFieldsBecomeEncodedWordsFoldedWithinSeventyEightColumns() throws IOException {
        String subject = "Réunion trimestrielle: les résultats détaillés du troisième trimestre 🐯 et la suite";
        String original = "From: \"Kåte Ünïcode\" <kate@contoso.com>\r\nTo: bob@fabrikam.com\r\n"
            + "Subject: " + subject + "\r\n\r\nbody\r\n";

        SevenBitDowngrade.Converted c = (SevenBitDowngrade.Converted) SevenBitDowngrade.asciiHeaders(
            original.getBytes(StandardCharsets.UTF_8));
        String out = ascii(c.content());

        assertEquals(2, c.headerFields());
        assertTrue(out.contains("To: bob@fabrikam.com\r\n"), out);
        for (String l : out.split("\r\n")) {
            assertTrue(l.length() <= 78, "line of " + l.length() + ": " + l);
        }
        Message parsed = parse(out);
        assertEquals(subject, parsed.getSubject());
        assertEquals("Kåte Ünïcode", parsed.getFrom().get(0).getName());
        assertEquals("kate@contoso.com", parsed.getFrom().get(0).getAddress());
    }

    @Test
    void headersOnlyLeavesAnEightBitBodyAsItIs() {
        byte[] original = ("Subject: café\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + GREETING + "\r\n")
            .getBytes(StandardCharsets.UTF_8);

        byte[] out = ((SevenBitDowngrade.Converted) SevenBitDowngrade.asciiHeaders(original)).content();

        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Subject: =?UTF-8?"), text);
        assertTrue(text.endsWith("\r\n\r\n" + GREETING + "\r\n"), text);
    }

    @Test
    void aNonAsciiFileNameBecomesAnRfc2231ExtendedParameterAndADomainItsALabel() {
        String out = ascii(((SevenBitDowngrade.Converted) SevenBitDowngrade.asciiHeaders((
            "Reply-To: <kate@bücher.example>\r\nMIME-Version: 1.0\r\nContent-Type: application/pdf\r\n"
                + "Content-Disposition: attachment; filename=\"résumé.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "JVBERi0=\r\n").getBytes(StandardCharsets.UTF_8))).content());

        assertTrue(out.contains("Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\r\n"), out);
        assertTrue(out.contains("Reply-To: kate@xn--bcher-kva.example\r\n"), out);
    }

    @Test
    void aNonAsciiLocalPartInAnAddressFieldCannotBeDowngraded() {
        SevenBitDowngrade.Outcome outcome = SevenBitDowngrade.toSevenBit(
            "From: Jöhn <jöhn@example.com>\r\nSubject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8));

        SevenBitDowngrade.Impossible impossible = assertInstanceOf(SevenBitDowngrade.Impossible.class, outcome);
        assertTrue(impossible.reason().contains("From"), impossible.reason());
    }

    @Test
    void aRawLatin1SubjectIsReadAsIso88591() throws IOException {
        byte[] original = "Subject: caf\u00e9 cr\u00e8me\r\n\r\nhello\r\n".getBytes(StandardCharsets.ISO_8859_1);

        String out = ascii(((SevenBitDowngrade.Converted) SevenBitDowngrade.toSevenBit(original)).content());

        assertEquals("café crème", DecoderUtil.decodeEncodedWords(parse(out).getHeader().getField("Subject").getBody(),
            DecodeMonitor.SILENT));
        assertTrue(out.endsWith("\r\n\r\nhello\r\n"), "a 7-bit body stays as it is: " + out);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String sevenBit(String original) {
        SevenBitDowngrade.Outcome outcome = SevenBitDowngrade.toSevenBit(original.getBytes(StandardCharsets.UTF_8));
        byte[] out = assertInstanceOf(SevenBitDowngrade.Converted.class, outcome).content();
        return ascii(out);
    }

    /** The content as text, after checking that every octet is 7-bit. */
    private static String ascii(byte[] content) {
        assertFalse(Octets.hasEightBit(content), () -> "8-bit octets left in " + new String(content, StandardCharsets.UTF_8));
        return new String(content, StandardCharsets.US_ASCII);
    }

    private static Message parse(String content) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        return builder.parseMessage(new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String text(Entity entity) throws IOException {
        try (Reader reader = ((TextBody) entity.getBody()).getReader()) {
            StringBuilder out = new StringBuilder();
            char[] buffer = new char[4096];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        }
    }

    private static byte[] bytes(Entity entity) throws IOException {
        try (InputStream in = ((SingleBody) entity.getBody()).getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[]... pieces) {
        int length = 0;
        for (byte[] p : pieces) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
