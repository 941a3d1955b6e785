package io.mailflow.core.backpressure;

/**
 * Back pressure: the resources the Transport service meters every ResourceMeteringInterval
 * (exchange.md §3), under the names Exchange's event 15004 and
 * {@code Get-ExchangeDiagnosticInfo -Component ResourceThrottling} print. Mailflow keeps one
 * durable spool where Exchange keeps mail.que and its transaction logs, so "queue" in the disk
 * names stands for the spool directory.
 */
public enum Resource {
    /** Messages waiting in the Submission queue for the categorizer. */
    SubmissionQueue("QueueLength[SubmissionQueue]", "QueueLength[SubmissionQueue]", "messages", MediumAction.Tarpit),
    /** Percent used of the disk holding the spool's write-ahead log (Exchange: the queue transaction logs). */
    UsedDiskSpace("UsedDiskSpace[queue]", "UsedDiskSpace", "%", MediumAction.Reject),
    /** Percent used of the disk holding the spool's database (Exchange: mail.que). */
    DatabaseUsedSpace("DatabaseUsedSpace[queue]", "DatabaseUsedSpace", "%", MediumAction.Reject);

    /**
     * What Medium pressure on this resource does to MAIL FROM from outside the organization.
     * exchange.md §3: under Submission queue (and version bucket) pressure Exchange tarpits MAIL FROM
     * and rejects only once the history depth has passed; under disk pressure it rejects messages
     * from non-Exchange servers at once.
     */
    public enum MediumAction { Tarpit, Reject }

    private final String exchangeName;
    private final String keyPrefix;
    private final String unit;
    private final MediumAction mediumAction;

    Resource(String exchangeName, String keyPrefix, String unit, MediumAction mediumAction) {
        this.exchangeName = exchangeName;
        this.keyPrefix = keyPrefix;
        this.unit = unit;
        this.mediumAction = mediumAction;
    }

    /** The name events and diagnostics print, e.g. {@code QueueLength[SubmissionQueue]}. */
    public String exchangeName() {
        return exchangeName;
    }

    /** The EdgeTransport.exe.config key of one threshold, e.g. {@code QueueLength[SubmissionQueue].LowToMedium}. */
    public String key(String threshold) {
        return keyPrefix + "." + threshold;
    }

    /** {@code messages} or {@code %}. */
    public String unit() {
        return unit;
    }

    public MediumAction mediumAction() {
        return mediumAction;
    }

    /** Disk resources write event 15006 when they reach High. */
    public boolean isDisk() {
        return this == UsedDiskSpace || this == DatabaseUsedSpace;
    }
}
