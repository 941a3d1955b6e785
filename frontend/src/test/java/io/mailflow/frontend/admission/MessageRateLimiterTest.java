package io.mailflow.frontend.admission;

import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import io.mailflow.core.params.Unlimited;
import io.mailflow.core.time.ManualClock;
import io.mailflow.frontend.admission.MessageRateLimiter.Accepted;
import io.mailflow.frontend.admission.MessageRateLimiter.Decision;
import io.mailflow.frontend.admission.MessageRateLimiter.MessageRateSource;
import io.mailflow.frontend.admission.MessageRateLimiter.Refused;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MessageRateLimit / MessageRateSource: one token bucket per key, on a manual clock. */
class MessageRateLimiterTest {

    private final ManualClock clock = ManualClock.atEpoch();

    private MessageRateLimiter limiter(int perMinute, MessageRateSource source) {
        return new MessageRateLimiter(Unlimited.of(perMinute), source, clock);
    }

    private static void accepted(Decision d) {
        assertInstanceOf(Accepted.class, d);
    }

    private static Refused refused(Decision d) {
        return assertInstanceOf(Refused.class, d);
    }

    private static void acceptN(MessageRateLimiter limiter, int n, String ip, String user) {
        for (int i = 0; i < n; i++) {
            accepted(limiter.tryAcquire(ip, user));
        }
    }

    @Test
    void burstIsTheLimitThenTheBucketRefillsContinuouslyAtLimitPerMinute() {
        MessageRateLimiter limiter = limiter(10, MessageRateSource.IPAddress);
        acceptN(limiter, 10, "192.0.2.7", "a@contoso.com");
        Refused r = refused(limiter.tryAcquire("192.0.2.7", "a@contoso.com"));
        assertEquals("421 4.4.2 Message submission rate for this client has exceeded the configured limit\r\n",
            r.reply().render());
        assertEquals(1031, r.event().eventId());
        assertEquals("The connection for user [a@contoso.com] with IP address [192.0.2.7] is being dropped. The rate "
            + "of message submissions from this connection has exceeded the throttling policy of 10 per minute.",
            r.event().text());

        // 10 per minute is one every 6 s.
        clock.advance(Duration.ofMillis(5_999));
        refused(limiter.tryAcquire("192.0.2.7", null));
        clock.advance(Duration.ofMillis(1));
        accepted(limiter.tryAcquire("192.0.2.7", null));
        refused(limiter.tryAcquire("192.0.2.7", null));

        // A long pause refills to the burst, never beyond it.
        clock.advance(Duration.ofHours(1));
        acceptN(limiter, 10, "192.0.2.7", null);
        refused(limiter.tryAcquire("192.0.2.7", null));
    }

    @Test
    void ipAddressSourceKeepsOneBucketPerIp() {
        MessageRateLimiter limiter = limiter(2, MessageRateSource.IPAddress);
        acceptN(limiter, 2, "192.0.2.7", "a@contoso.com");
        refused(limiter.tryAcquire("192.0.2.7", "b@contoso.com"));
        acceptN(limiter, 2, "192.0.2.8", "a@contoso.com");
    }

    @Test
    void userSourceKeepsOneBucketPerUserAcrossIpsAndTheNullSenderFallsBackToItsIp() {
        MessageRateLimiter limiter = limiter(2, MessageRateSource.User);
        accepted(limiter.tryAcquire("192.0.2.7", "a@contoso.com"));
        accepted(limiter.tryAcquire("192.0.2.8", "A@Contoso.com"));
        Refused r = refused(limiter.tryAcquire("192.0.2.9", "a@contoso.com"));
        assertTrue(r.reason().contains("user:a@contoso.com"), r.reason());
        acceptN(limiter, 2, "192.0.2.7", "b@contoso.com");

        acceptN(limiter, 2, "198.51.100.1", "");
        refused(limiter.tryAcquire("198.51.100.1", null));
        accepted(limiter.tryAcquire("198.51.100.2", null));
    }

