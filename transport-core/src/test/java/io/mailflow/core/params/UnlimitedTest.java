package io.mailflow.core.params;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unlimited: a count or the word unlimited, as Exchange's Unlimited&lt;T&gt;. */
class UnlimitedTest {

    @Test
    void parsesTheWordInAnyCase() {
        assertTrue(Unlimited.parse("unlimited").isUnlimited());
        assertTrue(Unlimited.parse("Unlimited").isUnlimited());
        assertTrue(Unlimited.parse(" UNLIMITED ").isUnlimited());
    }

    @Test
    void parsesNumbersWithThousandsSeparators() {
        assertEquals(Unlimited.of(5000), Unlimited.parse("5,000"));
        assertEquals(Unlimited.of(20), Unlimited.parse("20"));
    }

    @Test
    void printsAsExchangeDoes() {
        assertEquals("Unlimited", Unlimited.UNLIMITED.toString());
        assertEquals("20", Unlimited.of(20).toString());
    }

    @Test
    void limitIsExceededOnlyAboveIt() {
        assertFalse(Unlimited.of(20).isExceededBy(20));
        assertTrue(Unlimited.of(20).isExceededBy(21));
        assertFalse(Unlimited.UNLIMITED.isExceededBy(Long.MAX_VALUE));
    }

    @Test
    void rejectsWords() {
        assertThrows(IllegalArgumentException.class, () -> Unlimited.parse("lots"));
    }
}
