package io.mailflow.core.organization;

/**
 * An Exchange server (Get-ExchangeServer): name, FQDN used in banners and Received headers, the
 * Active Directory site it belongs to (routing measures distance in sites), and its role.
 */
public record Server(String name, String fqdn, String site, ServerRole serverRole) {
    public Server(String name, String fqdn, String site) {
        this(name, fqdn, site, ServerRole.Mailbox);
    }
}
