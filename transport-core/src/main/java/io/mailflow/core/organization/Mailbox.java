package io.mailflow.core.organization;

import java.util.List;

/** A user mailbox (Get-Mailbox): its addresses and the mailbox database that holds it. */
public record Mailbox(String name, String alias, List<ProxyAddress> emailAddresses, String database)
    implements Recipient {
    public Mailbox {
        emailAddresses = List.copyOf(emailAddresses);
    }
}
