package io.mailflow.core.organization;

import java.util.Optional;

/**
 * A mailbox database (Get-MailboxDatabase): the server holding its active copy (Server) and, for a
 * replicated database, its database availability group (MasterServerOrAvailabilityGroup).
 */
public record MailboxDatabase(String name, String server, Optional<String> databaseAvailabilityGroup) {
    public MailboxDatabase(String name, String server) {
        this(name, server, Optional.empty());
    }
}
