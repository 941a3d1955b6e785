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

    /** The SMTP: address, or the first address when none is marked primary. */
    default SmtpAddress primarySmtpAddress() {
        return emailAddresses().stream().filter(ProxyAddress::primary).findFirst()
            .orElse(emailAddresses().get(0)).address();
    }
}
