package io.mailflow.server;

import io.mailflow.server.admin.AdminApi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Types Exchange Management Shell lines at a running relay, the way `mailflow shell -c` does:
 * through the admin API with the token from the data directory, or by running the real client.
 */
final class AdminShell {
    record Result(String output, boolean success) {
    }

    private AdminShell() {
    }

    static Result run(Path dataDirectory, String line) {
        try {
            String endpoint = Files.readString(dataDirectory.resolve(AdminApi.ENDPOINT_FILE)).strip();
            String token = Files.readString(dataDirectory.resolve(AdminApi.TOKEN_FILE)).strip();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(line)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Result(response.body(),
                response.headers().firstValue(AdminApi.SUCCESS_HEADER).map(Boolean::parseBoolean).orElse(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** `mailflow shell --data-dir DIR -c LINE` as its own process: its output and exit status. */
    static Result client(Path dataDirectory, String line) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "io.mailflow.server.cli.MailflowCommand", "shell",
            "--data-dir", dataDirectory.toString(), "-c", line));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("mailflow shell did not finish: " + out);
        }
        return new Result(out, p.exitValue() == 0);
    }
}
