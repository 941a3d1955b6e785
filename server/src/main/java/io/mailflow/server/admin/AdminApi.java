package io.mailflow.server.admin;

import io.mailflow.server.PrivateFiles;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The admin API: Mailflow's counterpart of Exchange's remote PowerShell endpoint
 * ({@code http://server/PowerShell}). Listens on loopback only; each request carries the token
 * written to {@code DATA/admin.token} at start, so only someone who can read the data directory
 * administers the relay. A request is one line of Exchange Management Shell; the answer is what
 * the shell prints.
 */
public final class AdminApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    public static final String TOKEN_FILE = "admin.token";
    public static final String ENDPOINT_FILE = "admin.endpoint";
    /** Tells the shell whether the line ran without errors, as PowerShell's $? does. */
    public static final String SUCCESS_HEADER = "X-Mailflow-Success";

    /** What runs a line: the shell session of the server. */
    @FunctionalInterface
    public interface CommandRunner {
        Result run(String line);

        record Result(String text, boolean success) {
        }
    }

    private final ServerBinding binding;
    private final Path dataDirectory;

    private AdminApi(ServerBinding binding, Path dataDirectory) {
        this.binding = binding;
        this.dataDirectory = dataDirectory;
    }

    /** Binds {@code 127.0.0.1:port} (0 = any free port) and writes the token and endpoint files. */
    public static AdminApi start(ActorSystem system, int port, Path dataDirectory, CommandRunner runner,
                                 Executor executor) throws IOException {
        String token = newToken();
        writePrivate(dataDirectory.resolve(TOKEN_FILE), token);
        Route route = new Routes(token, runner, executor).route();
        ServerBinding binding;
        try {
            binding = Http.get(system).newServerAt("127.0.0.1", port).bind(route)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("the admin API cannot listen on 127.0.0.1:" + port + ": " + cause.getMessage(),
                cause);
        }
        InetSocketAddress bound = binding.localAddress();
        writePrivate(dataDirectory.resolve(ENDPOINT_FILE), "http://127.0.0.1:" + bound.getPort() + "/PowerShell");
        LOG.info("admin API listening on 127.0.0.1:{}", bound.getPort());
        return new AdminApi(binding, dataDirectory);
    }

    public int port() {
        return binding.localAddress().getPort();
    }

    @Override
    public void close() {
        binding.unbind();
        try {
            Files.deleteIfExists(dataDirectory.resolve(ENDPOINT_FILE));
        } catch (IOException ignored) {
            // a stale endpoint file only makes the shell say the relay is not running
        }
    }

    private static final class Routes extends AllDirectives {
        private final byte[] token;
        private final CommandRunner runner;
        private final Executor executor;

        Routes(String token, CommandRunner runner, Executor executor) {
            this.token = token.getBytes(StandardCharsets.US_ASCII);
            this.runner = runner;
            this.executor = executor;
        }

        Route route() {
            return path("PowerShell", () -> post(() -> extractRequest(request -> {
                String given = request.getHeader("Authorization").map(h -> h.value()).orElse("");
                if (!authorized(given)) {
                    return complete(StatusCodes.UNAUTHORIZED,
                        "The admin token is missing or wrong; read it from " + TOKEN_FILE + " in the data directory.\n");
                }
                return entity(Unmarshaller.entityToString(), line -> completeWithFuture(
                    CompletableFuture.supplyAsync(() -> runner.run(line.strip()), executor).thenApply(result ->
                        HttpResponse.create().withStatus(StatusCodes.OK)
                            .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create(SUCCESS_HEADER,
                                Boolean.toString(result.success())))
                            .withEntity(ContentTypes.TEXT_PLAIN_UTF8, result.text()))));
            })));
        }

        /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
        private boolean authorized(String header) {
            String prefix = "Bearer ";
            if (!header.startsWith(prefix)) {
                return false;
            }
            return MessageDigest.isEqual(token, header.substring(prefix.length()).strip()
                .getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        PrivateFiles.write(file, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
