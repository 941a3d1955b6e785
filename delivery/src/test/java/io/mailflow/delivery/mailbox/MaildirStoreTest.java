package io.mailflow.delivery.mailbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MaildirStoreTest {
    @TempDir
    Path root;

    @Test
    void aDeliveryLandsInNewWithNothingLeftInTmp() throws Exception {
        MaildirStore store = new MaildirStore(root, "ex01.contoso.test");
        byte[] content = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(MaildirStore.Outcome.Delivered, store.deliver("DB01", "Kate", "1.M1Rabc", content));
        Path maildir = root.resolve("DB01").resolve("kate");
        try (var files = Files.list(maildir.resolve("new"))) {
            Path only = files.findFirst().orElseThrow();
            assertEquals("1.M1Rabc.ex01.contoso.test", only.getFileName().toString());
            assertArrayEquals(content, Files.readAllBytes(only));
        }
        try (var tmp = Files.list(maildir.resolve("tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    @Test
    void deliveringTheSameCopyAgainIsFoundNotDuplicated() throws Exception {
        MaildirStore store = new MaildirStore(root, "ex01");
        byte[] content = "x".getBytes(StandardCharsets.US_ASCII);
        store.deliver("DB01", "kate", "9.M9R1", content);
        assertEquals(MaildirStore.Outcome.AlreadyDelivered, store.deliver("DB01", "kate", "9.M9R1", content));
        // A mail client that has read it moved it to cur/ with flags: still found.
        Path fresh = root.resolve("DB01/kate/new/9.M9R1.ex01");
        Files.move(fresh, root.resolve("DB01/kate/cur/9.M9R1.ex01:2,S"));
        assertEquals(MaildirStore.Outcome.AlreadyDelivered, store.deliver("DB01", "kate", "9.M9R1", content));
        try (var files = Files.list(root.resolve("DB01/kate/new"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void namesThatCouldEscapeTheStoreAreMadeSafe() throws Exception {
        MaildirStore store = new MaildirStore(root, "ex01");
        store.deliver("..", "../../etc", "1.M1R1", new byte[]{1});
        assertEquals(root.resolve("_").resolve(".._.._etc"), store.maildir("..", "../../etc"));
        assertEquals(true, Files.exists(store.maildir("..", "../../etc").resolve("new/1.M1R1.ex01")));
    }
}
