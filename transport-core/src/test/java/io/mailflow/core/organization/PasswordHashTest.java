package io.mailflow.core.organization;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

    /** Made by Python's hashlib.pbkdf2_hmac('sha256', b'P@ssw0rd', salt, 100000): the format is the PHC one others read. */
    private static final String PYTHON_MADE =
        "$pbkdf2-sha256$i=100000$Cf5Pe2D7c/Sbs4KmotE53A$3rvZvufgw1QofsheON7RDJJXZXZ44Wh8aZ/kfNLL0eI";

    @Test
    void aHashMadeElsewhereInThePhcFormatMatchesItsPasswordOnly() {
        PasswordHash hash = PasswordHash.parse(PYTHON_MADE);
        assertTrue(hash.matches("P@ssw0rd".toCharArray()));
        assertFalse(hash.matches("p@ssw0rd".toCharArray()));
        assertFalse(hash.matches(new char[0]));
        assertEquals(PYTHON_MADE, hash.toString());
    }

    @Test
    void aNewHashReadsBackAndIsSaltedEachTime() {
        SecureRandom random = new SecureRandom();
        PasswordHash first = PasswordHash.of("s3cret".toCharArray(), 1_000, random);
        PasswordHash second = PasswordHash.of("s3cret".toCharArray(), 1_000, random);
        assertTrue(PasswordHash.parse(first.toString()).matches("s3cret".toCharArray()));
        assertFalse(first.equals(second), "two hashes of one password differ by their salt");
        assertEquals(1_000, first.iterations());
    }

    @Test
    void aPasswordInClearOrAWeakHashIsRefusedWithHowToMakeOne() {
        IllegalArgumentException clear = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("P@ssw0rd"));
        assertTrue(clear.getMessage().contains("./mailflow hash-password"), clear.getMessage());
        IllegalArgumentException weak = assertThrows(IllegalArgumentException.class,
            () -> PasswordHash.parse(PYTHON_MADE.replace("i=100000", "i=10")));
        assertEquals("a hash of 10 iterations is too weak; use at least 1000", weak.getMessage());
    }
}