    @Test
    void allSourceNeedsBothKeysWithinLimitAndARefusalTakesNoToken() {
        MessageRateLimiter limiter = limiter(2, MessageRateSource.All);
        acceptN(limiter, 2, "192.0.2.7", "a@contoso.com");
        // The IP is spent, for every user.
        refused(limiter.tryAcquire("192.0.2.7", "b@contoso.com"));
        // The user is spent, from every IP.
        refused(limiter.tryAcquire("192.0.2.8", "a@contoso.com"));
        // Neither refusal took b's or 192.0.2.8's tokens.
        acceptN(limiter, 2, "192.0.2.8", "b@contoso.com");
        refused(limiter.tryAcquire("192.0.2.8", "c@contoso.com"));
    }

    @Test
    void noneOrUnlimitedNeverRefusesAndKeepsNoState() {
        MessageRateLimiter none = limiter(1, MessageRateSource.None);
        MessageRateLimiter unlimited = new MessageRateLimiter(Unlimited.UNLIMITED, MessageRateSource.IPAddress, clock);
        acceptN(none, 1000, "192.0.2.7", "a@contoso.com");
        acceptN(unlimited, 1000, "192.0.2.7", "a@contoso.com");
        assertEquals(0, none.trackedKeys());
        assertEquals(0, unlimited.trackedKeys());
    }

    @Test
    void bucketsIdleForAMinuteAreEvictedBecauseTheyAreFullAgain() {
        MessageRateLimiter limiter = limiter(10, MessageRateSource.All);
        for (int i = 0; i < 1000; i++) {
            accepted(limiter.tryAcquire("10.0." + (i / 250) + "." + (i % 250), "u" + i + "@contoso.com"));
        }
        assertEquals(2000, limiter.trackedKeys());

        clock.advance(Duration.ofSeconds(59));
        accepted(limiter.tryAcquire("192.0.2.7", null));
        assertEquals(2001, limiter.trackedKeys());
        clock.advance(Duration.ofSeconds(1));
        accepted(limiter.tryAcquire("192.0.2.8", null));
        // The 2,000 from a minute ago are gone; 192.0.2.7 (59 s ago) and 192.0.2.8 remain.
        assertEquals(2, limiter.trackedKeys());
    }

    @Test
    void aPartlyDrainedBucketIsNotEvictedBeforeItHasRefilled() {
        MessageRateLimiter limiter = limiter(10, MessageRateSource.IPAddress);
        acceptN(limiter, 10, "192.0.2.7", null);
        clock.advance(Duration.ofSeconds(30));
        accepted(limiter.tryAcquire("192.0.2.8", null));
        assertEquals(2, limiter.trackedKeys());
        // 30 s at 10 per minute: 5 messages, not a fresh burst of 10.
        acceptN(limiter, 5, "192.0.2.7", null);
        refused(limiter.tryAcquire("192.0.2.7", null));
    }

    @Test
    void memoryStaysBoundedUnderAnAttackFromManyAddressesWithinAMinute() {
        MessageRateLimiter limiter = new MessageRateLimiter(Unlimited.of(10), MessageRateSource.IPAddress, clock, 100);
        for (int i = 0; i < 10_000; i++) {
            accepted(limiter.tryAcquire("10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256), null));
        }
        assertEquals(100, limiter.trackedKeys());
    }

    @Test
    void connectorSettingsAreRead() {
        ReceiveConnector any = OrganizationLoader.loadResource("mailflow/demo-organization.conf")
            .receiveConnectors().get(0);
        ReceiveConnector edge = ReceiveConnectorBuilder.from(any).messageRateLimit(Unlimited.of(600))
            .messageRateSource("ipaddress").build();
        MessageRateLimiter limiter = MessageRateLimiter.forConnector(edge, clock);
        acceptN(limiter, 600, "192.0.2.7", null);
        assertTrue(refused(limiter.tryAcquire("192.0.2.7", null)).event().text().contains("600 per minute"));
        assertThrows(IllegalArgumentException.class, () -> MessageRateSource.parse("Sender"));
        assertThrows(IllegalArgumentException.class,
            () -> new MessageRateLimiter(Unlimited.of(0), MessageRateSource.IPAddress, clock));
    }
}
