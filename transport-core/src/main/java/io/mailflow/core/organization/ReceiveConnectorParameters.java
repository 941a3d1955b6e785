package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.params.ParamTable;
import io.mailflow.core.params.Unlimited;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Organization model: every receive connector parameter, declared once (STYLE.md §4), in the
 * order {@code Get-ReceiveConnector | fl} prints them. The HOCON loader reads connector entries
 * through this table, and the admin shell's Get-, Set- and New-ReceiveConnector use the same one,
 * so both accept the same value forms ({@code unlimited}, {@code 10MB}, {@code 00:05:00},
 * {@code $true}, {@code AnonymousUsers,ExchangeServers}) with the same ranges and problem texts
 * ({@code MaxInboundConnectionPerSource: 0 is outside the range 1-10000 or unlimited}), and print
 * values as Exchange does ({@code 36 MB (37,748,736 bytes)}, {@code {[::]:25, 0.0.0.0:25}}).
 * Ranges and defaults: exchange.md §1.1-§1.2; Sendmail's controls: peers.md §2.
 */
public final class ReceiveConnectorParameters {

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final Duration ONE_DAY = Duration.ofDays(1);

    /** MessageRateSource values (exchange.md §1.1). */
    public static final List<String> MESSAGE_RATE_SOURCES = List.of("None", "IPAddress", "User", "All");

    /** Extended rights of the permission groups (exchange.md §1.4), as Add-ADPermission spells them. */
    public static final List<String> EXTENDED_RIGHTS = List.of("Ms-Exch-SMTP-Submit",
        "Ms-Exch-SMTP-Accept-Any-Recipient", "Ms-Exch-SMTP-Accept-Any-Sender",
        "Ms-Exch-SMTP-Accept-Authoritative-Domain-Sender", "Ms-Exch-SMTP-Accept-Authentication-Flag",
        "Ms-Exch-SMTP-Accept-Exch50", "Ms-Exch-Accept-Headers-Routing", "Ms-Exch-Accept-Headers-Organization",
        "Ms-Exch-Accept-Headers-Forest", "Ms-Exch-Bypass-Anti-Spam", "Ms-Exch-Bypass-Message-Size-Limit");

    /** Set-ReceiveConnector parameters Mailflow knows but does not act on yet: named as such, not as typos. */
    public static final List<String> NOT_IMPLEMENTED = List.of(
        "MaxAcknowledgementDelay", "EnableAuthGSSAPI", "SizeEnabled",
        "PipeliningEnabled", "ChunkingEnabled", "BinaryMimeEnabled", "EightBitMimeEnabled",
        "EnhancedStatusCodesEnabled", "DeliveryStatusNotificationEnabled", "DomainSecureEnabled",
        "LongAddressesEnabled", "OrarEnabled", "SuppressXAnonymousTls", "SmtpUtf8Enabled", "Comment",
        "DefaultDomain", "TlsCertificateName", "TlsDomainCapabilities", "ExtendedProtectionPolicy",
        "AdvertiseClientSettings", "RejectReservedTopLevelRecipientDomains",
        "RejectReservedSecondLevelRecipientDomains", "RejectSingleLabelRecipientDomains");

    /**
     * One Sendmail access-map line for the connect stage (cf/README): {@code Connect:} with a host
     * name, an IP address or IP prefix ({@code 192.0.2}), or {@code IPv6:...} / {@code [IPv6:...]},
     * then OK, RELAY, REJECT, DISCARD or {@code ERROR:"550 text"} (an optional {@code 5.7.1:} DSN
     * code before the reply code).
     */
    private static final Pattern ACCESS_MAP_LINE = Pattern.compile(
        "Connect:(?<key>\\[IPv6:[0-9A-Fa-f:.]+]|IPv6:[0-9A-Fa-f:.]+"
            + "|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)"
            + "[ \\t]+(?<action>OK|RELAY|REJECT|DISCARD|ERROR:\"(?:[45]\\.\\d{1,3}\\.\\d{1,3}:)?[45]\\d\\d(?: [^\"]*)?\")");

