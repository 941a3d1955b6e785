package io.mailflow.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain SMTP client for tests: writes exactly the bytes it is given and reads
 * replies line by line, so tests can send what real clients never would (bare LF, NUL, huge
 * lines) and see the relay's exact answer.
 */
final class SmtpTestClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SmtpTestClient(int port) throws IOException {
        this(null, port);
    }

    /**
     * From another loopback address ({@code 127.0.0.2}): a client that is not one of the
     * organization's servers, for connectors that tell them apart by RemoteIPRanges.
     */
    SmtpTestClient(String sourceAddress, int port) throws IOException {
        socket = new Socket();
        if (sourceAddress != null) {
            socket.bind(new InetSocketAddress(sourceAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Reads one whole reply (all its continuation lines) and returns its lines. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                if (lines.isEmpty()) {
                    return null;
                }
                return lines;
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    /** The last line of the next reply, e.g. {@code 250 2.1.0 Sender OK}. */
    String replyLine() throws IOException {
        List<String> r = reply();
        return r == null ? null : r.get(r.size() - 1);
    }

    String command(String line) throws IOException {
        send(line + "\r\n");
        return replyLine();
    }

    void send(String raw) throws IOException {
        sendBytes(raw.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /**
     * STARTTLS's second half, after the 220: TLS over this connection (the JDK's own client),
     * trusting {@code context}'s roots and checking that the certificate names {@code host}.
     */
    void startTls(SSLContext context, String host) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    /** The negotiated TLS protocol and cipher suite, after {@link #startTls}. */
    String tlsSession() {
        var session = ((SSLSocket) socket).getSession();
        return session.getProtocol() + " " + session.getCipherSuite();
    }

    /** True when the server has closed the connection. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** EHLO, MAIL, RCPT..., DATA, content, dot; returns the reply to the final dot. */
    String sendMessage(String from, List<String> to, String content) throws IOException {
        String r = command("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        for (String rcpt : to) {
            r = command("RCPT TO:<" + rcpt + ">");
            if (!r.startsWith("250")) {
                return r;
            }
        }
        r = command("DATA");
        if (!r.startsWith("354")) {
            return r;
        }
        String crlf = content.replace("\r\n", "\n").replace("\n", "\r\n");
        String stuffed = (crlf.startsWith(".") ? "." : "") + crlf.replace("\r\n.", "\r\n..");
        send(stuffed + (stuffed.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return replyLine();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
