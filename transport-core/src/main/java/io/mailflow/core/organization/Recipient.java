package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.List;

/** A mail-enabled directory object: what the resolver finds behind an address. */
public sealed interface Recipient permits Mailbox, DistributionGroup, ExternalRecipient {
    String name();

    String alias();

    List<ProxyAddress> emailAddresses();

    /** What the recipient accepts, and from whom. */
    RecipientRestrictions restrictions();

    /**
     * The SMTP: address, or the first address when none is marked primary. A loop, not a stream:
     * the resolver asks for it several times per recipient and per group member.
     */
    default SmtpAddress primarySmtpAddress() {
        List<ProxyAddress> addresses = emailAddresses();
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.get(i).primary()) {
                return addresses.get(i).address();
            }
        }
        return addresses.get(0).address();
    }
}
