package io.mailflow.core.smtp;

import java.util.Locale;

/** The SMTP commands Mailflow knows; anything else is {@link #UNKNOWN} (500 5.3.3). */
public enum SmtpVerb {
    HELO, EHLO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT, VRFY, EXPN, HELP, STARTTLS, AUTH,
    /** Mailflow's outbound proxy verb ({@link ProxyDestination}). */
    XMAILFLOWPROXYTO,
    UNKNOWN;

    public static SmtpVerb of(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        for (SmtpVerb v : values()) {
            if (v != UNKNOWN && v.name().equals(upper)) {
                return v;
            }
        }
        return UNKNOWN;
    }
}
