package io.mailflow.core.organization;

import java.util.Locale;

/**
 * An accepted domain (Get-AcceptedDomain). Authoritative: this organization hosts every recipient
 * of the domain; InternalRelay/ExternalRelay: some or none are here and the rest go onward.
 */
public record AcceptedDomain(String name, String domainName, DomainType domainType, boolean isDefault) {
    public enum DomainType { Authoritative, InternalRelay, ExternalRelay }

    public AcceptedDomain {
        domainName = domainName.toLowerCase(Locale.ROOT);
    }

    /** True for the domain itself and, when written as {@code *.example.com}, for its subdomains. */
    public boolean matches(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (domainName.startsWith("*.")) {
            String parent = domainName.substring(2);
            return d.equals(parent) || d.endsWith("." + parent);
        }
        return d.equals(domainName);
    }
}
