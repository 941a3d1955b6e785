package io.mailflow.core.organization;

/** Which service hosts a receive connector (Exchange 2013+). */
public enum TransportRole {
    /** Front End Transport: client and Internet SMTP, stateless proxy. */
    FrontendTransport,
    /** The Transport service: owns the spool and the queues. */
    HubTransport,
    /** Mailbox Transport Delivery: the implicit connector on port 475. Mailflow's name for it. */
    MailboxDelivery
}
