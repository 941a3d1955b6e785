package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mailflow.categorizer.rules.RuleTestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mail flow rules: what {@link MessageView} reads from a message for the rule conditions. */
class MessageViewTest {
    private static final MessageView MIXED = message("""
        From: =?UTF-8?Q?Ren=C3=A9e?= <renee@fabrikam.example>
        Sender: assistant@fabrikam.example
        Subject: =?ISO-8859-1?Q?Caf=E9?=
         menu
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: multipart/related; boundary=r

        --r
        Content-Type: text/html; charset=utf-8

        <html><head><style>p {color: red}</style></head><body><p>Lunch&nbsp;at <i>noon</i></p></body></html>
        --r
        Content-Type: image/png
        Content-ID: <logo>
        Content-Transfer-Encoding: base64

        iVBORw0K
        --r--
        --m
        Content-Type: message/rfc822
        Content-Disposition: attachment

        Subject: forwarded

        inner
        --m
        Content-Type: text/plain
        Content-Disposition: attachment; filename="notes.txt"

        not body
        --m--
        """);

    @Test
    void headersAreDecoded() {
        assertEquals("Café menu", MIXED.subject());
        assertEquals("Renée <renee@fabrikam.example>", MIXED.header("from").orElseThrow());
        assertEquals(List.of(SmtpAddress.of("renee@fabrikam.example"), SmtpAddress.of("assistant@fabrikam.example")),
            MIXED.headerSenders());
    }

    @Test
    void bodyTextIsTheTextPartsWithoutMarkup() {
        assertEquals("Lunch at noon", MIXED.bodyText().strip());
        assertFalse(MIXED.bodyText().contains("not body"));
    }

    @Test
    void attachmentsIncludeInlineImagesAndAttachedMessages() {
        List<MessageView.Attachment> attachments = MIXED.attachments();
        assertEquals(3, attachments.size(), attachments.toString());
        assertEquals(new MessageView.Attachment("", 6), attachments.get(0), "the decoded PNG bytes");
        assertTrue(attachments.get(1).size() > 0);
        assertEquals("notes.txt", attachments.get(2).name());
        assertEquals(MIXED.content().length, MIXED.size());
    }
}
