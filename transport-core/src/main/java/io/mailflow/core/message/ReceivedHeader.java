package io.mailflow.core.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The trace header each hop prepends (RFC 5321 §4.4, RFC 5322 §3.6.7), with the protocol keyword
 * of RFC 3848 (SMTP, ESMTP, UTF8SMTP) and the InternalId of the spooled copy, e.g.
 * {@code Received: from app1.contoso.test ([127.0.0.1]) by ex01.contoso.test ([127.0.0.1]) with ESMTP id 42; Sun, 22 Nov 2026 13:00:00 +0000}.
 */
public final class ReceivedHeader {
    public static final DateTimeFormatter RFC_5322_DATE =
        DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ReceivedHeader() {
    }

    public static String format(String heloName, String clientIp, String serverFqdn, String serverIp,
                                String protocol, long internalId, String forRecipient, Instant at) {
        StringBuilder h = new StringBuilder("Received: from ")
            .append(heloName == null || heloName.isBlank() ? "[" + clientIp + "]" : heloName)
            .append(" ([").append(clientIp).append("])\r\n")
            .append("\tby ").append(serverFqdn).append(" ([").append(serverIp).append("])")
            .append(" with ").append(protocol).append(" id ").append(internalId);
        if (forRecipient != null) {
            h.append("\r\n\tfor <").append(forRecipient).append(">");
        }
        return h.append("; ").append(RFC_5322_DATE.format(at)).append("\r\n").toString();
    }
}
