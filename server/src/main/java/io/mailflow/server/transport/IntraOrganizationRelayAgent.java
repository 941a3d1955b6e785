package io.mailflow.server.transport;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.message.HeaderFirewall;
import io.mailflow.core.message.OrganizationHeaders;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.smtp.SmtpClient;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Delivery queues SmtpRelayToDag, SmtpRelayToMailboxDeliveryGroup,
 * SmtpRelayToRemoteActiveDirectorySite, SmtpRelayToServers and SmtpRelayToConnectorSourceServers:
 * relays each batch to the Transport service of another server (its "Default &lt;server&gt;"
 * connector, port 2525), the next server when one cannot be reached. Each message leaves with
 * {@code X-Mailflow-Organization-Categorized-By: <this server's FQDN>} (any earlier one replaced),
 * so the receiving Transport service, which keeps organization headers only from the
 * organization's servers, routes the already resolved and expanded recipients without expanding
 * or forwarding them again.
 */
public final class IntraOrganizationRelayAgent extends IntraOrganizationAgent {
    private final byte[] categorizedBy;

    /**
     * @param serverFqdn           this server's FQDN: the EHLO name and the Categorized-By value
     * @param maxMessagesPerBatch  SmtpMaxMessagesPerConnection of the implicit connector
     * @param maxConcurrentBatches MaxPerDomainOutboundConnections
     */
    public IntraOrganizationRelayAgent(Supplier<Organization> organization, String localServer, String serverFqdn,
                                       NextHopSolutionKey key, Spool spool, SmtpClient client, Executor executor,
                                       Semaphore outboundConnections, ProtocolLog sendLog, int maxMessagesPerBatch,
                                       int maxConcurrentBatches) {
        super(new IntraOrganizationSmtp(organization, localServer, serverFqdn, key, spool, client, executor,
            outboundConnections, sendLog), maxMessagesPerBatch, maxConcurrentBatches);
        this.categorizedBy = (OrganizationHeaders.CATEGORIZED_BY + ": " + serverFqdn + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }

    /** The content with this server's Categorized-By in front, instead of a previous hop's. */
    @Override
    byte[] content(byte[] content) {
        byte[] rest = HeaderFirewall.withoutFields(content, OrganizationHeaders.CATEGORIZED_BY::equalsIgnoreCase).content();
        byte[] out = new byte[categorizedBy.length + rest.length];
        System.arraycopy(categorizedBy, 0, out, 0, categorizedBy.length);
        System.arraycopy(rest, 0, out, categorizedBy.length, rest.length);
        return out;
    }
}
