package io.mailflow.frontend.receive;

import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.TransportRole;
import io.mailflow.core.time.Clock;
import io.mailflow.frontend.admission.AdmissionRegistry;
import io.mailflow.frontend.auth.Authenticator;

import javax.net.ssl.SSLEngine;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every receive connector of a server shares: the live organization, the Transport
 * service's intake (the spool) and Mailbox Transport Delivery's (the mailbox store), the logs,
 * admission state, back pressure, Front End Transport's outbound proxy (the onward connections
 * of the Outbound Proxy Frontend connector), the directory that checks AUTH credentials, and the
 * server-mode TLS engines of the server's SMTP certificate (empty: no certificate, so no
 * STARTTLS). One per server, handed to each listener.
 */
public record ReceiveServices(Supplier<Organization> organization,
                              MessageSink sink,
                              MessageSink mailboxDeliverySink,
                              SessionLogFactory sessionLogs,
                              Consumer<TransportEvent> events,
                              AdmissionRegistry admissions,
                              BackPressure backPressure,
                              Clock clock,
                              OutboundProxy outboundProxy,
                              Authenticator authenticator,
                              Optional<Supplier<SSLEngine>> tls) {

    /**
     * Where a connector's messages go: a MailboxDelivery connector (port 475) writes straight into
     * the mailbox store, never spooled nor categorized; every other connector spools.
     */
    public MessageSink sinkFor(ReceiveConnector connector) {
        return connector.transportRole() == TransportRole.MailboxDelivery ? mailboxDeliverySink : sink;
    }

    /** The Recipient Filter agent as the organization configures it (Set-RecipientFilterConfig). */
    public RecipientFilter recipientFilter(Organization org) {
        var config = org.recipientFilterConfig();
        return new RecipientFilter(config.enabled(), config.recipientValidationEnabled(), config.blockListEnabled(),
            config.blockedRecipients(), org);
    }
}
