package io.mailflow.core.organization;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One entry of RemoteIPRanges: a single address, a range {@code a-b} or a CIDR block, IPv4 or IPv6.
 * {@link #size()} lets the connector selector prefer the most specific match, as Exchange does.
 */
public record IpRange(String text, BigInteger first, BigInteger last, int family) {

    public static IpRange parse(String text) {
        String t = text.trim();
        try {
            if (t.contains("/")) {
                String[] parts = t.split("/", 2);
                byte[] base = literal(parts[0]);
                int bits = base.length * 8;
                int prefix = Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("prefix /" + prefix + " is outside 0-" + bits);
                }
                BigInteger b = new BigInteger(1, base);
                BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
                BigInteger start = b.andNot(hostMask);
                return new IpRange(t, start, start.or(hostMask), base.length);
            }
            if (t.contains("-")) {
                String[] parts = t.split("-", 2);
                byte[] a = literal(parts[0]);
                byte[] b = literal(parts[1]);
                if (a.length != b.length) {
                    throw new IllegalArgumentException("a range cannot mix IPv4 and IPv6");
                }
                BigInteger lo = new BigInteger(1, a);
                BigInteger hi = new BigInteger(1, b);
                if (lo.compareTo(hi) > 0) {
                    throw new IllegalArgumentException("range start is after its end");
                }
                return new IpRange(t, lo, hi, a.length);
            }
            byte[] one = literal(t);
            BigInteger v = new BigInteger(1, one);
            return new IpRange(t, v, v, one.length);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address, range or CIDR block");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length != family) {
            return false;
        }
        BigInteger v = new BigInteger(1, raw);
        return v.compareTo(first) >= 0 && v.compareTo(last) <= 0;
    }

    /** Number of addresses covered; smaller is more specific. */
    public BigInteger size() {
        return last.subtract(first).add(BigInteger.ONE);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Parses an IP literal without ever touching DNS. */
    static byte[] literal(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address");
        }
        if (v4) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + s + "' is not an IP address");
                }
            }
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address");
        }
    }
}
