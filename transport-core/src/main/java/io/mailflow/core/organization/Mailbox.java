package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;

import java.util.List;
import java.util.Optional;

/**
 * A user mailbox (Get-Mailbox): its addresses, the mailbox database that holds it, and what the
 * resolver reads of it: forwarding, RecipientLimits and MaxSendSize (when it sends), and its
 * delivery restrictions (when it receives).
 */
public record Mailbox(String name, String alias, List<ProxyAddress> emailAddresses, String database,
                      Forwarding forwarding, Unlimited recipientLimits, Optional<ByteSize> maxSendSize,
                      RecipientRestrictions restrictions)
    implements Recipient {
    public Mailbox {
        emailAddresses = List.copyOf(emailAddresses);
    }

    /** A mailbox with Exchange's defaults: no forwarding, no limits of its own, no restrictions. */
    public Mailbox(String name, String alias, List<ProxyAddress> emailAddresses, String database) {
        this(name, alias, emailAddresses, database, Forwarding.NONE, Unlimited.UNLIMITED, Optional.empty(),
            RecipientRestrictions.NONE);
    }
}
