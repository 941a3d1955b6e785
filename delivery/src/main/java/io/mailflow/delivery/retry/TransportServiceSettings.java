package io.mailflow.delivery.retry;

import io.mailflow.core.params.Form;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.params.ParamTable;
import io.mailflow.core.params.Unlimited;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Transport service settings: the Set-TransportService timers and limits that the delivery
 * queues, their schedulers and Mailbox Transport Delivery read (exchange.md §4.1), each declared
 * once below with its Exchange name, range and default (STYLE.md §4). Read by
 * {@link RetrySchedule} (the retry and expiry timers) and by the delivery queues (connection
 * limits, QueueMaxIdleTime, PoisonThreshold, MaxConcurrentMailboxDeliveries).
 *
 * <p>Values are read in Exchange's forms through {@link #TABLE}: timespans {@code 00:05:00} and
 * {@code 2.00:00:00} (or HOCON durations such as {@code 5m}), counts or {@code unlimited}. Ranges
 * are those of the Set-TransportService cmdlet page. Two rules bind several parameters, and every
 * instance obeys them, however it was made:
 * <ul>
 *   <li>MaxOutboundConnections ≥ MaxPerDomainOutboundConnections;</li>
 *   <li>DelayNotificationTimeout &gt; TransientFailureRetryCount × TransientFailureRetryInterval
 *       (a delay DSN is not sent while the queue is still in its quick retries).</li>
 * </ul>
 * Defaults are a Mailbox server's. Where the sources disagree, REFERENCE.md decides:
 * MaxPerDomainOutboundConnections 20 (not 40) and MessageRetryInterval 5 minutes (not 15).
 *
 * @param maxOutboundConnections                 outbound SMTP connections open at once, all queues
 * @param maxPerDomainOutboundConnections        outbound SMTP connections open at once to one next hop
 * @param transientFailureRetryCount             quick connection retries of a queue before the long interval
 * @param transientFailureRetryInterval          wait between those quick retries
 * @param outboundConnectionFailureRetryInterval wait between connection attempts after the quick retries
 * @param messageRetryInterval                   wait before a deferred message is tried again
 * @param messageExpirationTimeout               how long a message may stay queued before its NDR
 * @param delayNotificationTimeout               how long a message waits before its delay DSN
 * @param queueMaxIdleTime                       an empty delivery queue is removed after this long
 * @param poisonThreshold                        crashes while a message is processed before it is poison
 * @param maxConcurrentMailboxDeliveries         concurrent deliveries into mailbox databases
 */
