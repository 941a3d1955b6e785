package io.mailflow.categorizer;

import io.mailflow.core.organization.AddressSpace;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * SendConnectorSelector: the Router's connector selection for a recipient outside the
 * organization (exchange.md §4.2 CSEL, §6.3), a plain decision over the organization's Send
 * connectors, the routing server, the recipient domain and the message size.
 *
 * <ol>
 *   <li>Left out: disabled connectors, and those whose SourceTransportServers do not include the
 *       routing server (Mailflow does not relay to a remote connector's source servers).</li>
 *   <li>Kept: connectors with an address space matching the domain ({@link AddressSpace#matches});
 *       none ⇒ {@link Unreachable}, LastError {@value #NO_MATCHING_CONNECTOR}.</li>
 *   <li>Left out: connectors whose MaxMessageSize is below the message size; every matching one
 *       too small ⇒ {@link TooLarge}, the recipient is NDR'd with {@value #SIZE_LIMIT}. Size is
 *       checked before specificity, as CSEL orders it: a too-small {@code contoso.com} connector
 *       lets a large message take a {@code *} connector that fits.</li>
 *   <li>The most specific matching address space wins (exact domain, then the longest
 *       {@code *.parent}, then {@code *}); ties ⇒ lowest address-space cost ⇒ lowest connector name
 *       in alphanumeric order (case-insensitive). Mailflow routes within one site, so site-link
 *       costs and hop counts add nothing, and IsScopedConnector narrows nothing beyond step 1:
 *       a connector is only used by its own source servers, which are in its site.</li>
 * </ol>
 *
 * <p>The answer's NextHopSolutionKey is {@code SmartHostConnectorDelivery} with the smart-host
 * list as NextHopDomain, or {@code DnsConnectorDelivery} with the recipient's domain as
 * NextHopDomain (Exchange uses the address space; the recipient domain gives each destination its
 * own queue); NextHopConnector is the connector's name either way.
 * Reads: AddressSpaces, Enabled, SourceTransportServers, MaxMessageSize, DNSRoutingEnabled, SmartHosts.
 */
public final class SendConnectorSelector {

    /** Exchange's NDR when the message is larger than every connector that could route it. */
    public static final String SIZE_LIMIT = "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route";

    /** Exchange's LastError for a recipient held in the Unreachable queue (Get-Message). */
    public static final String NO_MATCHING_CONNECTOR = "A matching connector cannot be found to route the external recipient";

    /** The decision for one recipient domain. */
    public sealed interface Selection permits Selected, TooLarge, Unreachable {
    }

    /** Routed through {@code connector}, which matched with {@code addressSpace}, into the queue {@code key}. */
    public record Selected(SendConnector connector, AddressSpace addressSpace, NextHopSolutionKey key)
        implements Selection {
    }

    /** Every matching connector is too small for the message: the recipient fails with {@code status}. */
    public record TooLarge(String status) implements Selection {
    }

    /** No connector matches: the recipient waits in the Unreachable queue with {@code lastError}. */
    public record Unreachable(NextHopSolutionKey key, String lastError) implements Selection {
    }

    /** A connector with the address space it matches best. */
    private record Match(SendConnector connector, AddressSpace addressSpace) {
    }

    private static final Comparator<AddressSpace> BEST_SPACE = Comparator.comparingInt(AddressSpace::specificity)
        .reversed().thenComparingInt(AddressSpace::cost);

    private static final Comparator<Match> BEST_MATCH = Comparator.<Match, AddressSpace>comparing(Match::addressSpace,
            BEST_SPACE)
        .thenComparing(m -> m.connector().name(), String.CASE_INSENSITIVE_ORDER)
        .thenComparing(m -> m.connector().name());

    private final List<SendConnector> usable;

    /**
     * @param connectors    the organization's Send connectors
     * @param routingServer the server the categorizer runs on
     */
    public SendConnectorSelector(List<SendConnector> connectors, String routingServer) {
        Objects.requireNonNull(routingServer);
        this.usable = connectors.stream().filter(SendConnector::enabled).filter(c -> c.isSourceServer(routingServer))
            .toList();
    }

    /**
     * The route for recipients of {@code recipientDomain} in a message of {@code messageSize} octets.
     */
    public Selection select(String recipientDomain, long messageSize) {
        String domain = recipientDomain.toLowerCase(Locale.ROOT);
        List<Match> matching = new ArrayList<>();
        for (SendConnector c : usable) {
            c.addressSpaces().stream().filter(a -> a.matches(domain)).min(BEST_SPACE)
                .ifPresent(a -> matching.add(new Match(c, a)));
        }
        if (matching.isEmpty()) {
            return new Unreachable(NextHopSolutionKey.unreachable(domain), NO_MATCHING_CONNECTOR);
        }
        Match best = matching.stream().filter(m -> m.connector().maxMessageSize().bytes() >= messageSize)
            .min(BEST_MATCH).orElse(null);
        if (best == null) {
            return new TooLarge(SIZE_LIMIT);
        }
        SendConnector c = best.connector();
        NextHopSolutionKey key = c.dnsRoutingEnabled()
            ? NextHopSolutionKey.dnsConnector(domain, c.name())
            : NextHopSolutionKey.smartHostConnector(c.smartHostList(), c.name());
        return new Selected(c, best.addressSpace(), key);
    }
}
