package io.mailflow.frontend.receive;

import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.PermissionGroup;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SessionPermissions: the rights a session holds, from its connector (exchange.md §1.4). */
class SessionPermissionsTest {

    private static ReceiveConnector demo(String name) {
        return SessionFixture.connector(name);
    }

    @Test
    void anonymousUsersGetExchangesFourAnonymousRights() {
        SessionPermissions p = SessionPermissions.grantedOn(demo("Default Frontend EX01"));
        assertFalse(p.holdsExchangeServers());
        assertEquals(EnumSet.of(SmtpPermission.SMTPSubmit, SmtpPermission.SMTPAcceptAnySender,
            SmtpPermission.SMTPAcceptAuthoritativeDomainSender, SmtpPermission.AcceptRoutingHeaders), p.granted());
        assertEquals("SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders "
            + "Set Session Permissions", p.logText());
    }

    @Test
    void anExternallySecuredConnectorMakesEverySessionAnExchangeServer() {
        SessionPermissions p = SessionPermissions.grantedOn(demo("Mailbox Delivery EX01"));
        assertTrue(p.holdsExchangeServers());
        assertTrue(p.has(SmtpPermission.SMTPSubmit));
        assertTrue(p.has(SmtpPermission.SMTPAcceptAnyRecipient));
        assertTrue(p.has(SmtpPermission.AcceptOrgHeaders));
        assertTrue(p.has(SmtpPermission.BypassAntiSpam));
    }

    @Test
    void exchangeServerAuthenticationAloneGrantsNothingBecauseMailflowCannotPerformIt() {
        ReceiveConnector c = ReceiveConnectorBuilder.from(demo("Mailbox Delivery EX01"))
            .authMechanism(Set.of(AuthMechanism.ExchangeServer)).build();
        SessionPermissions p = SessionPermissions.grantedOn(c);
        assertFalse(p.holdsExchangeServers());
        assertTrue(p.granted().isEmpty());
        assertEquals("Set Session Permissions", p.logText());
    }

    @Test
    void anonymousExtendedRightsAddSingleRights() {
        ReceiveConnector c = ReceiveConnectorBuilder.from(demo("Default Frontend EX01"))
            .permissionGroups(Set.of(PermissionGroup.None))
            .anonymousExtendedRights(Set.of("ms-exch-smtp-submit", "Ms-Exch-SMTP-Accept-Any-Recipient")).build();
        assertEquals(EnumSet.of(SmtpPermission.SMTPSubmit, SmtpPermission.SMTPAcceptAnyRecipient),
            SessionPermissions.grantedOn(c).granted());
    }
}
