package io.mailflow.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk under the spool: the relay runs with its data directory on a 16 MB tmpfs (in a
 * mount namespace of its own, made with unshare) until the spool cannot write. Then it must
 * refuse with a 4xx without crashing or hanging, say why in its log, and still have every message
 * it acknowledged: a restart on a copy of the data with room to spare delivers each of them exactly
 * once. Which refusal comes first is a race the relay may win either way, and both are Exchange's:
 * the spool write fails ({@code 451 4.3.2}), or back pressure's disk reading (every 2 s) passes its
 * threshold first and MAIL FROM is refused ({@code 452 4.3.1}).
 */
class FullDiskTest {
    private static final String SPOOL_WRITE_FAILED = "451 4.3.2 System not accepting network messages";
    private static final String DISK_BACK_PRESSURE = "452 4.3.1 Insufficient system resources";
    private static final String FILLER = ("x".repeat(76) + "\r\n").repeat(650); // ~50 KB of body

    @TempDir
    Path directory;

    @Test
    void aFullSpoolDiskAnswers451AndLosesNoAcknowledgedMessage() throws Exception {
        TestOrganization org = TestOrganization.write(directory,
            "{ Name = \"Default Frontend EX01\", Server = EX01, TarpitInterval = \"00:00:00\" }");
        Path data = directory.resolve("tiny");
        Files.createDirectories(data);
        List<String> acknowledged = new ArrayList<>();
        String refusal = null;
        Path copy = directory.resolve("copy");
        try (RelayProcess relay = RelayProcess.start(org.file, data, "unshare", "-rm", "sh", "-c",
            "mount -t tmpfs -o size=16m tmpfs \"$0\" && exec \"$@\"", data.toString())) {
            try (SmtpTestClient c = new SmtpTestClient(org.defaultFrontendPort())) {
                c.reply();
                c.command("EHLO filler.example");
                for (int i = 0; i < 2000 && refusal == null; i++) {
                    String token = "disk-" + i;
                    String reply = c.sendMessage("filler@example.com", List.of("chris@contoso.test"),
                        "Subject: " + token + "\r\n\r\n" + FILLER);
                    if (reply.startsWith("250 2.6.0")) {
                        acknowledged.add(token);
                    } else {
                        refusal = reply;
                    }
                }
                assertTrue(List.of(SPOOL_WRITE_FAILED, DISK_BACK_PRESSURE).contains(refusal), refusal);
                assertEquals("250 2.0.0 OK", c.command("NOOP"), "the session survives the refusal");
            }
            try (SmtpTestClient c = new SmtpTestClient(org.defaultFrontendPort())) {
                assertTrue(c.replyLine().startsWith("220 "), "the relay still accepts connections");
            }
            assertTrue(relay.output().contains(refusal.equals(SPOOL_WRITE_FAILED) ? "could not be spooled"
                : "back pressure on UsedDiskSpace[queue]"), refusal + "\n" + relay.output());
            // Freeze the relay as a SIGKILL would, and take its data out of the namespace it sees.
            new ProcessBuilder("kill", "-STOP", Long.toString(relay.pid())).start().waitFor();
            copyTree(Path.of("/proc", Long.toString(relay.pid()), "root").resolve(data.toString().substring(1)), copy);
            relay.kill();
        }
        assertTrue(acknowledged.size() > 10, "the disk held some messages before it filled: " + acknowledged.size());

        try (RelayProcess restarted = RelayProcess.start(org.file, copy)) {
            Eventually.await("every acknowledged message delivered", Duration.ofSeconds(60),
                () -> acknowledged.stream().allMatch(t -> Mailboxes.count(copy, "DB01", "chris", t + "\r\n") >= 1));
            for (String token : acknowledged) {
                assertEquals(1, Mailboxes.count(copy, "DB01", "chris", "Subject: " + token + "\r\n"), token);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
