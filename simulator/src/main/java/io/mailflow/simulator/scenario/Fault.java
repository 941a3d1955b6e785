package io.mailflow.simulator.scenario;

import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.smtp.SmtpReply;

import java.time.Duration;
import java.util.Locale;

/**
 * Scenario: something that goes wrong for a window of virtual time ({@code Faults} entries). Each
 * entry has a {@code Type}, a window ({@code Start} and {@code Duration}, or {@code From} and
 * {@code Until}, since the simulation's start) and what the type needs:
 * <ul>
 *   <li>{@code DownstreamUnavailable}, {@code Target}: every connection to the matching next hops
 *       fails, so their delivery queues go to Retry on the relay's own RetrySchedule.</li>
 *   <li>{@code DownstreamReplies}, {@code Target}, {@code Reply}, {@code Fraction} (0-1, default
 *       1), {@code Per} ({@code Message}: the reply to the end of data, for every recipient of the
 *       message; {@code Recipient}: the reply to RCPT TO, drawn per recipient): the next hop is
 *       reachable but answers {@code Reply} (4xx or 5xx) to that share. 4xx: the recipients wait
 *       MessageRetryInterval and are tried again until they expire (MessageExpirationTimeout); 5xx:
 *       they fail with an NDR.</li>
 *   <li>{@code ServerDown}: the simulated server is stopped: connections to its receive connectors
 *       are refused, open sessions are cut, nothing is categorized or delivered; when it starts again
 *       it recovers every spooled message through the Submission queue, as the relay does.</li>
 *   <li>{@code SlowDisk}, {@code Multiplier} and/or {@code SpoolSync} and {@code MailboxDelivery}
 *       (distributions, as in {@code ServiceTimes}): spool syncs (end of data → 250) and mailbox
 *       deliveries that start in the window take longer.</li>
 *   <li>{@code LinkLatency}, {@code RoundTrip} and {@code Workload} (a workload's name: every SMTP
 *       command of its sessions waits this much longer for its reply) or {@code Target} (a next
 *       hop: each outbound delivery takes 5 + recipients round trips longer).</li>
 * </ul>
 * {@code Target} is a Send connector name, a smart host, a recipient domain or a mailbox
 * database; {@code "*"} matches every next hop; left out, every next hop outside the organization
 * (every Send connector).
 */
public sealed interface Fault {

    Window window();

    /** How a report names it. */
    String describe();

    default boolean activeAt(long nanos) {
        return window().activeAt(nanos);
    }

    /** The window [from, until) since the simulation's start. */
    record Window(Duration from, Duration until) {
        public boolean activeAt(long nanos) {
            return nanos >= from.toNanos() && nanos < until.toNanos();
        }

        public long fromNanos() {
            return from.toNanos();
        }

        public long untilNanos() {
            return until.toNanos();
        }

        String describe() {
            return "from " + Scenario.format(from) + " until " + Scenario.format(until);
        }
    }

    /** The next hops a fault hits: see the class comment for {@code Target}. */
    record NextHop(String target) {
        public boolean matches(NextHopSolutionKey key) {
            if (key.deliveryType() == DeliveryType.Unreachable) {
                return false;
            }
            if (target == null) {
                return key.deliveryType() != DeliveryType.SmtpDeliveryToMailbox;
            }
            return target.equals("*") || target.equalsIgnoreCase(key.nextHopConnector())
                || target.equalsIgnoreCase(key.nextHopDomain());
        }

        String describe() {
            return target == null ? "(every Send connector)" : target;
        }
    }

    /** Where a {@link DownstreamReplies} reply is given. */
    enum Per { Message, Recipient }

    record DownstreamUnavailable(Window window, NextHop nextHop) implements Fault {
        public String describe() {
            return "DownstreamUnavailable " + nextHop.describe() + " " + window.describe();
        }
    }

    record DownstreamReplies(Window window, NextHop nextHop, SmtpReply reply, double fraction, Per per)
        implements Fault {
        public String describe() {
            return "DownstreamReplies " + nextHop.describe() + " answers \"" + reply.toLogString() + "\" to "
                + percent(fraction) + " of " + (per == Per.Message ? "messages" : "recipients") + " "
                + window.describe();
        }
    }

    record ServerDown(Window window, String server) implements Fault {
        public String describe() {
            return "ServerDown " + server + " " + window.describe();
        }
    }

    /**
     * @param multiplier      applied to the ServiceTimes distribution not replaced (1: none)
     * @param spoolSync       replaces ServiceTimes.SpoolSync in the window; null: multiplied
     * @param mailboxDelivery replaces ServiceTimes.MailboxDelivery in the window; null: multiplied
     */
    record SlowDisk(Window window, double multiplier, Distribution spoolSync, Distribution mailboxDelivery)
        implements Fault {
        public long spoolSync(long normal, java.util.random.RandomGenerator random) {
            return spoolSync == null ? (long) (normal * multiplier) : spoolSync.sampleNanos(random);
        }

        public long mailboxDelivery(long normal, java.util.random.RandomGenerator random) {
            return mailboxDelivery == null ? (long) (normal * multiplier) : mailboxDelivery.sampleNanos(random);
        }

        public String describe() {
            String sync = spoolSync == null ? "× " + number(multiplier) : spoolSync.describe();
            String mailbox = mailboxDelivery == null ? "× " + number(multiplier) : mailboxDelivery.describe();
            return "SlowDisk: SpoolSync " + sync + ", MailboxDelivery " + mailbox + " " + window.describe();
        }
    }

    /** One of {@code workload} and {@code nextHop} is set. */
    record LinkLatency(Window window, String workload, NextHop nextHop, Duration roundTrip) implements Fault {
        public String describe() {
            return "LinkLatency +" + Scenario.format(roundTrip) + " per round trip to "
                + (workload != null ? "the sessions of " + workload : "next hop " + nextHop.describe()) + " "
                + window.describe();
        }
    }

    private static String percent(double fraction) {
        return number(fraction * 100) + " %";
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
