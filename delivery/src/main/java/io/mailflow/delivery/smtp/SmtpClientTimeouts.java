package io.mailflow.delivery.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the SMTP client waits for each reply. RFC 5321 §4.5.3.2 gives minimums: 5 min for the
 * greeting, MAIL and RCPT, 2 min for DATA's 354, 3 min per data block sent, 10 min for the reply
 * to the final dot. Exchange has one knob, the Send connector's ConnectionInactivityTimeOut
 * (10 min); Mailflow scales all six by {@code ConnectionInactivityTimeOut / 10 min}, so the
 * default gives exactly the RFC's values and 1 min gives a tenth of each. EHLO, HELO, RSET and
 * QUIT, which the RFC leaves open, wait as long as MAIL.
 */
public record SmtpClientTimeouts(Duration greeting, Duration command, Duration rcpt, Duration dataInitiation,
                                 Duration dataBlock, Duration dataTermination) {

    /** The ConnectionInactivityTimeOut at which every wait equals RFC 5321's minimum. */
    public static final Duration RFC_BASE = Duration.ofMinutes(10);

    public SmtpClientTimeouts {
        Objects.requireNonNull(greeting);
        Objects.requireNonNull(command);
        Objects.requireNonNull(rcpt);
        Objects.requireNonNull(dataInitiation);
        Objects.requireNonNull(dataBlock);
        Objects.requireNonNull(dataTermination);
    }

    public static SmtpClientTimeouts rfc5321() {
        return new SmtpClientTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5),
            Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));
    }

    /** RFC 5321's waits scaled by {@code connectionInactivityTimeOut / 10 min}. */
    public static SmtpClientTimeouts scaledTo(Duration connectionInactivityTimeOut) {
        if (connectionInactivityTimeOut.isNegative() || connectionInactivityTimeOut.isZero()) {
            throw new IllegalArgumentException("ConnectionInactivityTimeOut must be positive");
        }
        SmtpClientTimeouts rfc = rfc5321();
        long base = RFC_BASE.toMillis();
        long scale = Math.max(1, connectionInactivityTimeOut.toMillis());
        return new SmtpClientTimeouts(
            scaled(rfc.greeting, scale, base), scaled(rfc.command, scale, base), scaled(rfc.rcpt, scale, base),
            scaled(rfc.dataInitiation, scale, base), scaled(rfc.dataBlock, scale, base),
            scaled(rfc.dataTermination, scale, base));
    }

    private static Duration scaled(Duration rfc, long scale, long base) {
        // in double: an absurdly long inactivity timeout saturates instead of overflowing
        return Duration.ofMillis(Math.max(1, (long) ((double) rfc.toMillis() * scale / base)));
    }
}
