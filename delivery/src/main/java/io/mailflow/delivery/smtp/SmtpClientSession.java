package io.mailflow.delivery.smtp;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.time.Clock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * SmtpClientSession: the send side of one SMTP connection, after a delivery queue picked a batch
 * for a Send connector's next hop (or Mailbox Transport Delivery's port 475), as a plain decision
 * class (DESIGN.md). Server bytes, write progress and timer ticks in; commands, protocol-log lines
 * and "close" out; no I/O, time from the injected {@link Clock}. {@link SmtpClient} hosts it in a
 * Pekko stream; tests and the simulator drive it directly.
 * <p>
 * The dialogue (RFC 5321): the 220 greeting; EHLO with the connector's Fqdn, HELO after a 5xx to
 * EHLO (§3.2); then per message MAIL FROM (SIZE=, BODY=8BITMIME, SMTPUTF8 when offered and
 * needed), one RCPT TO per recipient, DATA and the dot-stuffed content, or RSET instead of DATA
 * when no recipient was accepted. With PIPELINING (RFC 2920) MAIL, every RCPT and DATA go in one
 * write and the replies are matched in order; otherwise one command at a time. A transaction that
 * failed after MAIL was accepted is RSET before the next message; QUIT ends the batch.
 * <p>
 * Content conversion after EHLO ({@link NextHopConversion}): 8-bit content to a server without
 * 8BITMIME is converted to 7 bit and sent without BODY=, SIZE= giving the converted size; header
 * fields that need SMTPUTF8 at a server without it are RFC 2047-encoded; a non-ASCII envelope
 * address there fails its recipients ({@code 554 5.6.7}) without a command. Each conversion is a
 * {@code *} line in the protocol log. Content larger than the server's SIZE is refused locally
 * ({@code 552 5.3.4}).
 * <p>
 * A connection failure (421 at any point, a 4xx/5xx greeting, EHLO and HELO refused, a reply
 * timeout, the server closing, a reply that is not SMTP) ends the batch: the message in progress
 * gets the failure as the reply of every recipient still without one, later messages get no
 * result. Reads: Fqdn (HELO name), ConnectionInactivityTimeOut (see {@link SmtpClientTimeouts}).
 */
public final class SmtpClientSession extends ReplyDrivenDialogue {

    /** One protocol-log line, in the order the exchange happened (event {@code + - > < *}). */
    public record LogLine(ProtocolLog.Event event, String data) {
    }

    /**
     * What the shell does after one input: log these lines in order, write {@code send}, and
     * after it is written close the connection if {@code close}.
     */
    public record Step(byte[] send, List<LogLine> log, boolean close) {
        public static final Step NOTHING = new Step(new byte[0], List.of(), false);

        public Step {
            Objects.requireNonNull(send);
            log = List.copyOf(log);
        }

        /** The bytes to write, as text (tests and logs). */
        public String sendText() {
            return new String(send, StandardCharsets.UTF_8);
        }
    }

    /** The reply the client waits for next; pipelined commands queue several. */
    private enum Await { GREETING, EHLO, HELO, PROXY_TO, MAIL, RCPT, DATA, END_OF_DATA, EMPTY_DATA, RSET, QUIT }

    private final SmtpTarget target;
    private final List<OutboundMessage> messages;
    private final SmtpClientTimeouts timeouts;
    private final Deque<Await> awaiting = new ArrayDeque<>();
    private final List<MessageResult> results = new ArrayList<>();

    private EhloCapabilities capabilities = EhloCapabilities.NONE;
    private Optional<ConnectionFailure> failure = Optional.empty();
    private int nextMessage;

    // The transaction in progress (current != null between MAIL and its final reply).
    private OutboundMessage current;
    private NextHopConversion.Plan plan; // how current was made from the caller's message
    private SmtpReply mailReply;
    private SmtpReply[] rcptReplies;
    private int rcptIndex;
    private int accepted;
    private SmtpReply dataReply;
    private boolean transactionOpen; // MAIL accepted and no end-of-data reply yet: RSET needed


    public SmtpClientSession(SmtpTarget target, List<OutboundMessage> messages, Clock clock) {
        super(clock, target.endpoint());
        this.target = Objects.requireNonNull(target);
        this.messages = List.copyOf(messages);
        this.timeouts = SmtpClientTimeouts.scaledTo(target.inactivityTimeout());
        awaiting.add(Await.GREETING);
    }

    // ---- inputs ----------------------------------------------------------------------------

    /** The TCP connection is open; the greeting timer starts now. */
    @Override
    public Step onConnected(String localEndpoint, String remoteEndpoint) {
        out.begin();
        this.remoteEndpoint = remoteEndpoint;
        if (!connected && !finished) {
            markConnected();
            out.note("Connected to " + remoteEndpoint + " from " + localEndpoint);
        }
        return out.end();
    }

