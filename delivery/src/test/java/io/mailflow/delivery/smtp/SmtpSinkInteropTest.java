package io.mailflow.delivery.smtp;

import com.typesafe.config.ConfigFactory;
import io.mailflow.core.time.SystemClock;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP client against a real MTA's server code: Postfix's {@code smtp-sink}, which announces
 * PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES and DSN and accepts everything. 50 messages over two
 * concurrent connections of 25; smtp-sink's own counters ({@code -c}) must agree.
 */
class SmtpSinkInteropTest {
    private static final Path SMTP_SINK = Path.of("/usr/sbin/smtp-sink");
    private static final Pattern COUNTERS = Pattern.compile("sess=(\\d+) quit=(\\d+) mesg=(\\d+)");

    @Test
    void fiftyMessagesOverTwoConnectionsOfTwentyFiveAreAllAccepted() throws Exception {
        assertTrue(Files.isExecutable(SMTP_SINK), "Postfix's smtp-sink is needed: apt-get install postfix");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(SMTP_SINK.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "root")); // smtp-sink refuses to run as root without -u
        }
        // -c: counters on stdout; -n 2: exit after two sessions ended by QUIT (the probe just hangs up).
        command.addAll(List.of("-c", "-n", "2", "127.0.0.1:" + port, "100"));
        Process sink = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(sink));
        ActorSystem system = ActorSystem.create("smtp-sink-test", ConfigFactory.parseString("pekko.loglevel = WARNING"));
        try {
            awaitListening(sink, port);
            SmtpClient client = new SmtpClient(system, SystemClock.INSTANCE);
            SmtpTarget target = new SmtpTarget("127.0.0.1", port, "ex01.contoso.com", Duration.ofSeconds(5),
                Duration.ofMinutes(1));

            CompletableFuture<DeliveryBatchResult> first =
                client.deliver(target, batch("a", 25)).toCompletableFuture();
            CompletableFuture<DeliveryBatchResult> second =
                client.deliver(target, batch("b", 25)).toCompletableFuture();

            for (DeliveryBatchResult result : List.of(first.get(60, TimeUnit.SECONDS),
                second.get(60, TimeUnit.SECONDS))) {
                assertEquals(Optional.empty(), result.failure());
                assertEquals(25, result.results().size());
                assertTrue(result.serverCapabilities().pipelining());
                for (MessageResult m : result.results()) {
                    assertEquals(2, m.delivered().size(), () -> "not delivered: " + m);
                    assertEquals(250, m.dataReply().orElseThrow().code());
                }
            }
            assertTrue(sink.waitFor(30, TimeUnit.SECONDS), "smtp-sink exits after our two QUITs");
            String quits = null;
            String messages = null;
            for (Matcher m = COUNTERS.matcher(output.get(10, TimeUnit.SECONDS)); m.find(); ) {
                quits = m.group(2); // counters are cumulative: the last line holds the totals
                messages = m.group(3);
            }
            assertEquals("50", messages, "messages smtp-sink received");
            assertEquals("2", quits, "sessions that ended with QUIT");
        } finally {
            sink.destroy();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    private static List<OutboundMessage> batch(String prefix, int count) {
        List<OutboundMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String content = "From: kate@contoso.com\r\nTo: a@fabrikam.test\r\nSubject: " + prefix + i + "\r\n\r\n"
                + ".a line that needs stuffing\r\n" + "x".repeat(900) + "\r\n";
            messages.add(OutboundMessage.of(prefix + i, "kate@contoso.com",
                List.of("a" + i + "@fabrikam.test", "b" + i + "@fabrikam.test"),
                content.getBytes(StandardCharsets.US_ASCII)));
        }
        return messages;
    }

    /**
     * smtp-sink prints nothing when it starts listening, so connect until it answers: each refused
     * attempt returns at once, and the process dying ends the wait.
     */
    private static void awaitListening(Process sink, int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                probe.getInputStream().read(); // the greeting's first byte: the session has started
                return;
            } catch (IOException refused) {
                if (!sink.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("smtp-sink is not listening on port " + port, refused);
                }
                Thread.onSpinWait();
            }
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
