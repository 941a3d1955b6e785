package io.mailflow.delivery.dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MxResolver against a DNS server on loopback ({@link FakeDnsServer}): MX order, implicit MX,
 * null MX, NXDOMAIN, SERVFAIL and timeouts, each with the status delivery acts on.
 */
class MxResolverTest {
    private FakeDnsServer dns;
    private MxResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = new FakeDnsServer();
        resolver = new MxResolver(dns.resolver(Duration.ofMillis(300)), new Random(1));
    }

    @AfterEach
    void stop() throws InterruptedException {
        dns.close();
    }

    private static Name name(String n) throws TextParseException {
        return Name.fromString(n, Name.root);
    }

    private static Record rr(String owner, int type, String data) throws IOException {
        return Record.fromString(name(owner), type, DClass.IN, 300, data, Name.root);
    }

    private static List<String> hosts(List<MailHost> hosts) {
        return hosts.stream().map(MailHost::host).toList();
    }

    @Test
    void mxRecordsComeInPreferenceOrderEachWithItsAThenAaaaAddresses() throws Exception {
        dns.add(rr("fabrikam.test", Type.MX, "20 mx2.fabrikam.test."),
            rr("fabrikam.test", Type.MX, "10 mx1.fabrikam.test."),
            rr("mx1.fabrikam.test", Type.A, "192.0.2.10"),
            rr("mx1.fabrikam.test", Type.AAAA, "2001:db8::10"),
            rr("mx2.fabrikam.test", Type.A, "192.0.2.20"));
        List<MailHost> hosts = resolver.resolve("Fabrikam.TEST");
        assertEquals(List.of("mx1.fabrikam.test", "mx2.fabrikam.test"), hosts(hosts));
        assertEquals(10, hosts.get(0).preference());
        assertEquals(List.of(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("2001:db8::10")),
            hosts.get(0).addresses());
        assertEquals(List.of(InetAddress.getByName("192.0.2.20")), hosts.get(1).addresses());
    }

    @Test
    void hostsOfEqualPreferenceComeInRandomOrderAfterTheLowerPreference() throws Exception {
        dns.add(rr("fabrikam.test", Type.MX, "5 primary.fabrikam.test."),
            rr("fabrikam.test", Type.MX, "10 a.fabrikam.test."),
            rr("fabrikam.test", Type.MX, "10 b.fabrikam.test."),
            rr("primary.fabrikam.test", Type.A, "192.0.2.5"),
            rr("a.fabrikam.test", Type.A, "192.0.2.1"),
            rr("b.fabrikam.test", Type.A, "192.0.2.2"));
        Set<List<String>> orders = new HashSet<>();
        for (int attempt = 0; attempt < 16; attempt++) {
            List<String> order = hosts(resolver.resolve("fabrikam.test"));
            assertEquals("primary.fabrikam.test", order.get(0));
            orders.add(order.subList(1, 3));
        }
        assertEquals(Set.of(List.of("a.fabrikam.test", "b.fabrikam.test"), List.of("b.fabrikam.test", "a.fabrikam.test")),
            orders);
    }

    @Test
    void aHostWithoutAddressesIsSkipped() throws Exception {
        dns.add(rr("fabrikam.test", Type.MX, "10 gone.fabrikam.test."),
            rr("fabrikam.test", Type.MX, "20 mx.fabrikam.test."),
            rr("mx.fabrikam.test", Type.A, "192.0.2.7"));
        assertEquals(List.of("mx.fabrikam.test"), hosts(resolver.resolve("fabrikam.test")));
    }

    @Test
    void withoutMxTheDomainIsItsOwnMailHost() throws Exception {
        dns.add(rr("plain.test", Type.A, "192.0.2.30"), rr("plain.test", Type.AAAA, "2001:db8::30"));
        List<MailHost> hosts = resolver.resolve("plain.test");
        assertEquals(1, hosts.size());
        assertEquals("plain.test", hosts.get(0).host());
        assertEquals(0, hosts.get(0).preference());
        assertEquals(List.of(InetAddress.getByName("192.0.2.30"), InetAddress.getByName("2001:db8::30")),
            hosts.get(0).addresses());
    }

    @Test
    void aNullMxFailsPermanentlyWith556() throws Exception {
        dns.add(rr("nomail.test", Type.MX, "0 ."), rr("nomail.test", Type.A, "192.0.2.40"));
        MxResolutionException e = assertThrows(MxResolutionException.class, () -> resolver.resolve("nomail.test"));
        assertTrue(e.permanent());
        assertEquals("556 5.1.10 Recipient address has null MX", e.status());
    }

    @Test
    void aNonexistentDomainFailsPermanentlyWithExchangesNdr() {
        MxResolutionException e = assertThrows(MxResolutionException.class, () -> resolver.resolve("nowhere.test"));
        assertTrue(e.permanent());
        assertEquals("550 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", e.status());
    }

    @Test
    void mailHostsWithoutAnyAddressFailPermanently() throws Exception {
        dns.add(rr("empty.test", Type.MX, "10 mx.empty.test."), rr("mx.empty.test", Type.TXT, "\"no address\""));
        MxResolutionException e = assertThrows(MxResolutionException.class, () -> resolver.resolve("empty.test"));
        assertTrue(e.permanent());
        assertEquals(MxResolver.NO_ADDRESS, e.status());
    }

    @Test
    void servfailIsTransient() throws Exception {
        dns.fail(name("broken.test"), Rcode.SERVFAIL);
        MxResolutionException e = assertThrows(MxResolutionException.class, () -> resolver.resolve("broken.test"));
        assertFalse(e.permanent());
        assertEquals("451 4.4.0 DNS query failed", e.status());
    }

    @Test
    void aTimeoutIsTransient() throws Exception {
        dns.drop(name("silent.test"));
        MxResolutionException e = assertThrows(MxResolutionException.class, () -> resolver.resolve("silent.test"));
        assertFalse(e.permanent());
        assertEquals(MxResolver.DNS_QUERY_FAILED, e.status());
        assertTrue(dns.queries() >= 1);
    }

    @Test
    void aMailHostWhoseAddressLookupFailsIsTransientWhenNoOtherHostWorks() throws Exception {
        dns.add(rr("flaky.test", Type.MX, "10 mx.flaky.test."));
        dns.fail(name("mx.flaky.test"), Rcode.SERVFAIL);
        MxResolutionException e = assertThrows(MxResolutionException.class, () -> resolver.resolve("flaky.test"));
        assertFalse(e.permanent());
    }

    @Test
    void anAddressLiteralNeedsNoDns() throws Exception {
        List<MailHost> hosts = resolver.resolve("[192.0.2.99]");
        assertEquals(List.of(InetAddress.getByName("192.0.2.99")), hosts.get(0).addresses());
        assertEquals(0, dns.queries());
    }
}
