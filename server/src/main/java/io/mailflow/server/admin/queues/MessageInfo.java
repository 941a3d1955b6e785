package io.mailflow.server.admin.queues;

import io.mailflow.core.params.ByteSize;

import java.time.Instant;
import java.util.List;

/**
 * Queue viewer: one message in one queue as Get-Message shows it (exchange.md §5.4), a snapshot
 * the Transport service hands to {@link QueueViewer#messages()}.
 *
 * <p>Identity is {@code <Server>\<QueueName>\<MessageInteger>} ({@code EX01\3\12}). As in
 * Exchange the MessageInteger is the message's, not the copy's: the bifurcated copies of one
 * message in several queues share it ({@code EX01\3\12}, {@code EX01\5\12}), which is why
 * {@code Suspend-Message -Identity 12} acts on every copy.
 *
 * @param queue             the identity of the queue holding this copy ({@code EX01\3})
 * @param lastError         null when none
 * @param sourceIP          the SMTP client's address, or null for messages not received by SMTP
 * @param messageSourceName {@code SMTP:Default Frontend EX01}, {@code DSN}, {@code Pickup}
 * @param expirationTime    when the message expires (MessageExpirationTimeout after DateReceived)
 */
public record MessageInfo(String identity, String queue, String fromAddress, Status status, ByteSize size,
                          String subject, Instant dateReceived, Instant expirationTime, String internetMessageId,
                          String lastError, String sourceIP, int retryCount, String messageSourceName,
                          Directionality directionality, List<RecipientInfo> recipients) {

    /** Get-Message's Status (exchange.md §5.3; Locked is unused on-premises). */
    public enum Status {
        /** Being transmitted. */
        Active,
        /** Waiting to be transmitted. */
        Ready,
        /** The last attempt failed; waiting for the queue's next retry. */
        Retry,
        /** Suspended by an administrator, or poison (permanently suspended). */
        Suspended,
        /** Removed while being transmitted: goes once the transmission ends. */
        PendingRemove,
        /** Suspended while being transmitted: suspends once the transmission ends. */
        PendingSuspend
    }

    /** Whether the message came from outside the organization. */
    public enum Directionality { Undefined, Incoming, Originating }

    public MessageInfo {
        recipients = List.copyOf(recipients);
    }

    /** The MessageInteger, the last part of the identity ({@code 12}). */
    public String messageInteger() {
        return identity.substring(identity.lastIndexOf('\\') + 1);
    }

    /** Whether this copy sits in the poison message queue. */
    public boolean isPoison() {
        return queue.substring(queue.indexOf('\\') + 1).equalsIgnoreCase(QueueInfo.POISON);
    }
}
