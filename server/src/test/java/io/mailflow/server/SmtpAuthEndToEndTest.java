package io.mailflow.server;

import io.mailflow.core.logging.ProtocolLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMTP AUTH against the real relay with clients nobody here wrote (Python's smtplib, swaks): a
 * mailbox user starts TLS and signs in on Client Frontend (Exchange's defaults: BasicAuthRequireTLS),
 * may then reach a group that accepts only authenticated senders, and the protocol log shows the
 * sign-in but never the credentials.
 */
class SmtpAuthEndToEndTest {
    private static final String PASSWORD = "P@ssw0rd";

    @TempDir
    static Path directory;
    static RunningRelay relay;

    @BeforeAll
    static void start() {
        relay = RunningRelay.startWith(directory,
            "DistributionGroups += { Name = Board, Alias = board, Members = [chris] }\n",
            "{ Name = \"Client Frontend EX01\", Server = EX01, ProtocolLoggingLevel = Verbose,"
                + " AuthTarpitInterval = \"00:00:00\" }");
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static int clientFrontendPort() {
        return relay.organization.port(587);
    }

    /** Runs a Python script (smtplib: a client nobody here wrote); what it printed. */
    private static String python(Path script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void smtplibSignsInAndReachesAGroupThatAcceptsOnlyAuthenticatedSenders() throws Exception {
        String token = UUID.randomUUID().toString();
        Path script = directory.resolve("login.py");
        Files.writeString(script, String.join("\n",
            "import smtplib, ssl, sys",
            "from email.message import EmailMessage",
            "m = EmailMessage()",
            "m['From'] = 'kate@contoso.test'",
            "m['To'] = 'board@contoso.test'",
            "m['Subject'] = sys.argv[2]",
            "m.set_content('signed in\\n')",
            "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:",
            "    s.ehlo('laptop.contoso.test')",
            "    print('before tls', s.esmtp_features.get('auth'))",
            "    s.starttls(context=ssl._create_unverified_context())",
            "    s.ehlo('laptop.contoso.test')",
            "    print('auth', s.esmtp_features.get('auth'))",
            "    print('login', s.login('kate@contoso.test', sys.argv[3]))",
            "    print('refused', s.send_message(m))",
            ""));
        String out = python(script, Integer.toString(clientFrontendPort()), token, PASSWORD);
        assertTrue(out.contains("before tls None"), "no AUTH before TLS (BasicAuthRequireTLS): " + out);
        assertTrue(out.contains("auth  LOGIN PLAIN"), "smtplib keeps the space after AUTH: " + out);
        assertTrue(out.contains("login (235, b'2.7.0 Authentication successful')"), out);
        assertTrue(out.contains("refused {}"), out);
        Eventually.await("chris's copy", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "chris", token) == 1);
        String delivered = Mailboxes.messages(relay.dataDirectory, "DB01", "chris").stream()
            .filter(m -> m.contains(token)).findFirst().orElseThrow();
        assertTrue(delivered.contains("with ESMTPSA id"), "RFC 3848 marks the TLS and authenticated hop: " + delivered);
    }

    @Test
    void smtplibWithAWrongPasswordGets535() throws Exception {
        Path script = directory.resolve("wrong.py");
        Files.writeString(script, String.join("\n",
            "import smtplib, ssl, sys",
            "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:",
            "    s.starttls(context=ssl._create_unverified_context())",
            "    try:",
            "        s.login('kate', 'not-her-password')",
            "    except smtplib.SMTPAuthenticationError as e:",
            "        print('refused', e.smtp_code, e.smtp_error.decode())",
            ""));
        String out = python(script, Integer.toString(clientFrontendPort()));
        assertTrue(out.contains("refused 535 5.7.3 Authentication unsuccessful"), out);
    }

    @Test
    void swaksSignsInWithAuthLoginAndTheProtocolLogHidesTheCredentials() throws Exception {
        String token = UUID.randomUUID().toString();
        Process swaks = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + clientFrontendPort(), "--tls",
            "--auth", "LOGIN", "--auth-user", "CONTOSO\\chris", "--auth-password", PASSWORD,
            "--from", "chris@contoso.test", "--to", "kate@contoso.test",
            "--header", "Subject: " + token, "--body", "sent by swaks").redirectErrorStream(true).start();
        String transcript = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, swaks.waitFor(), transcript);
        assertTrue(transcript.contains("<~  235 2.7.0 Authentication successful"), "over TLS (~): " + transcript);
        Eventually.await("kate's copy", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "kate", token) == 1);

        relay.topology.logs().flush();
        List<String> data = ProtocolLog.read(relay.logs(), ProtocolLog.Kind.SmtpReceive).stream()
            .map(ProtocolLog.Line::data).toList();
        String secret = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertFalse(data.stream().anyMatch(d -> d.contains(secret)), "the password never reaches the log");
        assertTrue(data.contains("*****"), data.toString());
        assertTrue(data.contains("chris@contoso.test authenticated with AUTH LOGIN"), data.toString());
    }

    @Test
    void authBeforeStartTlsIsRefusedWith538() throws Exception {
        try (SmtpTestClient c = relay.connect(clientFrontendPort())) {
            c.reply();
            c.send("EHLO laptop.contoso.test\r\n");
            List<String> ehlo = c.reply();
            assertTrue(ehlo.contains("250-STARTTLS") && ehlo.stream().noneMatch(l -> l.contains("AUTH")), ehlo.toString());
            assertEquals("538 5.7.11 Encryption required for requested authentication mechanism",
                c.command("AUTH LOGIN"));
        }
    }
}
