package io.mailflow.core.organization;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mailbox user's password as the organization file keeps it: never the password itself, only a
 * salted PBKDF2-HMAC-SHA256 hash in the PHC string format
 * ({@code $pbkdf2-sha256$i=100000$<salt>$<hash>}, unpadded Base64), which Python's passlib and
 * other tools read too. The JDK computes it, so no library is needed; {@code ./mailflow
 * hash-password} makes one.
 */
public final class PasswordHash {
    /** Iterations of a new hash: about 50 ms of one core here; a verified logon is cached by its caller. */
    public static final int DEFAULT_ITERATIONS = 100_000;
    private static final Pattern PHC = Pattern.compile(
        "\\$pbkdf2-sha256\\$i=(\\d{1,9})\\$([A-Za-z0-9+/]{16,88})\\$([A-Za-z0-9+/]{43})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Reads a PHC string; a password given in clear is refused with a message saying how to hash it. */
    public static PasswordHash parse(String text) {
        Matcher m = PHC.matcher(Objects.requireNonNull(text, "text").strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a password is kept only as a hash such as "
                + "$pbkdf2-sha256$i=100000$<salt>$<hash>; make one with ./mailflow hash-password");
        }
        int iterations = Integer.parseInt(m.group(1));
        if (iterations < 1_000) {
            throw new IllegalArgumentException("a hash of " + iterations + " iterations is too weak; use at least 1000");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return new PasswordHash(iterations, b64.decode(m.group(2)), b64.decode(m.group(3)));
    }

    /** A new hash of {@code password} with a random salt. */
    public static PasswordHash of(char[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /** True if {@code password} is the one hashed; compares in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    public int iterations() {
        return iterations;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The PHC string, as the organization file holds it. */
    @Override
    public String toString() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$pbkdf2-sha256$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
