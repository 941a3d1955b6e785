package io.mailflow.core.params;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TimeSpan: Exchange's {@code [d.]hh:mm:ss[.fffffff]} both ways. */
class TimeSpanTest {

    @Test
    void parsesHoursMinutesSeconds() {
        assertEquals(Duration.ofSeconds(5), TimeSpan.parse("00:00:05"));
        assertEquals(Duration.ofMinutes(10), TimeSpan.parse("00:10:00"));
    }

    @Test
    void parsesDaysAndFractions() {
        assertEquals(Duration.ofDays(1), TimeSpan.parse("1.00:00:00"));
        assertEquals(Duration.ofDays(2).plusHours(3).plusMillis(500), TimeSpan.parse("2.03:00:00.5"));
    }

    @Test
    void printsAsExchangeDoes() {
        assertEquals("00:00:05", TimeSpan.format(Duration.ofSeconds(5)));
        assertEquals("1.00:00:00", TimeSpan.format(Duration.ofDays(1)));
        assertEquals("00:00:01.250", TimeSpan.format(Duration.ofMillis(1250)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5m", "00:60:00", "24:00:00", "1:2:3", "abc"})
    void rejectsOtherForms(String text) {
        assertThrows(IllegalArgumentException.class, () -> TimeSpan.parse(text));
    }

    @Test
    void recognisesItsForm() {
        assertTrue(TimeSpan.looksLikeTimeSpan("00:05:00"));
        assertFalse(TimeSpan.looksLikeTimeSpan("5m"));
    }
}
