package io.mailflow.delivery.dsn;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * DSN: the second part of a delivery status notification, the machine-readable
 * {@code message/delivery-status} body (RFC 3464 §2): the per-message fields (Reporting-MTA,
 * Received-From-MTA, Arrival-Date, Original-Envelope-Id), then one block of per-recipient fields
 * per recipient, in RFC 3464's order, blocks separated by a blank line. Addresses are of type
 * {@code rfc822}; a UTF-8 address is written as type {@code utf-8} and then the part is
 * {@code message/global-delivery-status} (RFC 6533).
 */
final class DeliveryStatusReport {
    private DeliveryStatusReport() {
    }

    /** The body, CRLF line endings, ending with the last recipient block's CRLF. */
    static String render(String reportingMta, OriginalMessage original, List<RecipientNotice> recipients,
                         ZoneId zone) {
        StringBuilder out = new StringBuilder();
        out.append(MimeText.field("Reporting-MTA", "dns; " + reportingMta));
        original.receivedFromMta().ifPresent(mta -> out.append(MimeText.field("Received-From-MTA", "dns; " + mta)));
        out.append(MimeText.field("Arrival-Date", MimeText.date(original.arrival(), zone)));
        original.envelopeId().ifPresent(id -> out.append(MimeText.field("Original-Envelope-Id", Xtext.decode(id))));
        for (RecipientNotice r : recipients) {
            out.append(MimeText.CRLF);
            r.originalRecipient().ifPresent(orcpt -> out.append(MimeText.field("Original-Recipient",
                originalRecipient(orcpt))));
            out.append(MimeText.field("Final-Recipient", address(r.finalRecipient().toString())));
            out.append(MimeText.field("Action", r.action().field()));
            out.append(MimeText.field("Status", r.status()));
            r.remoteMta().ifPresent(mta -> out.append(MimeText.field("Remote-MTA", "dns; " + mta)));
            out.append(MimeText.field("Diagnostic-Code", "smtp; " + r.reply().toLogString()));
            out.append(MimeText.field("Last-Attempt-Date", date(r.lastAttempt(), zone)));
            r.willRetryUntil().ifPresent(until -> out.append(MimeText.field("Will-Retry-Until", date(until, zone))));
        }
        return out.toString();
    }

    /** {@code rfc822;bob@contoso.com}, or {@code utf-8;...} for an address that is not ASCII. */
    static String address(String address) {
        return (MimeText.isAscii(address) ? "rfc822;" : "utf-8;") + address;
    }

    /** The ORCPT value decoded from xtext, {@code type;address}; a bare address is taken as rfc822. */
    static String originalRecipient(String orcpt) {
        String decoded = Xtext.decode(orcpt.trim());
        int semicolon = decoded.indexOf(';');
        if (semicolon > 0) {
            return decoded.substring(0, semicolon).trim() + ";" + decoded.substring(semicolon + 1).trim();
        }
        return address(decoded);
    }

    private static String date(Instant instant, ZoneId zone) {
        return MimeText.date(instant, zone);
    }
}
