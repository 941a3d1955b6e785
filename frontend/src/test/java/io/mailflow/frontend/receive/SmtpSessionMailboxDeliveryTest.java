package io.mailflow.frontend.receive;

import io.mailflow.core.organization.AuthMechanism;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SmtpSession on the Mailbox Delivery connector (port 475): externally secured sessions are the
 * organization's servers and may hand over mail for the mailboxes active here; anyone else
 * gets Exchange's 530.
 */
class SmtpSessionMailboxDeliveryTest {

    private static SessionFixture trusted() {
        return SessionFixture.on("Mailbox Delivery EX01", b -> b);
    }

    @Test
    void theSessionSaysItHoldsTheExchangeServersPermissions() {
        SessionFixture s = trusted();
        s.connect();
        assertTrue(s.last().notes().get(0).startsWith("SMTPSubmit SMTPAcceptAnyRecipient"), s.last().notes().toString());
        assertTrue(s.last().notes().get(0).endsWith("AcceptOrgHeaders Set Session Permissions"));
    }

    @Test
    void aLocalMailboxIsAcceptedAndAnUnknownOneRefusedWithoutTarpit() {
        SessionFixture s = trusted().greeted();
        assertEquals(List.of("250 2.1.0 Sender OK"), s.send("MAIL FROM:<someone@fabrikam.example>"));
        assertEquals(List.of("250 2.1.5 Recipient OK"), s.send("RCPT TO:<kate@contoso.test>"));
        assertEquals(List.of("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"), s.send("RCPT TO:<nobody@contoso.test>"));
        assertEquals(Duration.ZERO, s.last().delay());
        assertTrue(s.last().notes().get(0).contains("nobody@contoso.test is not the primary SMTP address of a mailbox"));
        assertEquals(List.of("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"), s.send("RCPT TO:<someone@fabrikam.example>"));
    }

    @Test
    void theMessageCarriesTheSessionsPermissions() {
        SessionFixture s = trusted().greeted();
        s.send("MAIL FROM:<someone@fabrikam.example>");
        s.send("RCPT TO:<kate@contoso.test>");
        s.send("DATA");
        s.data("Subject: x\r\n\r\nbody\r\n.\r\n");
        assertTrue(s.submitted().permissions().holdsExchangeServers());
    }

    @Test
    void withoutExternalAuthoritativeAnonymousSessionsGetExchanges530() {
        SessionFixture s = SessionFixture.on("Mailbox Delivery EX01", b -> b.authMechanism(Set.of(AuthMechanism.ExchangeServer)));
        s.greeted();
        assertEquals(List.of("530 5.7.1 Client was not authenticated"), s.send("MAIL FROM:<someone@fabrikam.example>"));
        assertEquals(Duration.ofSeconds(5), s.last().delay());
    }
}
