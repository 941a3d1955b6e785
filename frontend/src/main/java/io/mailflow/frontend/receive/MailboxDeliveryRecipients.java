package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.MailboxDatabase;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.smtp.SmtpReply;

import java.util.Objects;
import java.util.Optional;

/**
 * Mailbox Transport Delivery's RCPT TO check: receive connector with TransportRole
 * MailboxDelivery (port 475), before the recipient is accepted; the store driver at end of data
 * asks the same question again. MTD delivers only into the active copies this server holds
 * (exchange.md §8), and only to addresses the sending Transport service already resolved, so a
 * recipient must be the primary SMTP address of a mailbox whose database's active copy is here.
 *
 * <p>The replies are Exchange's own texts, from the transport's acknowledgement table
 * ({@code Microsoft.Exchange.Transport.AckReason}, seen in public decompiled copies of Exchange
 * 2016's transport assembly, and in NDRs quoted on the web):
 * <ul>
 *   <li>{@link #RECIPIENT_NOT_FOUND} {@code 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found}
 *       (LocalRecipientAddressUnknown): no mailbox has this primary address. Permanent: the
 *       Transport service NDRs it through its normal flow.</li>
 *   <li>{@link #MAILBOX_IS_REMOTE} {@code 420 4.2.0 STOREDRV.Deliver; recipient mailbox is remote}
 *       (RecipientMailboxIsRemote): the mailbox exists but its database is active on another
 *       server (moved, failed over). Transient: the Transport service retries, and its
 *       categorizer routes the recipient anew ("reroute the message", exchange.md §6.3).
 *       Exchange's other reroute text, {@code 421 4.2.1 STOREDRV.Deliver; mailbox database has
 *       moved.} (MailboxDatabaseMoved), is a 421, which RFC 5321 reserves for closing the
 *       whole session; a per-recipient answer must not close it.</li>
 *   <li>{@link #DIRECTORY_MISCONFIGURATION} {@code 550 5.2.0 STOREDRV.Deliver; directory
 *       misconfiguration.} (InboundInvalidDirectoryData): the mailbox names a database the
 *       organization does not have.</li>
 * </ul>
 * Reads: the organization's mailboxes and MailboxDatabases.
 */
public final class MailboxDeliveryRecipients {
    public static final SmtpReply RECIPIENT_NOT_FOUND = SmtpReply.of(550, "5.1.1", "RESOLVER.ADR.RecipNotFound; not found");
    public static final SmtpReply MAILBOX_IS_REMOTE = SmtpReply.of(420, "4.2.0", "STOREDRV.Deliver; recipient mailbox is remote");
    public static final SmtpReply DIRECTORY_MISCONFIGURATION =
        SmtpReply.of(550, "5.2.0", "STOREDRV.Deliver; directory misconfiguration.");

    /** The answer for one recipient. */
    public sealed interface Decision {
        /** Deliver into {@code mailbox}, whose database's active copy is on this server. */
        record Deliver(Mailbox mailbox, MailboxDatabase database) implements Decision {
        }

        /** Refuse with {@code reply}; {@code reason} is for the logs. */
        record Refuse(SmtpReply reply, String reason) implements Decision {
            public Refuse {
                Objects.requireNonNull(reply, "reply");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    private MailboxDeliveryRecipients() {
    }

    /** May Mailbox Transport Delivery on {@code server} take {@code recipient}? */
    public static Decision check(Organization organization, String server, SmtpAddress recipient) {
        Optional<Mailbox> mailbox = organization.findRecipient(recipient)
            .filter(Mailbox.class::isInstance).map(Mailbox.class::cast)
            .filter(m -> m.primarySmtpAddress().key().equals(recipient.key()));
        if (mailbox.isEmpty()) {
            return new Decision.Refuse(RECIPIENT_NOT_FOUND, recipient + " is not the primary SMTP address of a mailbox");
        }
        Mailbox m = mailbox.get();
        Optional<MailboxDatabase> database = organization.mailboxDatabase(m.database());
        if (database.isEmpty()) {
            return new Decision.Refuse(DIRECTORY_MISCONFIGURATION,
                "mailbox " + m.name() + " is on database " + m.database() + ", which the organization does not have");
        }
        if (!database.get().server().equalsIgnoreCase(server)) {
            return new Decision.Refuse(MAILBOX_IS_REMOTE, "mailbox " + m.name() + " is on database "
                + database.get().name() + ", whose active copy is on " + database.get().server() + ", not " + server);
        }
        return new Decision.Deliver(m, database.get());
    }
}
