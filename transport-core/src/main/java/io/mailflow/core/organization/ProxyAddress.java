package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

/**
 * One entry of EmailAddresses: {@code SMTP:} marks the primary SMTP address, {@code smtp:} a
 * secondary (proxy) address, as in Exchange. A bare address counts as secondary.
 */
public record ProxyAddress(SmtpAddress address, boolean primary) {

    public static ProxyAddress parse(String text) {
        if (text.startsWith("SMTP:")) {
            return new ProxyAddress(SmtpAddress.of(text.substring(5)), true);
        }
        if (text.regionMatches(true, 0, "smtp:", 0, 5)) {
            return new ProxyAddress(SmtpAddress.of(text.substring(5)), false);
        }
        return new ProxyAddress(SmtpAddress.of(text), false);
    }

    @Override
    public String toString() {
        return (primary ? "SMTP:" : "smtp:") + address;
    }
}
