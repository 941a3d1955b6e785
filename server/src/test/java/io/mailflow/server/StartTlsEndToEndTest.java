package io.mailflow.server;

import io.mailflow.core.logging.ProtocolLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * STARTTLS over real sockets on Default Frontend EX01 (AuthMechanism Tls), with the self-signed
 * certificate the relay made at start: the JDK's client, the RFC 3207 injection case, a failed
 * handshake, and clients nobody here wrote (Python's smtplib, swaks, openssl s_client).
 */
class StartTlsEndToEndTest {
    private static final Pattern QUEUED = Pattern.compile(
        "250 2\\.6\\.0 <[^>]+> \\[InternalId=\\d+, Hostname=ex01\\.contoso\\.test] Queued mail for delivery");
    private static final String FQDN = "ex01.contoso.test";

    @TempDir
    static Path directory;
    static RunningRelay relay;

    @BeforeAll
    static void start() {
        relay = RunningRelay.start(directory,
            "{ Name = \"Default Frontend EX01\", Server = EX01, TarpitInterval = \"00:00:00\" }");
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    /** A client context that trusts exactly the certificate the relay made. */
    private static SSLContext trustingTheRelay() throws Exception {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry(FQDN, relay.topology.certificate().certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static List<String> receiveLog() {
        relay.topology.logs().flush();
        return ProtocolLog.read(relay.logs(), ProtocolLog.Kind.SmtpReceive).stream().map(ProtocolLog.Line::data)
            .toList();
    }

    @Test
    void aClientUpgradesWithStartTlsGreetsAgainAndItsMessageIsQueuedAndStampedEsmtps() throws Exception {
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.send("EHLO client.example\r\n");
            assertEquals(List.of("250-ex01.contoso.test Hello [127.0.0.1]", "250-SIZE 37748736", "250-PIPELINING",
                "250-DSN", "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-8BITMIME", "250 SMTPUTF8"), c.reply());
            assertEquals("220 2.0.0 SMTP server ready", c.command("STARTTLS"));
            c.startTls(trustingTheRelay(), FQDN); // checks the certificate names the FQDN (SAN dNSName)
            assertTrue(c.tlsSession().startsWith("TLSv1.3 "), c.tlsSession());

            assertEquals("503 5.5.2 Send hello first", c.command("MAIL FROM:<someone@example.com>"));
            c.send("EHLO client.example\r\n");
            assertFalse(c.reply().contains("250-STARTTLS"), "not offered once TLS is active");
            String reply = c.sendMessage("someone@example.com", List.of("kate@contoso.test"),
                "Subject: " + token + "\r\n\r\nsent over TLS\r\n");
            assertTrue(QUEUED.matcher(reply).matches(), reply);
            assertEquals("221 2.0.0 Service closing transmission channel", c.command("QUIT"));
        }
        Eventually.await("delivery to kate", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "kate", token) == 1);
        String delivered = Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream()
            .filter(m -> m.contains(token)).findFirst().orElseThrow();
        assertTrue(Pattern.compile("Received: from client\\.example \\(\\[127\\.0\\.0\\.1]\\)[^\\r]*\\r\\n[^\\r]*with ESMTPS ")
            .matcher(delivered).find(), delivered);
        Eventually.await("the handshake in the protocol log", Duration.ofSeconds(10), () -> receiveLog().stream()
            .anyMatch(l -> l.matches("TLS protocol TLSv1\\.3 negotiation succeeded using cipher TLS_\\w+")));
    }

    @Test
    void plaintextPipelinedBehindStartTlsIsDiscardedAndNeverAnswered() throws Exception {
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            c.send("STARTTLS\r\nRSET\r\n"); // one write: the RSET rides in the same TCP segment
            assertEquals("220 2.0.0 SMTP server ready", c.replyLine());
            c.startTls(trustingTheRelay(), FQDN);
            c.send("EHLO client.example\r\n");
            assertEquals("250-ex01.contoso.test Hello [127.0.0.1]", c.reply().get(0),
                "the first reply over TLS answers the EHLO sent over TLS, not the injected RSET");
            assertEquals("221 2.0.0 Service closing transmission channel", c.command("QUIT"));
        }
        Eventually.await("the discarded plaintext in the protocol log", Duration.ofSeconds(10),
            () -> receiveLog().contains("Discarded 6 octets of plaintext sent after STARTTLS"));
        assertFalse(receiveLog().contains("RSET"), "the RSET was never read as a command");
    }

    @Test
    void aFailedHandshakeClosesTheConnectionAndLogsWhy() throws Exception {
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.send("EHLO client.example\r\n");
            c.reply();
            assertEquals("220 2.0.0 SMTP server ready", c.command("STARTTLS"));
            c.send("this is not a TLS ClientHello\r\n");
            // Whatever the engine still writes (an alert, if anything), the server then hangs up; a
            // hang would end in the client's 30 s read timeout and fail the test.
            int octets = 0;
            while (!c.closedByServer()) {
                assertTrue(++octets < 4096, "the server keeps writing after a failed handshake");
            }
        }
        Eventually.await("the failed negotiation in the protocol log", Duration.ofSeconds(10),
            () -> receiveLog().stream().anyMatch(l -> l.startsWith("TLS negotiation failed with error ")));
    }

    @Test
    void pythonSmtplibStartsTlsAndSends() throws Exception {
        String token = UUID.randomUUID().toString();
        Path script = directory.resolve("starttls.py");
        Files.writeString(script, String.join("\n",
            "import smtplib, ssl, sys",
            "from email.message import EmailMessage",
            "m = EmailMessage()",
            "m['From'] = 'app@example.com'",
            "m['To'] = 'lisa@contoso.test'",
            "m['Subject'] = sys.argv[2]",
            "m.set_content('sent by smtplib over TLS')",
            "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:",
            "    s.ehlo()",
            "    print('offered', s.has_extn('starttls'))",
            "    s.starttls(context=ssl._create_unverified_context())",
            "    print('tls', s.sock.version())",
            "    s.ehlo()",
            "    print('offered again', s.has_extn('starttls'))",
            "    print('refused', s.send_message(m))",
            ""));
        String out = run("python3", script.toString(), Integer.toString(relay.defaultFrontendPort()), token);
        assertTrue(out.contains("offered True"), out);
        assertTrue(out.contains("tls TLSv1.3"), out);
        assertTrue(out.contains("offered again False"), out);
        assertTrue(out.contains("refused {}"), out);
        Eventually.await("smtplib's message", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB02", "lisa", token) == 1);
    }

    @Test
    void swaksSendsOverTls() throws Exception {
        String token = UUID.randomUUID().toString();
        String transcript = run("swaks", "--server", "127.0.0.1:" + relay.defaultFrontendPort(), "--tls",
            "--ehlo", "swaks.example", "--from", "swaks@example.com", "--to", "chris@contoso.test",
            "--header", "Subject: " + token, "--body", "sent by swaks over TLS");
        assertTrue(transcript.contains("<-  250-STARTTLS"), transcript);
        assertTrue(transcript.contains("<-  220 2.0.0 SMTP server ready"), transcript);
        assertTrue(transcript.contains("=== TLS started with cipher TLSv1.3"), transcript);
        assertTrue(transcript.contains("Queued mail for delivery"), transcript);
        Eventually.await("swaks's message", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "chris", token) == 1);
    }

    @Test
    void opensslSClientNegotiatesStartTls() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        Process p = new ProcessBuilder("openssl", "s_client", "-starttls", "smtp", "-crlf", "-ign_eof",
            "-connect", "127.0.0.1:" + relay.defaultFrontendPort(), "-servername", FQDN)
            .redirectErrorStream(true).start();
        p.getOutputStream().write("EHLO openssl.example\nQUIT\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertTrue(out.contains("CN = " + FQDN) || out.contains("CN=" + FQDN), out);
        assertTrue(out.contains("TLSv1.3"), out);
        assertTrue(out.contains("250-ex01.contoso.test Hello [127.0.0.1]"), out);
        assertTrue(out.contains("221 2.0.0 Service closing transmission channel"), out);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(tool, "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
