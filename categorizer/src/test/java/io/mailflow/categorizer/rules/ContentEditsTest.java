package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.TransportRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mailflow.categorizer.rules.RuleTestMessages.crlf;
import static io.mailflow.categorizer.rules.RuleTestMessages.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mail flow rules: {@link ContentEdits#apply} on real messages, each change read back with Mime4j
 * through {@link MessageView}, and what no edit touches compared byte for byte.
 */
class ContentEditsTest {
    private static final ContentEdits.ApplyDisclaimer APPEND = new ContentEdits.ApplyDisclaimer(
        "<p>Confidential: <b>for Contoso only</b></p>", TransportRule.DisclaimerLocation.Append,
        TransportRule.DisclaimerFallbackAction.Wrap);

    private static final String PLAIN = """
        Received: from client by ex01.contoso.test
        From: Bob <bob@fabrikam.example>
        To: kate@contoso.test
        Subject: Quarterly report
        X-Scan: done
        Message-ID: <1@test>

        Numbers attached.
        """;

    private static final String ALTERNATIVE = """
        From: bob@fabrikam.example
        To: kate@contoso.test
        Subject: Menu
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="alt"

        --alt
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        Caf=E9 au lait =
        for everyone.
        --alt
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        <html><body><p>Caf=C3=A9 au lait</p></body></html>
        --alt--
        """;

    private static ContentEdits edits(ContentEdits.Edit... edits) {
        return new ContentEdits(List.of(edits));
    }

    private static MessageView applied(ContentEdits edits, String message) {
        return new MessageView(edits.apply(crlf(message)));
    }

    /** The decoded text of the message's text/html part, read with Mime4j. */
    private static String htmlPart(byte[] content) {
        var multipart = (org.apache.james.mime4j.dom.Multipart) MimeMessages.parse(content, true).getBody();
        var html = multipart.getBodyParts().stream().filter(p -> p.getMimeType().equals("text/html")).findFirst()
            .orElseThrow();
        try (var reader = ((org.apache.james.mime4j.dom.TextBody) html.getBody()).getReader()) {
            return new java.io.BufferedReader(reader).lines().collect(java.util.stream.Collectors.joining("\r\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void noEditsGiveTheSameBytes() {
        assertArrayEquals(crlf(ALTERNATIVE), ContentEdits.NONE.apply(crlf(ALTERNATIVE)));
    }

    @Test
    void prependSubjectKeepsEverythingElseByteForByte() {
        byte[] out = edits(new ContentEdits.PrependSubject("[EXT] ")).apply(crlf(PLAIN));
        assertEquals(text(crlf(PLAIN)).replace("Subject: Quarterly report", "Subject: [EXT] Quarterly report"), text(out));
        assertEquals("Subject: [EXT] ", text(edits(new ContentEdits.PrependSubject("[EXT] "))
            .apply(crlf("From: a@b.test\n\nbody\n"))).lines().filter(l -> l.startsWith("Subject")).findFirst().orElse(""),
            "a Subject is created when there is none");
    }

    @Test
    void aNonAsciiSubjectIsEncodedAndFolded() {
        String prefix = "[Extérieur – ne pas cliquer sur les liens ni ouvrir les pièces jointes] ";
        byte[] out = edits(new ContentEdits.PrependSubject(prefix)).apply(crlf(PLAIN));
        String raw = text(out);
        assertTrue(raw.contains("Subject: =?UTF-8?Q?"), raw);
        assertTrue(raw.lines().allMatch(l -> l.length() <= 78), raw);
        assertTrue(raw.chars().allMatch(c -> c < 128), "the header section stays ASCII");
        assertEquals(prefix + "Quarterly report", new MessageView(out).subject());
    }

    @Test
    void setHeaderReplacesInPlaceOrAppendsAndRemoveHeaderRemovesEveryField() {
        MessageView set = applied(edits(new ContentEdits.SetHeader("x-scan", "passed"),
            new ContentEdits.SetHeader("X-Rule", "Ünïcode value")), PLAIN);
        assertEquals(List.of("passed"), set.headerValues("X-Scan"));
        assertEquals("Ünïcode value", set.header("X-Rule").orElseThrow());
        assertEquals(List.of("Received", "From", "To", "Subject", "x-scan", "Message-ID", "X-Rule"),
            set.headers().stream().map(MessageView.Header::name).toList());
        MessageView removed = applied(edits(new ContentEdits.RemoveHeader("received"), new ContentEdits.RemoveHeader("X-None")),
            PLAIN + "");
        assertTrue(removed.headerValues("Received").isEmpty());
        assertEquals("Numbers attached.", removed.bodyText().strip());
    }

    @Test
    void addToRecipientsExtendsTheToField() {
        MessageView m = applied(edits(new ContentEdits.AddToRecipients(List.of(SmtpAddress.of("lisa@contoso.test")))),
            PLAIN);
        assertEquals("kate@contoso.test, lisa@contoso.test", m.header("To").orElseThrow());
    }

    @Test
    void disclaimerGoesIntoBothAlternativesInTheirCharsetAndEncoding() {
        byte[] out = edits(APPEND).apply(crlf(ALTERNATIVE));
        String raw = text(out);
        assertTrue(raw.contains("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable"),
            raw);
        assertTrue(raw.contains("Caf=E9 au lait for everyone=2E"), "decoded, then encoded again in ISO-8859-1: " + raw);
        assertTrue(raw.contains("Confidential: for Contoso only"), "tags stripped in text/plain: " + raw);
        assertEquals("<html><body><p>Café au lait</p><div><p>Confidential: <b>for Contoso only</b></p></div>\r\n"
            + "</body></html>", htmlPart(out), "HTML kept, before </body>");
        MessageView m = new MessageView(out);
        assertTrue(m.bodyText().contains("Café au lait for everyone.\r\n\r\nConfidential: for Contoso only"), m.bodyText());
        assertTrue(m.bodyText().indexOf("Café au lait", m.bodyText().indexOf("Confidential")) > 0,
            "the HTML part ends with it too: " + m.bodyText());
        assertEquals("Menu", m.subject());
    }

    @Test
    void prependedDisclaimerWithCharactersThePartCannotHoldSwitchesToUtf8() {
        String message = """
            From: bob@fabrikam.example
            Subject: hi
            Content-Type: text/plain; charset=us-ascii

            Plain body.
            """;
        ContentEdits prepend = edits(new ContentEdits.ApplyDisclaimer("Vertraulich – nur für Contoso",
            TransportRule.DisclaimerLocation.Prepend, TransportRule.DisclaimerFallbackAction.Ignore));
        String raw = text(prepend.apply(crlf(message)));
        assertTrue(raw.contains("charset=utf-8"), raw);
        assertTrue(raw.contains("Content-Transfer-Encoding: quoted-printable"), "7bit cannot carry it: " + raw);
        assertEquals("Vertraulich – nur für Contoso\r\n\r\nPlain body.", new MessageView(crlf(raw)).bodyText().strip());
    }

    @Test
    void attachmentsAreLeftAsTheyWere() {
        String part = "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"a.bin\"\n"
            + "Content-Transfer-Encoding: base64\n\nAAECAwQFBgcICQ==\n";
        String message = "From: a@b.test\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n"
            + "--m\nContent-Type: text/plain\n\nBody\n--m\n" + part + "--m--\n";
        String raw = text(edits(APPEND).apply(crlf(message)));
        assertTrue(raw.contains(text(crlf(part))), raw);
        assertEquals(List.of(new MessageView.Attachment("a.bin", 10)), new MessageView(crlf(raw)).attachments());
    }

    @Test
    void wrapPutsASignedMessageInsideANewOne() {
        String signed = """
            From: chris@contoso.test
            To: kate@contoso.test
            Subject: signed
            MIME-Version: 1.0
            Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary=s

            --s
            Content-Type: text/plain

            body
            --s
            Content-Type: application/pkcs7-signature

            AAAA
            --s--
            """;
        byte[] out = edits(APPEND, new ContentEdits.PrependSubject("[W] ")).apply(crlf(signed));
        MessageView wrapper = new MessageView(out);
        assertEquals("[W] signed", wrapper.subject(), "later edits act on the wrapper");
        assertEquals("chris@contoso.test", wrapper.header("From").orElseThrow());
        assertTrue(wrapper.bodyText().contains("Confidential: for Contoso only"), wrapper.bodyText());
        assertFalse(wrapper.isProtected());
        assertEquals(1, wrapper.attachments().size());
        assertTrue(text(out).contains(text(crlf(signed))), "the original travels unchanged");
        ContentEdits ignore = edits(new ContentEdits.ApplyDisclaimer("x", TransportRule.DisclaimerLocation.Append,
            TransportRule.DisclaimerFallbackAction.Ignore));
        assertArrayEquals(crlf(signed), ignore.apply(crlf(signed)));
    }

    @Test
    void editsCompareByValue() {
        assertEquals(edits(new ContentEdits.PrependSubject("a")), edits(new ContentEdits.PrependSubject("a")));
        assertEquals(edits(APPEND).hashCode(), new ContentEdits(List.of(APPEND)).hashCode());
        assertNotEquals(edits(new ContentEdits.PrependSubject("a")), edits(new ContentEdits.PrependSubject("b")));
        assertEquals(ContentEdits.NONE, new ContentEdits(List.of()));
    }
}
