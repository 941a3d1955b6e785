package io.mailflow.delivery.dsn;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * DSN: the first part of a delivery status notification (RFC 6522 §3), the text the sender
 * reads, in the layout of Exchange's NDRs and DSNs: a heading ("Delivery has failed to these
 * recipients or groups:"), each recipient with the reason in plain words, then "Diagnostic
 * information for administrators:" with the generating server and, per recipient, the reply that
 * settled it. The wording is Mailflow's own; the layout is Exchange's.
 */
final class HumanReadablePart {
    private HumanReadablePart() {
    }

    /** The text, lines wrapped and joined with CRLF, ending in CRLF. */
    static String render(DsnAction action, List<RecipientNotice> recipients, Optional<String> subject,
                         String reportingMta, Instant date, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add(action.heading());
        lines.add("");
        for (RecipientNotice r : recipients) {
            lines.add(r.finalRecipient().toString());
            if (action == DsnAction.FAILED) {
                lines.add(reason(r.status()));
                lines.add("");
            }
        }
        if (action != DsnAction.FAILED) {
            lines.add("");
            lines.add("Subject: " + subject.orElse(""));
            lines.add("");
        }
        if (action == DsnAction.DELAYED) {
            lines.add("This message hasn't been delivered yet. Delivery will continue to be attempted.");
            lines.add("");
            Instant until = recipients.stream().map(r -> r.willRetryUntil().orElseThrow())
                .min(Comparator.naturalOrder()).orElseThrow();
            lines.add("The server will keep trying to deliver this message until " + MimeText.date(until, zone)
                + ", for the next " + span(Duration.between(date, until)) + ". You'll be notified if the"
                + " message can't be delivered by that time.");
            lines.add("");
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            for (String wrapped : MimeText.wrap(line)) {
                out.append(wrapped).append(MimeText.CRLF);
            }
        }
        // The diagnostic block is for copying into a search or a ticket: replies stay on one line.
        List<String> diagnostic = new ArrayList<>();
        diagnostic.add("Diagnostic information for administrators:");
        diagnostic.add("");
        diagnostic.add("Generating server: " + reportingMta);
        diagnostic.add("");
        for (RecipientNotice r : recipients) {
            diagnostic.add(r.finalRecipient().toString());
            String who = r.remoteMta().map(h -> "Server at " + h).orElse("Remote server");
            String returned = who + " returned '" + r.reply().toLogString() + "'";
            diagnostic.add(action == DsnAction.FAILED ? returned
                : MimeText.date(r.lastAttempt(), zone) + " - " + returned);
            diagnostic.add("");
        }
        diagnostic.remove(diagnostic.size() - 1);
        for (String line : diagnostic) {
            for (String piece : MimeText.limit(line, false)) {
                out.append(piece).append(MimeText.CRLF);
            }
        }
        return out.toString();
    }

    /** What a failure means to the sender, by its enhanced status code (exchange.md §2.2, RFC 3463). */
    static String reason(String status) {
        switch (status) {
            case "5.1.0", "5.1.1", "5.1.10":
                return "The email address you entered couldn't be found. Check the recipient's email address"
                    + " and try to send the message again. If the problem continues, contact your helpdesk.";
            case "5.1.2", "5.4.4":
                return "The recipient's domain couldn't be found. Check the part of the address after the @"
                    + " and try to send the message again.";
            case "5.2.2":
                return "The recipient's mailbox is full and can't accept messages now. Try to send the message"
                    + " again later, or contact the recipient in another way.";
            case "5.2.3", "5.3.4":
                return "Your message is too big for the recipient or for a server on the way. Try to send it"
                    + " again with smaller attachments, or as several messages.";
            case "5.3.5", "5.4.6":
                return "The message was stopped because it was going round in a loop between servers."
                    + " Contact your helpdesk.";
            case "4.4.7", "5.4.7":
                return "The server tried to deliver this message for as long as it is allowed to, without"
                    + " success, and has stopped trying. Try to send the message again later. If the problem"
                    + " continues, contact your helpdesk.";
            default:
                if (status.startsWith("5.7.")) {
                    return "Your message wasn't delivered because the recipient's email system refused it."
                        + " If you think it should have been accepted, contact your helpdesk.";
                }
                return "Your message couldn't be delivered. The reply of the server that refused it is shown"
                    + " below. If the problem continues, contact your helpdesk.";
        }
    }

    /** {@code 1 day, 19 hours and 53 minutes}, as Exchange's delay DSN states the time left. */
    static String span(Duration left) {
        Duration d = left.isNegative() ? Duration.ZERO : left;
        long days = d.toDays();
        int hours = d.toHoursPart();
        int minutes = d.toMinutesPart();
        return days + (days == 1 ? " day, " : " days, ") + hours + (hours == 1 ? " hour and " : " hours and ")
            + minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
