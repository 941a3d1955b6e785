package io.mailflow.delivery.dns;

/**
 * Delivery, DNS routing: {@link MxResolver} could not give a recipient domain any mail host.
 * Permanent failures NDR the recipients with {@link #status()}; transient ones leave the queue in
 * Retry with {@link #status()} as its LastError.
 */
public final class MxResolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final String status;

    public MxResolutionException(boolean permanent, String status, String detail) {
        super(status + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.permanent = permanent;
        this.status = status;
    }

    /** True for a 5xx failure (NXDOMAIN, null MX, no addresses): retrying will not help. */
    public boolean permanent() {
        return permanent;
    }

    /** The SMTP status for the NDR or the queue's LastError, e.g. {@code 556 5.1.10 Recipient address has null MX}. */
    public String status() {
        return status;
    }
}
