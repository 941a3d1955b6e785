package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.Optional;

/**
 * A mailbox's forwarding (Set-Mailbox ForwardingAddress / ForwardingSmtpAddress /
 * DeliverToMailboxAndForward): the resolver's "alternate recipient" (exchange.md §6.1). When both
 * are set, ForwardingAddress (a recipient of the organization) wins, as in Exchange.
 *
 * @param forwardingAddress          a recipient of the directory, by Name, Alias or address
 * @param forwardingSmtpAddress      any SMTP address
 * @param deliverToMailboxAndForward true: deliver here and forward; false: forward only
 */
public record Forwarding(Optional<String> forwardingAddress, Optional<SmtpAddress> forwardingSmtpAddress,
                         boolean deliverToMailboxAndForward) {

    public static final Forwarding NONE = new Forwarding(Optional.empty(), Optional.empty(), false);

    public boolean isForwarding() {
        return forwardingAddress.isPresent() || forwardingSmtpAddress.isPresent();
    }
}