    /** A timer fired; fails the connection if the reply it waits for is overdue. */
    @Override
    public Step onTick() {
        out.begin();
        if (!finished && connected && !clock.now().isBefore(nextDeadline())) {
            Await waited = awaiting.peek();
            if (waited == Await.QUIT) {
                finish("Local"); // the batch is done; a server slow to say goodbye changes nothing
            } else {
                String what = writingBody ? "to accept message data" : "to reply to " + describe(waited);
                fail(SmtpReply.of(451, "4.4.2", "Timed out waiting for the remote server " + what), false,
                    "timed out after " + currentTimeout().toMillis() + " ms waiting for the server " + what, true,
                    false);
            }
        }
        return out.end();
    }

    /** The server closed the connection. */
    @Override
    public Step onClosedByServer() {
        out.begin();
        if (!finished) {
            if (awaiting.peek() == Await.QUIT) {
                out.log(ProtocolLog.Event.DISCONNECT, "Remote");
                finished = true;
                out.close();
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Connection closed by the remote server"), false,
                    "the remote server closed the connection", true, false, "Remote");
            }
        }
        return out.end();
    }

    /** The transport failed: connect refused or timed out, or the connection broke. */
    @Override
    public Step onTransportFailed(String reason) {
        out.begin();
        if (!finished) {
            if (!connected) {
                fail(SmtpReply.of(451, "4.4.1", "Failed to connect to " + remoteEndpoint + ": " + reason), false,
                    "failed to connect to " + remoteEndpoint + ": " + reason, true, false, null);
            } else if (awaiting.peek() == Await.QUIT) {
                finish("Remote");
            } else {
                fail(SmtpReply.of(451, "4.4.2", "Connection to the remote server broken: " + reason), false,
                    "connection broken: " + reason, true, false, "Remote");
            }
        }
        return out.end();
    }

    // ---- state for the shell and the result ------------------------------------------------

    /** When {@link #onTick()} must be called next; far in the future before connecting. */
    @Override
    public Instant nextDeadline() {
        if (finished || !connected) {
            return Instant.MAX;
        }
        return lastActivity.plus(currentTimeout());
    }

    public EhloCapabilities capabilities() {
        return capabilities;
    }

    public List<MessageResult> results() {
        return List.copyOf(results);
    }

    public Optional<ConnectionFailure> failure() {
        return failure;
    }

    public DeliveryBatchResult result() {
        return new DeliveryBatchResult(results, failure, capabilities, remoteEndpoint);
    }

    // ---- the dialogue ----------------------------------------------------------------------

    @Override
    void onMalformedReply(String why) {
        fail(SmtpReply.of(451, "4.5.0", "Protocol error: " + why), false, why, true, false);
    }

    @Override
    void onReply(SmtpReply reply) {
        Await waited = awaiting.poll();
        if (waited == null) {
            if (reply.code() == 421) {
                fail(reply, true, "the remote server closed the session: " + reply.toLogString(), true, false);
            } else {
                out.note("Ignored an unsolicited reply");
            }
            return;
        }
        if (reply.code() == 421 && waited != Await.QUIT) {
            // RFC 5321 §3.8: the server is closing; nothing more will be answered.
            fail(reply, true, "the remote server closed the session: " + reply.toLogString(), true, false);
            return;
        }
        switch (waited) {
            case GREETING -> onGreeting(reply);
            case EHLO -> onEhlo(reply);
            case HELO -> onHelo(reply);
            case PROXY_TO -> onProxyTo(reply);
            case MAIL -> onMail(reply);
            case RCPT -> onRcpt(reply);
            case DATA -> onData(reply);
            case END_OF_DATA -> {
                dataReply = reply;
                transactionOpen = false; // the final reply closes the transaction, whatever it says
                finishMessage();
            }
            case EMPTY_DATA -> {
                transactionOpen = false;
                finishMessage();
            }
            case RSET -> {
                if (reply.isPositive()) {
                    startNextMessage();
                } else {
                    fail(reply, true, "RSET refused: " + reply.toLogString(), true, true);
                }
            }
            case QUIT -> finish("Local");
            default -> throw new IllegalStateException(waited.name());
        }
    }

    private void onGreeting(SmtpReply reply) {
        if (reply.code() == 220) {
            command("EHLO " + target.heloName(), Await.EHLO);
        } else {
            // RFC 5321 §3.1: after a 554 greeting the client still says QUIT.
            fail(reply, true, "the remote server refused the session: " + reply.toLogString(),
                reply.isTransientFailure(), true);
        }
    }

    private void onEhlo(SmtpReply reply) {
        if (reply.isPositive()) {
            capabilities = EhloCapabilities.fromEhlo(reply);
            startSending();
        } else if (reply.isPermanentFailure()) {
            // RFC 5321 §3.2: a server that does not know EHLO answers 500/502/504 (or 501/550);
            // any 5xx gets the old HELO.
            command("HELO " + target.heloName(), Await.HELO);
        } else {
            fail(reply, true, "EHLO refused: " + reply.toLogString(), true, true);
        }
    }

    private void onHelo(SmtpReply reply) {
        if (reply.isPositive()) {
            capabilities = EhloCapabilities.fromHelo(reply);
            startSending();
        } else {
            fail(reply, true, "EHLO and HELO refused: " + reply.toLogString(), reply.isTransientFailure(), true);
        }
    }

    /** After the greeting: tells a Front End Transport where to proxy, else starts the first message. */
    private void startSending() {
        if (target.proxyTo().isPresent()) {
            command(target.proxyTo().get().toCommand(), Await.PROXY_TO);
        } else {
            startNextMessage();
        }
    }

    /**
     * The Front End Transport's answer: 250 once it reached the destination. Anything else means
     * the destination (or the proxy) cannot be used now; the messages are not at fault, so the
     * queue retries them later whatever the code.
     */
    private void onProxyTo(SmtpReply reply) {
        if (reply.isPositive()) {
            out.note("Proxied by the remote Front End Transport service: " + reply.toLogString());
            startNextMessage();
        } else {
            fail(reply, true, "the Front End Transport service did not proxy the session: " + reply.toLogString(),
                true, true);
        }
    }

    private void startNextMessage() {
        while (nextMessage < messages.size()) {
            OutboundMessage original = messages.get(nextMessage++);
            NextHopConversion.Plan converted = NextHopConversion.plan(original, capabilities, remoteHost());
            converted.notes().forEach(out::note);
            if (converted.send().isEmpty()) {
                out.note("Message " + original.id() + " not sent: " + converted.refusals().get(0).toLogString());
                results.add(converted.merge(null));
                continue;
            }
            OutboundMessage m = converted.send().get();
            Optional<SmtpReply> refusal = localRefusal(m);
            if (refusal.isPresent()) {
                out.note("Message " + m.id() + " not sent: " + refusal.get().toLogString());
                results.add(converted.merge(MessageResult.allRefused(m.recipients(), refusal.get())));
                continue;
            }
            plan = converted;
            beginTransaction(m);
            return;
        }
        command("QUIT", Await.QUIT);
    }

    /** Postfix's {@code name[address]} for the next hop, for replies made here. */
    private String remoteHost() {
        String address = remoteEndpoint.substring(0, Math.max(0, remoteEndpoint.lastIndexOf(':')));
        address = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        return target.host() + "[" + (address.isEmpty() ? target.host() : address) + "]";
    }

    private Optional<SmtpReply> localRefusal(OutboundMessage m) {
        OptionalLong limit = capabilities.sizeLimit();
        if (limit.isPresent() && m.content().length > limit.getAsLong()) {
            return Optional.of(SmtpReply.of(552, "5.3.4", "Message size " + m.content().length
                + " exceeds the remote server's fixed maximum message size " + limit.getAsLong()));
        }
        return Optional.empty();
    }

    private void beginTransaction(OutboundMessage m) {
        current = m;
        mailReply = null;
        rcptReplies = new SmtpReply[m.recipients().size()];
        rcptIndex = 0;
        accepted = 0;
        dataReply = null;
        transactionOpen = false;
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(m.mailFrom()).append('>');
        if (capabilities.size()) {
            mail.append(" SIZE=").append(m.content().length);
        }
        if (m.eightBitMime()) {
            mail.append(" BODY=8BITMIME");
        }
        if (m.smtpUtf8()) {
            mail.append(" SMTPUTF8");
        }
        command(mail.toString(), Await.MAIL);
        if (capabilities.pipelining()) {
            // RFC 2920 §3.1: MAIL, RCPT and DATA may share one write; DATA ends the group.
            for (String r : m.recipients()) {
                command(rcptCommand(r), Await.RCPT);
            }
            command("DATA", Await.DATA);
        }
    }

    private static String rcptCommand(String recipient) {
        return "RCPT TO:<" + recipient + ">";
    }

    private void onMail(SmtpReply reply) {
        mailReply = reply;
        if (reply.isPositive()) {
            transactionOpen = true;
            if (!capabilities.pipelining()) {
                command(rcptCommand(current.recipients().get(0)), Await.RCPT);
            }
        } else if (!capabilities.pipelining()) {
            finishMessage();
        }
        // Pipelined: the RCPT and DATA replies are still to come (most likely 503s).
    }

    private void onRcpt(SmtpReply reply) {
        rcptReplies[rcptIndex++] = reply;
        if (reply.isPositive() && mailReply.isPositive()) {
            accepted++;
        }
        if (capabilities.pipelining()) {
            return;
        }
        if (rcptIndex < rcptReplies.length) {
            command(rcptCommand(current.recipients().get(rcptIndex)), Await.RCPT);
        } else if (accepted > 0) {
            command("DATA", Await.DATA);
        } else {
            finishMessage(); // no recipient: RSET instead of DATA
        }
    }

    private void onData(SmtpReply reply) {
        if (reply.code() == 354) {
            if (accepted > 0) {
                byte[] body = DotStuffing.encode(current.content());
                out.note("Sending message " + current.id() + ", " + current.content().length + " octets");
                out.write(body);
                writingBody = true;
                awaiting.add(Await.END_OF_DATA);
            } else {
                // Pipelined, every RCPT refused, yet 354 (RFC 2920 §3.1 says a server must not):
                // an empty message is the only way back to a clean state.
                out.note("354 without an accepted recipient; sending an empty message to end DATA");
                out.sendLine(".");
                awaiting.add(Await.EMPTY_DATA);
            }
            return;
        }
        if (accepted > 0) {
            dataReply = reply;
        }
        finishMessage();
    }

    /** Records the result of the current message, then RSETs if needed or starts the next. */
    private void finishMessage() {
        results.add(plan.merge(currentResult(null)));
        current = null;
        if (transactionOpen) {
            transactionOpen = false;
            command("RSET", Await.RSET);
        } else {
            startNextMessage();
        }
    }

    /** The current message's result; {@code failure}, if set, stands in for replies not received. */
    private MessageResult currentResult(SmtpReply failureReply) {
        List<String> recipients = current.recipients();
        if (mailReply == null || !mailReply.isPositive()) {
            return MessageResult.allRefused(recipients, mailReply != null ? mailReply : failureReply);
        }
        List<RecipientResult> out = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            SmtpReply r = rcptReplies[i] != null ? rcptReplies[i] : failureReply;
            out.add(new RecipientResult(recipients.get(i), r));
        }
        boolean anyAccepted = out.stream().anyMatch(RecipientResult::accepted);
        SmtpReply data = dataReply != null ? dataReply : anyAccepted ? failureReply : null;
        return new MessageResult(out, Optional.ofNullable(data));
    }

    /**
     * Ends the batch: the message in progress gets {@code reply} where it has no reply yet, later
     * messages get nothing. With {@code quit} the client still says QUIT (the server is talking);
     * otherwise it closes at once (421, timeouts, broken connections).
     */
    private void fail(SmtpReply reply, boolean fromServer, String reason, boolean isTransient, boolean quit) {
        fail(reply, fromServer, reason, isTransient, quit, "Local");
    }

    private void fail(SmtpReply reply, boolean fromServer, String reason, boolean isTransient, boolean quit,
                      String disconnectedBy) {
        if (current != null) {
            results.add(plan.merge(currentResult(reply)));
            current = null;
        }
        failure = Optional.of(new ConnectionFailure(reply, fromServer, reason, isTransient));
        out.note(reason);
        awaiting.clear();
        writingBody = false;
        if (quit) {
            command("QUIT", Await.QUIT);
        } else if (disconnectedBy == null) {
            finished = true; // never connected: nothing to log as a disconnect
            out.close();
        } else {
            finish(disconnectedBy);
        }
    }

    private void finish(String disconnectedBy) {
        awaiting.clear();
        finished = true;
        out.close();
        out.log(ProtocolLog.Event.DISCONNECT, disconnectedBy);
    }

    private Duration currentTimeout() {
        if (writingBody) {
            return timeouts.dataBlock();
        }
        Await waited = awaiting.peek();
        if (waited == null) {
            return timeouts.command();
        }
        return switch (waited) {
            case GREETING -> timeouts.greeting();
            case RCPT -> timeouts.rcpt();
            case DATA -> timeouts.dataInitiation();
            case END_OF_DATA, EMPTY_DATA -> timeouts.dataTermination();
            default -> timeouts.command();
        };
    }

    private static String describe(Await waited) {
        return switch (waited) {
            case GREETING -> "the connection (greeting)";
            case END_OF_DATA, EMPTY_DATA -> "the end of data";
            default -> waited.name();
        };
    }

    // ---- step building ---------------------------------------------------------------------



    private void command(String line, Await reply) {
        out.sendLine(line);
        awaiting.add(reply);
    }



    @Override
    public String toString() {
        return "SmtpClientSession[" + remoteEndpoint + ", " + results.size() + "/" + messages.size()
            + " messages, awaiting " + Arrays.toString(awaiting.toArray()) + "]";
    }
}