    // ---- the parameters, in Format-List order --------------------------------------------

    /** Delay of the reply to a failed AUTH attempt; 00:00:00 turns it off. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Duration> AUTH_TARPIT_INTERVAL =
        Param.of("AuthTarpitInterval", Forms.timeSpan(Duration.ZERO, Duration.ofMinutes(10)),
            ReceiveConnectorDefaults.AUTH_TARPIT_INTERVAL,
            ReceiveConnector::authTarpitInterval, ReceiveConnectorBuilder::authTarpitInterval);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Set<AuthMechanism>> AUTH_MECHANISM =
        Param.of("AuthMechanism", Forms.flags(AuthMechanism.class)
                .checkWhole(s -> !(s.contains(AuthMechanism.None) && s.size() > 1),
                    s -> "None cannot be combined with other mechanisms"),
            null, ReceiveConnector::authMechanism, ReceiveConnectorBuilder::authMechanism);

    /** The 220 greeting; $null (HOCON null) restores Exchange's own banner. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, String> BANNER =
        Param.of("Banner", Forms.text().check(b -> b.startsWith("220"),
                b -> "a banner must start with 220, as in \"220 mail.contoso.test ESMTP\""),
            null, ReceiveConnector::banner, ReceiveConnectorBuilder::banner).nullable();

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, List<Binding>> BINDINGS =
        Param.of("Bindings", Forms.list(ReceiveConnectorParameters::binding, Binding::toString,
                "at least one binding such as 0.0.0.0:25 is required"),
            null, ReceiveConnector::bindings, ReceiveConnectorBuilder::bindings);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Boolean> BARE_LINEFEED_REJECTION_ENABLED =
        Param.of("BareLinefeedRejectionEnabled", Forms.bool(), ReceiveConnectorDefaults.BARE_LINEFEED_REJECTION_ENABLED,
            ReceiveConnector::bareLinefeedRejectionEnabled, ReceiveConnectorBuilder::bareLinefeedRejectionEnabled);

    /** Name in the banner, the EHLO reply and Received headers; defaults to the server's FQDN. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, String> FQDN =
        Param.of("Fqdn", Forms.text().check(ReceiveConnectorParameters::isDomainName,
                f -> "'" + f + "' is not a fully qualified domain name"),
            null, ReceiveConnector::fqdn, ReceiveConnectorBuilder::fqdn);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Boolean> ENABLED =
        Param.of("Enabled", Forms.bool(), ReceiveConnectorDefaults.ENABLED,
            ReceiveConnector::enabled, ReceiveConnectorBuilder::enabled);

    /** Whole session, even while data flows; must exceed ConnectionInactivityTimeout. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Duration> CONNECTION_TIMEOUT =
        Param.of("ConnectionTimeout", Forms.timeSpan(Duration.ofSeconds(1), ONE_DAY),
            ReceiveConnectorDefaults.CONNECTION_TIMEOUT,
            ReceiveConnector::connectionTimeout, ReceiveConnectorBuilder::connectionTimeout);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Duration> CONNECTION_INACTIVITY_TIMEOUT =
        Param.of("ConnectionInactivityTimeout", Forms.timeSpan(Duration.ofSeconds(1), ONE_DAY),
            ReceiveConnectorDefaults.CONNECTION_INACTIVITY_TIMEOUT,
            ReceiveConnector::connectionInactivityTimeout, ReceiveConnectorBuilder::connectionInactivityTimeout);

    /** Messages per minute from one source (see MessageRateSource). */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Unlimited> MESSAGE_RATE_LIMIT =
        Param.of("MessageRateLimit", Forms.unlimited(1, INT_MAX), ReceiveConnectorDefaults.MESSAGE_RATE_LIMIT,
            ReceiveConnector::messageRateLimit, ReceiveConnectorBuilder::messageRateLimit);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, String> MESSAGE_RATE_SOURCE =
        Param.of("MessageRateSource", Forms.oneOf(MESSAGE_RATE_SOURCES), ReceiveConnectorDefaults.MESSAGE_RATE_SOURCE,
            ReceiveConnector::messageRateSource, ReceiveConnectorBuilder::messageRateSource);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Unlimited> MAX_INBOUND_CONNECTION =
        Param.of("MaxInboundConnection", Forms.unlimited(1, INT_MAX), ReceiveConnectorDefaults.MAX_INBOUND_CONNECTION,
            ReceiveConnector::maxInboundConnection, ReceiveConnectorBuilder::maxInboundConnection);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Unlimited> MAX_INBOUND_CONNECTION_PER_SOURCE =
        Param.of("MaxInboundConnectionPerSource", Forms.unlimited(1, 10000),
            ReceiveConnectorDefaults.MAX_INBOUND_CONNECTION_PER_SOURCE,
            ReceiveConnector::maxInboundConnectionPerSource, ReceiveConnectorBuilder::maxInboundConnectionPerSource);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE =
        Param.of("MaxInboundConnectionPercentagePerSource", Forms.integer(1, 100),
            ReceiveConnectorDefaults.MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE,
            ReceiveConnector::maxInboundConnectionPercentagePerSource,
            ReceiveConnectorBuilder::maxInboundConnectionPercentagePerSource);

