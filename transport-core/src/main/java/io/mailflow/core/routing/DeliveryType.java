package io.mailflow.core.routing;

/** The DeliveryType part of a NextHopSolutionKey (exchange.md §5.2), in Exchange's names. */
public enum DeliveryType {
    /** To Mailbox Transport Delivery on the server holding the active database copy. */
    SmtpDeliveryToMailbox,
    /** Through a Send connector to its smart hosts. */
    SmartHostConnectorDelivery,
    /** Through a Send connector using DNS MX records. */
    DnsConnectorDelivery,
    /** No route: held in the Unreachable queue until the topology changes. */
    Unreachable,
    /** The Submission and Poison queues (exchange.md §5.2). */
    Undefined
}
