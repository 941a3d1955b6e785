package io.mailflow.core.envelope;

import io.mailflow.core.address.SmtpAddress;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The envelope of one spooled message: what the SMTP session learned, plus the state of each
 * recipient. Immutable; a pipeline stage changes it with a {@code with…} copy and the spool
 * stores the new copy. The content (headers and body) is stored beside it, not in it.
 *
 * @param internalId     the spool's id, Exchange's InternalId (unique on this server, never reused)
 * @param messageId      the Message-ID header value with angle brackets, as tracking logs show it
 * @param sender         MAIL FROM; empty for the null reverse-path {@code <>}
 * @param receivedAt     when the 250 after DATA was earned
 * @param clientIp       the remote address of the session
 * @param clientHostname the EHLO/HELO name the client gave
 * @param connectorId    the receive connector, as {@code SERVER\Connector Name}
 * @param serverHostname the FQDN that received it
 * @param size           content size in octets, as stored
 * @param subject        the Subject header (tracking logs show it)
 * @param envelopeId     the ENVID parameter (RFC 3461), or null
 * @param dsnReturn      the RET parameter (RFC 3461); null when the client gave none (headers only)
 * @param delayNotified  a delay DSN has been sent for this message (it is sent once)
 */
public record Envelope(long internalId,
                       String messageId,
                       Optional<SmtpAddress> sender,
                       List<EnvelopeRecipient> recipients,
                       Instant receivedAt,
                       String clientIp,
                       String clientHostname,
                       String connectorId,
                       String serverHostname,
                       long size,
                       String subject,
                       BodyType bodyType,
                       boolean smtpUtf8,
                       String envelopeId,
                       DsnReturn dsnReturn,
                       boolean delayNotified) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /** An envelope without DSN parameters, as most clients send it. */
    public Envelope(long internalId, String messageId, Optional<SmtpAddress> sender, List<EnvelopeRecipient> recipients,
                    Instant receivedAt, String clientIp, String clientHostname, String connectorId,
                    String serverHostname, long size, String subject, BodyType bodyType, boolean smtpUtf8,
                    String envelopeId) {
        this(internalId, messageId, sender, recipients, receivedAt, clientIp, clientHostname, connectorId,
            serverHostname, size, subject, bodyType, smtpUtf8, envelopeId, null, false);
    }

    public Envelope withRecipients(List<EnvelopeRecipient> newRecipients) {
        return new Envelope(internalId, messageId, sender, newRecipients, receivedAt, clientIp, clientHostname,
            connectorId, serverHostname, size, subject, bodyType, smtpUtf8, envelopeId, dsnReturn, delayNotified);
    }

    public Envelope withDsn(String newEnvelopeId, DsnReturn newDsnReturn) {
        return new Envelope(internalId, messageId, sender, recipients, receivedAt, clientIp, clientHostname,
            connectorId, serverHostname, size, subject, bodyType, smtpUtf8, newEnvelopeId, newDsnReturn,
            delayNotified);
    }

    public Envelope withDelayNotified() {
        return new Envelope(internalId, messageId, sender, recipients, receivedAt, clientIp, clientHostname,
            connectorId, serverHostname, size, subject, bodyType, smtpUtf8, envelopeId, dsnReturn, true);
    }

    public Envelope mapRecipients(UnaryOperator<EnvelopeRecipient> change) {
        return withRecipients(recipients.stream().map(change).toList());
    }

    public List<EnvelopeRecipient> readyRecipients() {
        return recipients.stream().filter(EnvelopeRecipient::isReady).toList();
    }

    /** True once every recipient is delivered or failed: the spool may let the message go. */
    public boolean isSettled() {
        return recipients.stream().noneMatch(EnvelopeRecipient::isReady);
    }

    /** The sender as tracking logs and Return-Path write it: the address, or {@code <>}. */
    public String senderText() {
        return sender.map(SmtpAddress::toString).orElse("<>");
    }
}