    /** Failed AUTH attempts before the connection is closed; 0 never closes it. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> MAX_LOGON_FAILURES =
        Param.of("MaxLogonFailures", Forms.integer(0, 10), ReceiveConnectorDefaults.MAX_LOGON_FAILURES,
            ReceiveConnector::maxLogonFailures, ReceiveConnectorBuilder::maxLogonFailures);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, ByteSize> MAX_HEADER_SIZE =
        Param.of("MaxHeaderSize", Forms.byteSize(1, INT_MAX), ReceiveConnectorDefaults.MAX_HEADER_SIZE,
            ReceiveConnector::maxHeaderSize, ReceiveConnectorBuilder::maxHeaderSize);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> MAX_HOP_COUNT =
        Param.of("MaxHopCount", Forms.integer(1, 500), ReceiveConnectorDefaults.MAX_HOP_COUNT,
            ReceiveConnector::maxHopCount, ReceiveConnectorBuilder::maxHopCount);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> MAX_LOCAL_HOP_COUNT =
        Param.of("MaxLocalHopCount", Forms.integer(0, 50), ReceiveConnectorDefaults.MAX_LOCAL_HOP_COUNT,
            ReceiveConnector::maxLocalHopCount, ReceiveConnectorBuilder::maxLocalHopCount);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, ByteSize> MAX_MESSAGE_SIZE =
        Param.of("MaxMessageSize", Forms.byteSize(65536, INT_MAX), ReceiveConnectorDefaults.MAX_MESSAGE_SIZE,
            ReceiveConnector::maxMessageSize, ReceiveConnectorBuilder::maxMessageSize);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Unlimited> MAX_PROTOCOL_ERRORS =
        Param.of("MaxProtocolErrors", Forms.unlimited(0, INT_MAX), ReceiveConnectorDefaults.MAX_PROTOCOL_ERRORS,
            ReceiveConnector::maxProtocolErrors, ReceiveConnectorBuilder::maxProtocolErrors);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> MAX_RECIPIENTS_PER_MESSAGE =
        Param.of("MaxRecipientsPerMessage", Forms.integer(1, 512000), ReceiveConnectorDefaults.MAX_RECIPIENTS_PER_MESSAGE,
            ReceiveConnector::maxRecipientsPerMessage, ReceiveConnectorBuilder::maxRecipientsPerMessage);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Set<PermissionGroup>> PERMISSION_GROUPS =
        Param.of("PermissionGroups", Forms.flags(PermissionGroup.class)
                .checkWhole(s -> !(s.contains(PermissionGroup.None) && s.size() > 1),
                    s -> "None cannot be combined with other permission groups"),
            null, ReceiveConnector::permissionGroups, ReceiveConnectorBuilder::permissionGroups);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, ProtocolLoggingLevel> PROTOCOL_LOGGING_LEVEL =
        Param.of("ProtocolLoggingLevel", Forms.enumeration(ProtocolLoggingLevel.class),
            ReceiveConnectorDefaults.PROTOCOL_LOGGING_LEVEL,
            ReceiveConnector::protocolLoggingLevel, ReceiveConnectorBuilder::protocolLoggingLevel);

    /** Single addresses, ranges a-b or CIDR blocks; the most specific match wins. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, List<IpRange>> REMOTE_IP_RANGES =
        Param.of("RemoteIPRanges", Forms.list(IpRange::parse, IpRange::toString,
                "at least one range such as 192.0.2.0/24 is required"),
            null, ReceiveConnector::remoteIPRanges, ReceiveConnectorBuilder::remoteIPRanges);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Boolean> REQUIRE_EHLO_DOMAIN =
        Param.of("RequireEHLODomain", Forms.bool(), ReceiveConnectorDefaults.REQUIRE_EHLO_DOMAIN,
            ReceiveConnector::requireEHLODomain, ReceiveConnectorBuilder::requireEHLODomain);

    /** Every message must arrive over TLS (STARTTLS before MAIL FROM); needs AuthMechanism Tls. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Boolean> REQUIRE_TLS =
        Param.of("RequireTLS", Forms.bool(), ReceiveConnectorDefaults.REQUIRE_TLS,
            ReceiveConnector::requireTLS, ReceiveConnectorBuilder::requireTLS);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, String> SERVER =
        Param.readOnly("Server", Forms.text(), ReceiveConnector::server);

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, TransportRole> TRANSPORT_ROLE =
        Param.of("TransportRole", Forms.enumeration(TransportRole.class), null,
            ReceiveConnector::transportRole, ReceiveConnectorBuilder::transportRole);

    /** Delay of replies to a suspected abuser; 00:00:00 turns it off. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Duration> TARPIT_INTERVAL =
        Param.of("TarpitInterval", Forms.timeSpan(Duration.ZERO, ONE_DAY), ReceiveConnectorDefaults.TARPIT_INTERVAL,
            ReceiveConnector::tarpitInterval, ReceiveConnectorBuilder::tarpitInterval);

    // Mailflow's own parameters, after Exchange's.

    /** Mailflow's command line limit in octets; RFC 5321 asks for at least 512. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> MAX_COMMAND_SIZE =
        Param.of("MaxCommandSize", Forms.integer(512, 65536), ReceiveConnectorDefaults.MAX_COMMAND_SIZE,
            ReceiveConnector::maxCommandSize, ReceiveConnectorBuilder::maxCommandSize);

    /** Rights granted to NT AUTHORITY\ANONYMOUS LOGON, as Add-ADPermission -ExtendedRights grants them. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, List<String>> ANONYMOUS_EXTENDED_RIGHTS =
        Param.of("AnonymousExtendedRights", Forms.list(ReceiveConnectorParameters::extendedRight, r -> r, null),
            List.of(), c -> List.copyOf(c.anonymousExtendedRights()),
            (b, v) -> b.anonymousExtendedRights(new LinkedHashSet<>(v)));

    /** Sendmail's ConnectionRateThrottle: connections accepted per second on this connector; 0 = no limit. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Integer> CONNECTION_RATE_THROTTLE =
        Param.of("ConnectionRateThrottle", Forms.integer(0, Integer.MAX_VALUE),
            ReceiveConnectorDefaults.CONNECTION_RATE_THROTTLE,
            ReceiveConnector::connectionRateThrottle, ReceiveConnectorBuilder::connectionRateThrottle);

    /** Sendmail's MaxDaemonChildren: a cap on the connector's simultaneous connections (Sendmail's 0 is unlimited). */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, Unlimited> MAX_DAEMON_CHILDREN =
        Param.of("MaxDaemonChildren", Forms.unlimited(1, INT_MAX), ReceiveConnectorDefaults.MAX_DAEMON_CHILDREN,
            ReceiveConnector::maxDaemonChildren, ReceiveConnectorBuilder::maxDaemonChildren);

