package io.mailflow.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads what Mailbox Transport Delivery wrote: the Maildir files of one mailbox. */
final class Mailboxes {
    private Mailboxes() {
    }

    static List<String> messages(Path dataDirectory, String database, String alias) {
        Path fresh = dataDirectory.resolve("mailboxes").resolve(database).resolve(alias).resolve("new");
        if (!Files.isDirectory(fresh)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(fresh)) {
            return files.sorted().map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long count(Path dataDirectory, String database, String alias, String token) {
        return messages(dataDirectory, database, alias).stream().filter(m -> m.contains(token)).count();
    }

    static List<Path> tmpFiles(Path dataDirectory) {
        try (Stream<Path> files = Files.walk(dataDirectory.resolve("mailboxes"))) {
            return files.filter(p -> p.getParent().getFileName().toString().equals("tmp") && Files.isRegularFile(p))
                .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
