package io.mailflow.frontend.receive;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import io.mailflow.core.smtp.SmtpFramer;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.ManualClock;
import io.mailflow.frontend.auth.Authenticator;
import io.mailflow.frontend.auth.DirectoryAuthenticator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Test shell for {@link SmtpSession}: the demo organization's connector (changed as
 * Set-ReceiveConnector would), a real {@link SmtpFramer} in front of the session and a
 * {@link ManualClock}, so a test reads like a telnet transcript. It plays the part of
 * SmtpConnectionStage without Pekko: it switches the framer to data mode on 354, stops decoding
 * while a message is being submitted, drops the plaintext after STARTTLS's 220 until the test
 * reports the handshake, and keeps every {@link SessionOutput} for inspection.
 */
final class SessionFixture {

    static final Organization DEMO = OrganizationLoader.loadResource("mailflow/demo-organization.conf");
    static final String DEFAULT_FRONTEND = "Default Frontend EX01";
    static final String CLIENT_IP = "192.0.2.10";
    static final String SERVER_IP = "127.0.0.1";

    final ManualClock clock = ManualClock.atEpoch();
    final ReceiveConnector connector;
    final SmtpSession session;
    final SmtpFramer framer;
    /** Every output of the session, oldest first. */
    final List<SessionOutput> outputs = new ArrayList<>();
    /** The outputs of the last call only. */
    private List<SessionOutput> lastOutputs = List.of();
    /** The session asked the outbound proxy's leg and waits for its reply, as the stage does. */
    private boolean awaitingProxy;
    /** STARTTLS was answered; the handshake has not been reported yet. */
    private boolean awaitingTls;

    final SessionPolicies policies;

    private SessionFixture(ReceiveConnector connector, java.util.function.Function<ManualClock, SessionPolicies> policies) {
        this.connector = connector;
        this.policies = policies.apply(clock);
        this.session = new SmtpSession(connector, DEMO, this.policies, clock, "08DE0000000000A1", CLIENT_IP,
            SERVER_IP);
        this.framer = new SmtpFramer(connector.maxCommandSize());
    }

    /** Default Frontend EX01 with Exchange's defaults. */
    static SessionFixture defaultFrontend() {
        return on(DEFAULT_FRONTEND, b -> b);
    }

    /** Default Frontend EX01 with some parameters changed. */
    static SessionFixture defaultFrontend(UnaryOperator<ReceiveConnectorBuilder> change) {
        return on(DEFAULT_FRONTEND, change);
    }

    static SessionFixture on(String connectorName, UnaryOperator<ReceiveConnectorBuilder> change) {
        return on(connectorName, change, false);
    }

    /** A connector of the demo, changed, on a server that has a certificate for STARTTLS. */
    static SessionFixture withCertificate(String connectorName, UnaryOperator<ReceiveConnectorBuilder> change) {
        return on(connectorName, change, true);
    }

    private static SessionFixture on(String connectorName, UnaryOperator<ReceiveConnectorBuilder> change,
                                     boolean certificate) {
        ReceiveConnector changed = change.apply(ReceiveConnectorBuilder.from(connector(connectorName))).build();
        return new SessionFixture(changed, clock -> {
            SessionPolicies defaults = SessionPolicies.defaults(DEMO, changed, clock);
            return new SessionPolicies(defaults.recipientFilter(), defaults.backPressure(), defaults.messageRate(),
                defaults.authenticator(), certificate);
        });
    }

    /** Default Frontend EX01 with server-wide policies of the test's choosing (filtering, pressure). */
    static SessionFixture withPolicies(java.util.function.Function<ManualClock, SessionPolicies> policies) {
        return new SessionFixture(connector(DEFAULT_FRONTEND), policies);
    }

