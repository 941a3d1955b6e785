package io.mailflow.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "250 after DATA is a promise": the relay is killed with SIGKILL right after acknowledging a
 * batch of concurrent messages, restarted on the same data directory, and every acknowledged
 * message reaches each of its mailboxes exactly once.
 */
class KillDashNineTest {
    private static final int SESSIONS = 10;
    private static final int MESSAGES_PER_SESSION = 20;

    @TempDir
    Path directory;

    @Test
    void messagesWaitingForADownSmartHostSurviveSigkillAndAreSentExactlyOnceWhenItIsBack() throws Exception {
        try (DownstreamSmtpServer downstream = new DownstreamSmtpServer()) {
            downstream.down = true;
            TestOrganization org = TestOrganization.withSections(directory,
                OutboundDeliveryTest.smartHost(downstream.port()) + "\n" + OutboundDeliveryTest.FAST_TIMERS,
                OutboundDeliveryTest.RELAY_FRONTEND);
            Path data = directory.resolve("data");
            List<String> tokens = new ArrayList<>();
            try (RelayProcess relay = RelayProcess.start(org.file, data)) {
                try (SmtpTestClient c = new SmtpTestClient(org.defaultFrontendPort())) {
                    c.reply();
                    c.command("EHLO app.contoso.test");
                    for (int i = 0; i < 10; i++) {
                        String token = "outbound-" + i + "-" + java.util.UUID.randomUUID();
                        assertTrue(c.sendMessage("kate@contoso.test", List.of("bob@fabrikam.example"),
                            "Subject: " + token + "\r\n\r\nx\r\n").startsWith("250 2.6.0"));
                        tokens.add(token);
                    }
                }
                relay.kill();
            }
            downstream.down = false;
            try (RelayProcess restarted = RelayProcess.start(org.file, data)) {
                Eventually.await("every message at the smart host", Duration.ofSeconds(60),
                    () -> tokens.stream().allMatch(t -> downstream.count(t) >= 1));
                for (String token : tokens) {
                    assertEquals(1, downstream.count(token), token);
                }
            }
        }
    }

    @Test
    void everyAcknowledgedMessageIsDeliveredExactlyOnceAfterSigkillAndRestart() throws Exception {
        TestOrganization org = TestOrganization.write(directory,
            "{ Name = \"Default Frontend EX01\", Server = EX01, TarpitInterval = \"00:00:00\" }");
        Path data = directory.resolve("data");
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        try (RelayProcess relay = RelayProcess.start(org.file, data)) {
            ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                done.add(clients.submit(() -> {
                    try (SmtpTestClient c = new SmtpTestClient(org.defaultFrontendPort())) {
                        c.reply();
                        c.command("EHLO loadgen.example");
                        for (int m = 0; m < MESSAGES_PER_SESSION; m++) {
                            String token = "kill9-" + session + "-" + m;
                            // kate on DB01 and lisa on DB02: two delivery queues per message.
                            String reply = c.sendMessage("loadgen@example.com",
                                List.of("kate@contoso.test", "l.brown@contoso.test"),
                                "Subject: " + token + "\r\n\r\nbody of " + token + "\r\n");
                            if (reply.startsWith("250 2.6.0")) {
                                acknowledged.add(token);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            clients.shutdown();
            relay.kill();
        }
        assertEquals(SESSIONS * MESSAGES_PER_SESSION, acknowledged.size(), "every message was acknowledged");

        try (RelayProcess restarted = RelayProcess.start(org.file, data)) {
            Eventually.await("every acknowledged message in both mailboxes", Duration.ofSeconds(60),
                () -> acknowledged.stream().allMatch(t -> Mailboxes.count(data, "DB01", "kate", t + "\r\n") >= 1
                    && Mailboxes.count(data, "DB02", "lisa", t + "\r\n") >= 1));
            for (String token : acknowledged) {
                assertEquals(1, Mailboxes.count(data, "DB01", "kate", "Subject: " + token + "\r\n"), token);
                assertEquals(1, Mailboxes.count(data, "DB02", "lisa", "Subject: " + token + "\r\n"), token);
            }
            for (String[] box : new String[][]{{"DB01", "kate"}, {"DB02", "lisa"}}) {
                List<String> partial = Mailboxes.messages(data, box[0], box[1]).stream()
                    .filter(m -> !m.matches("(?s).*\\r\\n\\r\\nbody of kill9-\\d+-\\d+\\r\\n")).toList();
                assertEquals(List.of(), partial, "no partial message in " + box[1] + "'s mailbox");
            }
            int exit = restarted.stop();
            assertTrue(restarted.output().contains("Stopped."),
                "SIGTERM stops the relay through its shutdown hook (exit " + exit + "):\n" + restarted.output());
        }
    }
}
