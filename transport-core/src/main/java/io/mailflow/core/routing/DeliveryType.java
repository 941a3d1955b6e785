package io.mailflow.core.routing;

/** The DeliveryType part of a NextHopSolutionKey (exchange.md §5.2), in Exchange's names. */
public enum DeliveryType {
    /** To Mailbox Transport Delivery on the server holding the active database copy. */
    SmtpDeliveryToMailbox,
    /** To a mailbox database in a DAG this server is not a member of: any member of the DAG. */
    SmtpRelayToDag,
    /** To a mailbox database on a non-DAG server in another AD site: a server of that site's mailbox delivery group. */
    SmtpRelayToMailboxDeliveryGroup,
    /** Through a hub site on the least-cost path: a server of that site relays onward. */
    SmtpRelayToRemoteActiveDirectorySite,
    /** To a distribution group's ExpansionServer, which expands it. */
    SmtpRelayToServers,
    /** To a Send connector whose source servers do not include this one: one of its source servers. */
    SmtpRelayToConnectorSourceServers,
    /** Through a Send connector to its smart hosts. */
    SmartHostConnectorDelivery,
    /** Through a Send connector using DNS MX records. */
    DnsConnectorDelivery,
    /** No route: held in the Unreachable queue until the topology changes. */
    Unreachable,
    /** The Submission and Poison queues (exchange.md §5.2). */
    Undefined
}
