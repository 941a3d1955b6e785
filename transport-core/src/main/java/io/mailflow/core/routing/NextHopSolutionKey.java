package io.mailflow.core.routing;

/**
 * The key of a delivery queue (exchange.md §5.2): recipients with the same key share a queue
 * and a connection. For mailbox delivery the NextHopDomain is the mailbox database; through a
 * Send connector it is the smart-host list ({@code [10.10.10.100],[10.10.10.101]}) or, with DNS
 * routing, the recipient's domain, and the NextHopConnector is the connector's name (Exchange
 * shows its GUID; Mailflow's connectors have none, and the name is unique).
 */
public record NextHopSolutionKey(DeliveryType deliveryType, String nextHopDomain, String nextHopConnector) {

    public static NextHopSolutionKey mailboxDatabase(String database) {
        return new NextHopSolutionKey(DeliveryType.SmtpDeliveryToMailbox, database, "");
    }

    /**
     * A local Send connector relaying to its smart hosts: one queue per connector, whatever the
     * recipient domain.
     *
     * @param smartHosts the list as Exchange prints it, e.g. {@code [127.0.0.1]} or
     *                   {@code [172.17.17.7],relay.tailspintoys.com}
     */
    public static NextHopSolutionKey smartHostConnector(String smartHosts, String connector) {
        return new NextHopSolutionKey(DeliveryType.SmartHostConnectorDelivery, smartHosts, connector);
    }

    /**
     * A local Send connector with DNS routing. Exchange's NextHopDomain is the matching address
     * space; Mailflow keys by the recipient's domain so that each destination (each MX set) gets
     * its own queue, retry state and connections.
     */
    public static NextHopSolutionKey dnsConnector(String recipientDomain, String connector) {
        return new NextHopSolutionKey(DeliveryType.DnsConnectorDelivery, recipientDomain, connector);
    }

    /** A database in a DAG this server is not a member of (NextHopDomain: the DAG's name). */
    public static NextHopSolutionKey dag(String dagName) {
        return new NextHopSolutionKey(DeliveryType.SmtpRelayToDag, dagName, "");
    }

    /**
     * A non-DAG database in another AD site: that site's mailbox delivery group, NextHopDomain
     * {@code Site:<ADSiteName>;Version:15} as Exchange 2013 and later write it.
     */
    public static NextHopSolutionKey mailboxDeliveryGroup(String site) {
        return new NextHopSolutionKey(DeliveryType.SmtpRelayToMailboxDeliveryGroup, "Site:" + site + ";Version:15", "");
    }

    /** The next hub site on the least-cost path (NextHopDomain: the site's name). */
    public static NextHopSolutionKey remoteSite(String site) {
        return new NextHopSolutionKey(DeliveryType.SmtpRelayToRemoteActiveDirectorySite, site, "");
    }

    /** A distribution group's ExpansionServer (NextHopDomain: the server's FQDN). */
    public static NextHopSolutionKey expansionServer(String serverFqdn) {
        return new NextHopSolutionKey(DeliveryType.SmtpRelayToServers, serverFqdn, "");
    }

    /** A Send connector hosted on other servers (NextHopDomain: the connector's name). */
    public static NextHopSolutionKey connectorSourceServers(String connector) {
        return new NextHopSolutionKey(DeliveryType.SmtpRelayToConnectorSourceServers, connector, connector);
    }

    /** The Poison queue's key: messages that were being worked on during PoisonThreshold crashes. */
    public static final NextHopSolutionKey POISON = new NextHopSolutionKey(DeliveryType.Undefined, "Poison Message", "");

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
