package io.mailflow.frontend.receive;

import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.PermissionGroup;
import io.mailflow.core.organization.ReceiveConnector;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SessionPermissions: receive connector, decided when a session opens and again when it signs in
 * ("Set Session Permissions" in Exchange's protocol log). A session holds either the rights its
 * connector grants anonymous sessions (the AnonymousUsers group and AnonymousExtendedRights) or,
 * on a connector with AuthMechanism ExternalAuthoritative and PermissionGroups ExchangeServers,
 * the ExchangeServers group's rights: the connection is "externally secured" (a trusted network),
 * so its peer counts as one of the organization's servers (exchange.md §1.4). After AUTH the
 * session is a mailbox user's: it holds the ExchangeUsers group's rights if the connector grants
 * that group, and nothing otherwise (a signed-in user is not NT AUTHORITY\ANONYMOUS LOGON).
 * Reads: PermissionGroups, AuthMechanism, AnonymousExtendedRights.
 */
public record SessionPermissions(Set<SmtpPermission> granted, boolean exchangeServers) {

    /** What the ExchangeServers group grants (exchange.md §1.4). */
    private static final Set<SmtpPermission> EXCHANGE_SERVERS = Collections.unmodifiableSet(EnumSet.of(
        SmtpPermission.SMTPSubmit, SmtpPermission.SMTPAcceptAnyRecipient, SmtpPermission.SMTPAcceptAuthenticationFlag,
        SmtpPermission.SMTPAcceptAnySender, SmtpPermission.SMTPAcceptAuthoritativeDomainSender,
        SmtpPermission.BypassAntiSpam, SmtpPermission.BypassMessageSizeLimit, SmtpPermission.SMTPAcceptEXCH50,
        SmtpPermission.AcceptRoutingHeaders, SmtpPermission.AcceptForestHeaders, SmtpPermission.AcceptOrgHeaders));

    /** What the AnonymousUsers group grants (exchange.md §1.4). */
    private static final Set<SmtpPermission> ANONYMOUS_USERS = Collections.unmodifiableSet(EnumSet.of(
        SmtpPermission.SMTPSubmit, SmtpPermission.SMTPAcceptAnySender,
        SmtpPermission.SMTPAcceptAuthoritativeDomainSender, SmtpPermission.AcceptRoutingHeaders));

    /** What the ExchangeUsers group grants (exchange.md §1.4). */
    private static final Set<SmtpPermission> EXCHANGE_USERS = Collections.unmodifiableSet(EnumSet.of(
        SmtpPermission.SMTPSubmit, SmtpPermission.SMTPAcceptAnyRecipient, SmtpPermission.BypassAntiSpam,
        SmtpPermission.AcceptRoutingHeaders));

    public SessionPermissions {
        granted = granted.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(granted));
    }

    /** The permissions of a session that opens on {@code connector}. */
    public static SessionPermissions grantedOn(ReceiveConnector connector) {
        if (connector.authMechanism().contains(AuthMechanism.ExternalAuthoritative)
            && connector.permissionGroups().contains(PermissionGroup.ExchangeServers)) {
            return new SessionPermissions(EXCHANGE_SERVERS, true);
        }
        Set<SmtpPermission> rights = EnumSet.noneOf(SmtpPermission.class);
        if (connector.permissionGroups().contains(PermissionGroup.AnonymousUsers)) {
            rights.addAll(ANONYMOUS_USERS);
        }
        for (SmtpPermission p : SmtpPermission.values()) {
            if (connector.anonymousExtendedRights().stream().anyMatch(p.extendedRight()::equalsIgnoreCase)) {
                rights.add(p);
            }
        }
        return new SessionPermissions(rights, false);
    }

    /** The permissions of a session on {@code connector} once a mailbox user signed in. */
    public static SessionPermissions forAuthenticatedUser(ReceiveConnector connector) {
        return new SessionPermissions(connector.permissionGroups().contains(PermissionGroup.ExchangeUsers)
            ? EXCHANGE_USERS : Set.of(), false);
    }

    public boolean has(SmtpPermission permission) {
        return granted.contains(permission);
    }

    /**
     * The session counts as one of the organization's servers: it keeps organization headers and
     * is stamped {@code X-MS-Exchange-Organization-AuthAs: Internal}; Exchange never tarpits it.
     */
    public boolean holdsExchangeServers() {
        return exchangeServers;
    }

    /** The protocol log's line, e.g. {@code SMTPSubmit SMTPAcceptAnySender … Set Session Permissions}. */
    public String logText() {
        return (granted.isEmpty() ? "" : granted.stream().map(Enum::name).collect(Collectors.joining(" ")) + " ")
            + "Set Session Permissions";
    }
}
