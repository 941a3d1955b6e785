package io.mailflow.core.organization;

/** A mailbox database (Get-MailboxDatabase) and the server holding its active copy. */
public record MailboxDatabase(String name, String server) {
}
