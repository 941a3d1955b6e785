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

    /**
     * Ms-Exch-SMTP-Submit for anonymous sessions: through the AnonymousUsers permission group, or
     * granted on its own. A session's whole set of rights, anonymous or externally secured, is
     * decided by the frontend's SessionPermissions.
     */
    public boolean acceptsAnonymousSubmit() {
        return permissionGroups.contains(PermissionGroup.AnonymousUsers) || grantsAnonymously("Ms-Exch-SMTP-Submit");
    }

    /**
     * Ms-Exch-SMTP-Accept-Authoritative-Domain-Sender for anonymous sessions: without it an
     * anonymous client may not send as an address of the organization's own domains
     * (exchange.md §1.4: AnonymousUsers grants it, a custom grant can too).
     */
    public boolean acceptsAnonymousAuthoritativeDomainSender() {
        return permissionGroups.contains(PermissionGroup.AnonymousUsers)
            || grantsAnonymously("Ms-Exch-SMTP-Accept-Authoritative-Domain-Sender");
    }

    private boolean grantsAnonymously(String right) {
        return anonymousExtendedRights.stream().anyMatch(right::equalsIgnoreCase);
    }

    /**
     * Ms-Exch-SMTP-Accept-Any-Recipient for anonymous sessions: granted only explicitly, as
     * {@code Add-ADPermission -User "NT AUTHORITY\ANONYMOUS LOGON" -ExtendedRights
     * Ms-Exch-SMTP-Accept-Any-Recipient} does in Exchange (config key AnonymousExtendedRights).
     */
    public boolean grantsAnonymousRelay() {
        return grantsAnonymously(ACCEPT_ANY_RECIPIENT);
    }
}
