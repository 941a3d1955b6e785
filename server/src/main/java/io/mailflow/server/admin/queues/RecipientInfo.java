package io.mailflow.server.admin.queues;

/**
 * Queue viewer: one recipient of a queued message, as {@code Get-Message -IncludeRecipientInfo}
 * lists it under Recipients. Exchange prints seven fields with numeric codes
 * ({@code {chris@contoso.com;2;2;<error>;16;<No Matching Connector>;0}}); Mailflow prints the
 * three an administrator reads: {@code address;Status;LastError} (see {@link #display()}).
 *
 * @param lastError the recipient's last delivery error; null when none
 */
public record RecipientInfo(String address, Status status, String lastError) {

    /** Where this recipient stands in the queue. */
    public enum Status {
        /** Waiting for delivery. */
        Ready,
        /** The last attempt failed; waiting for the next one. */
        Retry,
        /** Delivered; kept on the message until every recipient of the copy is done. */
        Complete
    }

    /** {@code chris@contoso.com;Retry;451 4.4.0 DNS query failed}. */
    public String display() {
        return address + ";" + status + ";" + (lastError == null ? "" : lastError);
    }

    @Override
    public String toString() {
        return display();
    }
}
