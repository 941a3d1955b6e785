package io.mailflow.frontend.admission;

import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.organization.AccessMap;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.time.ManualClock;
import io.mailflow.frontend.admission.ConnectionAdmission.Admitted;
import io.mailflow.frontend.admission.ConnectionAdmission.Decision;
import io.mailflow.frontend.admission.ConnectionAdmission.Refused;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection admission on a receive connector: Exchange's limits, Sendmail's beside them, in order. */
class ConnectionAdmissionTest {

    /** Seed 001's AppRelay: MaxInboundConnection 5000, per source 20, 2 %. */
    private static final AdmissionLimits APP_RELAY = new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20), 2, 0,
        Unlimited.UNLIMITED, AccessMap.EMPTY);
    private static final String PER_SOURCE_REPLY = "421 4.3.2 The maximum number of concurrent server connections "
        + "has exceeded a per-source limit, closing transmission channel\r\n";
    private static final String MAX_CONNECTIONS_REPLY = "421 4.3.2 The maximum number of concurrent connections has "
        + "exceeded a limit, closing transmission channel\r\n";

    private final ManualClock clock = ManualClock.atEpoch();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Decision admit(ConnectionAdmission admission, String client) {
        return admission.tryAdmit(ip(client), Optional.empty());
    }

    /** Admits {@code count} connections that must all be admitted; returns them. */
    private static List<Admitted> fill(ConnectionAdmission admission, String client, int count) {
        List<Admitted> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(assertInstanceOf(Admitted.class, admit(admission, client), "connection " + (i + 1)));
        }
        return held;
    }

    private static AccessMap accessMap(String... lines) {
        return AccessMap.parse(List.of(lines));
    }

    private static TransportEvent event(Decision d) {
        return assertInstanceOf(Refused.class, d).event().orElseThrow();
    }

    @Test
    void seed000SixtyConnectionsFromOneGatewayGetTwentyThenAllAfterRaisingThePerSourceLimit() {
        ConnectionAdmission edge = new ConnectionAdmission("EdgeServer", APP_RELAY, clock);
        int admitted = 0;
        List<Refused> refused = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Decision d = admit(edge, "203.0.113.7");
            if (d instanceof Admitted) {
                admitted++;
            } else {
                refused.add((Refused) d);
            }
        }
        assertEquals(20, admitted);
        assertEquals(40, refused.size());
        for (Refused r : refused) {
            assertEquals(PER_SOURCE_REPLY, r.reply().render());
            TransportEvent e = r.event().orElseThrow();
            assertEquals(1021, e.eventId());
            assertEquals(TransportEvent.Level.Warning, e.level());
            assertEquals("Receive connector 'EdgeServer' rejected an incoming connection from IP address "
                + "'203.0.113.7'. The maximum number of connections per source ('20') for this connector has been "
                + "reached by this source IP address.", e.text());
        }

        // Set-ReceiveConnector -MaxInboundConnectionPerSource 100: the deferred 40 now get in too.
        edge.updateLimits(APP_RELAY.withMaxInboundConnectionPerSource(Unlimited.of(100)));
        fill(edge, "203.0.113.7", 40);
        assertEquals(60, edge.openConnections(ip("203.0.113.7")));
        assertEquals(60, edge.openConnections());
    }

    @Test
    void percentageRuleFollowsTheWorkedExampleOnAppRelay() {
        // Exempt connections from 10.0.0.1 fill the connector: they count towards "open".
        AdmissionLimits limits = APP_RELAY.withAccessMap(accessMap("Connect:10 OK"));

        // 4,500 open in the end: 2 % of 500 remaining = 10.
        ConnectionAdmission appRelay = new ConnectionAdmission("AppRelay", limits, clock);
        fill(appRelay, "10.0.0.1", 4490);
        fill(appRelay, "192.0.2.7", 10);
        assertEquals(4500, appRelay.openConnections());
        Decision eleventh = admit(appRelay, "192.0.2.7");
        assertEquals(PER_SOURCE_REPLY, assertInstanceOf(Refused.class, eleventh).reply().render());
        assertEquals(1021, event(eleventh).eventId());
        assertEquals("Receive connector 'AppRelay' rejected an incoming connection from IP address '192.0.2.7'. "
            + "The maximum percentage of connections per source ('2' percent, '10' connections) for this connector "
            + "has been reached by this source IP address.", event(eleventh).text());
        // Another source holding none is still admitted: its share is the same 10.
        assertInstanceOf(Admitted.class, admit(appRelay, "192.0.2.8"));

        // 4,000 open: 2 % of 1,000 = 20, the same as the per-source limit, which is checked first.
        ConnectionAdmission at4000 = new ConnectionAdmission("AppRelay", limits, clock);
        fill(at4000, "10.0.0.1", 3980);
        fill(at4000, "192.0.2.7", 20);
        assertTrue(event(admit(at4000, "192.0.2.7")).text().contains("connections per source ('20')"));

        // 4,900 open: 2 % of 100 = 2.
        ConnectionAdmission at4900 = new ConnectionAdmission("AppRelay", limits, clock);
        fill(at4900, "10.0.0.1", 4898);
        fill(at4900, "192.0.2.7", 2);
        assertTrue(event(admit(at4900, "192.0.2.7")).text().contains("('2' percent, '2' connections)"));

        // 4,990 open: 2 % of 10 = 0.2, floored to 0, raised to the minimum of 1.
        ConnectionAdmission at4990 = new ConnectionAdmission("AppRelay", limits, clock);
        fill(at4990, "10.0.0.1", 4990);
        assertInstanceOf(Admitted.class, admit(at4990, "192.0.2.7"));
        assertTrue(event(admit(at4990, "192.0.2.7")).text().contains("('2' percent, '1' connections)"));

        // 5,000 open: nothing remains, MaxInboundConnection answers.
        ConnectionAdmission full = new ConnectionAdmission("AppRelay", limits, clock);
        fill(full, "10.0.0.1", 5000);
        assertEquals(1009, event(admit(full, "192.0.2.7")).eventId());
    }

    @Test
    void percentageLimitIsFlooredWithAMinimumOfOne() {
        assertEquals(20, ConnectionAdmission.percentagePerSourceLimit(1000, 2));
        assertEquals(10, ConnectionAdmission.percentagePerSourceLimit(500, 2));
        assertEquals(9, ConnectionAdmission.percentagePerSourceLimit(499, 2));
        assertEquals(1, ConnectionAdmission.percentagePerSourceLimit(10, 2));
        assertEquals(100, ConnectionAdmission.percentagePerSourceLimit(5000, 2));
        assertEquals(7, ConnectionAdmission.percentagePerSourceLimit(7, 100));
    }

    @Test
    void percentageRuleDoesNotApplyWhenTheConnectorIsUnlimited() {
        AdmissionLimits unlimited = new AdmissionLimits(Unlimited.UNLIMITED, Unlimited.UNLIMITED, 2, 0,
            Unlimited.UNLIMITED, AccessMap.EMPTY);
        ConnectionAdmission relay = new ConnectionAdmission("Default MAIL01", unlimited, clock);
        fill(relay, "192.0.2.7", 500);
    }

    @Test
    void maxInboundConnectionAdmitsExactlyTheLimit() {
        AdmissionLimits fifty = new AdmissionLimits(Unlimited.of(50), Unlimited.UNLIMITED, 100, 0,
            Unlimited.UNLIMITED, AccessMap.EMPTY);
        ConnectionAdmission connector = new ConnectionAdmission("AppRelay", fifty, clock);
        List<Admitted> held = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            held.add(assertInstanceOf(Admitted.class, admit(connector, "192.0.2." + (i + 1))));
        }
        Decision fiftyFirst = admit(connector, "198.51.100.1");
        assertEquals(MAX_CONNECTIONS_REPLY, assertInstanceOf(Refused.class, fiftyFirst).reply().render());
        assertEquals(1009, event(fiftyFirst).eventId());
        assertEquals("Receive connector AppRelay rejected an incoming connection. The maximum number of "
            + "connections (50) for this connector has been reached.", event(fiftyFirst).text());
        assertEquals(50, connector.openConnections());

        connector.release(held.get(0));
        assertInstanceOf(Admitted.class, admit(connector, "198.51.100.1"));
        assertInstanceOf(Refused.class, admit(connector, "198.51.100.2"));
    }

    @Test
    void releaseFreesTheSlotForReuseAndReleasingTwiceChangesNothing() {
        AdmissionLimits two = APP_RELAY.withMaxInboundConnectionPerSource(Unlimited.of(2));
        ConnectionAdmission connector = new ConnectionAdmission("AppRelay", two, clock);
        List<Admitted> held = fill(connector, "192.0.2.7", 2);
        assertInstanceOf(Refused.class, admit(connector, "192.0.2.7"));

        connector.release(held.get(0));
        connector.release(held.get(0));
        connector.release(held.get(0).ticket());
        assertTrue(held.get(0).ticket().isReleased());
        assertEquals(1, connector.openConnections(ip("192.0.2.7")));
        assertEquals(1, connector.openConnections());
        // Exactly one slot came back, not three.
        fill(connector, "192.0.2.7", 1);
        assertInstanceOf(Refused.class, admit(connector, "192.0.2.7"));

        connector.release(held.get(1));
        assertEquals(1, connector.openConnections());
    }

    @Test
    void releasingEveryConnectionForgetsTheSource() {
        ConnectionAdmission connector = new ConnectionAdmission("AppRelay", APP_RELAY, clock);
        fill(connector, "192.0.2.7", 5).forEach(connector::release);
        assertEquals(0, connector.openConnections());
        assertEquals(0, connector.openConnections(ip("192.0.2.7")));
    }

    @Test
    void aTicketFromAnotherConnectorIsRefused() {
        ConnectionAdmission one = new ConnectionAdmission("One", APP_RELAY, clock);
        ConnectionAdmission other = new ConnectionAdmission("Other", APP_RELAY, clock);
        Admitted a = fill(one, "192.0.2.7", 1).get(0);
        assertThrows(IllegalArgumentException.class, () -> other.release(a));
        assertEquals(1, one.openConnections());
    }

    @Test
    void connectionRateThrottleRefusesTheEleventhWithinASecondAndAdmitsAgainTheNextSecond() {
        ConnectionAdmission connector = new ConnectionAdmission("Default", APP_RELAY.withConnectionRateThrottle(10), clock);
        for (int i = 0; i < 10; i++) {
            // Released at once: the throttle counts connections accepted, not connections open.
            Decision d = admit(connector, "192.0.2." + (i + 1));
            connector.release(assertInstanceOf(Admitted.class, d));
            clock.advance(Duration.ofMillis(50));
        }
        Decision eleventh = admit(connector, "198.51.100.1");
        assertEquals("421 4.3.2 Connection rate limit exceeded.\r\n",
            assertInstanceOf(Refused.class, eleventh).reply().render());
        assertEquals(1030, event(eleventh).eventId());
        assertEquals("Receive connector 'Default' rejected an incoming connection from IP address '198.51.100.1'. "
            + "The maximum rate of connections ('10' per second) for this connector has been exceeded.",
            event(eleventh).text());

        // 999 ms after the first: still within its second. At 1,000 ms the first leaves the window.
        clock.set(ManualClock.atEpoch().now().plusMillis(999));
        assertInstanceOf(Refused.class, admit(connector, "198.51.100.1"));
        clock.set(ManualClock.atEpoch().now().plusMillis(1000));
        assertInstanceOf(Admitted.class, admit(connector, "198.51.100.1"));
        assertInstanceOf(Refused.class, admit(connector, "198.51.100.1"));

        clock.advance(Duration.ofSeconds(1));
        fill(connector, "198.51.100.2", 10);
        assertInstanceOf(Refused.class, admit(connector, "198.51.100.3"));
    }

    @Test
    void refusedConnectionsDoNotFillTheRateWindow() {
        ConnectionAdmission connector = new ConnectionAdmission("Default", APP_RELAY.withConnectionRateThrottle(2), clock);
        fill(connector, "192.0.2.1", 2);
        for (int i = 0; i < 100; i++) {
            assertInstanceOf(Refused.class, admit(connector, "192.0.2.9"));
        }
        clock.advance(Duration.ofSeconds(1));
        fill(connector, "192.0.2.9", 2);
    }

    @Test
    void accessMapRejectRefusesWithAccessDeniedBeforeAnyLimitAndCountsNothing() {
        AdmissionLimits limits = APP_RELAY.withConnectionRateThrottle(1)
            .withAccessMap(accessMap("Connect:bad.example REJECT", "Connect:192.0.2.66 ERROR:\"550 5.7.1 go away\""));
        ConnectionAdmission connector = new ConnectionAdmission("Default", limits, clock);
        Decision rejected = connector.tryAdmit(ip("203.0.113.5"), Optional.of("mx.bad.example"));
        Refused r = assertInstanceOf(Refused.class, rejected);
        assertEquals("550 5.7.1 Access denied\r\n", r.reply().render());
        assertEquals(Optional.empty(), r.event());
        assertTrue(r.reason().contains("Connect:bad.example REJECT"), r.reason());
        assertEquals("550 5.7.1 go away", ((Refused) admit(connector, "192.0.2.66")).reply().toLogString());
        assertEquals(0, connector.openConnections());
        // The rejected ones took nothing from the rate window of 1.
        fill(connector, "203.0.113.6", 1);
    }

    @Test
    void accessMapOkOrRelayIsExemptFromEveryThrottleButStillCounted() {
        AdmissionLimits limits = new AdmissionLimits(Unlimited.of(30), Unlimited.of(2), 2, 5, Unlimited.UNLIMITED,
            accessMap("Connect:trusted.host.example RELAY", "Connect:192.0.2 OK"));
        ConnectionAdmission connector = new ConnectionAdmission("Default", limits, clock);
        // 40 from the trusted host within one instant: past the rate (5/s), per source (2) and total (30).
        for (int i = 0; i < 40; i++) {
            Admitted a = assertInstanceOf(Admitted.class,
                connector.tryAdmit(ip("203.0.113.1"), Optional.of("trusted.host.example")));
            assertTrue(a.exempt());
            assertTrue(a.ticket().exempt());
        }
        assertTrue(assertInstanceOf(Admitted.class, admit(connector, "192.0.2.200")).exempt());
        assertEquals(41, connector.openConnections());

        // Everyone else sees a full connector and a full rate window.
        assertEquals(1030, event(admit(connector, "198.51.100.1")).eventId());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1009, event(admit(connector, "198.51.100.1")).eventId());
    }

    @Test
    void maxDaemonChildrenCapsTheTotalWhenSmallerThanMaxInboundConnection() {
        AdmissionLimits limits = new AdmissionLimits(Unlimited.of(5000), Unlimited.UNLIMITED, 100, 0,
            Unlimited.of(3), AccessMap.EMPTY);
        assertEquals(Unlimited.of(3), limits.maxConnections());
        ConnectionAdmission connector = new ConnectionAdmission("Default", limits, clock);
        fill(connector, "192.0.2.1", 1);
        fill(connector, "192.0.2.2", 1);
        fill(connector, "192.0.2.3", 1);
        Refused r = assertInstanceOf(Refused.class, admit(connector, "192.0.2.4"));
        assertEquals(MAX_CONNECTIONS_REPLY, r.reply().render());
        assertTrue(r.event().orElseThrow().text().contains("The maximum number of connections (3)"));
        assertTrue(r.reason().startsWith("MaxDaemonChildren 3"), r.reason());

        // The larger of the two never applies.
        AdmissionLimits larger = new AdmissionLimits(Unlimited.of(2), Unlimited.UNLIMITED, 100, 0,
            Unlimited.of(3), AccessMap.EMPTY);
        assertEquals(Unlimited.of(2), larger.maxConnections());
        AdmissionLimits onlyDaemon = new AdmissionLimits(Unlimited.UNLIMITED, Unlimited.UNLIMITED, 100, 0,
            Unlimited.of(3), AccessMap.EMPTY);
        assertEquals(Unlimited.of(3), onlyDaemon.maxConnections());
    }

    @Test
    void loweredLimitsApplyToNewcomersWhileOpenConnectionsKeepCounting() {
        ConnectionAdmission connector = new ConnectionAdmission("AppRelay", APP_RELAY, clock);
        List<Admitted> held = fill(connector, "192.0.2.7", 10);
        connector.updateLimits(APP_RELAY.withMaxInboundConnectionPerSource(Unlimited.of(5)));
        assertEquals(10, connector.openConnections(ip("192.0.2.7")));
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Refused.class, admit(connector, "192.0.2.7"));
            connector.release(held.get(i));
        }
        // Five released: the source holds 5, still at the new limit.
        assertInstanceOf(Refused.class, admit(connector, "192.0.2.7"));
        connector.release(held.get(5));
        assertInstanceOf(Admitted.class, admit(connector, "192.0.2.7"));
    }

    @Test
    void raisingTheRateThrottleKeepsTheRecentWindow() {
        ConnectionAdmission connector = new ConnectionAdmission("Default", APP_RELAY.withConnectionRateThrottle(3), clock);
        fill(connector, "192.0.2.1", 3);
        connector.updateLimits(APP_RELAY.withConnectionRateThrottle(5));
        fill(connector, "192.0.2.2", 2);
        assertInstanceOf(Refused.class, admit(connector, "192.0.2.3"));
        connector.updateLimits(APP_RELAY.withConnectionRateThrottle(2));
        assertInstanceOf(Refused.class, admit(connector, "192.0.2.3"));
        connector.updateLimits(APP_RELAY);
        assertInstanceOf(Admitted.class, admit(connector, "192.0.2.3"));
    }

    @Test
    void limitsComeFromTheReceiveConnectorWithSendmailsBeside() {
        ReceiveConnector any = OrganizationLoader.loadResource("mailflow/demo-organization.conf")
            .receiveConnectors().get(0);
        ReceiveConnector appRelay = ReceiveConnectorBuilder.from(any).name("AppRelay")
            .maxInboundConnection(Unlimited.of(5000)).maxInboundConnectionPerSource(Unlimited.of(20))
            .maxInboundConnectionPercentagePerSource(2).build();
        AccessMap map = accessMap("Connect:192.0.2 OK");
        AdmissionLimits limits = AdmissionLimits.from(appRelay, 10, Unlimited.of(4000), map);
        assertEquals(new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20), 2, 10, Unlimited.of(4000), map), limits);
        assertEquals(Unlimited.of(4000), limits.maxConnections());
    }

    @Test
    void limitsOutsideTheirRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(Unlimited.of(0), Unlimited.of(20), 2,
            0, Unlimited.UNLIMITED, AccessMap.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20), 0,
            0, Unlimited.UNLIMITED, AccessMap.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20),
            101, 0, Unlimited.UNLIMITED, AccessMap.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20), 2,
            -1, Unlimited.UNLIMITED, AccessMap.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(Unlimited.of(5000), Unlimited.of(20), 2,
            0, Unlimited.of(0), AccessMap.EMPTY));
        assertFalse(APP_RELAY.maxConnections().isUnlimited());
    }

    @Test
    void repliesAreTheSharedConstants() {
        ConnectionAdmission connector = new ConnectionAdmission("AppRelay",
            APP_RELAY.withMaxInboundConnectionPerSource(Unlimited.of(1)), clock);
        fill(connector, "192.0.2.7", 1);
        assertEquals(SmtpReplies.MAX_CONNECTIONS_PER_SOURCE, ((Refused) admit(connector, "192.0.2.7")).reply());
    }
}
