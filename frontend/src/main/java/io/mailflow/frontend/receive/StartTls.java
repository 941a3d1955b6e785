package io.mailflow.frontend.receive;

import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.smtp.SmtpCommand;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;

import java.util.Optional;

/**
 * StartTls: the STARTTLS verb (RFC 3207) of a receive session, a plain decision class beside
 * {@link SmtpSession}. STARTTLS is offered when the connector's AuthMechanism contains Tls and the
 * server has a certificate; EHLO lists it until TLS is active; on a RequireTLS connector MAIL FROM
 * waits for it. The shell does the handshake ({@link SessionOutput#startTls()}) and reports how it
 * ended. Reads: AuthMechanism, RequireTLS.
 */
final class StartTls {

    /** The verdict on one STARTTLS command. */
    sealed interface Verdict permits Start, Refuse {
    }

    /** Answer 220 and hand the connection to TLS once the reply is written. */
    record Start() implements Verdict {
    }

    /** Refused; a protocol error (the client's mistake) counts against MaxProtocolErrors. */
    record Refuse(SmtpReply reply, String why, boolean protocolError) implements Verdict {
    }

    private final ReceiveConnector connector;
    private final boolean certificate;
    private boolean negotiating;
    private boolean secured;

    StartTls(ReceiveConnector connector, boolean certificate) {
        this.connector = connector;
        this.certificate = certificate;
    }

    /** Whether EHLO lists STARTTLS: offered here and not already in use. */
    boolean advertised() {
        return offered() && certificate && !secured;
    }

    boolean isSecured() {
        return secured;
    }

    /**
     * @param greeted       HELO or EHLO was accepted since the connection (or the last TLS handshake)
     * @param inTransaction MAIL was accepted and the transaction is not over
     */
    Verdict onCommand(SmtpCommand command, boolean greeted, boolean inTransaction) {
        if (!offered()) {
            return new Refuse(SmtpReplies.NOT_IMPLEMENTED, "STARTTLS is not offered on this connector (AuthMechanism "
                + connector.authMechanism() + ")", true);
        }
        if (!certificate) {
            // The server's fault, not the client's: no protocol error.
            return new Refuse(SmtpReplies.TLS_NOT_AVAILABLE, "STARTTLS: the server has no certificate", false);
        }
        if (secured || negotiating) {
            return new Refuse(SmtpReplies.BAD_SEQUENCE, "STARTTLS when TLS is already active", true);
        }
        if (!greeted) {
            return new Refuse(SmtpReplies.SEND_HELLO_FIRST, "STARTTLS before HELO/EHLO", true);
        }
        if (command.hasArgument()) {
            return new Refuse(SmtpReplies.INVALID_ARGUMENTS, "STARTTLS takes no argument", true);
        }
        if (inTransaction) {
            return new Refuse(SmtpReplies.BAD_SEQUENCE, "STARTTLS inside a mail transaction", true);
        }
        negotiating = true;
        return new Start();
    }

    /**
     * RequireTLS: MAIL FROM before TLS is refused with Exchange's 451 5.7.3, which a client reads
     * as "try again with STARTTLS". It is a policy refusal of a well-formed command, like {@code 530
     * 5.7.1 Client was not authenticated}, so it is not a protocol error (a client that keeps trying
     * meets ConnectionTimeout), and as a 4xx it is not tarpitted.
     */
    Optional<SessionOutput> refuseMail() {
        if (!connector.requireTLS() || secured) {
            return Optional.empty();
        }
        return Optional.of(SessionOutput.reply(SmtpReplies.STARTTLS_REQUIRED)
            .note("RequireTLS: MAIL FROM before STARTTLS" + (certificate ? "" : " (the server has no certificate)"))
            .build());
    }

    /** The handshake the last STARTTLS started succeeded; the note is Exchange's protocol-log line. */
    SessionOutput onNegotiated(String protocol, String cipherSuite) {
        if (!negotiating) {
            throw new IllegalStateException("TLS negotiated without STARTTLS");
        }
        negotiating = false;
        secured = true;
        return SessionOutput.builder()
            .note("TLS protocol " + protocol + " negotiation succeeded using cipher " + cipherSuite).build();
    }

    /** The handshake failed: the connection can carry nothing more, so it is closed. */
    SessionOutput onFailed(String reason) {
        negotiating = false;
        return SessionOutput.builder().close().note("TLS negotiation failed with error " + reason).build();
    }

    private boolean offered() {
        return connector.authMechanism().contains(AuthMechanism.Tls);
    }
}