    /** Sendmail access-map lines for the connect stage, e.g. {@code Connect:192.0.2 OK}. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, List<String>> ACCESS_MAP =
        Param.of("AccessMap", Forms.list(ReceiveConnectorParameters::accessMapLine, l -> l, null),
            ReceiveConnectorDefaults.ACCESS_MAP, ReceiveConnector::accessMap, ReceiveConnectorBuilder::accessMap);

    // Read-only properties that close Exchange's listing.

    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, String> NAME =
        Param.readOnly("Name", Forms.text(), ReceiveConnector::name);

    /** {@code EX01\Default Frontend EX01}. */
    public static final Param<ReceiveConnector, ReceiveConnectorBuilder, String> IDENTITY =
        Param.readOnly("Identity", Forms.text(), ReceiveConnector::identity);

    /** The table: Format-List order, the names Mailflow does not implement, and the cross-parameter rules. */
    public static final ParamTable<ReceiveConnector, ReceiveConnectorBuilder> TABLE = new ParamTable<>(List.of(
        AUTH_MECHANISM, AUTH_TARPIT_INTERVAL, BANNER, BINDINGS, BARE_LINEFEED_REJECTION_ENABLED, FQDN, ENABLED,
        CONNECTION_TIMEOUT, CONNECTION_INACTIVITY_TIMEOUT, MESSAGE_RATE_LIMIT, MESSAGE_RATE_SOURCE,
        MAX_INBOUND_CONNECTION, MAX_INBOUND_CONNECTION_PER_SOURCE, MAX_INBOUND_CONNECTION_PERCENTAGE_PER_SOURCE,
        MAX_LOGON_FAILURES, MAX_HEADER_SIZE, MAX_HOP_COUNT, MAX_LOCAL_HOP_COUNT, MAX_MESSAGE_SIZE, MAX_PROTOCOL_ERRORS,
        MAX_RECIPIENTS_PER_MESSAGE, PERMISSION_GROUPS, PROTOCOL_LOGGING_LEVEL, REMOTE_IP_RANGES,
        REQUIRE_EHLO_DOMAIN, REQUIRE_TLS, SERVER, TRANSPORT_ROLE, TARPIT_INTERVAL,
        MAX_COMMAND_SIZE, ANONYMOUS_EXTENDED_RIGHTS, CONNECTION_RATE_THROTTLE, MAX_DAEMON_CHILDREN, ACCESS_MAP,
        NAME, IDENTITY),
        NOT_IMPLEMENTED, ReceiveConnectorBuilder::from, ReceiveConnectorBuilder::build,
        ReceiveConnectorParameters::check);

