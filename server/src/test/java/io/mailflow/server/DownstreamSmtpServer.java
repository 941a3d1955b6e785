package io.mailflow.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server a Send connector delivers to, as a test needs it: it can answer 421 at the greeting
 * for a while (a smart host that is down), refuse chosen recipients with 550, and records every
 * message it accepted. Plain sockets and threads: nothing of Mailflow's.
 */
final class DownstreamSmtpServer implements AutoCloseable {
    record Received(String mailFrom, List<String> recipients, String data) {
    }

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "downstream-smtp");
        t.setDaemon(true);
        return t;
    });
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** The name each client announced in EHLO or HELO, in order. */
    final List<String> helloNames = new CopyOnWriteArrayList<>();
    volatile boolean down;
    volatile Set<String> refused = Set.of();

    DownstreamSmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    long count(String token) {
        return received.stream().filter(r -> r.data().contains(token)).count();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                threads.submit(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = s.getOutputStream()) {
            if (down) {
                write(out, "421 4.3.2 Service not available, closing transmission channel");
                return;
            }
            write(out, "220 downstream.fabrikam.example ESMTP test server");
            String from = null;
            List<String> rcpts = new CopyOnWriteArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    helloNames.add(line.substring(4).strip());
                }
                if (upper.startsWith("EHLO")) {
                    write(out, "250-downstream.fabrikam.example\r\n250-8BITMIME\r\n250 SIZE 52428800");
                } else if (upper.startsWith("HELO")) {
                    write(out, "250 downstream.fabrikam.example");
                } else if (upper.startsWith("MAIL FROM:")) {
                    from = path(line.substring(10));
                    rcpts.clear();
                    write(out, "250 2.1.0 Sender OK");
                } else if (upper.startsWith("RCPT TO:")) {
                    String to = path(line.substring(8));
                    if (refused.contains(to.toLowerCase(Locale.ROOT))) {
                        write(out, "550 5.1.1 User unknown");
                    } else {
                        rcpts.add(to);
                        write(out, "250 2.1.5 Recipient OK");
                    }
                } else if (upper.equals("DATA")) {
                    write(out, "354 Start mail input; end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    String d;
                    while ((d = in.readLine()) != null && !d.equals(".")) {
                        data.append(d.startsWith(".") ? d.substring(1) : d).append("\r\n");
                    }
                    received.add(new Received(from, List.copyOf(rcpts), data.toString()));
                    write(out, "250 2.6.0 Queued mail for delivery");
                } else if (upper.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    return;
                } else {
                    write(out, "250 2.0.0 OK");
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static String path(String text) {
        String t = text.strip();
        int sp = t.indexOf(' ');
        if (sp > 0) {
            t = t.substring(0, sp);
        }
        return t.replace("<", "").replace(">", "");
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
