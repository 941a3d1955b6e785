package io.mailflow.delivery.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;

/**
 * Delivery, DNS routing: the mail hosts of a recipient domain for a Send connector with
 * DNSRoutingEnabled (DnsConnectorDelivery queues), before the SMTP client connects. Blocking: it
 * runs on the delivery executor, never on an actor's thread.
 *
 * <p>Rules (RFC 5321 §5.1, RFC 7505, exchange.md NDR table):
 * <ul>
 *   <li>MX records in preference order, lowest first; hosts of equal preference in random order
 *       (RFC 5321 §5.1, so senders spread their load); a host named twice keeps its lowest
 *       preference. Each host then gets its A, then AAAA, addresses; a host without any is
 *       skipped.</li>
 *   <li>No MX records: the domain itself is the one mail host (implicit MX, preference 0).</li>
 *   <li>Null MX ({@code 0 .}, RFC 7505): permanent, {@value #NULL_MX}: RFC 7505's reply code and
 *       enhanced code, in Exchange's wording style. A {@code .} target beside real MX records is
 *       ignored.</li>
 *   <li>NXDOMAIN for the domain: permanent, {@value #NON_EXISTENT_DOMAIN} (Exchange's NDR).</li>
 *   <li>Mail hosts (or the implicit MX) that exist but have no address: permanent,
 *       {@value #NO_ADDRESS} (Mailflow's text; Exchange documents none).</li>
 *   <li>SERVFAIL, REFUSED, a timeout or a network error, with no usable host left: transient,
 *       {@value #DNS_QUERY_FAILED}; the queue retries.</li>
 *   <li>An address literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}) is its own host, without DNS.</li>
 * </ul>
 * The dnsjava {@link Resolver} is given, so tests point it at a DNS server on loopback and the
 * relay at the system's resolvers; nothing is cached here.
 */
public final class MxResolver {

    /** RFC 7505 §4.2: the domain says it accepts no mail. */
    public static final String NULL_MX = "556 5.1.10 Recipient address has null MX";
    /** Exchange's NDR for a recipient domain that does not exist. */
    public static final String NON_EXISTENT_DOMAIN = "550 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain";
    /** Mailflow's: the domain's mail hosts exist but none has an A or AAAA record. */
    public static final String NO_ADDRESS = "550 5.4.4 SMTPSEND.DNS.NoAddress; no address records for the mail hosts";
    /** A DNS failure worth retrying (SERVFAIL, timeout). */
    public static final String DNS_QUERY_FAILED = "451 4.4.0 DNS query failed";

    private final LookupSession session;
    private final Random random;

    /** A resolver that orders equal-preference hosts at random. */
    public MxResolver(Resolver resolver) {
        this(resolver, new Random());
    }

    /** @param random orders hosts of equal preference; a seeded one makes the order repeatable */
    public MxResolver(Resolver resolver, Random random) {
        this.session = LookupSession.builder().resolver(Objects.requireNonNull(resolver)).build();
        this.random = Objects.requireNonNull(random);
    }

    /**
     * The mail hosts of {@code domain}, in the order to try them.
     *
     * @return at least one host, each with at least one address
     * @throws MxResolutionException permanent (NXDOMAIN, null MX, no addresses) or transient (SERVFAIL, timeout)
     */
    public List<MailHost> resolve(String domain) throws MxResolutionException {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        if (d.startsWith("[") && d.endsWith("]")) {
            return List.of(literal(d));
        }
        Name name = name(d);
        List<MXRecord> mx;
        try {
            mx = lookup(name, Type.MX).stream().filter(MXRecord.class::isInstance).map(MXRecord.class::cast).toList();
        } catch (NoSuchDomainException e) {
            throw new MxResolutionException(true, NON_EXISTENT_DOMAIN, d);
        } catch (NoSuchRRSetException e) {
            mx = List.of();
        } catch (RuntimeException e) {
            throw transientFailure(d, "MX", e);
        }
        if (mx.isEmpty()) {
            return implicitMx(d, name);
        }
        List<MXRecord> real = mx.stream().filter(r -> !r.getTarget().equals(Name.root)).toList();
        if (real.isEmpty()) {
            throw new MxResolutionException(true, NULL_MX, d);
        }
        return hosts(d, ordered(real));
    }