    private ReceiveConnectorParameters() {
    }

    /** Every parameter and read-only property, in Format-List order. */
    public static List<Param<ReceiveConnector, ReceiveConnectorBuilder, ?>> all() {
        return TABLE.all();
    }

    /** The parameter or property named {@code name} in any case. */
    public static Optional<Param<ReceiveConnector, ReceiveConnectorBuilder, ?>> byName(String name) {
        return TABLE.byName(name);
    }

    /** Format-List: every property of {@code connector}, in order, printed as Exchange prints it. */
    public static Map<String, String> toDisplay(ReceiveConnector connector) {
        return TABLE.toDisplay(connector);
    }

    /**
     * Set-ReceiveConnector on one connector: applies every change or none.
     *
     * @param changes parameter names (any case) to values in their text forms
     * @throws ParamException with every problem, one {@code Parameter: message} line each
     */
    public static ReceiveConnector set(ReceiveConnector connector, Map<String, String> changes) {
        return TABLE.set(connector, changes);
    }

    /**
     * Set-ReceiveConnector with the server's other connectors in view: a change of Bindings or
     * RemoteIPRanges must not make two connectors on one binding accept the same clients.
     *
     * @param others the organization's connectors; the one being changed (same identity) is skipped
     */
    public static ReceiveConnector set(ReceiveConnector connector, Map<String, String> changes,
                                       List<ReceiveConnector> others) {
        return TABLE.set(connector, changes, (changed, given) -> {
            if (!given.contains(BINDINGS.name()) && !given.contains(REMOTE_IP_RANGES.name())) {
                return List.of();
            }
            String key = given.contains(REMOTE_IP_RANGES.name()) ? REMOTE_IP_RANGES.name() : BINDINGS.name();
            List<ParamProblem> problems = new ArrayList<>();
            for (ReceiveConnector other : others) {
                if (!other.identity().equalsIgnoreCase(connector.identity())) {
                    bindingClash(other, changed).ifPresent(m -> problems.add(new ParamProblem(key, m)));
                }
            }
            return problems;
        });
    }

