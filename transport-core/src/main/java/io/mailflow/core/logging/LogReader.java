package io.mailflow.core.logging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Logging, the read side: walks a log's files oldest first and hands each record to the caller
 * with its fields named by the file's own {@code #Fields:} line, so files whose fields come in
 * another order (or Exchange's own files, with fields Mailflow does not write) still read.
 * Comment lines are skipped; a record the caller cannot make sense of (it throws
 * {@link IllegalArgumentException}, e.g. a half-written last line) is skipped too.
 */
final class LogReader {
    private LogReader() {
    }

    /** One record: its values by field name; a field the file lacks reads as empty. */
    static final class Row {
        private final Map<String, Integer> index;
        private final List<String> values;

        private Row(Map<String, Integer> index, List<String> values) {
            this.index = index;
            this.values = values;
        }

        String get(String field) {
            Integer i = index.get(field);
            return i == null || i >= values.size() ? "" : values.get(i);
        }

        int size() {
            return values.size();
        }
    }

    static void forEach(Path directory, String prefix, Consumer<Row> consumer) {
        for (Path file : RollingLogFile.files(directory, prefix)) {
            read(file, consumer);
        }
    }

    static void read(Path file, Consumer<Row> consumer) {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            Map<String, Integer> index = Map.of();
            int fieldCount = 0;
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                if (line.startsWith("#Fields:")) {
                    List<String> names = Csv.parse(line.substring("#Fields:".length()).trim());
                    Map<String, Integer> fresh = new HashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        fresh.put(names.get(i).trim(), i);
                    }
                    index = fresh;
                    fieldCount = names.size();
                    continue;
                }
                if (line.isEmpty() || line.startsWith("#") || index.isEmpty()) {
                    continue;
                }
                List<String> values = Csv.parse(line);
                if (values.size() != fieldCount) {
                    continue;
                }
                try {
                    consumer.accept(new Row(index, values));
                } catch (IllegalArgumentException malformed) {
                    // a record this reader cannot interpret: skip it, keep reading
                }
            }
        } catch (NoSuchFileException gone) {
            // removed by retention while we listed: nothing to read
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log " + file, e);
        }
    }
}
