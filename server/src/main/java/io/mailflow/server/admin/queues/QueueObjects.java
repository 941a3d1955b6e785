package io.mailflow.server.admin.queues;

import io.mailflow.server.admin.shell.DefaultView;
import io.mailflow.server.admin.shell.ShellObject;

import java.util.List;

/**
 * Queue viewer: how queues and messages appear in the shell: Exchange's type names, properties in
 * the order {@code Get-Queue | fl} and {@code Get-Message | fl} list them, and the default tables.
 * Dates print in UTC as {@code 1/15/2026 9:03:12 AM}; sizes as {@code 6.5 KB (6,656 bytes)}.
 * RiskLevel (Normal) and OutboundIPPool (0) are the fixed values of an on-premises server.
 */
final class QueueObjects {
    static final String QUEUE_TYPE = "Microsoft.Exchange.Data.QueueViewer.ExtensibleQueueInfo";
    static final String MESSAGE_TYPE = "Microsoft.Exchange.Data.QueueViewer.ExtensibleMessageInfo";

    static final DefaultView QUEUE_VIEW = DefaultView.table("Identity", "DeliveryType", "Status", "MessageCount",
        "Velocity", "RiskLevel", "OutboundIPPool", "NextHopDomain");
    static final DefaultView MESSAGE_VIEW = DefaultView.table("Identity", "FromAddress", "Status", "Queue", "Subject");

    static final List<String> QUEUE_PROPERTIES = List.of("DeliveryType", "NextHopDomain", "NextHopConnector",
        "Status", "MessageCount", "LastError", "RetryCount", "LastRetryTime", "NextRetryTime", "FirstRetryTime",
        "DeferredMessageCount", "RiskLevel", "OutboundIPPool", "NextHopCategory", "IncomingRate", "OutgoingRate",
        "Velocity", "Identity");
    static final List<String> MESSAGE_PROPERTIES = List.of("Identity", "Subject", "InternetMessageId", "FromAddress",
        "Status", "Size", "MessageSourceName", "SourceIP", "DateReceived", "ExpirationTime", "LastError", "RetryCount",
        "Recipients", "Directionality", "Queue");

    private QueueObjects() {}

    static ShellObject queue(QueueInfo q) {
        return ShellObject.builder(QUEUE_TYPE, q)
            .property("DeliveryType", q.deliveryType())
            .property("NextHopDomain", q.nextHopDomain())
            .property("NextHopConnector", q.nextHopConnector())
            .property("Status", q.status())
            .property("MessageCount", q.messageCount())
            .property("LastError", q.lastError())
            .property("RetryCount", q.retryCount())
            .property("LastRetryTime", DisplayValues.date(q.lastRetryTime()))
            .property("NextRetryTime", DisplayValues.date(q.nextRetryTime()))
            .property("FirstRetryTime", DisplayValues.date(q.firstRetryTime()))
            .property("DeferredMessageCount", q.deferredMessageCount())
            .property("RiskLevel", "Normal")
            .property("OutboundIPPool", 0)
            .property("NextHopCategory", q.nextHopCategory())
            .property("IncomingRate", DisplayValues.rate(q.incomingRate()))
            .property("OutgoingRate", DisplayValues.rate(q.outgoingRate()))
            .property("Velocity", DisplayValues.rate(q.velocity()))
            .property("Identity", q.identity())
            .build();
    }

    /** @param withRecipients Get-Message fills Recipients only under -IncludeRecipientInfo */
    static ShellObject message(MessageInfo m, boolean withRecipients) {
        return ShellObject.builder(MESSAGE_TYPE, m)
            .property("Identity", m.identity())
            .property("Subject", m.subject())
            .property("InternetMessageId", m.internetMessageId())
            .property("FromAddress", m.fromAddress())
            .property("Status", m.status())
            .property("Size", m.size())
            .property("MessageSourceName", m.messageSourceName())
            .property("SourceIP", m.sourceIP())
            .property("DateReceived", DisplayValues.date(m.dateReceived()))
            .property("ExpirationTime", DisplayValues.date(m.expirationTime()))
            .property("LastError", m.lastError())
            .property("RetryCount", m.retryCount())
            .property("Recipients", withRecipients ? m.recipients() : List.of())
            .property("Directionality", m.directionality())
            .property("Queue", m.queue())
            .build();
    }
}