    /**
     * The cross-parameter rules of Set-ReceiveConnector (exchange.md §1.1): AuthMechanism
     * combinations, and ConnectionTimeout greater than ConnectionInactivityTimeout.
     *
     * @param given the parameters just set, so the problem lands on the one the administrator wrote
     */
    public static List<ParamProblem> check(ReceiveConnector c, Set<String> given) {
        List<ParamProblem> problems = new ArrayList<>();
        Set<AuthMechanism> auth = c.authMechanism();
        String am = AUTH_MECHANISM.name();
        if (auth.contains(AuthMechanism.BasicAuthRequireTLS)
            && !(auth.contains(AuthMechanism.BasicAuth) && auth.contains(AuthMechanism.Tls))) {
            problems.add(new ParamProblem(am, "BasicAuthRequireTLS needs BasicAuth and Tls as well"));
        }
        if (auth.contains(AuthMechanism.ExternalAuthoritative)) {
            if (!auth.equals(EnumSet.of(AuthMechanism.ExternalAuthoritative))
                && !auth.equals(EnumSet.of(AuthMechanism.ExternalAuthoritative, AuthMechanism.Tls))) {
                problems.add(new ParamProblem(am, "ExternalAuthoritative can only be combined with Tls"));
            }
            if (!c.permissionGroups().equals(EnumSet.of(PermissionGroup.ExchangeServers))) {
                problems.add(new ParamProblem(am, "ExternalAuthoritative requires PermissionGroups = ExchangeServers"));
            }
        }
        if (c.requireTLS() && !auth.contains(AuthMechanism.Tls)) {
            problems.add(new ParamProblem(given.contains(REQUIRE_TLS.name()) ? REQUIRE_TLS.name() : am,
                "RequireTLS $true needs AuthMechanism Tls"));
        }
        if (c.connectionTimeout().compareTo(c.connectionInactivityTimeout()) <= 0) {
            String key = given.contains(CONNECTION_TIMEOUT.name()) || !given.contains(CONNECTION_INACTIVITY_TIMEOUT.name())
                ? CONNECTION_TIMEOUT.name() : CONNECTION_INACTIVITY_TIMEOUT.name();
            problems.add(new ParamProblem(key, "ConnectionTimeout " + CONNECTION_TIMEOUT.display(c)
                + " must be greater than ConnectionInactivityTimeout " + CONNECTION_INACTIVITY_TIMEOUT.display(c)));
        }
        return problems;
    }

