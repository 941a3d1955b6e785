package io.mailflow.delivery.retry;

import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Set-TransportService's timers and limits: defaults, Exchange's value forms, ranges and cross rules. */
class TransportServiceSettingsTest {

    @Test
    void defaultsAreAMailboxServers() {
        TransportServiceSettings d = TransportServiceSettings.DEFAULT;
        assertEquals(Unlimited.of(1000), d.maxOutboundConnections());
        assertEquals(Unlimited.of(20), d.maxPerDomainOutboundConnections());
        assertEquals(6, d.transientFailureRetryCount());
        assertEquals(Duration.ofMinutes(5), d.transientFailureRetryInterval());
        assertEquals(Duration.ofMinutes(10), d.outboundConnectionFailureRetryInterval());
        assertEquals(Duration.ofMinutes(5), d.messageRetryInterval());
        assertEquals(Duration.ofDays(2), d.messageExpirationTimeout());
        assertEquals(Duration.ofHours(4), d.delayNotificationTimeout());
        assertEquals(Duration.ofMinutes(3), d.queueMaxIdleTime());
        assertEquals(2, d.poisonThreshold());
        assertEquals(20, d.maxConcurrentMailboxDeliveries());
    }

    @Test
    void exchangeValueFormsAreRead() {
        TransportServiceSettings s = TransportServiceSettings.parse(Map.of(
            "TransientFailureRetryInterval", "00:05:00",
            "messageexpirationtimeout", "2.00:00:00",
            "MaxOutboundConnections", "unlimited",
            "MaxPerDomainOutboundConnections", "Unlimited",
            "DelayNotificationTimeout", "1.00:00:00"));
        assertEquals(Duration.ofMinutes(5), s.transientFailureRetryInterval());
        assertEquals(Duration.ofDays(2), s.messageExpirationTimeout());
        assertTrue(s.maxOutboundConnections().isUnlimited());
        assertEquals(Duration.ofDays(1), s.delayNotificationTimeout());
        assertEquals("2.00:00:00", s.toDisplay().get("MessageExpirationTimeout"));
        assertEquals("Unlimited", s.toDisplay().get("MaxOutboundConnections"));
    }

    @Test
    void valuesOutsideExchangesRangesAreRefusedAllTogether() {
        ParamException e = assertThrows(ParamException.class, () -> TransportServiceSettings.parse(Map.of(
            "TransientFailureRetryCount", "16",
            "MessageExpirationTimeout", "00:00:04",
            "PoisonThreshold", "11")));
        assertEquals(3, e.problems().size());
        assertTrue(e.getMessage().contains("TransientFailureRetryCount: 16 is outside the range 0-15"), e.getMessage());
        assertTrue(e.getMessage().contains("MessageExpirationTimeout: 00:00:04 is outside the range 00:00:05-90.00:00:00"),
            e.getMessage());
        assertThrows(ParamException.class, () -> TransportServiceSettings.parse(Map.of(
            "MessageExpirationTimeout", "91.00:00:00")));
    }

    @Test
    void delayNotificationTimeoutMustExceedTheQuickRetries() {
        ParamException e = assertThrows(ParamException.class, () -> TransportServiceSettings.parse(Map.of(
            "DelayNotificationTimeout", "00:30:00")));
        assertEquals("DelayNotificationTimeout", e.problems().get(0).parameter());
        assertTrue(e.getMessage().contains("6 x 00:05:00 = 00:30:00"), e.getMessage());
        TransportServiceSettings.parse(Map.of("DelayNotificationTimeout", "00:30:01"));
        TransportServiceSettings.parse(Map.of("DelayNotificationTimeout", "00:00:01", "TransientFailureRetryCount", "0"));
    }

    @Test
    void perDomainConnectionsMayNotExceedTheTotal() {
        assertThrows(ParamException.class, () -> TransportServiceSettings.parse(Map.of(
            "MaxOutboundConnections", "10", "MaxPerDomainOutboundConnections", "11")));
        assertThrows(ParamException.class, () -> TransportServiceSettings.parse(Map.of(
            "MaxPerDomainOutboundConnections", "unlimited")));
    }

    @Test
    void recordsBuiltInCodeObeyTheSameRules() {
        assertThrows(ParamException.class, () -> TransportServiceSettings.DEFAULT.toBuilder()
            .transientFailureRetryInterval(Duration.ofMillis(500)).build());
        assertThrows(ParamException.class, () -> TransportServiceSettings.DEFAULT.toBuilder()
            .transientFailureRetryCount(15).transientFailureRetryInterval(Duration.ofHours(1)).build());
        assertEquals(3, TransportServiceSettings.DEFAULT.toBuilder().poisonThreshold(3).build().poisonThreshold());
    }

    @Test
    void unknownAndUnimplementedNamesAreTold() {
        ParamException e = assertThrows(ParamException.class, () -> TransportServiceSettings.parse(Map.of(
            "MessageRetryIntervall", "00:05:00", "MaxConnectionRatePerMinute", "1200")));
        assertTrue(e.getMessage().contains("did you mean MessageRetryInterval?"), e.getMessage());
        assertTrue(e.getMessage().contains("MaxConnectionRatePerMinute is an Exchange parameter that Mailflow does not implement"),
            e.getMessage());
    }
}
