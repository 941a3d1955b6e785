package io.mailflow.simulator.scenario;

import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.time.Duration;

/**
 * Scenario: something that goes wrong for a window of virtual time ({@code Faults} entries).
 * {@code DownstreamUnavailable}: every connection to the matching next hops fails from
 * {@code From} until {@code Until}, so their delivery queues go to Retry on the relay's own
 * RetrySchedule. {@code Target} is a Send connector name, a smart host, a recipient domain or a
 * mailbox database; {@code "*"} matches every next hop; left out, every next hop outside the
 * organization (every Send connector).
 */
public record Fault(Type type, Duration from, Duration until, String target) {

    public enum Type { DownstreamUnavailable }

    public boolean activeAt(long nanos) {
        return nanos >= from.toNanos() && nanos < until.toNanos();
    }

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

    public String describe() {
        return type + " " + (target == null ? "(every Send connector)" : target) + " from "
            + Scenario.format(from) + " until " + Scenario.format(until);
    }
}
