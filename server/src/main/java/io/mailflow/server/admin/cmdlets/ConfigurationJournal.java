package io.mailflow.server.admin.cmdlets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Where changes typed in the shell outlive a restart. Exchange keeps its configuration in Active
 * Directory; Mailflow keeps the organization file as the administrator wrote it and appends each
 * change made with the shell, as one canonical Exchange Management Shell line, to
 * {@code DATA/configuration-changes.ps1}. At start the lines are replayed, in order, onto the
 * organization read from the file. The file can be read, edited or deleted like a script.
 */
public final class ConfigurationJournal {
    public static final String FILE = "configuration-changes.ps1";
    private static final String HEADER = """
        # Mailflow configuration changes made with `mailflow shell`, oldest first.
        # They are replayed onto the organization file at every start of the relay.
        # Delete a line (or this file) to undo a change at the next start.
        """;

    private final Path file;

    public ConfigurationJournal(Path dataDirectory) {
        this.file = dataDirectory.resolve(FILE);
    }

    public synchronized void record(String line, Instant at) {
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER, StandardCharsets.UTF_8);
            }
            Files.writeString(file, "# " + at + "\n" + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the change in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The recorded lines, comments left out. */
    public List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.stripLeading().startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** PowerShell's single-quoted string: nothing is expanded, a quote is doubled. */
    public static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
