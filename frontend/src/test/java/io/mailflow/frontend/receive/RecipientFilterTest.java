package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.frontend.receive.RecipientFilter.Reason;
import io.mailflow.frontend.receive.RecipientFilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Recipient validation and the Recipient Block list at RCPT TO (seed 002). */
class RecipientFilterTest {

    private static final Organization ORG = OrganizationLoader.parse("""
        Organization { Name = "Contoso" }
        AcceptedDomains = [
          { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true }
          { Name = "fabrikam.test", DomainName = "fabrikam.test", DomainType = InternalRelay }
          { Name = "tailspin.test", DomainName = "tailspin.test", DomainType = ExternalRelay }
        ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test", Site = "Default-First-Site-Name" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [
          { Name = "Kate Smith", Alias = kate, Database = DB01,
            EmailAddresses = ["SMTP:kate@contoso.test", "smtp:k.smith@contoso.test"] }
          { Name = "Administrator", Alias = administrator, Database = DB01 }
        ]
        DistributionGroups = [
          { Name = "All Staff", Alias = all-staff, EmailAddresses = ["SMTP:all-staff@contoso.test"], Members = [kate] }
        ]
        """, "test.conf");

    private static final Verdict ACCEPT = Verdict.Accept.INSTANCE;
    private static final Verdict UNKNOWN = new Verdict.Reject(SmtpReplies.USER_UNKNOWN, Reason.RecipientNotInDirectory);
    private static final Verdict BLOCKED = new Verdict.Reject(SmtpReplies.USER_UNKNOWN, Reason.BlockedRecipient);

    private static Verdict check(RecipientFilter filter, String recipient) {
        return filter.check(SmtpAddress.of(recipient));
    }

    @Test
    void validationRefusesWhatTheDirectoryDoesNotKnow() {
        RecipientFilter filter = new RecipientFilter(true, true, false, List.of(), ORG);
        assertEquals(ACCEPT, check(filter, "kate@contoso.test"));
        assertEquals(ACCEPT, check(filter, "K.Smith@Contoso.TEST"), "proxy addresses, in any case");
        assertEquals(ACCEPT, check(filter, "administrator@contoso.test"), "address from the default policy");
        assertEquals(ACCEPT, check(filter, "all-staff@contoso.test"), "groups are in the directory too");
        assertEquals(UNKNOWN, check(filter, "nobody@contoso.test"));
        assertEquals(UNKNOWN, check(filter, "support@contoso.test"));
    }

    @Test
    void harvestGuessesAllGetTheSame550() {
        RecipientFilter filter = new RecipientFilter(true, true, false, List.of(), ORG);
        for (String guess : List.of("a", "admin", "info", "sales", "webmaster")) {
            Verdict v = check(filter, guess + "@contoso.test");
            assertEquals("550 5.1.1 User unknown", ((Verdict.Reject) v).reply().toLogString());
        }
    }

    @Test
    void onlyAuthoritativeDomainsAreThisFiltersBusiness() {
        RecipientFilter filter = new RecipientFilter(true, true, true,
            List.of("x@fabrikam.test", "x@tailspin.test", "x@example.org"), ORG);
        assertEquals(ACCEPT, check(filter, "anyone@fabrikam.test"), "InternalRelay");
        assertEquals(ACCEPT, check(filter, "anyone@tailspin.test"), "ExternalRelay");
        assertEquals(ACCEPT, check(filter, "anyone@example.org"), "not accepted: relay is the session's question");
        assertEquals(ACCEPT, check(filter, "x@fabrikam.test"));
        assertEquals(ACCEPT, check(filter, "x@example.org"));
    }

    @Test
    void blockedRecipientsGetUserUnknownEvenWhenTheyExist() {
        RecipientFilter filter = new RecipientFilter(true, false, true,
            List.of("administrator@contoso.test", " Ghost@Contoso.Test "), ORG);
        assertEquals(BLOCKED, check(filter, "administrator@contoso.test"));
        assertEquals(BLOCKED, check(filter, "ADMINISTRATOR@contoso.test"));
        assertEquals(BLOCKED, check(filter, "ghost@contoso.test"));
        assertEquals(ACCEPT, check(filter, "kate@contoso.test"));
        assertEquals(ACCEPT, check(filter, "nobody@contoso.test"), "validation is off");
        assertEquals(((Verdict.Reject) UNKNOWN).reply(), ((Verdict.Reject) BLOCKED).reply(),
            "a block looks exactly like an unknown user");
    }

    @Test
    void theBlockListCountsOnlyWhenEnabled() {
        RecipientFilter filter = new RecipientFilter(true, true, false, List.of("kate@contoso.test"), ORG);
        assertEquals(ACCEPT, check(filter, "kate@contoso.test"));
    }

    @Test
    void bothOnTheBlockWins() {
        RecipientFilter filter = new RecipientFilter(true, true, true, List.of("ghost@contoso.test"), ORG);
        assertEquals(BLOCKED, check(filter, "ghost@contoso.test"));
        assertEquals(UNKNOWN, check(filter, "nobody@contoso.test"));
    }

    @Test
    void disabledAcceptsEverything() {
        RecipientFilter filter = new RecipientFilter(false, true, true, List.of("kate@contoso.test"), ORG);
        assertEquals(ACCEPT, check(filter, "kate@contoso.test"));
        assertEquals(ACCEPT, check(filter, "nobody@contoso.test"));
    }

    @Test
    void exchangeDefaultsBlockNothing() {
        RecipientFilter filter = RecipientFilter.defaults(ORG);
        assertEquals(ACCEPT, check(filter, "nobody@contoso.test"));
    }

    @Test
    void badBlockListsAreRefused() {
        assertThrows(IllegalArgumentException.class,
            () -> new RecipientFilter(true, false, true, List.of("not-an-address"), ORG));
        List<String> tooMany = IntStream.rangeClosed(1, 801).mapToObj(i -> "user" + i + "@contoso.test").toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new RecipientFilter(true, false, true, tooMany, ORG));
        assertEquals("BlockedRecipients holds 801 addresses; at most 800 are allowed", e.getMessage());
        new RecipientFilter(true, false, true, Set.copyOf(tooMany.subList(0, 800)), ORG);
    }
}
