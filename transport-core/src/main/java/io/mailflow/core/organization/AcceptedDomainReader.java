package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * Organization configuration: the {@code AcceptedDomains} section, read first after the
 * organization's Name because every address the recipients give must be in one of them.
 * At least one is required; without a {@code Default = $true}, the first one is the default,
 * as Exchange makes it.
 */
final class AcceptedDomainReader {
    private static final List<String> KEYS = List.of("Name", "DomainName", "DomainType", "Default");

    private AcceptedDomainReader() {
    }

    static List<AcceptedDomain> read(ConfigEntry top) {
        List<AcceptedDomain> domains = new ArrayList<>();
        for (ConfigEntry d : top.objects("AcceptedDomains", KEYS)) {
            acceptedDomain(d, domains);
        }
        if (domains.isEmpty() && top.has("AcceptedDomains")) {
            top.problem("AcceptedDomains", "at least one accepted domain is required");
        } else if (domains.isEmpty()) {
            top.required("AcceptedDomains", "AcceptedDomains = [ { DomainName = ... } ]");
        } else if (domains.stream().noneMatch(AcceptedDomain::isDefault)) {
            // Exchange makes the first accepted domain the default one.
            AcceptedDomain first = domains.get(0);
            domains.set(0, new AcceptedDomain(first.name(), first.domainName(), first.domainType(), true));
        }
        return domains;
    }

    private static void acceptedDomain(ConfigEntry d, List<AcceptedDomain> domains) {
        String domainName = d.requiredString("DomainName");
        String name = d.string("Name");
        AcceptedDomain.DomainType type = d.enumValue("DomainType", AcceptedDomain.DomainType.class);
        Boolean isDefault = d.bool("Default");
        if (domainName == null) {
            return;
        }
        String bare = domainName.startsWith("*.") ? domainName.substring(2) : domainName;
        if (SmtpAddress.parse("postmaster@" + bare, true).isEmpty()) {
            d.problem("DomainName", "'" + domainName + "' is not a domain name");
            return;
        }
        for (AcceptedDomain other : domains) {
            if (other.domainName().equalsIgnoreCase(domainName)) {
                d.problem("DomainName", "accepted domain " + domainName + " is given twice");
                return;
            }
        }
        if (Boolean.TRUE.equals(isDefault)) {
            domains.stream().filter(AcceptedDomain::isDefault).findFirst().ifPresent(other ->
                d.problem("Default", "only one accepted domain can be the default, and "
                    + other.domainName() + " already is"));
        }
        domains.add(new AcceptedDomain(name == null ? domainName : name, domainName,
            type == null ? AcceptedDomain.DomainType.Authoritative : type, Boolean.TRUE.equals(isDefault)));
    }
}
