package io.mailflow.core.backpressure;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.logging.TransportEvents;
import io.mailflow.core.organization.AcceptedDomain.DomainType;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.time.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Back pressure: the Transport service's resource monitor and its MAIL FROM gate. The shell feeds
 * it readings every ResourceMeteringInterval (Submission queue length from the queue actor, disk
 * use from {@link DiskUsage}); every receive session asks {@link #decide} before answering
 * MAIL FROM. This is how a full Submission queue turns into delays and {@code 452 4.3.1} at the
 * frontends (DESIGN.md "Decisions are plain classes").
 * Reads: the four thresholds of each {@link Resource} ({@link ResourceThresholds}),
 * ResourceMeteringInterval, SubmissionQueueHistoryDepth, SMTPStartThrottlingDelayInterval,
 * SMTPStepThrottlingDelayInterval, SMTPMaxThrottlingDelayInterval.
 * Emits: {@link Transition}s, which {@link #events} turns into events 15004, 15005 and 15006.
 *
 * <h2>Levels</h2>
 * Each resource keeps its own level with hysteresis ({@link ResourceThresholds#levelAfter}); the
 * server's level is the worst of them. Before its first reading a resource is Normal.
 *
 * <h2>MAIL FROM (exchange.md §3)</h2>
 * <ul>
 *   <li><b>Normal</b>: accept.</li>
 *   <li><b>High</b>: refuse every MAIL FROM with {@code 452 4.3.1 Insufficient system resources},
 *       inside the organization or not ("All message flow stops").</li>
 *   <li><b>Medium</b>, sender inside the organization (see {@link #senderInsideOrganization}):
 *       accept ("Mail from senders in the organization's authoritative domains can flow").</li>
 *   <li><b>Medium</b>, other senders, while a disk resource ({@link Resource.MediumAction#Reject})
 *       is at Medium: refuse with 452 4.3.1 at once, as Exchange rejects messages from
 *       non-Exchange servers under disk pressure.</li>
 *   <li><b>Medium</b>, other senders, when only the Submission queue is at Medium: tarpit. The
 *       MAIL FROM reply is delayed by SMTPStartThrottlingDelayInterval (10 s) for the first
 *       tarpitted MAIL FROM, SMTPStepThrottlingDelayInterval (5 s) more for each following one,
 *       up to SMTPMaxThrottlingDelayInterval (55 s): 10, 15, …, 55, 55 … The count is
 *       server-wide, not per session, and starts again when the Submission queue returns to
 *       Normal. Once the Submission queue has stayed above Normal for its history depth
 *       (SubmissionQueueHistoryDepth × ResourceMeteringInterval = 300 × 2 s = 10 minutes), counted
 *       from the moment it left Normal and measured on the injected clock, tarpitting stops and
 *       these senders are refused with 452 4.3.1 until it is Normal again. The depth is measured
 *       in time rather than in readings so that a shell that reports the queue length on every
 *       change, not every 2 s, gets the same 10 minutes.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Thread-safe: every method that reads or changes state holds this object's monitor. The queue
 * actor updates while many session streams decide; each call is a few comparisons.
 */
public final class BackPressure {

    /** A resource changed level with this reading. */
    public record Transition(Resource resource, PressureLevel from, PressureLevel to, long reading) {
        public Transition {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from == to) {
                throw new IllegalArgumentException("a transition changes the level: " + from);
            }
        }

        public boolean increased() {
            return to.isWorseThan(from);
        }
    }

    /**
     * Everything BackPressure reads, with Exchange's defaults ({@link #defaults()}).
     *
     * @param resourceMeteringInterval      ResourceMeteringInterval, 2 s: how often the shell reads
     * @param submissionQueueHistoryDepth   SubmissionQueueHistoryDepth, 300 readings
     * @param startThrottlingDelayInterval  SMTPStartThrottlingDelayInterval, 10 s
     * @param stepThrottlingDelayInterval   SMTPStepThrottlingDelayInterval, 5 s
     * @param maxThrottlingDelayInterval    SMTPMaxThrottlingDelayInterval, 55 s
     */
    public record Settings(Map<Resource, ResourceThresholds> thresholds,
                           Duration resourceMeteringInterval,
                           int submissionQueueHistoryDepth,
                           Duration startThrottlingDelayInterval,
                           Duration stepThrottlingDelayInterval,
                           Duration maxThrottlingDelayInterval) {

        public Settings {
            EnumMap<Resource, ResourceThresholds> copy = new EnumMap<>(Resource.class);
            copy.putAll(thresholds);
            for (Resource r : Resource.values()) {
                ResourceThresholds t = copy.get(r);
                if (t == null) {
                    throw new IllegalArgumentException("no thresholds for " + r.exchangeName());
                }
                if (t.resource() != r) {
                    throw new IllegalArgumentException("thresholds of " + t.resource() + " given for " + r);
                }
            }
            thresholds = Map.copyOf(copy);
            requirePositive("ResourceMeteringInterval", resourceMeteringInterval);
            if (submissionQueueHistoryDepth < 1) {
                throw new IllegalArgumentException("SubmissionQueueHistoryDepth must be at least 1: "
                    + submissionQueueHistoryDepth);
            }
            requirePositive("SMTPStartThrottlingDelayInterval", startThrottlingDelayInterval);
            Objects.requireNonNull(stepThrottlingDelayInterval, "SMTPStepThrottlingDelayInterval");
            if (stepThrottlingDelayInterval.isNegative()) {
                throw new IllegalArgumentException("SMTPStepThrottlingDelayInterval must not be negative: "
                    + stepThrottlingDelayInterval);
            }
            requirePositive("SMTPMaxThrottlingDelayInterval", maxThrottlingDelayInterval);
            if (maxThrottlingDelayInterval.compareTo(startThrottlingDelayInterval) < 0) {
                throw new IllegalArgumentException("SMTPMaxThrottlingDelayInterval (" + maxThrottlingDelayInterval
                    + ") is shorter than SMTPStartThrottlingDelayInterval (" + startThrottlingDelayInterval + ")");
            }
        }

        public static Settings defaults() {
            Map<Resource, ResourceThresholds> thresholds = new EnumMap<>(Resource.class);
            for (Resource r : Resource.values()) {
                thresholds.put(r, ResourceThresholds.defaults(r));
            }
            return new Settings(thresholds, Duration.ofSeconds(2), 300,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(55));
        }

        /** How long the Submission queue may stay above Normal before tarpitting turns to refusing. */
        public Duration submissionQueueHistory() {
            return resourceMeteringInterval.multipliedBy(submissionQueueHistoryDepth);
        }

        public Settings withThresholds(ResourceThresholds changed) {
            Map<Resource, ResourceThresholds> copy = new EnumMap<>(thresholds);
            copy.put(changed.resource(), changed);
            return new Settings(copy, resourceMeteringInterval, submissionQueueHistoryDepth,
                startThrottlingDelayInterval, stepThrottlingDelayInterval, maxThrottlingDelayInterval);
        }

        private static void requirePositive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
        }
    }

    /** Exchange's component names in events 15004/15005 (exchange.md §3, CLOUDING). */
    static final String FROM_THE_INTERNET = "Inbound mail submission from the Internet";
    static final String FROM_INSIDE = "Inbound mail submission from Hub Transport servers";

    private final Settings settings;
    private final Clock clock;
    private final EnumMap<Resource, PressureLevel> levels = new EnumMap<>(Resource.class);
    private final EnumMap<Resource, Long> readings = new EnumMap<>(Resource.class);

    /** When the Submission queue last left Normal; null while it is Normal. */
    private Instant submissionQueuePressureSince;
    /** MAIL FROM commands tarpitted since then. */
    private long tarpitted;

    public BackPressure(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Resource r : Resource.values()) {
            levels.put(r, PressureLevel.Normal);
        }
    }

    public Settings settings() {
        return settings;
    }

    /** One reading of one resource; the transition when its level changed. */
    public synchronized Optional<Transition> update(Resource resource, long reading) {
        Objects.requireNonNull(resource, "resource");
        PressureLevel from = levels.get(resource);
        PressureLevel to = settings.thresholds().get(resource).levelAfter(from, reading);
        readings.put(resource, reading);
        levels.put(resource, to);
        if (resource == Resource.SubmissionQueue) {
            if (to == PressureLevel.Normal) {
                submissionQueuePressureSince = null;
                tarpitted = 0;
            } else if (from == PressureLevel.Normal) {
                submissionQueuePressureSince = clock.now();
                tarpitted = 0;
            }
        }
        return from == to ? Optional.empty() : Optional.of(new Transition(resource, from, to, reading));
    }

    /** Several readings taken together, applied in {@link Resource} order; the transitions they caused. */
    public synchronized List<Transition> update(Map<Resource, Long> readingsNow) {
        List<Transition> out = new ArrayList<>();
        for (Resource r : Resource.values()) {
            Long value = readingsNow.get(r);
            if (value != null) {
                update(r, value).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The server's level: the worst of its resources. */
    public synchronized PressureLevel level() {
        PressureLevel worst = PressureLevel.Normal;
        for (PressureLevel l : levels.values()) {
            worst = PressureLevel.worst(worst, l);
        }
        return worst;
    }

    public synchronized PressureLevel level(Resource resource) {
        return levels.get(resource);
    }

    /** The last reading of a resource, empty before the first. */
    public synchronized Optional<Long> reading(Resource resource) {
        return Optional.ofNullable(readings.get(resource));
    }

    /**
     * The answer to one MAIL FROM now (rules in the class comment). A {@link MailFromVerdict.Delay}
     * counts towards the next delay, so call this once per MAIL FROM.
     *
     * @param senderInsideOrganization from {@link #senderInsideOrganization}, or the session's own
     *                                 knowledge that its peer is another server of the organization
     */
    public synchronized MailFromVerdict decide(boolean senderInsideOrganization) {
        switch (level()) {
            case Normal:
                return MailFromVerdict.Accept.INSTANCE;
            case High:
                return MailFromVerdict.Refuse.INSUFFICIENT_RESOURCES;
            default:
                break;
        }
        if (senderInsideOrganization) {
            return MailFromVerdict.Accept.INSTANCE;
        }
        if (outsideSendersRefused()) {
            return MailFromVerdict.Refuse.INSUFFICIENT_RESOURCES;
        }
        Duration delay = settings.startThrottlingDelayInterval()
            .plus(settings.stepThrottlingDelayInterval().multipliedBy(tarpitted));
        if (delay.compareTo(settings.maxThrottlingDelayInterval()) >= 0) {
            delay = settings.maxThrottlingDelayInterval();
        } else {
            // Counting stops at the cap, so a long Medium cannot overflow the multiplication.
            tarpitted++;
        }
        return new MailFromVerdict.Delay(delay);
    }

    /** At Medium: whether senders outside the organization are refused rather than tarpitted. */
    private boolean outsideSendersRefused() {
        for (Resource r : Resource.values()) {
            if (levels.get(r) != PressureLevel.Normal && r.mediumAction() == Resource.MediumAction.Reject) {
                return true;
            }
        }
        return submissionQueuePressureSince != null
            && !clock.now().isBefore(submissionQueuePressureSince.plus(settings.submissionQueueHistory()));
    }

    /**
     * Who counts as inside the organization at Medium (exchange.md §3, §1.4): an authenticated
     * session (ExchangeUsers, ExchangeServers), or a sender in one of the organization's
     * Authoritative accepted domains. Relay domains and the null reverse path {@code <>} are outside.
     *
     * @param sender the MAIL FROM address; empty for {@code <>}
     */
    public static boolean senderInsideOrganization(Organization organization, Optional<SmtpAddress> sender,
                                                   boolean authenticated) {
        if (authenticated) {
            return true;
        }
        return sender.flatMap(s -> organization.acceptedDomainFor(s.domain()))
            .map(d -> d.domainType() == DomainType.Authoritative)
            .orElse(false);
    }

    /**
     * The events a transition calls for: 15004 when it rose, 15005 when it fell, each with the
     * resource's own levels and the resources still under pressure; and 15006 when a disk resource
     * reached High. Call it right after the {@link #update} that returned the transition, so the
     * lists describe that moment.
     */
    public synchronized List<TransportEvent> events(Transition t) {
        List<String> underPressure = resourcesUnderPressure();
        List<String> disabled = disabledComponents();
        List<TransportEvent> out = new ArrayList<>(2);
        if (t.increased()) {
            out.add(TransportEvents.resourcePressureIncreased(t.from().name(), t.to().name(), underPressure, disabled));
            if (t.resource().isDisk() && t.to() == PressureLevel.High) {
                out.add(TransportEvents.lowDiskSpace(describe(t.resource())));
            }
        } else {
            out.add(TransportEvents.resourcePressureDecreased(t.from().name(), t.to().name(), underPressure, disabled));
        }
        return out;
    }

    /** Each resource above Normal, as the events print it. */
    public synchronized List<String> resourcesUnderPressure() {
        List<String> out = new ArrayList<>();
        for (Resource r : Resource.values()) {
            if (levels.get(r) != PressureLevel.Normal) {
                out.add(describe(r));
            }
        }
        return out;
    }

    /**
     * What {@link #decide} refuses right now, under Exchange's component names: senders outside
     * the organization are "from the Internet", senders inside it "from Hub Transport servers".
     * Tarpitted senders are slowed, not disabled, so they are not listed.
     */
    public synchronized List<String> disabledComponents() {
        return switch (level()) {
            case Normal -> List.of();
            case Medium -> outsideSendersRefused() ? List.of(FROM_THE_INTERNET) : List.of();
            case High -> List.of(FROM_INSIDE, FROM_THE_INTERNET);
        };
    }

    private String describe(Resource r) {
        ResourceThresholds t = settings.thresholds().get(r);
        return TransportEvents.reading(r.exchangeName(), readings.getOrDefault(r, 0L), levels.get(r).name(),
            t.mediumToLow(), t.lowToMedium(), t.mediumToHigh());
    }
}