public record TransportServiceSettings(Unlimited maxOutboundConnections,
                                       Unlimited maxPerDomainOutboundConnections,
                                       int transientFailureRetryCount,
                                       Duration transientFailureRetryInterval,
                                       Duration outboundConnectionFailureRetryInterval,
                                       Duration messageRetryInterval,
                                       Duration messageExpirationTimeout,
                                       Duration delayNotificationTimeout,
                                       Duration queueMaxIdleTime,
                                       int poisonThreshold,
                                       int maxConcurrentMailboxDeliveries) {

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    /** Outbound connections open at once (1-2147483647 or unlimited). */
    public static final Param<TransportServiceSettings, Builder, Unlimited> MAX_OUTBOUND_CONNECTIONS =
        Param.of("MaxOutboundConnections", Forms.unlimited(1, INT_MAX), Unlimited.of(1000),
            TransportServiceSettings::maxOutboundConnections, Builder::maxOutboundConnections);

    /** Outbound connections open at once to one domain (1-2147483647 or unlimited; 20 per REFERENCE.md). */
    public static final Param<TransportServiceSettings, Builder, Unlimited> MAX_PER_DOMAIN_OUTBOUND_CONNECTIONS =
        Param.of("MaxPerDomainOutboundConnections", Forms.unlimited(1, INT_MAX), Unlimited.of(20),
            TransportServiceSettings::maxPerDomainOutboundConnections, Builder::maxPerDomainOutboundConnections);

    /** Quick connection retries after a failed connection (0-15); 0 goes straight to the long interval. */
    public static final Param<TransportServiceSettings, Builder, Integer> TRANSIENT_FAILURE_RETRY_COUNT =
        Param.of("TransientFailureRetryCount", Forms.integer(0, 15), 6,
            TransportServiceSettings::transientFailureRetryCount, Builder::transientFailureRetryCount);

    /** Wait between the quick retries (00:00:01-12:00:00; 5 minutes on a Mailbox server, 10 on Edge). */
    public static final Param<TransportServiceSettings, Builder, Duration> TRANSIENT_FAILURE_RETRY_INTERVAL =
        Param.of("TransientFailureRetryInterval", Forms.timeSpan(ONE_SECOND, Duration.ofHours(12)),
            Duration.ofMinutes(5),
            TransportServiceSettings::transientFailureRetryInterval, Builder::transientFailureRetryInterval);

    /** Wait between connection attempts once the quick retries are spent (00:00:01-20.00:00:00; 10 min, Edge 30). */
    public static final Param<TransportServiceSettings, Builder, Duration> OUTBOUND_CONNECTION_FAILURE_RETRY_INTERVAL =
        Param.of("OutboundConnectionFailureRetryInterval", Forms.timeSpan(ONE_SECOND, Duration.ofDays(20)),
            Duration.ofMinutes(10), TransportServiceSettings::outboundConnectionFailureRetryInterval,
            Builder::outboundConnectionFailureRetryInterval);

    /** Wait before one deferred message is tried again (00:00:01-1.00:00:00; 5 minutes per REFERENCE.md). */
    public static final Param<TransportServiceSettings, Builder, Duration> MESSAGE_RETRY_INTERVAL =
        Param.of("MessageRetryInterval", Forms.timeSpan(ONE_SECOND, Duration.ofDays(1)), Duration.ofMinutes(5),
            TransportServiceSettings::messageRetryInterval, Builder::messageRetryInterval);

    /** Longest time a message stays queued; then it fails with an NDR (00:00:05-90.00:00:00). */
    public static final Param<TransportServiceSettings, Builder, Duration> MESSAGE_EXPIRATION_TIMEOUT =
        Param.of("MessageExpirationTimeout", Forms.timeSpan(FIVE_SECONDS, Duration.ofDays(90)), Duration.ofDays(2),
            TransportServiceSettings::messageExpirationTimeout, Builder::messageExpirationTimeout);

    /** Wait before the delay DSN (00:00:01-30.00:00:00). */
    public static final Param<TransportServiceSettings, Builder, Duration> DELAY_NOTIFICATION_TIMEOUT =
        Param.of("DelayNotificationTimeout", Forms.timeSpan(ONE_SECOND, Duration.ofDays(30)), Duration.ofHours(4),
            TransportServiceSettings::delayNotificationTimeout, Builder::delayNotificationTimeout);

    /** An empty delivery queue is removed after this long (00:00:05-01:00:00). */
    public static final Param<TransportServiceSettings, Builder, Duration> QUEUE_MAX_IDLE_TIME =
        Param.of("QueueMaxIdleTime", Forms.timeSpan(FIVE_SECONDS, Duration.ofHours(1)), Duration.ofMinutes(3),
            TransportServiceSettings::queueMaxIdleTime, Builder::queueMaxIdleTime);

    /** Crashes while a message is processed before it moves to the Poison message queue (1-10). */
    public static final Param<TransportServiceSettings, Builder, Integer> POISON_THRESHOLD =
        Param.of("PoisonThreshold", Forms.integer(1, 10), 2,
            TransportServiceSettings::poisonThreshold, Builder::poisonThreshold);

    /** Concurrent deliveries into mailbox databases (1-256). */
    public static final Param<TransportServiceSettings, Builder, Integer> MAX_CONCURRENT_MAILBOX_DELIVERIES =
        Param.of("MaxConcurrentMailboxDeliveries", Forms.integer(1, 256), 20,
            TransportServiceSettings::maxConcurrentMailboxDeliveries, Builder::maxConcurrentMailboxDeliveries);

    /** A Mailbox server's Transport service before any Set-TransportService. */
    public static final TransportServiceSettings DEFAULT = new TransportServiceSettings(
        MAX_OUTBOUND_CONNECTIONS.defaultValue().orElseThrow(),
        MAX_PER_DOMAIN_OUTBOUND_CONNECTIONS.defaultValue().orElseThrow(),
        TRANSIENT_FAILURE_RETRY_COUNT.defaultValue().orElseThrow(),
        TRANSIENT_FAILURE_RETRY_INTERVAL.defaultValue().orElseThrow(),
        OUTBOUND_CONNECTION_FAILURE_RETRY_INTERVAL.defaultValue().orElseThrow(),
        MESSAGE_RETRY_INTERVAL.defaultValue().orElseThrow(),
        MESSAGE_EXPIRATION_TIMEOUT.defaultValue().orElseThrow(),
        DELAY_NOTIFICATION_TIMEOUT.defaultValue().orElseThrow(),
        QUEUE_MAX_IDLE_TIME.defaultValue().orElseThrow(),
        POISON_THRESHOLD.defaultValue().orElseThrow(),
        MAX_CONCURRENT_MAILBOX_DELIVERIES.defaultValue().orElseThrow());

    /** Every parameter, in the alphabetical order of the Set-TransportService cmdlet reference. */
    public static final ParamTable<TransportServiceSettings, Builder> TABLE = new ParamTable<>(
        List.of(DELAY_NOTIFICATION_TIMEOUT, MAX_CONCURRENT_MAILBOX_DELIVERIES, MAX_OUTBOUND_CONNECTIONS,
            MAX_PER_DOMAIN_OUTBOUND_CONNECTIONS, MESSAGE_EXPIRATION_TIMEOUT, MESSAGE_RETRY_INTERVAL,
            OUTBOUND_CONNECTION_FAILURE_RETRY_INTERVAL, POISON_THRESHOLD, QUEUE_MAX_IDLE_TIME,
            TRANSIENT_FAILURE_RETRY_COUNT, TRANSIENT_FAILURE_RETRY_INTERVAL),
        List.of("MaxConcurrentMailboxSubmissions", "MaxConnectionRatePerMinute",
            "PickupDirectoryMaxMessagesPerMinute", "IntraOrgConnectorSmtpMaxMessagesPerConnection"),
        Builder::from, Builder::build, (settings, given) -> List.of());

    /**
     * Checks every value against its parameter's range and the rules across parameters.
     *
     * @throws ParamException with every problem, in the texts Set-TransportService gives
     */
    public TransportServiceSettings {
        List<ParamProblem> problems = new ArrayList<>();
        inRange(problems, MAX_OUTBOUND_CONNECTIONS, maxOutboundConnections);
        inRange(problems, MAX_PER_DOMAIN_OUTBOUND_CONNECTIONS, maxPerDomainOutboundConnections);
        inRange(problems, TRANSIENT_FAILURE_RETRY_COUNT, transientFailureRetryCount);
        inRange(problems, TRANSIENT_FAILURE_RETRY_INTERVAL, transientFailureRetryInterval);
        inRange(problems, OUTBOUND_CONNECTION_FAILURE_RETRY_INTERVAL, outboundConnectionFailureRetryInterval);
        inRange(problems, MESSAGE_RETRY_INTERVAL, messageRetryInterval);
        inRange(problems, MESSAGE_EXPIRATION_TIMEOUT, messageExpirationTimeout);
        inRange(problems, DELAY_NOTIFICATION_TIMEOUT, delayNotificationTimeout);
        inRange(problems, QUEUE_MAX_IDLE_TIME, queueMaxIdleTime);
        inRange(problems, POISON_THRESHOLD, poisonThreshold);
        inRange(problems, MAX_CONCURRENT_MAILBOX_DELIVERIES, maxConcurrentMailboxDeliveries);
        if (problems.isEmpty()) {
            if (!maxOutboundConnections.isUnlimited() && (maxPerDomainOutboundConnections.isUnlimited()
                || maxPerDomainOutboundConnections.orElse(0) > maxOutboundConnections.orElse(0))) {
                problems.add(new ParamProblem(MAX_PER_DOMAIN_OUTBOUND_CONNECTIONS.name(),
                    "MaxPerDomainOutboundConnections (" + maxPerDomainOutboundConnections
                        + ") must not exceed MaxOutboundConnections (" + maxOutboundConnections + ")"));
            }
            Duration quickRetries = transientFailureRetryInterval.multipliedBy(transientFailureRetryCount);
            if (delayNotificationTimeout.compareTo(quickRetries) <= 0) {
                Form<Duration> form = DELAY_NOTIFICATION_TIMEOUT.form();
                problems.add(new ParamProblem(DELAY_NOTIFICATION_TIMEOUT.name(),
                    "DelayNotificationTimeout (" + form.display(delayNotificationTimeout)
                        + ") must exceed TransientFailureRetryCount x TransientFailureRetryInterval ("
                        + transientFailureRetryCount + " x " + form.display(transientFailureRetryInterval)
                        + " = " + form.display(quickRetries) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ParamException(problems);
        }
    }

    /**
     * Settings from Exchange's text forms, the rest at their defaults:
     * {@code parse(Map.of("MessageExpirationTimeout", "2.00:00:00", "MaxOutboundConnections", "unlimited"))}.
     * Names match in any case, as PowerShell's do.
     *
     * @throws ParamException with every problem
     */
    public static TransportServiceSettings parse(Map<String, String> values) {
        return DEFAULT.set(values);
    }

    /** Set-TransportService: these settings with every change applied, or none. @throws ParamException with every problem */
    public TransportServiceSettings set(Map<String, String> changes) {
        return TABLE.set(this, changes);
    }

    /** Every value as {@code Get-TransportService | fl} prints it. */
    public Map<String, String> toDisplay() {
        return TABLE.toDisplay(this);
    }

    public Builder toBuilder() {
        return Builder.from(this);
    }

    /**
     * A value's range is declared once, in its parameter's form: the value is checked by the same
     * form that reads it, so a record built in code and a value typed in the shell are refused
     * with the same text.
     */
    private static <T> void inRange(List<ParamProblem> problems, Param<TransportServiceSettings, Builder, T> param,
                                    T value) {
        if (value == null) {
            problems.add(new ParamProblem(param.name(), "needs a value"));
            return;
        }
        try {
            param.form().parse(param.form().display(value));
        } catch (IllegalArgumentException e) {
            problems.add(new ParamProblem(param.name(), e.getMessage()));
        }
    }

    /** A mutable copy, as Set-TransportService changes some parameters and keeps the rest. */
    public static final class Builder {
        private Unlimited maxOutboundConnections;
        private Unlimited maxPerDomainOutboundConnections;
        private int transientFailureRetryCount;
        private Duration transientFailureRetryInterval;
        private Duration outboundConnectionFailureRetryInterval;
        private Duration messageRetryInterval;
        private Duration messageExpirationTimeout;
        private Duration delayNotificationTimeout;
        private Duration queueMaxIdleTime;
        private int poisonThreshold;
        private int maxConcurrentMailboxDeliveries;

        private Builder(TransportServiceSettings s) {
            maxOutboundConnections = s.maxOutboundConnections();
            maxPerDomainOutboundConnections = s.maxPerDomainOutboundConnections();
            transientFailureRetryCount = s.transientFailureRetryCount();
            transientFailureRetryInterval = s.transientFailureRetryInterval();
            outboundConnectionFailureRetryInterval = s.outboundConnectionFailureRetryInterval();
            messageRetryInterval = s.messageRetryInterval();
            messageExpirationTimeout = s.messageExpirationTimeout();
            delayNotificationTimeout = s.delayNotificationTimeout();
            queueMaxIdleTime = s.queueMaxIdleTime();
            poisonThreshold = s.poisonThreshold();
            maxConcurrentMailboxDeliveries = s.maxConcurrentMailboxDeliveries();
        }

        public static Builder from(TransportServiceSettings settings) {
            return new Builder(settings);
        }

        /** @throws ParamException when a value or a rule across values is broken */
        public TransportServiceSettings build() {
            return new TransportServiceSettings(maxOutboundConnections, maxPerDomainOutboundConnections,
                transientFailureRetryCount, transientFailureRetryInterval, outboundConnectionFailureRetryInterval,
                messageRetryInterval, messageExpirationTimeout, delayNotificationTimeout, queueMaxIdleTime,
                poisonThreshold, maxConcurrentMailboxDeliveries);
        }

        public Builder maxOutboundConnections(Unlimited v) { maxOutboundConnections = v; return this; }
        public Builder maxPerDomainOutboundConnections(Unlimited v) { maxPerDomainOutboundConnections = v; return this; }
        public Builder transientFailureRetryCount(int v) { transientFailureRetryCount = v; return this; }
        public Builder transientFailureRetryInterval(Duration v) { transientFailureRetryInterval = v; return this; }
        public Builder outboundConnectionFailureRetryInterval(Duration v) { outboundConnectionFailureRetryInterval = v; return this; }
        public Builder messageRetryInterval(Duration v) { messageRetryInterval = v; return this; }
        public Builder messageExpirationTimeout(Duration v) { messageExpirationTimeout = v; return this; }
        public Builder delayNotificationTimeout(Duration v) { delayNotificationTimeout = v; return this; }
        public Builder queueMaxIdleTime(Duration v) { queueMaxIdleTime = v; return this; }
        public Builder poisonThreshold(int v) { poisonThreshold = v; return this; }
        public Builder maxConcurrentMailboxDeliveries(int v) { maxConcurrentMailboxDeliveries = v; return this; }
    }
}
