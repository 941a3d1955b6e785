package io.mailflow.frontend.receive;

import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.TransportRole;
import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.core.smtp.SmtpCommand;
import io.mailflow.core.smtp.SmtpFramer;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.smtp.SmtpVerb;

import java.util.Set;

/**
 * OutboundProxySession: Front End Transport, a session on the Outbound Proxy Frontend connector
 * (717) after the Transport service sent {@code XMAILFLOWPROXYTO} (a Send connector with
 * FrontendProxyEnabled $true). A plain decision class: it relays MAIL, each RCPT, DATA, the
 * message and RSET to the destination one at a time and answers the Transport service with the
 * destination's own reply, the final one only after the destination gave it. Nothing is queued
 * or spooled (exchange.md §8: the FET "does not queue"). Refused locally, without a relay: the
 * commands out of sequence (RFC 5321's 503s, Exchange's texts) and DATA without an accepted
 * recipient. Reads: Fqdn (the leg's HELO name), MaxMessageSize.
 */
final class OutboundProxySession {

    /** Exchange's words for a next hop that failed (KB979175): the Transport service retries later. */
    static final String FAILOVER_TEXT = "Attempted failover to alternate host, but that did not succeed. "
        + "Either there are no alternate hosts, or delivery failed to all alternate hosts.";

    private static final Set<SmtpVerb> PROXIED = Set.of(SmtpVerb.MAIL, SmtpVerb.RCPT, SmtpVerb.DATA, SmtpVerb.RSET,
        SmtpVerb.EHLO, SmtpVerb.HELO, SmtpVerb.XMAILFLOWPROXYTO);

    /** What the session waits for from the leg. */
    private enum Awaiting { NOTHING, OPEN, MAIL, RCPT, DATA, END_OF_DATA, RSET }

    private final ProxyDestination destination;
    private final ReceiveConnector connector;
    private Awaiting awaiting = Awaiting.NOTHING;
    private boolean open;
    private boolean refused;
    private boolean mailAccepted;
    private int recipientsAccepted;

    OutboundProxySession(ProxyDestination destination, ReceiveConnector connector) {
        this.destination = destination;
        this.connector = connector;
    }

    /**
     * Whether {@code XMAILFLOWPROXYTO} is offered: on a Front End Transport connector, to a
     * session holding the ExchangeServers permissions (only the organization's Transport services
     * may send mail out through the FET's address).
     */
    static boolean offeredTo(ReceiveConnector connector, SessionPermissions permissions) {
        return connector.transportRole() == TransportRole.FrontendTransport && permissions.holdsExchangeServers();
    }

    /** Opens the leg; the reply to XMAILFLOWPROXYTO waits for it. */
    SessionOutput open() {
        awaiting = Awaiting.OPEN;
        return SessionOutput.builder()
            .proxy(new ProxyRequest.Open(destination, connector.fqdn(), connector.identity()))
            .note("Proxying to " + describe()).build();
    }

    /** While the leg is open (or opening), the transaction commands are the proxy's. */
    boolean handles(SmtpVerb verb) {
        return !refused && PROXIED.contains(verb);
    }

    /** Waiting for the destination: the session is not idle, the destination is slow. */
    boolean isWaiting() {
        return awaiting != Awaiting.NOTHING;
    }

    SessionOutput onCommand(SmtpCommand command) {
        return switch (command.verb()) {
            case MAIL -> mailAccepted ? local(SmtpReplies.SENDER_ALREADY_SPECIFIED, "second MAIL in one transaction")
                : relay(command, Awaiting.MAIL);
            case RCPT -> mailAccepted ? relay(command, Awaiting.RCPT) : local(SmtpReplies.NEED_MAIL_FIRST, "RCPT before MAIL");
            case DATA -> !mailAccepted ? local(SmtpReplies.NEED_MAIL_FIRST, "DATA before MAIL")
                : recipientsAccepted == 0 ? local(SmtpReplies.NEED_RCPT_FIRST, "DATA before the destination accepted a recipient")
                : relay(command, Awaiting.DATA);
            case RSET -> relay(command, Awaiting.RSET);
            default -> local(SmtpReplies.BAD_SEQUENCE, command.verb() + " after " + ProxyDestination.VERB);
        };
    }

    /** The message arrived: relay it, or refuse it when it is larger than the connector takes. */
    SessionOutput onDataComplete(SmtpFramer.DataComplete data) {
        if (data.overSizeLimit()) {
            // The destination waits for the content: only dropping the leg ends its transaction.
            refused = true;
            endTransaction();
            return SessionOutput.reply(SmtpReplies.MESSAGE_TOO_LARGE).proxy(new ProxyRequest.Close())
                .note("message of " + data.size() + " octets exceeds MaxMessageSize " + connector.maxMessageSize()
                    + "; proxy connection dropped").build();
        }
        awaiting = Awaiting.END_OF_DATA;
        return SessionOutput.builder().proxy(new ProxyRequest.RelayContent(data.content()))
            .note("Relaying " + data.size() + " octets to " + describe()).build();
    }

    /** The destination's reply to the request the session waited for. */
    SessionOutput onReply(SmtpReply reply) {
        Awaiting was = awaiting;
        awaiting = Awaiting.NOTHING;
        return switch (was) {
            case OPEN -> opened(reply);
            case MAIL -> {
                mailAccepted = reply.isPositive();
                yield passed(reply);
            }
            case RCPT -> {
                if (reply.isPositive()) {
                    recipientsAccepted++;
                }
                yield passed(reply);
            }
            case DATA -> reply.code() == 354
                ? SessionOutput.reply(reply).startData(connector.maxMessageSize().bytes()).build()
                : passed(reply);
            case END_OF_DATA -> {
                endTransaction();
                yield passed(reply);
            }
            case RSET -> {
                if (reply.isPositive()) {
                    endTransaction();
                }
                yield passed(reply);
            }
            case NOTHING -> throw new IllegalStateException("a proxy reply nobody waited for: " + reply);
        };
    }

    private SessionOutput opened(SmtpReply reply) {
        if (reply.isPositive()) {
            open = true;
            String remote = reply.lines().get(0).split(" ", 2)[0];
            return SessionOutput.reply(SmtpReply.of(250, "2.0.0", "Proxy session established with " + remote))
                .note("Proxy session to " + describe() + " established: " + reply.toLogString()).build();
        }
        // Every host failed: a 4xx whatever the destination said, so the Transport service keeps
        // the messages and retries them under its queue's rules.
        refused = true;
        return SessionOutput.reply(SmtpReply.of(451, "4.4.0", "Primary target IP address responded with: \""
                + reply.toLogString() + ".\" " + FAILOVER_TEXT))
            .note("Proxy session to " + describe() + " failed: " + reply.toLogString()).build();
    }

    boolean isOpen() {
        return open && !refused;
    }

    private SessionOutput relay(SmtpCommand command, Awaiting reply) {
        awaiting = reply;
        return SessionOutput.builder().proxy(new ProxyRequest.Relay(command.line().strip())).build();
    }

    private static SessionOutput passed(SmtpReply reply) {
        return SessionOutput.reply(reply).build();
    }

    private static SessionOutput local(SmtpReply reply, String why) {
        return SessionOutput.reply(reply).note(why).build();
    }

    private void endTransaction() {
        mailAccepted = false;
        recipientsAccepted = 0;
    }

    private String describe() {
        return destination.isSmartHosts() ? "smart hosts " + String.join(",", destination.smartHosts()) + " port "
            + destination.port() : "MX of " + destination.domain() + " port " + destination.port();
    }
}
