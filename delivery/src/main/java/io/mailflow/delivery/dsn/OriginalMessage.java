package io.mailflow.delivery.dsn;

import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * DSN: what a delivery status notification needs to know of the message it reports on, as the
 * Transport service spooled it. The delivery queue makes one from the spooled {@link Envelope} and
 * content ({@link #of}); {@link DeliveryStatusNotification} reads it.
 *
 * @param envelopeSender  MAIL FROM; empty for the null reverse-path {@code <>}, which never gets a DSN
 * @param envelopeId      the ENVID parameter of MAIL FROM (RFC 3461 §4.4), xtext as given, if any
 * @param arrival         when the message was received (Arrival-Date)
 * @param content         the message as spooled, header and body; not copied, so not to be changed
 * @param receivedFromMta the MTA it came from, e.g. {@code mail.fabrikam.com ([192.0.2.10])}, if known
 * @param ret             the RET parameter of MAIL FROM; {@link DsnReturn#HDRS} when it was not given
 */
public record OriginalMessage(Optional<SmtpAddress> envelopeSender,
                              Optional<String> envelopeId,
                              Instant arrival,
                              byte[] content,
                              Optional<String> receivedFromMta,
                              DsnReturn ret) {

    public OriginalMessage {
        Objects.requireNonNull(envelopeSender);
        Objects.requireNonNull(envelopeId);
        Objects.requireNonNull(arrival);
        Objects.requireNonNull(content);
        Objects.requireNonNull(receivedFromMta);
        Objects.requireNonNull(ret);
    }

    /**
     * The original message of a spooled envelope: the sender, ENVID and receive time of the
     * envelope, Received-From-MTA from the client's EHLO name and address.
     */
    public static OriginalMessage of(Envelope envelope, byte[] content, DsnReturn ret) {
        Optional<String> from = Optional.ofNullable(envelope.clientHostname())
            .filter(h -> !h.isBlank())
            .map(h -> envelope.clientIp() == null || envelope.clientIp().isBlank()
                ? h : h + " ([" + envelope.clientIp() + "])");
        return new OriginalMessage(envelope.sender(), Optional.ofNullable(envelope.envelopeId()),
            envelope.receivedAt(), content, from, ret);
    }
}
