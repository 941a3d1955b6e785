package io.mailflow.simulator.model;

import io.mailflow.core.smtp.SmtpFramer;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.frontend.admission.ConnectionAdmission;
import io.mailflow.frontend.auth.LogonResult;
import io.mailflow.frontend.receive.MessageSink;
import io.mailflow.frontend.receive.ReceivedMessage;
import io.mailflow.frontend.receive.SessionOutput;
import io.mailflow.frontend.receive.SmtpSession;
import io.mailflow.simulator.scenario.Workload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Simulator model: one client connection, from the connection attempt to QUIT. The relay's side
 * is the relay's own code: {@link ConnectionAdmission#tryAdmit} decides whether it opens, and an
 * {@link SmtpSession} — the class the relay's Pekko stream drives — answers every command
 * (MessageRateLimit at MAIL, back pressure, relay permission, the Recipient Filter agent and
 * TarpitInterval at RCPT, MaxMessageSize at end of data, ConnectionTimeout and
 * ConnectionInactivityTimeout, STARTTLS and RequireTLS, AUTH with AuthTarpitInterval and
 * MaxLogonFailures, checked by the relay's own directory authenticator). The client here sends
 * one command per round trip, without
 * PIPELINING, and waits out each reply's tarpit delay; the spool's sync is a
 * {@code ServiceTimes.SpoolSync} delay between end of data and the 250. A LinkLatency fault on
 * the workload adds its round trip to every exchange; a ServerDown refuses the connection, or
 * cuts it: whatever was not yet acknowledged with 250 stays with the sender.
 */
final class ClientConnection {
    private final Sender sender;
    private final Simulation sim;
    SimMessage message;
    private final long firstAttemptAt;
    private ConnectionAdmission.Admitted admitted;
    private SmtpSession session;
    private int sent;
    private int rcptIndex;
    private final List<String> acceptedRecipients = new ArrayList<>();
    private final List<String> deferredRecipients = new ArrayList<>();
    private long dataSizeLimit;
    private int idleToken;
    private boolean signedIn;
    /** The server stopped under this connection: its pending events do nothing. */
    private boolean cut;

    ClientConnection(Sender sender, SimMessage message) {
        this.sender = sender;
        this.sim = sender.sim;
        this.message = message;
        this.firstAttemptAt = sim.kernel.now();
    }

    private Workload workload() {
        return sender.workload;
    }

    /** A new connection attempt: admitted, or refused and handed to the sender's OnRefusal rule. */
    void attempt() {
        if (firstAttemptAt >= sim.warmUp) {
            sender.stats.connectionsAttempted++;
        }
        if (sim.isDown()) {
            sender.refusedWhileDown(this, sim.downFault());
            return;
        }
        ConnectionAdmission.Refused refused = tryOpen();
        if (refused != null) {
            sender.onRefused(this, refused);
        }
    }

    /** Asks the connector again for a client waiting in line; the refusal, or null once open. */
    ConnectionAdmission.Refused tryOpen() {
        long now = sim.kernel.now();
        boolean counted = firstAttemptAt >= sim.warmUp;
        ConnectionAdmission.Decision d = sim.admission(workload().connector())
            .tryAdmit(workload().sourceIp(), Optional.empty());
        if (d instanceof ConnectionAdmission.Refused refused) {
            return refused;
        }
        admitted = (ConnectionAdmission.Admitted) d;
        if (counted) {
            sender.stats.connectionsAccepted++;
            long waited = now - firstAttemptAt;
            if (waited > 0) {
                sender.stats.connectionsWaited++;
                sender.stats.connectionWaitNanos += waited;
            }
        }
        sim.connectionOpened(sender, this);
        session = sim.newSession(workload());
        session.start();
        // TCP handshake and banner: one round trip, then EHLO.
        later(0, this::ehlo);
        return null;
    }

    private void later(long delay, Runnable next) {
        long extra = sender.links.isEmpty() ? 0 : sim.extraRoundTrip(sender, message);
        sim.kernel.schedule(sender.roundTrip + extra + delay, guarded(next));
    }

    /** {@code next}, unless the server stops first (only when a ServerDown can happen). */
    private Runnable guarded(Runnable next) {
        if (!sim.serverCanStop) {
            return next;
        }
        return () -> {
            if (!cut) {
                next.run();
            }
        };
    }

    /** One command to the relay's session; a timeout due first closes the session instead. */
    private SessionOutput command(String line) {
        if (sim.kernel.now() >= sim.nanosOf(session.nextDeadline())) {
            SessionOutput tick = session.onTick();
            if (tick.close()) {
                return tick;
            }
        }
        return session.onFrame(new SmtpFramer.CommandLine(line));
    }

    private static SmtpReply reply(SessionOutput out) {
        return out.replies().get(0);
    }

    private void ehlo() {
        SessionOutput out = command("EHLO " + sim.heloName(sender));
        if (out.close()) {
            serverClosed(out);
            return;
        }
        List<String> keywords = reply(out).lines();
        Runnable next = workload().startTls() && !session.isSecured() && keywords.contains("STARTTLS") ? this::startTls
            : workload().signIn() != null && !signedIn ? this::signIn
            : this::nextMessage;
        later(out.delay().toNanos(), next);
    }

    /** STARTTLS, the handshake (one more round trip and the relay's TlsHandshake), then EHLO again. */
    private void startTls() {
        SessionOutput out = command("STARTTLS");
        if (!out.startTls()) {
            refusedSetUp(out);
            return;
        }
        later(out.delay().toNanos(), () -> later(sim.tlsHandshake(), () -> {
            session.onTlsNegotiated("TLSv1.3", "TLS_AES_256_GCM_SHA384");
            ehlo();
        }));
    }

    /** AUTH PLAIN with its initial response: one command, answered once the directory checked it. */
    private void signIn() {
        Workload.SignIn credentials = workload().signIn();
        String plain = "\0" + credentials.user() + "\0" + credentials.password();
        SessionOutput out = command("AUTH PLAIN "
            + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
        if (out.logon().isEmpty()) {
            refusedSetUp(out); // before any check: 538 before TLS, 504, a timeout
            return;
        }
        Simulation.SignInAnswer answer = sim.signIn(out.logon().get());
        sim.kernel.schedule(answer.nanos(), guarded(() -> signedIn(answer.result())));
    }

    private void signedIn(LogonResult result) {
        SessionOutput out = session.onLogonResult(result);
        if (out.close()) {
            sim.kernel.schedule(out.delay().toNanos(), guarded(() -> serverClosed(out)));
            return;
        }
        SmtpReply r = reply(out);
        if (r.isPositive()) {
            signedIn = true;
            if (sim.kernel.now() >= sim.warmUp) {
                sender.stats.signIns++;
            }
            later(out.delay().toNanos(), this::nextMessage);
            return;
        }
        refusedSetUp(out); // 535: it leaves after AuthTarpitInterval
    }

    /**
     * The relay refused a step the client needs before sending (STARTTLS, AUTH): nothing can be
     * sent on this connection, so the client leaves once the reply arrived; its message waits per
     * OnRefusal.
     */
    private void refusedSetUp(SessionOutput out) {
        if (out.close()) {
            serverClosed(out);
            return;
        }
        sessionReply(reply(out));
        sim.kernel.schedule(out.delay().toNanos(), guarded(this::leave));
    }

    private void nextMessage() {
        if (message == null) {
            if (sent >= workload().messagesPerConnection()) {
                quit();
                return;
            }
            if (!sender.hasWork()) {
                goIdle();
                return;
            }
            message = sender.poll();
        }
        acceptedRecipients.clear();
        deferredRecipients.clear();
        rcptIndex = 0;
        SessionOutput out = command(sender.mailFrom);
        if (out.close()) {
            serverClosed(out);
            return;
        }
        SmtpReply r = reply(out);
        if (r.isPositive()) {
            later(out.delay().toNanos(), this::rcpt);
        } else if (r.isTransientFailure()) {
            sessionReply(r);
            leave();
        } else {
            sessionReply(r);
            bounce();
            later(out.delay().toNanos(), this::nextMessage);
        }
    }

    /** Nothing to send: wait IdleTimeout for a new message on this connection, then QUIT. */
    private void goIdle() {
        long timeout = workload().idleTimeout().toNanos();
        if (timeout == 0) {
            quit();
            return;
        }
        int token = ++idleToken;
        sender.idle.addLast(this);
        sim.kernel.schedule(timeout, () -> {
            if (idleToken == token && sender.idle.remove(this)) {
                quit();
            }
        });
    }

    /** A new message for this idle connection: MAIL FROM at once. */
    void resume(SimMessage m) {
        idleToken++;
        message = m;
        nextMessage();
    }

    private void rcpt() {
        if (rcptIndex == message.recipients.size()) {
            data();
            return;
        }
        String to = message.recipients.get(rcptIndex++);
        SessionOutput out = command("RCPT TO:<" + to + ">");
        if (out.close()) {
            serverClosed(out);
            return;
        }
        SmtpReply r = reply(out);
        if (r.isPositive()) {
            acceptedRecipients.add(to);
            if (message.counted) {
                sender.stats.recipientsAccepted++;
            }
        } else if (r.isTransientFailure()) {
            sessionReply(r);
            deferredRecipients.add(to);
        } else {
            sessionReply(r);
            if (message.counted) {
                sender.stats.recipientsRejected++;
            }
        }
        later(out.delay().toNanos(), this::rcpt);
    }

    private void data() {
        if (acceptedRecipients.isEmpty()) {
            SessionOutput out = command("RSET");
            if (!deferredRecipients.isEmpty()) {
                message.recipients = new ArrayList<>(deferredRecipients);
                sender.requeue(message);
                message = null;
            } else {
                bounce();
            }
            later(out.delay().toNanos(), this::nextMessage);
            return;
        }
        SessionOutput out = command("DATA");
        if (out.close()) {
            serverClosed(out);
            return;
        }
        SmtpReply r = reply(out);
        if (r.code() != 354) {
            sessionReply(r);
            bounce();
            later(out.delay().toNanos(), this::nextMessage);
            return;
        }
        dataSizeLimit = out.startDataWithSizeLimit().orElse(Long.MAX_VALUE);
        later(out.delay().toNanos(), this::endOfData);
    }

    private void endOfData() {
        long size = workload().sizeBytes();
        SessionOutput out = session.onFrame(new SmtpFramer.DataComplete(sender.content, size, size > dataSizeLimit, 0, 0));
        if (out.submit().isPresent()) {
            ReceivedMessage received = out.submit().get();
            sim.kernel.schedule(sim.spoolSync(sender, message), guarded(() -> queued(received)));
            return;
        }
        if (out.close()) {
            serverClosed(out);
            return;
        }
        sessionReply(reply(out));
        bounce();
        later(out.delay().toNanos(), this::nextMessage);
    }

    /** The spool synced the message: the 250, and the message is the relay's responsibility. */
    private void queued(ReceivedMessage received) {
        long id = sim.nextInternalId();
        SessionOutput out = session.onQueued(new MessageSink.Queued(id, "<" + id + "@" + sim.fqdn + ">"));
        SimMessage m = message;
        message = null;
        sent++;
        sender.stats.acceptedPerMinute.add(sim.kernel.now(), 1);
        if (m.counted) {
            sender.stats.messagesAcknowledged++;
        }
        if (!deferredRecipients.isEmpty()) {
            // 452 4.5.3 and the like: the rest go in a new transaction, as an MTA does.
            SimMessage rest = new SimMessage(sender.stats, m.createdAt, m.counted, new ArrayList<>(deferredRecipients));
            sender.requeue(rest);
        }
        sim.submit(m, received, id, workload().sizeBytes());
        later(out.delay().toNanos(), this::nextMessage);
    }

    private void bounce() {
        if (message != null && message.counted) {
            sender.stats.messagesBounced++;
        }
        message = null;
    }

    private void sessionReply(SmtpReply r) {
        long now = sim.kernel.now();
        if (r.isPermanentFailure()) {
            sender.stats.rejectedPerMinute.add(now, 1);
        } else {
            sender.stats.deferredPerMinute.add(now, 1);
        }
        if (now >= sim.warmUp) {
            io.mailflow.simulator.report.WorkloadStats.count(sender.stats.sessionReplies, Simulation.replyText(r));
        }
    }

    private void quit() {
        command("QUIT");
        if (!session.isSecured()) {
            close();
            sender.connectionEnded();
            return;
        }
        // Over TLS the relay sends close_notify after the 221 and frees the place when the client's
        // answer (its close_notify and FIN) arrives: one more round trip than a plain session's close.
        later(0, () -> {
            close();
            sender.connectionEnded();
        });
    }

    /** The relay closed the session (421 4.4.2, a timeout): the message in hand waits per OnRefusal. */
    private void serverClosed(SessionOutput out) {
        SmtpReply r = reply(out);
        if (sim.kernel.now() >= sim.warmUp) {
            io.mailflow.simulator.report.WorkloadStats.count(sender.stats.closedByReply, Simulation.replyText(r));
        }
        if (r.isPermanentFailure()) {
            sender.stats.rejectedPerMinute.add(sim.kernel.now(), 1);
        } else {
            sender.stats.deferredPerMinute.add(sim.kernel.now(), 1);
        }
        leave();
    }

    /** Leaves after a 4xx: QUIT if the session is still open; the message in hand is deferred per OnRefusal. */
    private void leave() {
        if (!session.isClosed()) {
            command("QUIT");
        }
        close();
        SimMessage m = message;
        message = null;
        if (m != null) {
            sender.deferInSession(m);
        } else {
            sender.connectionEnded();
        }
    }

    private void close() {
        sim.admission(workload().connector()).release(admitted);
        sim.connectionClosed(sender, this);
    }

    /**
     * The server stopped under the open session: no reply, the connection is simply gone. A
     * message without its 250 stays with the sender, deferred per OnRefusal.
     */
    void cut(io.mailflow.simulator.report.FaultStats down, String what) {
        cut = true;
        idleToken++;
        sender.idle.remove(this);
        close();
        long now = sim.kernel.now();
        if (now >= sim.warmUp) {
            io.mailflow.simulator.report.WorkloadStats.count(sender.stats.closedByReply, what);
        }
        sender.stats.deferredPerMinute.add(now, 1);
        SimMessage m = message;
        message = null;
        if (m != null) {
            sim.touch(m, down);
            sender.deferInSession(m);
        } else {
            sender.connectionEnded();
        }
    }

    /** The server stopped while this client waited in line for a connection: it tries again after Delay. */
    void lostWhileWaiting(io.mailflow.simulator.report.FaultStats down) {
        sim.touch(message, down);
        sender.retryLater(message);
    }
}
