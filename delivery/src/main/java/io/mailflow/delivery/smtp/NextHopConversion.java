package io.mailflow.delivery.smtp;

import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.delivery.conversion.Octets;
import io.mailflow.delivery.conversion.SevenBitDowngrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NextHopConversion: the SMTP client's content conversion, decided per message right after EHLO
 * by {@link SmtpClientSession} from what the message needs and what the next hop announced. Plain
 * and without I/O, like the session, so the simulator runs the same rule.
 * <ul>
 * <li>Needs SMTPUTF8, next hop lacks it (RFC 6531 §3.2): a recipient with a non-ASCII address
 * fails alone, a non-ASCII sender fails them all, with Postfix's reply
 * {@code 554 5.6.7 SMTPUTF8 is required, but was not offered by host mx.example[192.0.2.1]}:
 * Postfix smtp(8)'s text and enhanced code, as its log shows them ({@code dsn=5.6.7,
 * status=bounced (SMTPUTF8 is required, but was not offered by host mx3.qq.com[43.137.222.247])}).
 * Exchange 2016/2019 never speak SMTPUTF8, so they have no reply of their own; 554 is ours.
 * For the rest the header fields are downgraded ({@link SevenBitDowngrade#asciiHeaders}); a
 * header that cannot be (a non-ASCII local part in From:) fails them too, with the same reply.</li>
 * <li>8-bit content, next hop lacks 8BITMIME (RFC 6152 §3): converted to 7 bit
 * ({@link SevenBitDowngrade#toSevenBit}, which also takes care of the headers) and sent without
 * BODY=; when that is impossible, {@code 554 5.6.3}.</li>
 * </ul>
 * The message sent carries only the recipients still in play; {@link Plan#merge} puts the
 * refused ones back in the caller's order.
 */
final class NextHopConversion {

    static final SmtpReply EIGHT_BIT_NOT_SUPPORTED = SmtpReply.of(554, "5.6.3",
        "Conversion required but not supported: the remote server does not offer 8BITMIME");

    private NextHopConversion() {
    }

    /**
     * What to do with one message on this connection.
     *
     * @param recipients the original message's recipients
     * @param send     the message to offer, possibly converted and with fewer recipients; empty
     *                 when every recipient was refused here
     * @param refusals one per recipient of the original message: the local refusal, or null when
     *                 the recipient is in {@code send}
     * @param notes    what was converted or refused, for the protocol log
     */
    record Plan(List<String> recipients, Optional<OutboundMessage> send, List<SmtpReply> refusals,
                List<String> notes) {

        /**
         * The original's result: the refusals made here, and {@code sent}'s replies (for the
         * recipients of {@code send}, in the same order); {@code sent} is null when nothing was sent.
         */
        MessageResult merge(MessageResult sent) {
            List<RecipientResult> out = new ArrayList<>(recipients.size());
            int next = 0;
            for (int i = 0; i < recipients.size(); i++) {
                SmtpReply refusal = refusals.get(i);
                out.add(refusal != null ? new RecipientResult(recipients.get(i), refusal) : sent.recipients().get(next++));
            }
            return new MessageResult(out, sent == null ? Optional.empty() : sent.dataReply());
        }
    }

    /** Postfix's reply for a message that needs SMTPUTF8 at a next hop that lacks it; {@code host} is {@code name[ip]}. */
    static SmtpReply smtpUtf8Required(String host) {
        return SmtpReply.of(554, "5.6.7", "SMTPUTF8 is required, but was not offered by host " + host);
    }

    static Plan plan(OutboundMessage m, EhloCapabilities next, String host) {
        boolean downgradeUtf8 = m.smtpUtf8() && !next.smtpUtf8();
        boolean downgradeBody = m.eightBitMime() && !next.eightBitMime();
        if (!downgradeUtf8 && !downgradeBody) {
            return unchanged(m);
        }
        List<String> notes = new ArrayList<>();
        SmtpReply utf8Refusal = smtpUtf8Required(host);
        List<SmtpReply> refusals = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String r : m.recipients()) {
            boolean refused = downgradeUtf8 && (!Octets.isAscii(m.mailFrom()) || !Octets.isAscii(r));
            refusals.add(refused ? utf8Refusal : null);
            if (!refused) {
                kept.add(r);
            }
        }
        if (kept.size() < m.recipients().size()) {
            notes.add("Message " + m.id() + ": " + (m.recipients().size() - kept.size())
                + " recipient(s) not sent, a non-ASCII address needs SMTPUTF8");
        }
        if (kept.isEmpty()) {
            return new Plan(m.recipients(), Optional.empty(), refusals, notes);
        }
        SevenBitDowngrade.Outcome outcome = downgradeBody ? SevenBitDowngrade.toSevenBit(m.content())
            : SevenBitDowngrade.asciiHeaders(m.content());
        if (outcome instanceof SevenBitDowngrade.Impossible impossible) {
            SmtpReply reply = downgradeUtf8 ? utf8Refusal : EIGHT_BIT_NOT_SUPPORTED;
            notes.add("Message " + m.id() + " cannot be downgraded: " + impossible.reason());
            return new Plan(m.recipients(), Optional.empty(), refusals.stream().map(x -> reply).toList(), notes);
        }
        SevenBitDowngrade.Converted converted = (SevenBitDowngrade.Converted) outcome;
        notes.add("Message " + m.id() + " downgraded for a next hop without "
            + (downgradeBody && downgradeUtf8 ? "8BITMIME and SMTPUTF8" : downgradeBody ? "8BITMIME" : "SMTPUTF8")
            + ": " + converted.summary() + ", " + m.content().length + " -> " + converted.content().length + " octets");
        OutboundMessage send = new OutboundMessage(m.id(), m.mailFrom(), kept, converted.content(),
            m.eightBitMime() && !downgradeBody, m.smtpUtf8() && next.smtpUtf8());
        return new Plan(m.recipients(), Optional.of(send), refusals, notes);
    }

    private static Plan unchanged(OutboundMessage m) {
        List<SmtpReply> none = new ArrayList<>(m.recipients().size());
        m.recipients().forEach(r -> none.add(null));
        return new Plan(m.recipients(), Optional.of(m), none, List.of());
    }
}
