package io.mailflow.delivery.smtp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A test double for the SMTP client's next hop: a plain {@link ServerSocket} on loopback that
 * accepts one connection and plays a script on its own thread, reading exactly what the client
 * wrote. Reads block (with a 10 s safety net), so a script that reads a whole pipelined group
 * before answering proves the client did not wait between those commands.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    interface Script {
        void play(Conversation conversation) throws Exception;
    }

    /** The server's side of one connection. */
    static final class Conversation {
        private final InputStream in;
        private final OutputStream out;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Conversation(Socket socket) throws IOException {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Writes a reply; {@code \n} separates the lines of a multi-line reply. */
        void send(String reply) throws IOException {
            out.write((reply.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One command line without its CRLF; fails on a bare LF, which SMTP forbids. */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("client closed the connection; line so far: " + line);
                }
                received.write(b);
                line.write(b);
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    if (bytes.length < 2 || bytes[bytes.length - 2] != '\r') {
                        throw new IOException("line not ended by CRLF: " + line);
                    }
                    return new String(bytes, 0, bytes.length - 2, StandardCharsets.UTF_8);
                }
            }
        }

        List<String> readLines(int count) throws IOException {
            List<String> lines = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                lines.add(readLine());
            }
            return lines;
        }

        /** The raw data after 354, still stuffed, up to and including the {@code .CRLF} line. */
        String readData() throws IOException {
            StringBuilder data = new StringBuilder();
            while (true) {
                String line = readLine();
                data.append(line).append("\r\n");
                if (line.equals(".")) {
                    return data.toString();
                }
            }
        }

        /** Blocks until the client closes the connection; true if it did without sending more. */
        boolean clientClosed() throws IOException {
            return in.read() < 0;
        }

        /** Every byte the client sent so far. */
        String received() {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket serverSocket;
    private final CompletableFuture<Conversation> finished = new CompletableFuture<>();

    ScriptedSmtpServer(Script script) throws IOException {
        serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = serverSocket.accept()) {
                socket.setSoTimeout(10_000);
                Conversation conversation = new Conversation(socket);
                script.play(conversation);
                finished.complete(conversation);
            } catch (Throwable e) {
                finished.completeExceptionally(e);
            }
        }, "scripted-smtp-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Waits for the script to end and rethrows what it failed with (assertions included). */
    Conversation awaitScript() throws Exception {
        try {
            return finished.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }
}
