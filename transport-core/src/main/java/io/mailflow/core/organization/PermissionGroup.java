package io.mailflow.core.organization;

/** Receive connector PermissionGroups (exchange.md §1.4). */
public enum PermissionGroup {
    None, AnonymousUsers, ExchangeUsers, ExchangeServers, ExchangeLegacyServers, Partners, Custom
}
