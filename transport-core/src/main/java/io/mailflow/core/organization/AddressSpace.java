package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Organization model: one entry of a Send connector's AddressSpaces (exchange.md §4.2), the
 * recipient domains the connector routes to, in Exchange's text form {@code Type:AddressSpace;Cost}:
 * {@code SMTP:*.contoso.com;1}, {@code *.contoso.com;1} or {@code contoso.com} (type SMTP, cost 1).
 *
 * <p>The domain is {@code *} (every domain), {@code *.parent} (the parent and every subdomain of
 * it, as Exchange's SmtpDomainWithSubdomains matches) or one domain exactly; {@code *contoso.com}
 * is not an address space. Cost 1-100, lower preferred. The router reads {@link #matches} and
 * {@link #specificity}: the most specific matching address space wins, then the lowest cost.
 *
 * @param type   always {@code SMTP}: Mailflow has no non-SMTP (Foreign, Delivery Agent) connectors
 * @param domain {@code *}, {@code *.parent} or a domain, lower case
 * @param cost   1-100
 */
public record AddressSpace(String type, String domain, int cost) {

    public static final String SMTP = "SMTP";
    public static final int MIN_COST = 1;
    public static final int MAX_COST = 100;
    public static final int DEFAULT_COST = 1;

    private static final Pattern FORM = Pattern.compile("(?:(?<type>[A-Za-z0-9-]+):)?(?<domain>[^;:\\s]+)(?:;(?<cost>[^;]*))?");

    public AddressSpace {
        if (!SMTP.equalsIgnoreCase(type)) {
            throw new IllegalArgumentException("'" + type + "' is not an address space type Mailflow routes; only SMTP is");
        }
        type = SMTP;
        domain = domain.toLowerCase(Locale.ROOT);
        if (!isDomainPattern(domain)) {
            throw new IllegalArgumentException("'" + domain + "' is not an address space such as *, *.contoso.com or contoso.com");
        }
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("cost " + cost + " is outside the range " + MIN_COST + "-" + MAX_COST);
        }
    }

    /** {@code *} at cost 1: every domain, as the "To Internet" connector of Exchange's setup uses. */
    public static AddressSpace all() {
        return new AddressSpace(SMTP, "*", DEFAULT_COST);
    }

    /**
     * Reads Exchange's text form: {@code SMTP:*.contoso.com;1}, {@code *.contoso.com;5},
     * {@code contoso.com} (type SMTP and cost 1 when left out).
     *
     * @throws IllegalArgumentException in an administrator's words
     */
    public static AddressSpace parse(String text) {
        String t = text.trim();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an address space such as SMTP:*.contoso.com;1");
        }
        String type = m.group("type") == null ? SMTP : m.group("type");
        if (!SMTP.equalsIgnoreCase(type)) {
            throw new IllegalArgumentException("'" + text + "' has type " + type
                + "; Mailflow routes SMTP address spaces only");
        }
        int cost = DEFAULT_COST;
        if (m.group("cost") != null) {
            try {
                cost = Integer.parseInt(m.group("cost").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has cost '" + m.group("cost")
                    + "'; a cost is a whole number 1-100");
            }
        }
        if (!isDomainPattern(m.group("domain").toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + text + "' is not an address space: the domain is *, "
                + "*.contoso.com or contoso.com");
        }
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("'" + text + "' has cost " + cost + ", outside the range "
                + MIN_COST + "-" + MAX_COST);
        }
        return new AddressSpace(type, m.group("domain"), cost);
    }

    /** True for {@code *}, {@code *.parent} and a domain name; false for {@code *contoso.com}, {@code a.*.com}. */
    public static boolean isDomainPattern(String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        String bare = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        return !bare.contains("*") && !bare.startsWith("[") && SmtpAddress.parse("postmaster@" + bare, true).isPresent();
    }

    /** True when a recipient of {@code recipientDomain} is routed by this address space. */
    public boolean matches(String recipientDomain) {
        String d = recipientDomain.toLowerCase(Locale.ROOT);
        if (domain.equals("*")) {
            return true;
        }
        if (domain.startsWith("*.")) {
            String parent = domain.substring(2);
            return d.equals(parent) || d.endsWith("." + parent);
        }
        return d.equals(domain);
    }

    /**
     * How specific a match is, higher wins: an exact domain beats any wildcard; among wildcards
     * the longer parent ({@code *.sales.contoso.com} over {@code *.contoso.com} over {@code *.com})
     * wins; {@code *} is the least specific (0).
     */
    public int specificity() {
        if (domain.equals("*")) {
            return 0;
        }
        if (domain.startsWith("*.")) {
            return labels(domain.substring(2));
        }
        return 1000 + labels(domain);
    }

    private static int labels(String domain) {
        return domain.split("\\.").length;
    }

    /** Exchange's form, as Get-SendConnector prints it: {@code SMTP:*.contoso.com;1}. */
    @Override
    public String toString() {
        return type + ":" + domain + ";" + cost;
    }
}
