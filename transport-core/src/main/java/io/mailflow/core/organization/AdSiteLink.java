package io.mailflow.core.organization;

import java.util.List;

/**
 * An IP site link (Get-AdSiteLink): the sites it joins and its cost. Routing sums the costs
 * along a path and takes the cheapest (ExchangeCost when set, else the AD cost; Mailflow has one Cost).
 */
public record AdSiteLink(String name, List<String> sites, int cost) {
    public AdSiteLink {
        sites = List.copyOf(sites);
    }
}