    static ReceiveConnector connector(String name) {
        return DEMO.receiveConnectorsOn("EX01").stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("demo organization has no connector " + name));
    }

    /** Connects: the banner lines. */
    List<String> connect() {
        return record(List.of(session.start()));
    }

    /** Connects and greets with EHLO, for tests about what comes after. */
    SessionFixture greeted() {
        connect();
        send("EHLO client.fabrikam.example");
        return this;
    }

    /** Sends one command line (CRLF added) and returns the reply lines, as telnet shows them. */
    List<String> send(String line) {
        return feed((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends message data as is: it must end with {@code CRLF.CRLF} to complete. */
    List<String> data(String content) {
        return feed(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw bytes and decodes every complete frame, as the stage does. */
    List<String> feed(byte[] bytes) {
        if (awaitingTls) {
            return record(List.of());
        }
        framer.feed(bytes);
        List<SessionOutput> produced = new ArrayList<>();
        while (!submitting() && !awaitingProxy && !awaitingTls && !session.isClosed()) {
            SmtpFramer.Frame frame = framer.next();
            if (frame == null) {
                break;
            }
            SessionOutput out = apply(session.onFrame(frame));
            produced.add(out);
            SessionOutput answered = logon(out);
            if (answered != null) {
                produced.add(answered);
            }
        }
        return record(produced);
    }

    /** The outbound proxy's leg answered; frames held back meanwhile are decoded now. */
    List<String> proxyReply(SmtpReply reply) {
        awaitingProxy = false;
        List<SessionOutput> produced = new ArrayList<>();
        produced.add(apply(session.onProxyReply(reply)));
        List<String> lines = new ArrayList<>(record(produced));
        lines.addAll(feed(new byte[0]));
        lastOutputs = List.copyOf(produced);
        return lines;
    }

    /** The request the session made of the proxy's leg in the last call. */
    ProxyRequest proxyRequest() {
        return lastOutputs.stream().map(SessionOutput::proxy).flatMap(Optional::stream).findFirst()
            .orElseThrow(() -> new AssertionError("the last call asked nothing of the proxy: " + lastOutputs));
    }

    /** The demo organization's mailbox users, checked on the caller's thread. */
    static Authenticator demoDirectory() {
        return new DirectoryAuthenticator(() -> DEMO, Runnable::run);
    }

    /** Credentials are checked at once, as the stage's authenticator would answer later. */
    private SessionOutput logon(SessionOutput out) {
        return out.logon().map(request -> apply(session.onLogonResult(
            policies.authenticator().logon(request).toCompletableFuture().join()))).orElse(null);
    }

    /** The TLS handshake that STARTTLS started completed. */
    List<String> tlsNegotiated(String protocol, String cipherSuite) {
        awaitingTls = false;
        return record(List.of(session.onTlsNegotiated(protocol, cipherSuite)));
    }

    private SessionOutput apply(SessionOutput out) {
        out.startDataWithSizeLimit().ifPresent(framer::startData);
        if (out.startTls()) {
            framer.discardBuffered();
            awaitingTls = true;
        }
        awaitingProxy = out.proxy().filter(r -> !(r instanceof ProxyRequest.Close)).isPresent();
        return out;
    }

    /** The sink made the message durable. */
    List<String> queued(long internalId, String messageId) {
        return record(List.of(session.onQueued(new MessageSink.Queued(internalId, messageId))));
    }

    List<String> submitFailed(String reason) {
        return record(List.of(session.onSubmitFailed(reason)));
    }

    List<String> tick() {
        return record(List.of(session.onTick()));
    }

    void advance(Duration by) {
        clock.advance(by);
    }

    /** The single output of the last call. */
    SessionOutput last() {
        if (lastOutputs.size() != 1) {
            throw new AssertionError("expected one output from the last call, got " + lastOutputs);
        }
        return lastOutputs.get(0);
    }

    /** The message handed to the sink by the last call. */
    ReceivedMessage submitted() {
        return lastOutputs.stream().map(SessionOutput::submit).flatMap(Optional::stream).findFirst()
            .orElseThrow(() -> new AssertionError("the last call submitted nothing: " + lastOutputs));
    }

    boolean submitting() {
        return session.state() == SmtpSession.State.SUBMITTING;
    }

    /** A MAIL and one RCPT in an accepted domain, both accepted. */
    SessionFixture transaction() {
        send("MAIL FROM:<chris@fabrikam.example>");
        send("RCPT TO:<kate@contoso.test>");
        return this;
    }

    private List<String> record(List<SessionOutput> produced) {
        lastOutputs = List.copyOf(produced);
        outputs.addAll(produced);
        List<String> lines = new ArrayList<>();
        for (SessionOutput out : produced) {
            for (SmtpReply reply : out.replies()) {
                lines.addAll(Arrays.asList(reply.render().split("\r\n")));
            }
        }
        return lines;
    }
}
