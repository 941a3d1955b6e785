package io.mailflow.core.organization;

/**
 * An Active Directory site (Get-AdSite). A hub site (HubSiteEnabled) on the least-cost path
 * between two sites is traversed: mail relays through it instead of going straight to the target.
 */
public record AdSite(String name, boolean hubSiteEnabled) {
}
