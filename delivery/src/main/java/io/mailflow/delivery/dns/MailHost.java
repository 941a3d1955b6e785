package io.mailflow.delivery.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * Delivery, DNS routing: one mail exchanger of a recipient domain as {@link MxResolver} found it,
 * in the order the SMTP client tries it (exchange.md §4.2, RFC 5321 §5.1).
 *
 * @param host       the MX target without the final dot ({@code mx1.fabrikam.com}), the domain
 *                   itself for an implicit MX, or the literal for an address-literal domain
 * @param preference the MX preference; 0 for an implicit MX or an address literal
 * @param addresses  its IPv4 then IPv6 addresses, never empty
 */
public record MailHost(String host, int preference, List<InetAddress> addresses) {

    public MailHost {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a mail host has at least one address");
        }
    }
}
