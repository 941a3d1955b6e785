package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;

import java.util.List;
import java.util.Optional;

/**
 * The delivery restrictions of a recipient (Set-Mailbox, Set-DistributionGroup, Set-MailContact):
 * what the resolver checks before it lets a sender reach the recipient (exchange.md §6.1,
 * "recipient restrictions"). Senders and groups are named by Name, Alias or address.
 *
 * @param maxReceiveSize                     the largest message the recipient accepts; empty = unlimited
 * @param requireSenderAuthenticationEnabled only senders who authenticated (or are inside the organization) may send
 * @param acceptMessagesOnlyFrom             when not empty, only these senders may send
 * @param acceptMessagesOnlyFromDLMembers    when not empty, only members of these groups may send
 * @param rejectMessagesFrom                 these senders may not send
 */
public record RecipientRestrictions(Optional<ByteSize> maxReceiveSize,
                                    boolean requireSenderAuthenticationEnabled,
                                    List<String> acceptMessagesOnlyFrom,
                                    List<String> acceptMessagesOnlyFromDLMembers,
                                    List<String> rejectMessagesFrom) {

    /** A mailbox's defaults: no restriction. */
    public static final RecipientRestrictions NONE =
        new RecipientRestrictions(Optional.empty(), false, List.of(), List.of(), List.of());

    /** A new distribution group's defaults: only authenticated senders (Exchange's New-DistributionGroup). */
    public static final RecipientRestrictions GROUP_DEFAULT =
        new RecipientRestrictions(Optional.empty(), true, List.of(), List.of(), List.of());

    public RecipientRestrictions {
        acceptMessagesOnlyFrom = List.copyOf(acceptMessagesOnlyFrom);
        acceptMessagesOnlyFromDLMembers = List.copyOf(acceptMessagesOnlyFromDLMembers);
        rejectMessagesFrom = List.copyOf(rejectMessagesFrom);
    }

    /** True when a sender list decides who may send. */
    public boolean restrictsSenders() {
        return !acceptMessagesOnlyFrom.isEmpty() || !acceptMessagesOnlyFromDLMembers.isEmpty()
            || !rejectMessagesFrom.isEmpty();
    }
}
