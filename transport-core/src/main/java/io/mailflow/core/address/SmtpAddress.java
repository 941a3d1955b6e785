package io.mailflow.core.address;

import java.util.Locale;
import java.util.Optional;

/**
 * An RFC 5321 mailbox, {@code local-part@domain}. The domain compares case-insensitively; the
 * local part keeps its case (RFC 5321 §2.4) but the directory matches it case-insensitively, as
 * Exchange does. Non-ASCII is allowed only when the caller allows it (SMTPUTF8, RFC 6531).
 */
public final class SmtpAddress {

    /** RFC 5321 §4.5.3.1: 64-octet local part, 255-octet domain; Exchange allows 571 in all. */
    public static final int MAX_LOCAL_PART = 315;
    public static final int MAX_DOMAIN = 255;

    private final String localPart;
    private final String domain;
    /**
     * The lower-case key, made on first use and kept: the categorizer asks for it several times
     * per recipient (a class rather than a record for this one field; a racy first use is harmless,
     * each thread computes the same string).
     */
    private String key;

    public SmtpAddress(String localPart, String domain) {
        if (localPart.isEmpty() || domain.isEmpty()) {
            throw new IllegalArgumentException("an address has a local part and a domain");
        }
        this.localPart = localPart;
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    public String localPart() {
        return localPart;
    }

    public String domain() {
        return domain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmtpAddress a && localPart.equals(a.localPart) && domain.equals(a.domain);
    }

    @Override
    public int hashCode() {
        return 31 * localPart.hashCode() + domain.hashCode();
    }

    /**
     * Parses a bare mailbox (no angle brackets). Empty when it is not a valid address: the caller
     * decides which reply that gets.
     */
    public static Optional<SmtpAddress> parse(String text, boolean allowUtf8) {
        if (text == null) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            return Optional.empty();
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (local.length() > MAX_LOCAL_PART || domain.length() > MAX_DOMAIN) {
            return Optional.empty();
        }
        if (!validLocalPart(local, allowUtf8) || !validDomain(domain, allowUtf8)) {
            return Optional.empty();
        }
        return Optional.of(new SmtpAddress(local, domain));
    }

    public static SmtpAddress of(String text) {
        return parse(text, true).orElseThrow(() -> new IllegalArgumentException("not an SMTP address: " + text));
    }

    public boolean isAscii() {
        return isAscii(localPart) && isAscii(domain);
    }

    /** The address as directory lookups key it: all lower case. */
    public String key() {
        String k = key;
        if (k == null) {
            k = (localPart + "@" + domain).toLowerCase(Locale.ROOT);
            key = k;
        }
        return k;
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    static boolean validLocalPart(String local, boolean allowUtf8) {
        if (local.startsWith("\"")) {
            if (local.length() < 2 || !local.endsWith("\"")) {
                return false;
            }
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c == '\\') {
                    i++;
                    continue;
                }
                if (c == '"' || c < 32 || c == 127 || (c > 127 && !allowUtf8)) {
                    return false;
                }
            }
            return true;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c > 127) {
                if (!allowUtf8) {
                    return false;
                }
                continue;
            }
            if (!(Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    static boolean validDomain(String domain, boolean allowUtf8) {
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return domain.length() > 2 && domain.substring(1, domain.length() - 1).chars()
                .allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == ':');
        }
        if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return false;
        }
        for (String label : domain.split("\\.")) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c > 127) {
                    if (!allowUtf8) {
                        return false;
                    }
                } else if (!(Character.isLetterOrDigit(c) || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }
}
