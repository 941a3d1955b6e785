package io.mailflow.server;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.spool.RocksDbSpool;
import io.mailflow.core.spool.Spool;
import io.mailflow.core.time.SystemClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PoisonThreshold (2): a message that was being worked on when the process died twice is held in
 * the Poison queue at the next start, suspended, instead of being tried a third time; an
 * administrator's Resume-Message sends it back to the categorizer, and it is delivered.
 */
class PoisonQueueTest {
    @TempDir
    Path directory;

    @Test
    void aMessageInProcessDuringTwoCrashesIsHeldInThePoisonQueueUntilResumed() throws Exception {
        TestOrganization org = TestOrganization.write(directory);
        Path data = directory.resolve("data");
        long id;
        try (Spool spool = RocksDbSpool.open(data.resolve("queue"))) {
            id = spool.nextInternalId();
            Envelope envelope = new Envelope(id, "<poison@example.com>", Optional.of(SmtpAddress.of("a@example.com")),
                List.of(EnvelopeRecipient.ready(SmtpAddress.of("kate@contoso.test"))), Instant.now(), "127.0.0.1",
                "client.example", "EX01\\Default Frontend EX01", "ex01.contoso.test", 40, "poison", BodyType.SevenBit,
                false, null);
            spool.store(envelope, "Subject: poison\r\n\r\nkills the categorizer\r\n".getBytes(StandardCharsets.US_ASCII));
            spool.markInProcess(id); // the first crash
        }
        try (Spool spool = RocksDbSpool.open(data.resolve("queue"))) {
            assertEquals(1, spool.countCrashes().get(id));
            spool.markInProcess(id); // the second crash
        }
        try (Topology relay = Topology.start(OrganizationLoader.load(org.file), "EX01", data, SystemClock.INSTANCE, 0)) {
            Eventually.await("the Poison queue", Duration.ofSeconds(20), () -> AdminShell.run(data,
                "Get-Queue | fl Identity,MessageCount").output().contains("EX01\\Poison"));
            String queue = AdminShell.run(data, "Get-Queue EX01\\Poison | fl MessageCount,DeliveryType,NextHopDomain").output();
            assertTrue(queue.contains("MessageCount  : 1") && queue.contains("Poison Message"), queue);
            String message = AdminShell.run(data, "Get-Message -Queue EX01\\Poison | fl Identity,Status").output();
            assertTrue(message.contains("EX01\\Poison\\" + id) && message.contains("Suspended"), message);
            assertEquals(0, Mailboxes.count(data, "DB01", "kate", "kills the categorizer"));
            AdminShell.Result resumed = AdminShell.run(data, "Resume-Message EX01\\Poison\\" + id + " -Confirm:$false");
            assertTrue(resumed.success(), resumed.output());
            Eventually.await("delivery after Resume-Message", Duration.ofSeconds(20),
                () -> Mailboxes.count(data, "DB01", "kate", "kills the categorizer") == 1);
            Eventually.await("the empty Poison queue to be hidden", Duration.ofSeconds(10),
                () -> !AdminShell.run(data, "Get-Queue").output().contains("Poison"));
        }
    }
}
