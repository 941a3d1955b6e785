package io.mailflow.server.transport;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.smtp.SmtpClient;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Delivery queue SmtpDeliveryToMailbox for a database whose active copy is on another server:
 * sends each batch over SMTP to Mailbox Transport Delivery there (its MailboxDelivery connector,
 * port 475), as Exchange's Transport service does (exchange.md §8). The remote MTD answers each
 * RCPT: 250 delivered, 4xx (e.g. {@code 420 4.2.0 STOREDRV.Deliver; recipient mailbox is remote})
 * retried, 5xx failed with an NDR; its 250 after DATA comes only once the mailbox files are synced.
 */
public final class RemoteMailboxDeliveryAgent implements DeliveryAgent {
    private final IntraOrganizationSmtp smtp;
    private final int maxMessagesPerBatch;
    private final int maxConcurrentBatches;

    /**
     * @param maxMessagesPerBatch  SmtpMaxMessagesPerConnection of the implicit connector
     * @param maxConcurrentBatches MaxPerDomainOutboundConnections
     */
    public RemoteMailboxDeliveryAgent(Supplier<Organization> organization, String localServer, String heloName,
                                      NextHopSolutionKey key, Spool spool, SmtpClient client, Executor executor,
                                      Semaphore outboundConnections, ProtocolLog sendLog, int maxMessagesPerBatch,
                                      int maxConcurrentBatches) {
        this.smtp = new IntraOrganizationSmtp(organization, localServer, heloName, key, spool, client, executor,
            outboundConnections, sendLog);
        this.maxMessagesPerBatch = maxMessagesPerBatch;
        this.maxConcurrentBatches = maxConcurrentBatches;
    }

    @Override
    public int maxMessagesPerBatch() {
        return maxMessagesPerBatch;
    }

    @Override
    public int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    @Override
    public CompletionStage<Result> deliver(List<Item> batch) {
        return smtp.deliver(batch, content -> content);
    }
}
