package io.mailflow.simulator.scenario;

import io.mailflow.core.organization.ReceiveConnector;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Scenario: one sender (a gateway, an application, an attacker) as a scenario's {@code Workloads}
 * entry describes it: where it connects from and to, how many connections it keeps, how its
 * messages arrive and look, and what it does when the relay answers 4xx.
 *
 * @param connector             the receive connector that answers it (chosen as the relay chooses:
 *                              the most specific RemoteIPRanges entry among the connectors sharing
 *                              the named connector's binding)
 * @param connections           concurrent connections it opens at most; {@link Integer#MAX_VALUE}: unlimited
 * @param messagesPerConnection messages it sends on one connection before QUIT
 * @param roundTrip             network round trip: every SMTP command costs one
 * @param idleTimeout           how long an open connection with nothing to send waits for a new message
 *                              before QUIT (Postfix's smtp_connection_cache_time_limit, 2 s)
 * @param unknownRecipientRate  share of recipients that do not exist (directory harvest)
 * @param externalRecipientRate share of recipients outside the organization
 * @param start                 when it starts sending (since the simulation's start)
 * @param stop                  when it stops generating new messages (null: the simulation's Duration)
 * @param signIn                how it signs in with SMTP AUTH after EHLO; null: anonymous
 * @param startTls              it starts TLS when EHLO offers STARTTLS (before signing in), as
 *                              Postfix's smtp_tls_security_level = may does
 */
public record Workload(String name,
                       InetAddress sourceIp,
                       ReceiveConnector connector,
                       int connections,
                       int messagesPerConnection,
                       Arrival arrival,
                       int recipientsPerMessage,
                       long sizeBytes,
                       OnRefusal onRefusal,
                       String mailFrom,
                       double unknownRecipientRate,
                       double externalRecipientRate,
                       String externalDomain,
                       Duration roundTrip,
                       Duration idleTimeout,
                       Duration start,
                       Duration stop,
                       SignIn signIn,
                       boolean startTls) {

    /** A mailbox user's credentials: the relay's own directory check decides, as for a real client. */
    public record SignIn(String user, String password) {
        @Override
        public String toString() {
            return "SignIn[" + user + "]";
        }
    }

    /** What the sender does with a connection the relay refused or closed with a 4xx reply. */
    public enum Action {
        /** Keep the message and try again after {@link OnRefusal#delay()}, as a gateway defers. */
        RetryAfter,
        /** Drop the message: a loss system (Erlang B). */
        GiveUp,
        /** Wait in line for the connector's next free connection (a listen backlog; Erlang C). */
        Wait
    }

    public record OnRefusal(Action action, Duration delay) {
    }

    /** The same sender with another arrival process (a trace of a real run's arrivals). */
    public Workload withArrival(Arrival other) {
        return new Workload(name, sourceIp, connector, connections, messagesPerConnection, other, recipientsPerMessage,
            sizeBytes, onRefusal, mailFrom, unknownRecipientRate, externalRecipientRate, externalDomain, roundTrip,
            idleTimeout, start, stop, signIn, startTls);
    }

    public String sourceAddress() {
        return sourceIp.getHostAddress();
    }
}
