package io.mailflow.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only the relay's user may read (the admin token, the TLS private key): created with mode
 * 0600 from the start, so there is no moment at which another user could open them.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Writes {@code content} to a new file readable by its owner only, replacing any old one. */
    public static void write(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // a file system without POSIX modes: its own ACLs apply
        }
        Files.write(file, content);
    }
}
