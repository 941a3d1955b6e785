package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a receive session hands on after end-of-data: the envelope it negotiated, the content as
 * received (dot-unstuffed, CRLF-normalised) and the trace facts the Received header needs.
 */
public record ReceivedMessage(String sessionId,
                              String connectorId,
                              Optional<SmtpAddress> sender,
                              List<SmtpAddress> recipients,
                              byte[] content,
                              String clientIp,
                              String heloName,
                              String serverFqdn,
                              String serverIp,
                              String protocol,
                              BodyType bodyType,
                              boolean smtpUtf8,
                              Instant receivedAt) {
    public ReceivedMessage {
        recipients = List.copyOf(recipients);
    }
}
