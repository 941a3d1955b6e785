package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AcceptedDomain;
import io.mailflow.core.organization.AcceptedDomain.DomainType;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Recipient Filter agent: receive connector, at RCPT TO, before the recipient is accepted
 * (seed 002, exchange.md §2.2). Refuses recipients the organization does not want mail for, so a
 * directory-harvest attack learns nothing from a 250 and, with the session's TarpitInterval on
 * the 5xx, pays for every guess.
 * Reads (Set-RecipientFilterConfig): Enabled ($true), RecipientValidationEnabled ($false; "Block
 * messages sent to recipients not listed in the Global Address List"), BlockListEnabled ($false),
 * BlockedRecipients (up to 800 SMTP addresses).
 * Emits: a {@link Verdict}; the session applies TarpitInterval to a {@link Verdict.Reject}.
 *
 * <p>Only recipients of the organization's Authoritative accepted domains are examined: those are
 * the domains whose every recipient is in the directory (Exchange's AddressBookEnabled is on by
 * default for Authoritative domains only). InternalRelay and ExternalRelay recipients, and
 * recipients of other domains, pass; relay permission is the session's question, not this one.
 * A blocked recipient and an unknown one get the same answer, {@code 550 5.1.1 User unknown}, as
 * Exchange gives (seed 002), so the block list does not reveal which addresses exist.
 *
 * <p>Which sessions the agent looks at (Exchange filters unauthenticated mail from the Internet:
 * ExternalMailEnabled $true, InternalMailEnabled $false) is the session's call. Immutable and
 * thread-safe.
 */
public final class RecipientFilter {

    /** Set-RecipientFilterConfig: "You can enter up to 800 individual SMTP addresses". */
    public static final int MAX_BLOCKED_RECIPIENTS = 800;

    /** The answer for one RCPT TO. */
    public sealed interface Verdict {
        /** Not this filter's concern, or a recipient it knows: the session carries on with its checks. */
        record Accept() implements Verdict {
            public static final Accept INSTANCE = new Accept();
        }

        /** Refuse the recipient with {@code reply}; {@code reason} is for the logs, never for the client. */
        record Reject(SmtpReply reply, Reason reason) implements Verdict {
            public Reject {
                Objects.requireNonNull(reply, "reply");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** Why a recipient was refused. */
    public enum Reason {
        /** RecipientValidationEnabled, and the directory has no recipient with this address. */
        RecipientNotInDirectory,
        /** BlockListEnabled, and the address is in BlockedRecipients. */
        BlockedRecipient
    }

    private static final Verdict.Reject NOT_IN_DIRECTORY =
        new Verdict.Reject(SmtpReplies.USER_UNKNOWN, Reason.RecipientNotInDirectory);
    private static final Verdict.Reject BLOCKED = new Verdict.Reject(SmtpReplies.USER_UNKNOWN, Reason.BlockedRecipient);

    private final boolean enabled;
    private final boolean recipientValidationEnabled;
    private final boolean blockListEnabled;
    /** Directory keys (lower case), so matching is case-insensitive as Exchange's is. */
    private final Set<String> blockedRecipients;
    private final Organization organization;

    /**
     * @param blockedRecipients SMTP addresses; kept even while BlockListEnabled is off, as Exchange keeps them
     * @throws IllegalArgumentException for an entry that is not an SMTP address, or more than 800 of them
     */
    public RecipientFilter(boolean enabled, boolean recipientValidationEnabled, boolean blockListEnabled,
                           Collection<String> blockedRecipients, Organization organization) {
        this.enabled = enabled;
        this.recipientValidationEnabled = recipientValidationEnabled;
        this.blockListEnabled = blockListEnabled;
        this.organization = Objects.requireNonNull(organization, "organization");
        Set<String> keys = new HashSet<>();
        for (String entry : blockedRecipients) {
            SmtpAddress address = SmtpAddress.parse(entry == null ? null : entry.strip(), true)
                .orElseThrow(() -> new IllegalArgumentException("BlockedRecipients: not an SMTP address: " + entry));
            keys.add(address.key());
        }
        if (keys.size() > MAX_BLOCKED_RECIPIENTS) {
            throw new IllegalArgumentException("BlockedRecipients holds " + keys.size() + " addresses; at most "
                + MAX_BLOCKED_RECIPIENTS + " are allowed");
        }
        this.blockedRecipients = Set.copyOf(keys);
    }

    /** Exchange's defaults: enabled, but neither validating recipients nor blocking any. */
    public static RecipientFilter defaults(Organization organization) {
        return new RecipientFilter(true, false, false, Set.of(), organization);
    }

    public Verdict check(SmtpAddress recipient) {
        if (!enabled || !inAuthoritativeDomain(recipient)) {
            return Verdict.Accept.INSTANCE;
        }
        if (blockListEnabled && blockedRecipients.contains(recipient.key())) {
            return BLOCKED;
        }
        if (recipientValidationEnabled && organization.findRecipient(recipient).isEmpty()) {
            return NOT_IN_DIRECTORY;
        }
        return Verdict.Accept.INSTANCE;
    }

    private boolean inAuthoritativeDomain(SmtpAddress recipient) {
        Optional<AcceptedDomain> domain = organization.acceptedDomainFor(recipient.domain());
        return domain.map(d -> d.domainType() == DomainType.Authoritative).orElse(false);
    }
}
