package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;

import java.util.List;
import java.util.Optional;

/**
 * A user mailbox (Get-Mailbox): its addresses, the mailbox database that holds it, and what the
 * resolver reads of it: forwarding, RecipientLimits and MaxSendSize (when it sends), and its
 * delivery restrictions (when it receives). Its user account signs in to SMTP AUTH with its
 * UserPrincipalName (by default the primary SMTP address) and the password whose hash it keeps;
 * a mailbox without a password cannot sign in.
 */
public record Mailbox(String name, String alias, List<ProxyAddress> emailAddresses, String database,
                      Forwarding forwarding, Unlimited recipientLimits, Optional<ByteSize> maxSendSize,
                      RecipientRestrictions restrictions, String userPrincipalName, Optional<PasswordHash> password)
    implements Recipient {
    public Mailbox {
        emailAddresses = List.copyOf(emailAddresses);
        if (userPrincipalName == null) {
            userPrincipalName = emailAddresses.stream().filter(ProxyAddress::primary).findFirst()
                .orElse(emailAddresses.get(0)).address().toString();
        }
    }

    /** A mailbox with Exchange's defaults: no forwarding, no limits of its own, no restrictions, no password. */
    public Mailbox(String name, String alias, List<ProxyAddress> emailAddresses, String database) {
        this(name, alias, emailAddresses, database, Forwarding.NONE, Unlimited.UNLIMITED, Optional.empty(),
            RecipientRestrictions.NONE, null, Optional.empty());
    }

    /** The same mailbox signing in with {@code hash}. */
    public Mailbox withPassword(PasswordHash hash) {
        return new Mailbox(name, alias, emailAddresses, database, forwarding, recipientLimits, maxSendSize,
            restrictions, userPrincipalName, Optional.of(hash));
    }
}
