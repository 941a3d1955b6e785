package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.DistributionGroup;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.Recipient;
import io.mailflow.core.organization.RecipientRestrictions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Resolver, recipient and sender restrictions (exchange.md §6.1): may this sender reach this
 * recipient, and may it send this message at all. A plain decision over the directory, the
 * message size and whether the sender authenticated. Exchange's NDR texts:
 * <ul>
 *   <li>{@value #AUTH_REQUIRED}: RequireSenderAuthenticationEnabled and an anonymous sender;</li>
 *   <li>{@value #NOT_AUTHORIZED}: RejectMessagesFrom names the sender, or AcceptMessagesOnlyFrom /
 *       AcceptMessagesOnlyFromDLMembers are set and the sender is neither listed nor a member;</li>
 *   <li>{@value #RECIPIENT_SIZE_LIMIT}: the message is larger than the recipient's MaxReceiveSize;</li>
 *   <li>{@value #SENDER_SIZE_LIMIT}: larger than the sending mailbox's MaxSendSize;</li>
 *   <li>{@value #RECIPIENT_LIMIT}: more envelope recipients than the sending mailbox's RecipientLimits.</li>
 * </ul>
 * Reads: RequireSenderAuthenticationEnabled, AcceptMessagesOnlyFrom, AcceptMessagesOnlyFromDLMembers,
 * RejectMessagesFrom, MaxReceiveSize, MaxSendSize, RecipientLimits.
 */
public final class DeliveryRestrictions {
    public static final String AUTH_REQUIRED = "550 5.7.1 RESOLVER.RST.AuthRequired; authentication required";
    public static final String NOT_AUTHORIZED = "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized";
    public static final String RECIPIENT_SIZE_LIMIT =
        "550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient";
    public static final String SENDER_SIZE_LIMIT =
        "550 5.2.3 RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender";
    public static final String RECIPIENT_LIMIT = "550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients";

    private final Organization organization;

    public DeliveryRestrictions(Organization organization) {
        this.organization = organization;
    }

    /**
     * The NDR status when the sender may not send this message to anyone (MaxSendSize,
     * RecipientLimits of a sending mailbox), else empty.
     *
     * @param topLevelRecipients the envelope's recipients before expansion (a group counts once)
     */
    public Optional<String> checkSender(Optional<SmtpAddress> sender, long messageSize, int topLevelRecipients) {
        Mailbox mailbox = sender.flatMap(organization::findRecipient).filter(Mailbox.class::isInstance)
            .map(Mailbox.class::cast).orElse(null);
        if (mailbox == null) {
            return Optional.empty();
        }
        if (mailbox.maxSendSize().isPresent() && messageSize > mailbox.maxSendSize().get().bytes()) {
            return Optional.of(SENDER_SIZE_LIMIT);
        }
        if (mailbox.recipientLimits().isExceededBy(topLevelRecipients)) {
            return Optional.of(RECIPIENT_LIMIT);
        }
        return Optional.empty();
    }

    /** The NDR status when {@code sender} may not reach {@code recipient} with this message, else empty. */
    public Optional<String> checkRecipient(Recipient recipient, Optional<SmtpAddress> sender, boolean authenticated,
                                           long messageSize) {
        RecipientRestrictions r = recipient.restrictions();
        if (r.maxReceiveSize().isPresent() && messageSize > r.maxReceiveSize().get().bytes()) {
            return Optional.of(RECIPIENT_SIZE_LIMIT);
        }
        if (r.requireSenderAuthenticationEnabled() && !authenticated) {
            return Optional.of(AUTH_REQUIRED);
        }
        if (!r.restrictsSenders()) {
            return Optional.empty();
        }
        Recipient from = sender.flatMap(organization::findRecipient).orElse(null);
        if (from != null && r.rejectMessagesFrom().stream().anyMatch(id -> isSame(from, id))) {
            return Optional.of(NOT_AUTHORIZED);
        }
        boolean accepting = !r.acceptMessagesOnlyFrom().isEmpty() || !r.acceptMessagesOnlyFromDLMembers().isEmpty();
        if (!accepting) {
            return Optional.empty();
        }
        boolean allowed = from != null && (r.acceptMessagesOnlyFrom().stream().anyMatch(id -> isSame(from, id))
            || r.acceptMessagesOnlyFromDLMembers().stream().anyMatch(id -> isMemberOf(from, id)));
        return allowed ? Optional.empty() : Optional.of(NOT_AUTHORIZED);
    }

    private boolean isSame(Recipient sender, String identity) {
        return organization.findByIdentity(identity).map(r -> r == sender).orElse(false);
    }

    /** True when {@code member} is in the group named {@code groupIdentity}, directly or through nested groups. */
    public boolean isMemberOf(Recipient member, String groupIdentity) {
        Recipient root = organization.findByIdentity(groupIdentity).orElse(null);
        if (!(root instanceof DistributionGroup group)) {
            return false;
        }
        Deque<DistributionGroup> pending = new ArrayDeque<>();
        // Identity, not equals: a record's hash walks its whole member list.
        Set<DistributionGroup> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.add(group);
        while (!pending.isEmpty()) {
            DistributionGroup g = pending.poll();
            if (!seen.add(g)) {
                continue;
            }
            for (String id : g.members()) {
                Recipient r = organization.findByIdentity(id).orElse(null);
                if (r == member) {
                    return true;
                }
                if (r instanceof DistributionGroup nested) {
                    pending.add(nested);
                }
            }
        }
        return false;
    }
}
