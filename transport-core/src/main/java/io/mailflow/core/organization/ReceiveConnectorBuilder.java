package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Organization model: a mutable copy of a {@link ReceiveConnector}, the way Set-ReceiveConnector
 * changes some parameters of an existing connector and keeps the rest. Setters carry Exchange's
 * parameter names; {@link ReceiveConnectorDefaults} starts every connector, the loader and
 * {@link ReceiveConnectorParameters#set} override.
 */
public final class ReceiveConnectorBuilder {
    private String name;
    private String server;
    private TransportRole transportRole;
    private List<Binding> bindings;
    private List<IpRange> remoteIPRanges;
    private Set<PermissionGroup> permissionGroups;
    private Set<AuthMechanism> authMechanism;
    private String banner;
    private String fqdn;
    private ProtocolLoggingLevel protocolLoggingLevel;
    private boolean enabled;
    private Unlimited maxInboundConnection;
    private Unlimited maxInboundConnectionPerSource;
    private int maxInboundConnectionPercentagePerSource;
    private Unlimited messageRateLimit;
    private String messageRateSource;
    private Duration tarpitInterval;
    private Duration authTarpitInterval;
    private int maxLogonFailures;
    private boolean requireTLS;
    private Unlimited maxProtocolErrors;
    private int maxRecipientsPerMessage;
    private ByteSize maxMessageSize;
    private ByteSize maxHeaderSize;
    private int maxHopCount;
    private int maxLocalHopCount;
    private Duration connectionTimeout;
    private Duration connectionInactivityTimeout;
    private int maxCommandSize;
    private boolean requireEHLODomain;
    private boolean bareLinefeedRejectionEnabled;
    private Set<String> anonymousExtendedRights;
    private int connectionRateThrottle;
    private Unlimited maxDaemonChildren;
    private List<String> accessMap;

    private ReceiveConnectorBuilder(ReceiveConnector c) {
        name = c.name();
        server = c.server();
        transportRole = c.transportRole();
        bindings = c.bindings();
        remoteIPRanges = c.remoteIPRanges();
        permissionGroups = c.permissionGroups();
        authMechanism = c.authMechanism();
        banner = c.banner();
        fqdn = c.fqdn();
        protocolLoggingLevel = c.protocolLoggingLevel();
        enabled = c.enabled();
        maxInboundConnection = c.maxInboundConnection();
        maxInboundConnectionPerSource = c.maxInboundConnectionPerSource();
        maxInboundConnectionPercentagePerSource = c.maxInboundConnectionPercentagePerSource();
        messageRateLimit = c.messageRateLimit();
        messageRateSource = c.messageRateSource();
        tarpitInterval = c.tarpitInterval();
        authTarpitInterval = c.authTarpitInterval();
        maxLogonFailures = c.maxLogonFailures();
        requireTLS = c.requireTLS();
        maxProtocolErrors = c.maxProtocolErrors();
        maxRecipientsPerMessage = c.maxRecipientsPerMessage();
        maxMessageSize = c.maxMessageSize();
        maxHeaderSize = c.maxHeaderSize();
        maxHopCount = c.maxHopCount();
        maxLocalHopCount = c.maxLocalHopCount();
        connectionTimeout = c.connectionTimeout();
        connectionInactivityTimeout = c.connectionInactivityTimeout();
        maxCommandSize = c.maxCommandSize();
        requireEHLODomain = c.requireEHLODomain();
        bareLinefeedRejectionEnabled = c.bareLinefeedRejectionEnabled();
        anonymousExtendedRights = c.anonymousExtendedRights();
        connectionRateThrottle = c.connectionRateThrottle();
        maxDaemonChildren = c.maxDaemonChildren();
        accessMap = c.accessMap();
    }

    /** Starts from every parameter of {@code connector}. */
    public static ReceiveConnectorBuilder from(ReceiveConnector connector) {
        return new ReceiveConnectorBuilder(connector);
    }

    public ReceiveConnector build() {
        return new ReceiveConnector(name, server, transportRole, bindings, remoteIPRanges, permissionGroups,
            authMechanism, banner, fqdn, protocolLoggingLevel, enabled, maxInboundConnection,
            maxInboundConnectionPerSource, maxInboundConnectionPercentagePerSource, messageRateLimit,
            messageRateSource, tarpitInterval, authTarpitInterval, maxLogonFailures, requireTLS, maxProtocolErrors, maxRecipientsPerMessage, maxMessageSize,
            maxHeaderSize, maxHopCount, maxLocalHopCount, connectionTimeout, connectionInactivityTimeout,
            maxCommandSize, requireEHLODomain, bareLinefeedRejectionEnabled, anonymousExtendedRights,
            connectionRateThrottle, maxDaemonChildren, accessMap);
    }

    public ReceiveConnectorBuilder name(String v) { name = v; return this; }
    public ReceiveConnectorBuilder server(String v) { server = v; return this; }
    public ReceiveConnectorBuilder transportRole(TransportRole v) { transportRole = v; return this; }
    public ReceiveConnectorBuilder bindings(List<Binding> v) { bindings = List.copyOf(v); return this; }
    public ReceiveConnectorBuilder remoteIPRanges(List<IpRange> v) { remoteIPRanges = List.copyOf(v); return this; }
    public ReceiveConnectorBuilder permissionGroups(Set<PermissionGroup> v) { permissionGroups = new LinkedHashSet<>(v); return this; }
    public ReceiveConnectorBuilder authMechanism(Set<AuthMechanism> v) { authMechanism = new LinkedHashSet<>(v); return this; }
    /** Null restores Exchange's default banner. */
    public ReceiveConnectorBuilder banner(String v) { banner = v; return this; }
    public ReceiveConnectorBuilder fqdn(String v) { fqdn = v; return this; }
    public ReceiveConnectorBuilder protocolLoggingLevel(ProtocolLoggingLevel v) { protocolLoggingLevel = v; return this; }
    public ReceiveConnectorBuilder enabled(boolean v) { enabled = v; return this; }
    public ReceiveConnectorBuilder maxInboundConnection(Unlimited v) { maxInboundConnection = v; return this; }
    public ReceiveConnectorBuilder maxInboundConnectionPerSource(Unlimited v) { maxInboundConnectionPerSource = v; return this; }
    public ReceiveConnectorBuilder maxInboundConnectionPercentagePerSource(int v) { maxInboundConnectionPercentagePerSource = v; return this; }
    public ReceiveConnectorBuilder messageRateLimit(Unlimited v) { messageRateLimit = v; return this; }
    public ReceiveConnectorBuilder messageRateSource(String v) { messageRateSource = v; return this; }
    public ReceiveConnectorBuilder tarpitInterval(Duration v) { tarpitInterval = v; return this; }
    public ReceiveConnectorBuilder authTarpitInterval(Duration v) { authTarpitInterval = v; return this; }
    public ReceiveConnectorBuilder maxLogonFailures(int v) { maxLogonFailures = v; return this; }
    public ReceiveConnectorBuilder requireTLS(boolean v) { requireTLS = v; return this; }
    public ReceiveConnectorBuilder maxProtocolErrors(Unlimited v) { maxProtocolErrors = v; return this; }
    public ReceiveConnectorBuilder maxRecipientsPerMessage(int v) { maxRecipientsPerMessage = v; return this; }
    public ReceiveConnectorBuilder maxMessageSize(ByteSize v) { maxMessageSize = v; return this; }
    public ReceiveConnectorBuilder maxHeaderSize(ByteSize v) { maxHeaderSize = v; return this; }
    public ReceiveConnectorBuilder maxHopCount(int v) { maxHopCount = v; return this; }
    public ReceiveConnectorBuilder maxLocalHopCount(int v) { maxLocalHopCount = v; return this; }
    public ReceiveConnectorBuilder connectionTimeout(Duration v) { connectionTimeout = v; return this; }
    public ReceiveConnectorBuilder connectionInactivityTimeout(Duration v) { connectionInactivityTimeout = v; return this; }
    public ReceiveConnectorBuilder maxCommandSize(int v) { maxCommandSize = v; return this; }
    public ReceiveConnectorBuilder requireEHLODomain(boolean v) { requireEHLODomain = v; return this; }
    public ReceiveConnectorBuilder bareLinefeedRejectionEnabled(boolean v) { bareLinefeedRejectionEnabled = v; return this; }
    public ReceiveConnectorBuilder anonymousExtendedRights(Set<String> v) { anonymousExtendedRights = new LinkedHashSet<>(v); return this; }
    public ReceiveConnectorBuilder connectionRateThrottle(int v) { connectionRateThrottle = v; return this; }
    public ReceiveConnectorBuilder maxDaemonChildren(Unlimited v) { maxDaemonChildren = v; return this; }
    public ReceiveConnectorBuilder accessMap(List<String> v) { accessMap = List.copyOf(v); return this; }
}
