package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.message.HeaderSection;
import io.mailflow.frontend.auth.AuthenticatedUser;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a receive session hands on after end-of-data: the envelope it negotiated (with the DSN
 * parameters of RFC 3461: NOTIFY and ORCPT per recipient, ENVID and RET), the content as received
 * (dot-unstuffed, CRLF-normalised, with its header section parsed once, here) and the trace facts
 * the Received header needs, the session's permissions (the header firewall and the AuthAs
 * stamp depend on them) and the mailbox user the session signed in as with AUTH, if any.
 */
public record ReceivedMessage(String sessionId,
                              String connectorId,
                              Optional<SmtpAddress> sender,
                              List<EnvelopeRecipient> envelopeRecipients,
                              HeaderSection headers,
                              String clientIp,
                              String heloName,
                              String serverFqdn,
                              String serverIp,
                              String protocol,
                              BodyType bodyType,
                              boolean smtpUtf8,
                              Instant receivedAt,
                              String envelopeId,
                              DsnReturn dsnReturn,
                              SessionPermissions permissions,
                              Optional<AuthenticatedUser> authenticatedUser) {
    public ReceivedMessage {
        envelopeRecipients = List.copyOf(envelopeRecipients);
    }

    /** The content as received: the header section the session already parsed, and the body. */
    public byte[] content() {
        return headers.content();
    }

    /**
     * Sent from inside the organization: by one of its servers (ExchangeServers) or by a signed-in
     * mailbox user. Such a message is stamped AuthAs Internal.
     */
    public boolean fromInsideOrganization() {
        return permissions.holdsExchangeServers() || authenticatedUser.isPresent();
    }

    /** The RCPT TO addresses, in the order given. */
    public List<SmtpAddress> recipients() {
        return envelopeRecipients.stream().map(EnvelopeRecipient::address).toList();
    }
}
