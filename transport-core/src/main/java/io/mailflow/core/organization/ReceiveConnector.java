package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A receive connector (Get-ReceiveConnector) with Exchange's parameter names. The identity is
 * {@code Server\Name}, as Exchange prints it and as the logs' connector-id field carries it.
 * Defaults per connector and usage type live in {@link ReceiveConnectorDefaults}; every
 * parameter's name, range and printed form in {@link ReceiveConnectorParameters}.
 *
 * <p>Beyond Exchange's parameters it carries Sendmail's connection controls (peers.md §2):
 * {@code connectionRateThrottle} (ConnectionRateThrottle: connections accepted per second on this
 * connector, 0 = no limit), {@code maxDaemonChildren} (MaxDaemonChildren: a cap on the
 * connector's simultaneous connections, like MaxInboundConnection) and {@code accessMap}
 * (AccessMap: Sendmail access-map lines such as {@code Connect:192.0.2 OK}, stored as written).
 */
public record ReceiveConnector(
    String name,
    String server,
    TransportRole transportRole,
    List<Binding> bindings,
    List<IpRange> remoteIPRanges,
    Set<PermissionGroup> permissionGroups,
    Set<AuthMechanism> authMechanism,
    String banner,
    String fqdn,
    ProtocolLoggingLevel protocolLoggingLevel,
    boolean enabled,
    Unlimited maxInboundConnection,
    Unlimited maxInboundConnectionPerSource,
    int maxInboundConnectionPercentagePerSource,
    Unlimited messageRateLimit,
    String messageRateSource,
    Duration tarpitInterval,
    Duration authTarpitInterval,
    int maxLogonFailures,
    boolean requireTLS,
    Unlimited maxProtocolErrors,
    int maxRecipientsPerMessage,
    ByteSize maxMessageSize,
    ByteSize maxHeaderSize,
    int maxHopCount,
    int maxLocalHopCount,
    Duration connectionTimeout,
    Duration connectionInactivityTimeout,
    int maxCommandSize,
    boolean requireEHLODomain,
    boolean bareLinefeedRejectionEnabled,
    Set<String> anonymousExtendedRights,
    int connectionRateThrottle,
    Unlimited maxDaemonChildren,
    List<String> accessMap) {

    public ReceiveConnector {
        bindings = List.copyOf(bindings);
        remoteIPRanges = List.copyOf(remoteIPRanges);
        // Enum order and insertion order, so dumps and logs print the same way every run.
        permissionGroups = permissionGroups.isEmpty() ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(permissionGroups));
        authMechanism = authMechanism.isEmpty() ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(authMechanism));
        anonymousExtendedRights = Collections.unmodifiableSet(new LinkedHashSet<>(anonymousExtendedRights));
        accessMap = List.copyOf(accessMap);
    }

    /** The right that lets a session relay (exchange.md §1.3 anonymous relay pattern). */
    public static final String ACCEPT_ANY_RECIPIENT = "Ms-Exch-SMTP-Accept-Any-Recipient";

    /** {@code EX01\Default Frontend EX01}: the connector-id of the logs. */
    public String identity() {
        return server + "\\" + name;
    }
}
