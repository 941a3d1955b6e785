package io.mailflow.delivery.mailbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The mailbox store behind Mailbox Transport Delivery: one Maildir per mailbox, under
 * {@code DATA/mailboxes/<Database>/<alias>/}. A delivery is written to {@code tmp/}, synced,
 * then renamed into {@code new/} (atomic), so a mailbox never holds a partial message.
 * File names are derived from the spool's InternalId and the recipient, so delivering the same
 * copy twice (a crash between the rename and the spool update) finds the first file and does not
 * duplicate it: delivery is idempotent, which is what makes "exactly once" hold across kill -9.
 */
public final class MaildirStore {
    private final Path root;
    private final String hostname;
    /** Maildirs known to have tmp/, new/ and cur/: created once, not checked on every delivery. */
    private final java.util.Set<Path> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public MaildirStore(Path root, String hostname) {
        this.root = root;
        this.hostname = hostname.replace('/', '_').replace(':', '_');
    }

    public enum Outcome { Delivered, AlreadyDelivered }

    /**
     * Delivers {@code content} to the mailbox; returns only once it is durable.
     *
     * @param deliveryId unique and stable for this (message, recipient) pair
     */
    public Outcome deliver(String database, String alias, String deliveryId, byte[] content) throws IOException {
        Path maildir = maildir(database, alias);
        Path tmp = maildir.resolve("tmp");
        Path cur = maildir.resolve("cur");
        Path fresh = maildir.resolve("new");
        String name = deliveryId + "." + hostname;
        Path target = fresh.resolve(name);
        if (Files.exists(target) || alreadyRead(cur, name)) {
            return Outcome.AlreadyDelivered;
        }
        if (!created.contains(maildir)) {
            Files.createDirectories(tmp);
            Files.createDirectories(cur);
            Files.createDirectories(fresh);
            created.add(maildir);
        }
        Path temp = tmp.resolve(name);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
            return Outcome.AlreadyDelivered;
        }
        syncDirectory(fresh);
        return Outcome.Delivered;
    }

    public Path maildir(String database, String alias) {
        return root.resolve(safe(database)).resolve(safe(alias.toLowerCase(Locale.ROOT)));
    }

    /** A mail client moves read messages to cur/ and appends {@code :2,flags} to the name. */
    private static boolean alreadyRead(Path cur, String name) throws IOException {
        if (!Files.isDirectory(cur)) {
            return false;
        }
        try (var stream = Files.newDirectoryStream(cur, name + "*")) {
            return stream.iterator().hasNext();
        }
    }

    /** The rename is durable only once the directory entry is on disk. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse to open a directory; the rename is then as durable as they make it.
        }
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._@+-]", "_");
        return s.equals(".") || s.equals("..") ? "_" : s;
    }
}
