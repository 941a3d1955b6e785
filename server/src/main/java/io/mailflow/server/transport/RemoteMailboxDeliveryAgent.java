package io.mailflow.server.transport;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.smtp.SmtpClient;

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
public final class RemoteMailboxDeliveryAgent extends IntraOrganizationAgent {

    /**
     * @param maxMessagesPerBatch  SmtpMaxMessagesPerConnection of the implicit connector
     * @param maxConcurrentBatches MaxConcurrentMailboxDeliveries
     */
    public RemoteMailboxDeliveryAgent(Supplier<Organization> organization, String localServer, String heloName,
                                      NextHopSolutionKey key, Spool spool, SmtpClient client, Executor executor,
                                      Semaphore outboundConnections, ProtocolLog sendLog, int maxMessagesPerBatch,
                                      int maxConcurrentBatches) {
        super(new IntraOrganizationSmtp(organization, localServer, heloName, key, spool, client, executor,
            outboundConnections, sendLog), maxMessagesPerBatch, maxConcurrentBatches);
    }

    /** Mailbox Transport Delivery takes the message as spooled; it adds its own Received and Return-Path. */
    @Override
    byte[] content(byte[] spooled) {
        return spooled;
    }
}
