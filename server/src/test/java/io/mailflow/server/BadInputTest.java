package io.mailflow.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input gets the reply REFERENCE.md gives, over a real socket, and the relay carries
 * on: over-long lines, NUL and 8-bit bytes in commands, bare LF in DATA, oversized messages,
 * clients that vanish mid-DATA, too many errors, idle clients.
 */
class BadInputTest {
    @TempDir
    static Path directory;
    static RunningRelay relay;
    static int strictPort;

    @BeforeAll
    static void start() {
        String strict = "{ Name = \"Strict\", Server = EX01, TransportRole = FrontendTransport, "
            + "Bindings = [\"127.0.0.1:" + TestOrganization.TEST_PORT + "\"], RemoteIPRanges = [\"127.0.0.1\"], PermissionGroups = [AnonymousUsers], "
            + "TarpitInterval = \"00:00:00\", BareLinefeedRejectionEnabled = true, MaxMessageSize = 65536, "
            + "MaxProtocolErrors = 2, ConnectionInactivityTimeout = \"00:00:01\", MaxRecipientsPerMessage = 2 }";
        relay = RunningRelay.start(directory,
            "{ Name = \"Default Frontend EX01\", Server = EX01, TarpitInterval = \"00:00:00\" }", strict);
        strictPort = relay.organization.port(26);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private SmtpTestClient greeted(int port) throws Exception {
        SmtpTestClient c = relay.connect(port);
        c.reply();
        assertTrue(c.command("EHLO client.example").startsWith("250 "));
        return c;
    }

    @Test
    void anOverLongCommandLineIsAnsweredAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient c = greeted(relay.defaultFrontendPort())) {
            assertEquals("500 5.5.2 Line too long", c.command("MAIL FROM:<" + "a".repeat(100_000) + "@example.com>"));
            assertEquals("250 2.0.0 OK", c.command("NOOP"));
        }
    }

    @Test
    void nulAndNonUtf8BytesInACommandAreInvalidCharacters() throws Exception {
        try (SmtpTestClient c = greeted(relay.defaultFrontendPort())) {
            c.sendBytes("NO\0OP\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("500 5.5.2 Invalid characters in command", c.replyLine());
            c.sendBytes(new byte[]{'V', 'R', 'F', 'Y', ' ', (byte) 0xe9, '\r', '\n'});
            assertEquals("500 5.5.2 Invalid characters in command", c.replyLine());
            assertEquals("500 5.3.3 Unrecognized command", c.command("FOO bar"));
            assertEquals("503 5.5.2 Need mail command", c.command("RCPT TO:<kate@contoso.test>"));
        }
    }

    @Test
    void pastMaxProtocolErrorsTheConnectionIsClosed() throws Exception {
        try (SmtpTestClient c = greeted(strictPort)) {
            assertEquals("500 5.3.3 Unrecognized command", c.command("ONE"));
            assertEquals("500 5.3.3 Unrecognized command", c.command("TWO"));
            assertEquals("421 4.7.0 Too many errors on this connection, closing transmission channel",
                c.command("THREE"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void bareLinefeedsAreRefusedWhereBareLinefeedRejectionIsEnabled() throws Exception {
        try (SmtpTestClient c = greeted(strictPort)) {
            c.command("MAIL FROM:<a@example.com>");
            c.command("RCPT TO:<lisa@contoso.test>");
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>", c.command("DATA"));
            c.send("Subject: bare\n\nline one\nline two\r\n.\r\n");
            assertEquals("550 5.6.11 Bare linefeeds are not allowed", c.replyLine());
        }
    }

    @Test
    void bareLinefeedsAreNormalisedAndNeverEndTheMessageElsewhere() throws Exception {
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = greeted(relay.defaultFrontendPort())) {
            c.command("MAIL FROM:<a@example.com>");
            c.command("RCPT TO:<david@contoso.test>");
            c.command("DATA");
            c.send("Subject: " + token + "\n\nbefore\n.\nafter\r\n.\r\n");
            assertTrue(c.replyLine().startsWith("250 2.6.0 "));
        }
        Eventually.await("delivery", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB02", "david", token) == 1);
        String m = Mailboxes.messages(relay.dataDirectory, "DB02", "david").stream()
            .filter(x -> x.contains(token)).findFirst().orElseThrow();
        assertTrue(m.endsWith("\r\n\r\nbefore\r\n.\r\nafter\r\n"), m);
    }

    @Test
    void aMessageOverMaxMessageSizeIsRefusedAtMailAndWhileStreaming() throws Exception {
        try (SmtpTestClient c = greeted(strictPort)) {
            assertEquals("552 5.3.4 Message size exceeds fixed maximum message size",
                c.command("MAIL FROM:<a@example.com> SIZE=70000"));
            assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<a@example.com>"));
            c.command("RCPT TO:<chris@contoso.test>");
            c.command("DATA");
            c.send("Subject: big\r\n\r\n" + ("x".repeat(998) + "\r\n").repeat(100) + ".\r\n");
            assertEquals("552 5.3.4 Message size exceeds fixed maximum message size", c.replyLine());
            assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<a@example.com>"),
                "the session goes on after the refusal");
        }
    }

    @Test
    void recipientsPastMaxRecipientsPerMessageAreDeferredWith452() throws Exception {
        try (SmtpTestClient c = greeted(strictPort)) {
            c.command("MAIL FROM:<a@example.com>");
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<kate@contoso.test>"));
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<lisa@contoso.test>"));
            assertEquals("452 4.5.3 Too many recipients", c.command("RCPT TO:<david@contoso.test>"));
        }
    }

    @Test
    void aClientThatDisconnectsMidDataLeavesNothingInAnyMailbox() throws Exception {
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = greeted(relay.defaultFrontendPort())) {
            c.command("MAIL FROM:<a@example.com>");
            c.command("RCPT TO:<helpdesk@contoso.test>");
            c.command("DATA");
            c.send("Subject: " + token + "\r\n\r\nhalf a message");
        }
        String later = UUID.randomUUID().toString();
        try (SmtpTestClient c = greeted(relay.defaultFrontendPort())) {
            assertTrue(c.sendMessage("a@example.com", List.of("helpdesk@contoso.test"), "Subject: " + later
                + "\r\n\r\nwhole\r\n").startsWith("250 2.6.0 "));
        }
        Eventually.await("the later message", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB02", "helpdesk", later) == 1);
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB02", "helpdesk", token));
        assertTrue(Mailboxes.tmpFiles(relay.dataDirectory).isEmpty(), "no partial file is left behind");
    }

    @Test
    void anIdleClientIsDisconnectedAfterConnectionInactivityTimeout() throws Exception {
        // The one socket test of this timer, with a short real interval; the rest run on a manual clock.
        try (SmtpTestClient c = greeted(strictPort)) {
            assertEquals("451 4.7.0 Timeout waiting for client input", c.replyLine());
            assertNull(c.replyLine());
        }
    }

    @Test
    void pythonSmtplibSendsThroughTheRelay() throws Exception {
        String token = UUID.randomUUID().toString();
        Path script = directory.resolve("send.py");
        Files.writeString(script, String.join("\n",
            "import smtplib, sys",
            "from email.message import EmailMessage",
            "m = EmailMessage()",
            "m['From'] = 'app@example.com'",
            "m['To'] = 'lisa@contoso.test'",
            "m['Subject'] = sys.argv[2]",
            "m.set_content('Grüße aus smtplib\\n.leading dot\\n')",
            "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:",
            "    refused = s.send_message(m)",
            "    print('refused', refused)",
            "    try:",
            "        s.sendmail('app@example.com', ['x@fabrikam.example'], 'Subject: no\\r\\n\\r\\nno')",
            "    except smtplib.SMTPRecipientsRefused as e:",
            "        print('relay', e.recipients['x@fabrikam.example'][0], e.recipients['x@fabrikam.example'][1].decode())",
            ""));
        Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(relay.defaultFrontendPort()),
            token).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("refused {}"), out);
        assertTrue(out.contains("relay 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"), out);
        Eventually.await("smtplib's message", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB02", "lisa", token) == 1);
        String m = Mailboxes.messages(relay.dataDirectory, "DB02", "lisa").stream()
            .filter(x -> x.contains(token)).findFirst().orElseThrow();
        assertTrue(m.contains("\r\n.leading dot\r\n"), "dot-stuffing undone: " + m);
    }
}
