package io.mailflow.delivery.retry;

import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RetrySchedule on a manual clock: the queue and message retry timers, expiry and the delay DSN. */
class RetryScheduleTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eightConnectionFailuresWithDefaultsWaitSixQuickRetriesThenTheLongInterval() {
        RetrySchedule schedule = RetrySchedule.defaults();
        ManualClock clock = new ManualClock(RECEIVED);
        List<Duration> waits = new ArrayList<>();
        List<Instant> attempts = new ArrayList<>();
        for (int failure = 1; failure <= 8; failure++) {
            Instant next = schedule.nextConnectionAttempt(clock.now(), failure);
            waits.add(Duration.between(clock.now(), next));
            attempts.add(next);
            clock.set(next);
        }
        Duration five = Duration.ofMinutes(5);
        Duration ten = Duration.ofMinutes(10);
        assertEquals(List.of(five, five, five, five, five, five, ten, ten), waits);
        assertEquals(List.of("00:05", "00:10", "00:15", "00:20", "00:25", "00:30", "00:40", "00:50"),
            attempts.stream().map(i -> i.toString().substring(11, 16)).toList());
    }

    @Test
    void retryCountZeroGoesStraightToTheOutboundConnectionFailureRetryInterval() {
        RetrySchedule schedule = new RetrySchedule(TransportServiceSettings.parse(Map.of(
            "TransientFailureRetryCount", "0", "OutboundConnectionFailureRetryInterval", "00:30:00")));
        for (int failure = 1; failure <= 3; failure++) {
            assertEquals(Duration.ofMinutes(30), schedule.connectionRetryInterval(failure));
        }
        assertEquals(RECEIVED.plus(Duration.ofMinutes(30)), schedule.nextConnectionAttempt(RECEIVED, 1));
    }

    @Test
    void theQuickRetriesFollowTheConfiguredCountAndInterval() {
        RetrySchedule schedule = new RetrySchedule(TransportServiceSettings.parse(Map.of(
            "TransientFailureRetryCount", "2", "TransientFailureRetryInterval", "00:00:30")));
        assertEquals(Duration.ofSeconds(30), schedule.connectionRetryInterval(1));
        assertEquals(Duration.ofSeconds(30), schedule.connectionRetryInterval(2));
        assertEquals(Duration.ofMinutes(10), schedule.connectionRetryInterval(3));
    }

    @Test
    void failuresCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.defaults().connectionRetryInterval(0));
    }

    @Test
    void aDeferredMessageWaitsTheMessageRetryInterval() {
        Instant now = RECEIVED.plus(Duration.ofMinutes(7));
        assertEquals(now.plus(Duration.ofMinutes(5)), RetrySchedule.defaults().nextMessageAttempt(now));
        RetrySchedule fifteen = new RetrySchedule(TransportServiceSettings.parse(Map.of("MessageRetryInterval", "15m")));
        assertEquals(now.plus(Duration.ofMinutes(15)), fifteen.nextMessageAttempt(now));
    }

    @Test
    void aMessageExpiresExactlyTwoDaysAfterItWasReceived() {
        RetrySchedule schedule = RetrySchedule.defaults();
        Instant expiry = RECEIVED.plus(Duration.ofDays(2));
        assertEquals(expiry, schedule.expiresAt(RECEIVED));
        assertFalse(schedule.isExpired(RECEIVED, expiry.minusMillis(1)));
        assertTrue(schedule.isExpired(RECEIVED, expiry));
        assertTrue(schedule.isExpired(RECEIVED, expiry.plusSeconds(1)));
    }

    @Test
    void theDelayDsnIsDueOnceFromFourHoursOn() {
        RetrySchedule schedule = RetrySchedule.defaults();
        ManualClock clock = new ManualClock(RECEIVED);
        boolean sent = false;
        int generated = 0;
        List<Instant> dueAt = new ArrayList<>();
        // A queue tick every 5 minutes for 3 days, as the retry timer would fire.
        for (int tick = 0; tick <= 3 * 24 * 12; tick++) {
            if (schedule.delayNotificationDue(RECEIVED, clock.now(), sent)) {
                generated++;
                dueAt.add(clock.now());
                sent = true;
            }
            clock.advance(Duration.ofMinutes(5));
        }
        assertEquals(1, generated);
        assertEquals(List.of(RECEIVED.plus(Duration.ofHours(4))), dueAt);
        assertFalse(schedule.delayNotificationDue(RECEIVED, RECEIVED.plus(Duration.ofHours(4)).minusMillis(1), false));
    }

    @Test
    void anExpiredMessageGetsItsNdrNotADelayDsn() {
        RetrySchedule schedule = new RetrySchedule(TransportServiceSettings.parse(Map.of(
            "MessageExpirationTimeout", "01:00:00", "DelayNotificationTimeout", "04:00:00")));
        assertFalse(schedule.delayNotificationDue(RECEIVED, RECEIVED.plus(Duration.ofHours(5)), false));
        assertTrue(schedule.isExpired(RECEIVED, RECEIVED.plus(Duration.ofHours(5))));
    }
}