    /**
     * Why {@code connector} cannot listen beside {@code other}: both on one server, sharing an
     * address and port, and their RemoteIPRanges not telling clients apart (a range given to both,
     * or two ranges that overlap without one containing the other, so no match is most specific).
     *
     * @return the problem of {@code connector}, e.g. {@code shares binding 127.0.0.1:10025 with
     *         Default Frontend EX01 and both accept 0.0.0.0-255.255.255.255; connectors on one
     *         binding need distinct RemoteIPRanges}, or empty when they can coexist
     */
    public static Optional<String> bindingClash(ReceiveConnector other, ReceiveConnector connector) {
        if (!other.server().equalsIgnoreCase(connector.server())) {
            return Optional.empty();
        }
        Binding shared = sharedBinding(other, connector);
        if (shared == null) {
            return Optional.empty();
        }
        String clash = rangeClash(other.remoteIPRanges(), connector.remoteIPRanges());
        if (clash == null) {
            return Optional.empty();
        }
        return Optional.of("shares binding " + shared + " with " + other.name() + " and " + clash
            + "; connectors on one binding need distinct RemoteIPRanges");
    }

    /** A host name, as Fqdn and the server's Fqdn must be. */
    static boolean isDomainName(String s) {
        return SmtpAddress.parse("postmaster@" + s, true).isPresent() && !s.startsWith("[");
    }

    static boolean isIpLiteral(String s) {
        try {
            IpRange.literal(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Binding binding(String text) {
        Binding b = Binding.parse(text);
        if (!isIpLiteral(b.address())) {
            throw new IllegalArgumentException("'" + b.address() + "' is not an IP address");
        }
        return b;
    }

    private static String extendedRight(String text) {
        String canonical = Forms.canonical(EXTENDED_RIGHTS, text);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown extended right '" + text + "'; did you mean "
                + Forms.closest(EXTENDED_RIGHTS, text) + "?");
        }
        return canonical;
    }

    /** Checks one access-map line's syntax; the line is kept exactly as written (trimmed). */
    static String accessMapLine(String text) {
        String line = text.trim();
        Matcher m = ACCESS_MAP_LINE.matcher(line);
        boolean ok = m.matches();
        if (ok && m.group("key").matches("[0-9.]+")) {
            // An IPv4 address or prefix: one to four octets, each at most 255.
            String[] octets = m.group("key").split("\\.");
            ok = octets.length <= 4 && Arrays.stream(octets).allMatch(o -> o.length() <= 3 && Integer.parseInt(o) <= 255);
        }
        if (!ok) {
            throw new IllegalArgumentException("'" + text + "' is not an access map line such as Connect:192.0.2 OK "
                + "(Connect:<host, IP address, IP prefix or [IPv6:...]> then OK, RELAY, REJECT, DISCARD "
                + "or ERROR:\"550 text\")");
        }
        return line;
    }

    private static Binding sharedBinding(ReceiveConnector a, ReceiveConnector b) {
        for (Binding x : a.bindings()) {
            for (Binding y : b.bindings()) {
                if (x.port() == y.port() && sameAddress(x.address(), y.address())) {
                    return y;
                }
            }
        }
        return null;
    }

    private static boolean sameAddress(String x, String y) {
        byte[] a = IpRange.literal(x);
        byte[] b = IpRange.literal(y);
        if (a.length != b.length) {
            return false;
        }
        return Arrays.equals(a, b) || isAny(a) || isAny(b);
    }

    private static boolean isAny(byte[] address) {
        for (byte v : address) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static String rangeClash(List<IpRange> as, List<IpRange> bs) {
        for (IpRange a : as) {
            for (IpRange b : bs) {
                if (a.family() != b.family()) {
                    continue;
                }
                boolean overlap = a.first().compareTo(b.last()) <= 0 && b.first().compareTo(a.last()) <= 0;
                if (!overlap) {
                    continue;
                }
                boolean same = a.first().equals(b.first()) && a.last().equals(b.last());
                boolean nested = (a.first().compareTo(b.first()) <= 0 && a.last().compareTo(b.last()) >= 0)
                    || (b.first().compareTo(a.first()) <= 0 && b.last().compareTo(a.last()) >= 0);
                if (same) {
                    return "both accept " + b;
                }
                if (!nested) {
                    return "its range " + b + " partly overlaps " + a;
                }
            }
        }
        return null;
    }
}
