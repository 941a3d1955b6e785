package io.mailflow.core.routing;

/**
 * The key of a delivery queue (exchange.md §5.2): recipients with the same key share a queue
 * and a connection. For mailbox delivery the NextHopDomain is the mailbox database.
 */
public record NextHopSolutionKey(DeliveryType deliveryType, String nextHopDomain, String nextHopConnector) {

    public static NextHopSolutionKey mailboxDatabase(String database) {
        return new NextHopSolutionKey(DeliveryType.SmtpDeliveryToMailbox, database, "");
    }

    public static NextHopSolutionKey unreachable(String domain) {
        return new NextHopSolutionKey(DeliveryType.Unreachable, domain, "");
    }

    /** The queue identity as Get-Queue shows it, e.g. {@code EX01\DB01}. */
    public String queueName(String server) {
        return deliveryType == DeliveryType.Unreachable ? server + "\\Unreachable" : server + "\\" + nextHopDomain;
    }

    @Override
    public String toString() {
        return deliveryType + ":" + nextHopDomain + (nextHopConnector.isEmpty() ? "" : ":" + nextHopConnector);
    }
}