    /** RFC 5321 §5.1: without MX records the domain is its own mail host. */
    private List<MailHost> implicitMx(String domain, Name name) throws MxResolutionException {
        List<InetAddress> addresses;
        try {
            addresses = addresses(name);
        } catch (NoSuchDomainException e) {
            throw new MxResolutionException(true, NON_EXISTENT_DOMAIN, domain);
        } catch (RuntimeException e) {
            throw transientFailure(domain, "A/AAAA", e);
        }
        if (addresses.isEmpty()) {
            throw new MxResolutionException(true, NO_ADDRESS, domain + " has no MX, A or AAAA records");
        }
        return List.of(new MailHost(domain, 0, addresses));
    }

    /** Host names with their preference, lowest first, equal preferences shuffled, each host once. */
    private Map<String, Integer> ordered(List<MXRecord> records) {
        TreeMap<Integer, List<String>> byPreference = new TreeMap<>();
        Map<String, Integer> lowest = new LinkedHashMap<>();
        for (MXRecord r : records) {
            String host = r.getTarget().toString(true).toLowerCase(Locale.ROOT);
            lowest.merge(host, r.getPriority(), Math::min);
        }
        lowest.forEach((host, preference) -> byPreference.computeIfAbsent(preference, p -> new ArrayList<>()).add(host));
        Map<String, Integer> order = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> e : byPreference.entrySet()) {
            List<String> hosts = new ArrayList<>(e.getValue());
            Collections.shuffle(hosts, random);
            hosts.forEach(h -> order.put(h, e.getKey()));
        }
        return order;
    }

    /** Each host with its addresses; hosts without any are skipped. */
    private List<MailHost> hosts(String domain, Map<String, Integer> order) throws MxResolutionException {
        List<MailHost> hosts = new ArrayList<>();
        RuntimeException lastFailure = null;
        for (Map.Entry<String, Integer> e : order.entrySet()) {
            try {
                List<InetAddress> addresses = addresses(name(e.getKey()));
                if (!addresses.isEmpty()) {
                    hosts.add(new MailHost(e.getKey(), e.getValue(), addresses));
                }
            } catch (NoSuchDomainException ex) {
                // An MX target that does not exist is skipped, as a host without addresses is.
            } catch (RuntimeException ex) {
                lastFailure = ex;
            }
        }
        if (hosts.isEmpty() && lastFailure != null) {
            throw transientFailure(domain, "A/AAAA of its mail hosts", lastFailure);
        }
        if (hosts.isEmpty()) {
            throw new MxResolutionException(true, NO_ADDRESS, "none of " + String.join(", ", order.keySet())
                + " has an A or AAAA record");
        }
        return hosts;
    }

    /**
     * A then AAAA addresses of one name; empty when it has neither.
     *
     * @throws NoSuchDomainException when the name does not exist
     * @throws RuntimeException      for a failure worth retrying
     */
    private List<InetAddress> addresses(Name name) {
        List<InetAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            try {
                for (Record r : lookup(name, type)) {
                    if (r instanceof ARecord a) {
                        addresses.add(a.getAddress());
                    } else if (r instanceof AAAARecord aaaa) {
                        addresses.add(aaaa.getAddress());
                    }
                }
            } catch (NoSuchRRSetException e) {
                // No record of this type; the other type may have some.
            }
        }
        return addresses;
    }

    /** One query through the session, its failure unwrapped (dnsjava completes the stage exceptionally). */
    private List<Record> lookup(Name name, int type) {
        LookupResult result;
        try {
            result = session.lookupAsync(name, type).toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(cause);
        }
        return result.getRecords();
    }

    private static Name name(String domain) throws MxResolutionException {
        try {
            return Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            throw new MxResolutionException(true, NON_EXISTENT_DOMAIN, "'" + domain + "' is not a domain name");
        }
    }

    private static MailHost literal(String domain) throws MxResolutionException {
        String inner = domain.substring(1, domain.length() - 1);
        String ip = inner.startsWith("ipv6:") ? inner.substring(5) : inner;
        boolean plausible = ip.matches("[0-9.]+") || (inner.startsWith("ipv6:") && ip.matches("[0-9a-f:.]+"));
        try {
            if (!plausible) {
                throw new UnknownHostException(inner);
            }
            return new MailHost(domain, 0, List.of(InetAddress.getByName(ip)));
        } catch (UnknownHostException e) {
            throw new MxResolutionException(true, NON_EXISTENT_DOMAIN, "'" + domain + "' is not an address literal");
        }
    }

    private static MxResolutionException transientFailure(String domain, String what, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new MxResolutionException(false, DNS_QUERY_FAILED, what + " lookup for " + domain + " failed: " + reason);
    }
}
