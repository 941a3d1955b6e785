package io.mailflow.server;

import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.delivery.conversion.Octets;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Content conversion at the Send connector, over real sockets: 8-bit mail with UTF-8 headers,
 * relayed through a smart host that is Postfix's smtp-sink started without 8BITMIME ({@code -8};
 * it never offers SMTPUTF8). What smtp-sink stores ({@code -d}) must be 7-bit, announced without
 * BODY= or SMTPUTF8, and decode to the text the client sent.
 */
class ContentConversionDeliveryTest {
    private static final String SUBJECT = "Grüße aus Köln — réunion";
    private static final String TEXT = "Hallo Bob,\r\nwir treffen uns im Café am Dom, gleich neben der Brücke.\r\n"
        + "À bientôt!\r\n";

    @TempDir
    Path directory;
    RunningRelay relay;
    Process sink;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (sink != null) {
            sink.destroyForcibly();
        }
    }

    @Test
    void eightBitMailToASmartHostWithout8BitMimeArrivesSevenBitAndDecodesToTheOriginal() throws Exception {
        Path dumps = directory.resolve("sink");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("/usr/sbin/smtp-sink"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "root"));
        }
        // -8: no 8BITMIME; -d: one file per transaction, named from this template plus a random suffix.
        command.addAll(List.of("-8", "-d", dumps + "/message.", "127.0.0.1:" + port, "100"));
        sink = new ProcessBuilder(command).redirectErrorStream(true).start();
        relay = RunningRelay.startWith(directory, OutboundDeliveryTest.smartHost(port),
            OutboundDeliveryTest.RELAY_FRONTEND);

        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.contoso.test");
            assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<kate@contoso.test> BODY=8BITMIME SMTPUTF8"));
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<bob@fabrikam.example>"));
            c.command("DATA");
            c.send("From: Käte Müller <kate@contoso.test>\r\nTo: bob@fabrikam.example\r\nSubject: " + SUBJECT
                + "\r\nX-Token: " + token + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + TEXT + ".\r\n");
            assertTrue(c.replyLine().startsWith("250 2.6.0"));
        }
        Eventually.await("SEND in the tracking log", Duration.ofSeconds(30), () -> {
            relay.topology.logs().flush();
            return MessageTrackingLog.search(relay.logs(), e -> e.eventId() == TrackingEventId.SEND).size() == 1;
        });
        // smtp-sink ends each dump with an empty line once the transaction is complete.
        Eventually.await("smtp-sink's dump of the message", Duration.ofSeconds(10), () -> dumpContaining(dumps, token)
            .filter(b -> b.length > 2 && b[b.length - 1] == '\n' && b[b.length - 2] == '\n').isPresent());
        byte[] stored = dumpContaining(dumps, token).orElseThrow();

        assertFalse(Octets.hasEightBit(stored), () -> "8-bit octets reached a server without 8BITMIME:\n"
            + new String(stored, StandardCharsets.UTF_8));
        String text = new String(stored, StandardCharsets.US_ASCII);
        // smtp-sink offers neither SIZE nor 8BITMIME nor SMTPUTF8: MAIL FROM carries no parameter at all.
        assertTrue(text.contains("X-Mail-Args: <kate@contoso.test>\n"), text);
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        // Without the empty line smtp-sink adds after each dumped message.
        Message message = builder.parseMessage(new ByteArrayInputStream(stored, 0, stored.length - 1));
        assertEquals(SUBJECT, message.getSubject());
        assertEquals("Käte Müller", message.getFrom().get(0).getName());
        assertEquals("quoted-printable", message.getContentTransferEncoding());
        // smtp-sink dumps lines ending in LF, and Mime4j's decoder may turn a hard break into CRLF.
        assertEquals(TEXT, read((TextBody) message.getBody()).replace("\r\n", "\n").replace("\n", "\r\n"));
    }

    /** The smtp-sink dump file that holds {@code token}. */
    private static Optional<byte[]> dumpContaining(Path dumps, String token) {
        if (!Files.isDirectory(dumps)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dumps)) {
            return files.map(ContentConversionDeliveryTest::bytes)
                .filter(b -> new String(b, StandardCharsets.ISO_8859_1).contains(token)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(TextBody body) throws IOException {
        try (Reader reader = body.getReader()) {
            StringBuilder out = new StringBuilder();
            char[] buffer = new char[1024];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        }
    }
}
