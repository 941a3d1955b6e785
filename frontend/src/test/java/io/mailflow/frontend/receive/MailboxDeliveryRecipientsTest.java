package io.mailflow.frontend.receive;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** MailboxDeliveryRecipients: MTD takes only primary addresses of mailboxes active on its server. */
class MailboxDeliveryRecipientsTest {

    static final Organization TWO_SERVERS = OrganizationLoader.parse("""
        Organization { Name = Contoso }
        AcceptedDomains = [ { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }, { Name = EX02, Fqdn = "ex02.contoso.test" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 }, { Name = DB02, Server = EX02 } ]
        Mailboxes = [
          { Name = "Kate Smith", Alias = kate, Database = DB01, EmailAddresses = ["SMTP:kate@contoso.test", "smtp:k.smith@contoso.test"] }
          { Name = "David Jones", Alias = david, Database = DB02, EmailAddresses = ["SMTP:david@contoso.test"] }
        ]
        DistributionGroups = [ { Name = "All Staff", Alias = all-staff, Members = [kate, david] } ]
        """, "test");

    private static MailboxDeliveryRecipients.Decision check(String server, String address) {
        return MailboxDeliveryRecipients.check(TWO_SERVERS, server, SmtpAddress.of(address));
    }

    @Test
    void aPrimaryAddressOnALocalDatabaseIsDelivered() {
        var d = assertInstanceOf(MailboxDeliveryRecipients.Decision.Deliver.class, check("EX01", "Kate@Contoso.test"));
        assertEquals("kate", d.mailbox().alias());
        assertEquals("DB01", d.database().name());
    }

    @Test
    void aMailboxActiveOnAnotherServerIsSentBackForRerouting() {
        var r = assertInstanceOf(MailboxDeliveryRecipients.Decision.Refuse.class, check("EX01", "david@contoso.test"));
        assertEquals("420 4.2.0 STOREDRV.Deliver; recipient mailbox is remote", r.reply().toLogString());
        assertEquals("mailbox David Jones is on database DB02, whose active copy is on EX02, not EX01", r.reason());
    }

    @Test
    void unknownAddressesSecondaryAddressesAndGroupsAreNotFound() {
        for (String address : new String[]{"nobody@contoso.test", "k.smith@contoso.test", "all-staff@contoso.test"}) {
            var r = assertInstanceOf(MailboxDeliveryRecipients.Decision.Refuse.class, check("EX01", address), address);
            assertEquals("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", r.reply().toLogString(), address);
        }
    }
}
