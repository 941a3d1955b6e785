package io.mailflow.core.organization;

/** An Exchange server (Get-ExchangeServer): name, FQDN used in banners and Received headers, AD site. */
public record Server(String name, String fqdn, String site) {
}
