package io.mailflow.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The relay as its own process, started the way `./mailflow relay` starts it, so a test can
 * kill it with SIGKILL and start it again on the same data directory.
 */
final class RelayProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private Thread pump;

    private RelayProcess(Process process) {
        this.process = process;
    }

    static RelayProcess start(Path config, Path dataDirectory, String... wrapper) throws IOException {
        List<String> command = new ArrayList<>(List.of(wrapper));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-cp", System.getProperty("java.class.path"), "io.mailflow.server.cli.MailflowCommand", "relay",
            "--config", config.toString(), "--data-dir", dataDirectory.toString(), "--admin-port", "0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        RelayProcess relay = new RelayProcess(p);
        relay.awaitReady();
        return relay;
    }

    private void awaitReady() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        pump = new Thread(() -> {
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("Ready.")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
            ready.complete(false);
        }, "relay-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!ready.get(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the relay did not start:\n" + output());
            }
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the relay did not start:\n" + output(), e);
        }
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing but what is already on disk survives. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the relay's shutdown hook stops it cleanly. */
    int stop() throws InterruptedException {
        // Process.destroy() would also close our end of its output, losing what the hook prints.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        pump.join(10_000); // the last lines it printed
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
