package io.mailflow.server.cli;

import io.mailflow.server.admin.AdminApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code mailflow shell}: an Exchange Management Shell for the running relay. Each line goes to
 * the relay's admin API (loopback, with the token from the data directory) and its output is
 * printed. {@code -c "line"} runs one line and exits non-zero when it failed, for scripts.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = "Administer the running relay with Exchange Management Shell commands.")
public final class ShellCommand implements Callable<Integer> {
    static final String PROMPT = "[PS] Mailflow> ";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
        description = "The running relay's data directory (default: ${DEFAULT-VALUE})")
    Path dataDirectory;

    @Option(names = "-c", paramLabel = "COMMAND", description = "Run one line and exit (status 1 if it failed)")
    String command;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        String endpoint;
        String token;
        try {
            endpoint = Files.readString(dataDirectory.resolve(AdminApi.ENDPOINT_FILE)).strip();
            token = Files.readString(dataDirectory.resolve(AdminApi.TOKEN_FILE)).strip();
        } catch (NoSuchFileException e) {
            System.err.println("No relay is running with data directory " + dataDirectory.toAbsolutePath()
                + " (" + e.getFile() + " is missing). Start one with ./mailflow relay.");
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (command != null) {
            return send(http, endpoint, token, command, out) ? 0 : 1;
        }
        out.println("Mailflow Management Shell. Type Exchange cmdlets, e.g. Get-ReceiveConnector | fl *maxin*; exit to leave.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null || line.strip().equalsIgnoreCase("exit")) {
                return 0;
            }
            if (!line.isBlank()) {
                send(http, endpoint, token, line, out);
            }
        }
    }

    private static boolean send(HttpClient http, String endpoint, String token, String line, PrintStream out)
        throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(line, StandardCharsets.UTF_8))
            .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("The relay's admin API at " + endpoint + " does not answer: " + e.getMessage());
            return false;
        }
        if (response.statusCode() != 200) {
            System.err.print(response.body());
            return false;
        }
        boolean success = response.headers().firstValue(AdminApi.SUCCESS_HEADER).map(Boolean::parseBoolean)
            .orElse(false);
        (success ? out : System.err).print(response.body());
        (success ? out : System.err).flush();
        return success;
    }
}
