package io.mailflow.server.admin.queues;

import java.time.Instant;

/**
 * Queue viewer: one queue of the server as Get-Queue shows it (exchange.md §5.4), a snapshot the
 * Transport service hands to {@link QueueViewer#queues()}.
 *
 * <p>Identity is {@code <Server>\<QueueInteger>} for delivery queues ({@code EX01\3}) and
 * {@code <Server>\<PersistentName>} for the Submission, Unreachable and Poison queues. DeliveryType
 * is Exchange's name from the NextHopSolutionKey table (§5.2): {@code SmtpDeliveryToMailbox},
 * {@code DnsConnectorDelivery}, ..., {@code Undefined} for Submission and Poison,
 * {@code Unreachable} for Unreachable; it is text so that the Transport service can report the
 * key's {@code DeliveryType.name()} and the persistent queues alike. NextHopDomain is the key's
 * (a database, an address space, {@code Submission}, {@code Poison Message},
 * {@code Unreachable Domain}); NextHopConnector its GUID, all zeros when there is none.
 *
 * @param incomingRate  messages per second entering the queue, averaged over the last minute
 * @param outgoingRate  messages per second leaving it
 * @param velocity      OutgoingRate minus IncomingRate: positive means the queue drains
 * @param lastError     the last connection or delivery error; null when none
 * @param lastRetryTime null when never retried (likewise nextRetryTime, firstRetryTime)
 */
public record QueueInfo(String identity, String deliveryType, String nextHopDomain, String nextHopConnector,
                        Status status, int messageCount, int deferredMessageCount,
                        double incomingRate, double outgoingRate, double velocity,
                        String lastError, Instant lastRetryTime, Instant nextRetryTime, Instant firstRetryTime,
                        int retryCount, NextHopCategory nextHopCategory) {

    /** Get-Queue's Status (exchange.md §5.3). */
    public enum Status {
        /** Transmitting messages. */
        Active,
        /** Connecting to the next hop. */
        Connecting,
        /** Recently transmitted and now empty, or waiting for messages. */
        Ready,
        /** The last connection failed; waiting for NextRetryTime. */
        Retry,
        /** Suspended by an administrator; new messages still enter. */
        Suspended
    }

    /** Whether the next hop is inside the organization. */
    public enum NextHopCategory { Internal, External }

    public static final String SUBMISSION = "Submission";
    public static final String UNREACHABLE = "Unreachable";
    public static final String POISON = "Poison";

    /** The server part of the identity ({@code EX01}). */
    public String server() {
        int slash = identity.indexOf('\\');
        return slash < 0 ? "" : identity.substring(0, slash);
    }

    /** The queue part of the identity ({@code 3}, {@code Submission}). */
    public String queueName() {
        return identity.substring(identity.indexOf('\\') + 1);
    }

    public boolean isSubmission() {
        return queueName().equalsIgnoreCase(SUBMISSION);
    }

    public boolean isUnreachable() {
        return queueName().equalsIgnoreCase(UNREACHABLE);
    }

    public boolean isPoison() {
        return queueName().equalsIgnoreCase(POISON);
    }
}
