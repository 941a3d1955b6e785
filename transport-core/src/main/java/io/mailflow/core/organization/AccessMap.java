package io.mailflow.core.organization;

import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Receive connector configuration: Sendmail's access map ({@code /etc/mail/access}), its
 * {@code Connect:} entries only, read by connection admission before any limit is counted
 * (peers.md §2, {@code Basic_check_relay}).
 *
 * <pre>
 * # comment
 * Connect:trusted.host.example   RELAY
 * Connect:192.0.2                OK          # 192.0.2.0/24: whole octets, as Sendmail strips them
 * Connect:192.0.2.7              REJECT
 * Connect:bad.example            REJECT      # bad.example and every subdomain
 * Connect:.sub.example           DISCARD     # subdomains of sub.example only (lookupdotdomain)
 * Connect:[IPv6:2001:db8::1]     OK
 * Connect:IPv6:2001:db8          OK          # IPv6 prefix, whole 16-bit groups written out
 * Connect:spam.example           ERROR:"550 5.7.1 go away"
 * Connect:slow.example           ERROR:4.7.1:"421 come back later"
 * </pre>
 *
 * <p>Lookup follows Sendmail: the client's host name first (the full name, then {@code .parent}
 * and {@code parent} for each parent domain), and only if no host entry matches, the IP address
 * (the full address, then ever shorter prefixes). The first, most specific entry wins, so
 * {@code Connect:ok.bad.example OK} beats {@code Connect:bad.example REJECT}, and a host name entry
 * beats an IP entry. Keys are case-insensitive, as {@code makemap} folds them. A duplicate key is an
 * error, as {@code makemap} reports one.
 */
public final class AccessMap {

    /** The right-hand side of an entry. DISCARD refuses a connection as REJECT does. */
    public record Action(Kind kind, Optional<SmtpReply> error) {

        public enum Kind { OK, RELAY, REJECT, DISCARD, ERROR }

        public static final Action OK = new Action(Kind.OK, Optional.empty());
        public static final Action RELAY = new Action(Kind.RELAY, Optional.empty());
        public static final Action REJECT = new Action(Kind.REJECT, Optional.empty());
        public static final Action DISCARD = new Action(Kind.DISCARD, Optional.empty());

        public Action {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(error, "error");
            if ((kind == Kind.ERROR) != error.isPresent()) {
                throw new IllegalArgumentException("only ERROR carries a reply");
            }
        }

        public static Action error(SmtpReply reply) {
            if (reply.isPositive()) {
                throw new IllegalArgumentException("an ERROR entry needs a 4xx or 5xx reply: " + reply);
            }
            return new Action(Kind.ERROR, Optional.of(reply));
        }

        /**
         * OK and RELAY: Basic_check_relay returns at once, so the client skips the checks that come
         * after it (the rate and connection controls).
         */
        public boolean exempts() {
            return kind == Kind.OK || kind == Kind.RELAY;
        }

        /** The reply that refuses the connection; empty for OK and RELAY. */
        public Optional<SmtpReply> refusal() {
            return switch (kind) {
                case OK, RELAY -> Optional.empty();
                case REJECT, DISCARD -> Optional.of(SmtpReplies.ACCESS_DENIED);
                case ERROR -> error;
            };
        }

        @Override
        public String toString() {
            return kind == Kind.ERROR ? "ERROR:\"" + error.get().toLogString() + "\"" : kind.name();
        }
    }

    /** One entry: its normalized key, its action and the line it came from. */
    public record Entry(String key, Action action, String line) {
    }

    public static final AccessMap EMPTY = new AccessMap(Map.of(), List.of());

