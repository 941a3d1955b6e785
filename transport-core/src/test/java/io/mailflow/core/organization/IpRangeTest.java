package io.mailflow.core.organization;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IpRange: the three RemoteIPRanges forms, containment, and most-specific ordering. */
class IpRangeTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void cidrContainsItsBlockOnly() throws Exception {
        IpRange r = IpRange.parse("192.0.2.0/24");
        assertTrue(r.contains(ip("192.0.2.0")));
        assertTrue(r.contains(ip("192.0.2.255")));
        assertFalse(r.contains(ip("192.0.3.0")));
        assertEquals(BigInteger.valueOf(256), r.size());
    }

    @Test
    void cidrWithHostBitsCoversTheWholeBlock() throws Exception {
        assertTrue(IpRange.parse("192.0.2.77/24").contains(ip("192.0.2.1")));
    }

    @Test
    void rangeIsInclusive() throws Exception {
        IpRange r = IpRange.parse("10.0.0.5-10.0.0.9");
        assertTrue(r.contains(ip("10.0.0.5")));
        assertTrue(r.contains(ip("10.0.0.9")));
        assertFalse(r.contains(ip("10.0.0.10")));
        assertEquals(BigInteger.valueOf(5), r.size());
    }

    @Test
    void singleAddressContainsOnlyItself() throws Exception {
        IpRange r = IpRange.parse("127.0.0.1");
        assertTrue(r.contains(ip("127.0.0.1")));
        assertFalse(r.contains(ip("127.0.0.2")));
        assertEquals(BigInteger.ONE, r.size());
    }

    @Test
    void familiesNeverMatchEachOther() throws Exception {
        assertFalse(IpRange.parse("0.0.0.0-255.255.255.255").contains(ip("::1")));
        assertTrue(IpRange.parse("::/0").contains(ip("2001:db8::1")));
        assertTrue(IpRange.parse("2001:db8::/32").contains(ip("2001:db8:ffff::1")));
    }

    @Test
    void mostSpecificSortsFirst() {
        List<IpRange> ranges = List.of(IpRange.parse("0.0.0.0-255.255.255.255"), IpRange.parse("127.0.0.1"),
            IpRange.parse("127.0.0.0/8"), IpRange.parse("127.0.0.1-127.0.0.3"));
        List<String> bySize = ranges.stream().sorted(Comparator.comparing(IpRange::size))
            .map(IpRange::toString).toList();
        assertEquals(List.of("127.0.0.1", "127.0.0.1-127.0.0.3", "127.0.0.0/8", "0.0.0.0-255.255.255.255"), bySize);
    }

    @Test
    void rejectsMalformedRanges() {
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("256.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.9-10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("mail.contoso.test"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.1-::1"));
    }
}
