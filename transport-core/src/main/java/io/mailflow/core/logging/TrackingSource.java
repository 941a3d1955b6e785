package io.mailflow.core.logging;

/**
 * Message tracking: the source column, the component that wrote the event, Exchange's names
 * verbatim (exchange.md §7.1): SMTP for the receive and send sides, RESOLVER and ROUTING for the
 * categorizer, QUEUE for queue operations, STOREDRIVER for mailbox delivery, DSN for
 * notifications, AGENT for transport agents, ADMIN for administrator actions.
 */
public enum TrackingSource {
    ADMIN,
    AGENT,
    APPROVAL,
    BOOTLOADER,
    DNS,
    DSN,
    GATEWAY,
    MAILBOXRULE,
    MEETINGMESSAGEPROCESSOR,
    ORAR,
    PICKUP,
    POISONMESSAGE,
    PUBLICFOLDER,
    QUEUE,
    REDUNDANCY,
    RESOLVER,
    ROUTING,
    SAFETYNET,
    SMTP,
    STOREDRIVER
}