    private static final String TAG = "connect:";
    private static final Pattern IPV4_PREFIX = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){0,3}");
    private static final Pattern IPV6_GROUPS = Pattern.compile("[0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,7}");
    private static final Pattern HOST = Pattern.compile("\\.?[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern DSN_PREFIX = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3}):(.*)", Pattern.DOTALL);
    private static final Pattern REPLY = Pattern.compile("([245]\\d\\d)(?:[ -](.*))?", Pattern.DOTALL);
    private static final Pattern ENHANCED = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3})(?: (.*))?", Pattern.DOTALL);

    private final Map<String, Entry> byKey;
    private final List<String> lines;

    private AccessMap(Map<String, Entry> byKey, List<String> lines) {
        this.byKey = Map.copyOf(byKey);
        this.lines = List.copyOf(lines);
    }

    /**
     * Reads access map lines; {@code #} comment lines and blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line number and text of the first bad line
     */
    public static AccessMap parse(List<String> lines) {
        Map<String, Entry> byKey = new HashMap<>();
        List<String> kept = new ArrayList<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                String[] parts = line.split("\\s+", 2);
                if (parts.length < 2) {
                    throw new IllegalArgumentException("a key and an action are needed");
                }
                String key = normalizeKey(parts[0]);
                Action action = parseAction(parts[1].strip());
                Entry previous = byKey.putIfAbsent(key, new Entry(key, action, line));
                if (previous != null) {
                    throw new IllegalArgumentException("duplicate key, first given as '" + previous.line() + "'");
                }
                kept.add(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "access map line " + number + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return new AccessMap(byKey, kept);
    }

    /** The action for a connecting client, most specific entry first (see the class comment). */
    public Optional<Action> lookup(InetAddress ip, Optional<String> hostname) {
        return match(ip, hostname).map(Entry::action);
    }

    /** Like {@link #lookup}, with the entry that matched (for logs and refusal reasons). */
    public Optional<Entry> match(InetAddress ip, Optional<String> hostname) {
        if (byKey.isEmpty()) {
            return Optional.empty();
        }
        for (String key : hostCandidates(hostname)) {
            Entry e = byKey.get(key);
            if (e != null) {
                return Optional.of(e);
            }
        }
        for (String key : addressCandidates(ip)) {
            Entry e = byKey.get(key);
            if (e != null) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The entries as written, in file order, without comments and blank lines. */
    public List<String> lines() {
        return lines;
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    @Override
    public String toString() {
        return "AccessMap" + lines;
    }

    private static String normalizeKey(String text) {
        if (!text.regionMatches(true, 0, TAG, 0, TAG.length())) {
            throw new IllegalArgumentException(
                "only Connect: entries belong in a connection access map (got '" + text + "')");
        }
        String k = text.substring(TAG.length()).toLowerCase(Locale.ROOT);
        if (k.isEmpty()) {
            throw new IllegalArgumentException("Connect: needs a host name or an address");
        }
        if (k.startsWith("[") && k.endsWith("]")) {
            // A bracketed address is one whole address, never a prefix (cf/README "[127.0.0.3]").
            String inner = k.substring(1, k.length() - 1);
            if (inner.startsWith("ipv6:")) {
                return ipv6Key(IpRange.literal(inner.substring(5)));
            }
            if (!IPV4_PREFIX.matcher(inner).matches() || inner.split("\\.").length != 4) {
                throw new IllegalArgumentException("'" + inner + "' is not a whole IPv4 or IPv6 address");
            }
            return ipv4Key(inner);
        }
        if (k.startsWith("ipv6:")) {
            String addr = k.substring(5);
            if (addr.contains("::") || addr.split(":").length == 8 || addr.contains(".")) {
                return ipv6Key(IpRange.literal(addr));
            }
            if (!IPV6_GROUPS.matcher(addr).matches()) {
                throw new IllegalArgumentException("'" + addr + "' is neither an IPv6 address nor a prefix of whole groups");
            }
            StringBuilder prefix = new StringBuilder("ip6:");
            String[] groups = addr.split(":");
            for (int i = 0; i < groups.length; i++) {
                prefix.append(i == 0 ? "" : ":").append(Integer.toHexString(Integer.parseInt(groups[i], 16)));
            }
            return prefix.toString();
        }
        if (IPV4_PREFIX.matcher(k).matches()) {
            return ipv4Key(k);
        }
        if (k.endsWith(".")) {
            k = k.substring(0, k.length() - 1);
        }
        if (!HOST.matcher(k).matches()) {
            throw new IllegalArgumentException("'" + k + "' is not a host name, an IPv4 prefix or IPv6:address");
        }
        return "host:" + k;
    }

    private static String ipv4Key(String dotted) {
        StringBuilder key = new StringBuilder("ip4:");
        String[] octets = dotted.split("\\.");
        for (int i = 0; i < octets.length; i++) {
            int o = Integer.parseInt(octets[i]);
            if (o > 255) {
                throw new IllegalArgumentException("octet " + o + " is above 255");
            }
            key.append(i == 0 ? "" : ".").append(o);
        }
        return key.toString();
    }

    private static String ipv6Key(byte[] raw) {
        if (raw.length != 16) {
            // IpRange.literal turns ::ffff:a.b.c.d into IPv4, as InetAddress does for clients.
            return ipv4Key(dottedQuad(raw));
        }
        return "ip6:" + String.join(":", ipv6Groups(raw));
    }

    private static List<String> ipv6Groups(byte[] raw) {
        List<String> groups = new ArrayList<>(8);
        for (int i = 0; i < 16; i += 2) {
            groups.add(Integer.toHexString(((raw[i] & 0xff) << 8) | (raw[i + 1] & 0xff)));
        }
        return groups;
    }

    private static List<String> hostCandidates(Optional<String> hostname) {
        List<String> keys = new ArrayList<>();
        if (hostname.isEmpty() || hostname.get().isBlank()) {
            return keys;
        }
        String h = hostname.get().strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.startsWith("[")) {
            // Sendmail's {client_name} is "[a.b.c.d]" when reverse DNS failed: not a host name.
            return keys;
        }
        keys.add("host:" + h);
        int dot = h.indexOf('.');
        while (dot >= 0) {
            String parent = h.substring(dot + 1);
            keys.add("host:." + parent);
            keys.add("host:" + parent);
            dot = h.indexOf('.', dot + 1);
        }
        return keys;
    }

    private static List<String> addressCandidates(InetAddress ip) {
        List<String> keys = new ArrayList<>();
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet6Address) {
            List<String> groups = ipv6Groups(raw);
            for (int n = 8; n >= 1; n--) {
                keys.add("ip6:" + String.join(":", groups.subList(0, n)));
            }
        } else {
            String[] octets = dottedQuad(raw).split("\\.");
            for (int n = 4; n >= 1; n--) {
                keys.add("ip4:" + String.join(".", List.of(octets).subList(0, n)));
            }
        }
        return keys;
    }

    private static Action parseAction(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "OK":
                return Action.OK;
            case "RELAY":
                return Action.RELAY;
            case "REJECT":
                return Action.REJECT;
            case "DISCARD":
                return Action.DISCARD;
            default:
                break;
        }
        if (!upper.startsWith("ERROR:")) {
            throw new IllegalArgumentException("unknown action '" + value
                + "' (OK, RELAY, REJECT, DISCARD or ERROR:\"550 5.7.1 text\")");
        }
        return Action.error(parseError(value.substring("ERROR:".length()).strip()));
    }

    /** {@code ERROR:"550 5.7.1 text"}, {@code ERROR:550 text} or {@code ERROR:5.7.1:"550 text"} (cf/README). */
    private static SmtpReply parseError(String value) {
        String enhanced = null;
        Matcher dsn = DSN_PREFIX.matcher(value);
        if (dsn.matches()) {
            enhanced = dsn.group(1);
            value = dsn.group(2).strip();
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).strip();
        }
        Matcher reply = REPLY.matcher(value);
        if (!reply.matches()) {
            throw new IllegalArgumentException("ERROR needs a 4xx or 5xx reply code, e.g. ERROR:\"550 5.7.1 go away\"");
        }
        int code = Integer.parseInt(reply.group(1));
        if (code < 400) {
            throw new IllegalArgumentException("ERROR needs a 4xx or 5xx reply code, not " + code);
        }
        String text = reply.group(2) == null ? "" : reply.group(2).strip();
        Matcher inline = ENHANCED.matcher(text);
        if (enhanced == null && inline.matches()) {
            enhanced = inline.group(1);
            text = inline.group(2) == null ? "" : inline.group(2).strip();
        }
        if (enhanced != null && enhanced.charAt(0) != reply.group(1).charAt(0)) {
            throw new IllegalArgumentException("enhanced code " + enhanced + " does not match reply code " + code);
        }
        return SmtpReply.of(code, enhanced, text.isEmpty() ? SmtpReplies.ACCESS_DENIED.lines().get(0) : text);
    }

    /** Dotted-quad text of the last four bytes, without a DNS lookup. */
    private static String dottedQuad(byte[] raw) {
        int off = raw.length - 4;
        return (raw[off] & 0xff) + "." + (raw[off + 1] & 0xff) + "." + (raw[off + 2] & 0xff) + "."
            + (raw[off + 3] & 0xff);
    }
}
