package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.Unlimited;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OrganizationLoader's directory and topology: mail contacts and mail users, forwarding, recipient
 * limits and delivery restrictions, AD sites and site links, DAGs and databases in them, and the
 * problems each reports at file:line.
 */
class DirectoryLoadingTest {

    /** Eight lines; a test's own lines start at line 9. */
    private static final String TOPOLOGY = """
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test", Default = true }, { DomainName = "partner.test", DomainType = InternalRelay } ]
        AdSites = [ { Name = Seattle }, { Name = Dublin }, { Name = Hub, HubSiteEnabled = true } ]
        AdSiteLinks = [ { Name = "SEA-HUB", Sites = [Seattle, Hub], Cost = 10 }, { Name = "HUB-DUB", Sites = [Hub, Dublin], Cost = 10 } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test", Site = Seattle }, { Name = EX02, Fqdn = "ex02.contoso.test", Site = Dublin }, { Name = EX03, Fqdn = "ex03.contoso.test", Site = Dublin } ]
        DatabaseAvailabilityGroups = [ { Name = DAG1, Servers = [EX02, EX03] } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 }, { Name = DB02, MasterServerOrAvailabilityGroup = DAG1 } ]
        ReceiveConnectors.BindAddress = "127.0.0.1"
        """;

    private static Organization parse(String extra) {
        return OrganizationLoader.parse(TOPOLOGY + extra, "org.conf");
    }

    private static String problems(String extra) {
        return assertThrows(OrganizationConfigException.class,
            () -> OrganizationLoader.parse(TOPOLOGY + extra, "org.conf")).getMessage();
    }

    @Test
    void sitesLinksAndDagsAreRead() {
        Organization org = parse("");
        assertEquals(List.of("Seattle", "Dublin", "Hub"), org.adSites().stream().map(AdSite::name).toList());
        assertTrue(org.adSites().get(2).hubSiteEnabled());
        assertEquals(new AdSiteLink("SEA-HUB", List.of("Seattle", "Hub"), 10), org.adSiteLinks().get(0));
        assertEquals(List.of("EX02", "EX03"), org.databaseAvailabilityGroup("dag1").orElseThrow().servers());
        MailboxDatabase db02 = org.mailboxDatabase("DB02").orElseThrow();
        assertEquals("EX02", db02.server(), "a DAG database's active copy defaults to the first member");
        assertEquals(Optional.of("DAG1"), db02.databaseAvailabilityGroup());
        assertEquals(Optional.empty(), org.mailboxDatabase("DB01").orElseThrow().databaseAvailabilityGroup());
    }

    @Test
    void sitesComeFromServersWhenAdSitesAreLeftOut() {
        Organization org = OrganizationLoader.parse("""
            Organization { Name = "Contoso" }
            AcceptedDomains = [ { DomainName = "contoso.test" } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }, { Name = EX02, Fqdn = "ex02.contoso.test", Site = Branch } ]
            ReceiveConnectors.BindAddress = "127.0.0.1"
            """, "org.conf");
        assertEquals(List.of("Default-First-Site-Name", "Branch"), org.adSites().stream().map(AdSite::name).toList());
    }

    @Test
    void mailboxForwardingLimitsAndRestrictions() {
        Organization org = parse("""
            Mailboxes = [
              { Name = Kate, Alias = kate, Database = DB01, ForwardingAddress = chris, DeliverToMailboxAndForward = true,
                RecipientLimits = 10, MaxSendSize = 1MB, MaxReceiveSize = 2MB, AcceptMessagesOnlyFrom = [chris],
                AcceptMessagesOnlyFromDLMembers = [Sales], RejectMessagesFrom = ["spam@partner.test"] }
              { Name = Chris, Alias = chris, Database = DB02, ForwardingSmtpAddress = "smtp:chris@fabrikam.test" }
            ]
            MailContacts = [ { Name = "Spam Sender", ExternalEmailAddress = "spam@partner.test" } ]
            DistributionGroups = [ { Name = Sales, Alias = sales, Members = [kate] } ]
            """);
        Mailbox kate = org.mailboxes().get(0);
        assertEquals(new Forwarding(Optional.of("chris"), Optional.empty(), true), kate.forwarding());
        assertEquals(Unlimited.of(10), kate.recipientLimits());
        assertEquals(Optional.of(ByteSize.ofMegabytes(1)), kate.maxSendSize());
        assertEquals(Optional.of(ByteSize.ofMegabytes(2)), kate.restrictions().maxReceiveSize());
        assertEquals(List.of("chris"), kate.restrictions().acceptMessagesOnlyFrom());
        assertEquals(List.of("Sales"), kate.restrictions().acceptMessagesOnlyFromDLMembers());
        assertFalse(kate.restrictions().requireSenderAuthenticationEnabled());
        Mailbox chris = org.mailboxes().get(1);
        assertEquals(Optional.of(SmtpAddress.of("chris@fabrikam.test")), chris.forwarding().forwardingSmtpAddress());
        assertFalse(chris.forwarding().deliverToMailboxAndForward(), "forward only is Exchange's default");
        assertEquals(Unlimited.UNLIMITED, chris.recipientLimits());
    }

    @Test
    void groupsRequireAuthenticatedSendersUnlessTold() {
        Organization org = parse("""
            Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01 } ]
            DistributionGroups = [
              { Name = Sales, Alias = sales, Members = [kate], ExpansionServer = ex02, ReportToOriginatorEnabled = false }
              { Name = Open, Alias = open, Members = [kate], RequireSenderAuthenticationEnabled = "$false" }
            ]
            """);
        DistributionGroup sales = org.distributionGroups().get(0);
        assertTrue(sales.restrictions().requireSenderAuthenticationEnabled());
        assertEquals(Optional.of("EX02"), sales.expansionServer());
        assertFalse(sales.reportToOriginatorEnabled());
        assertFalse(org.distributionGroups().get(1).restrictions().requireSenderAuthenticationEnabled());
    }

    @Test
    void contactsAndMailUsersAreFoundByEveryAddress() {
        Organization org = parse("""
            MailContacts = [ { Name = "Ann Partner", Alias = ann, ExternalEmailAddress = "SMTP:ann@fabrikam.test" } ]
            MailUsers = [ { Name = "Bob Consultant", Alias = bob, ExternalEmailAddress = "bob@fabrikam.test",
                            EmailAddresses = ["SMTP:bob@contoso.test"] } ]
            """);
        MailContact ann = assertInstanceOf(MailContact.class,
            org.findRecipient(SmtpAddress.of("ann@fabrikam.test")).orElseThrow());
        assertEquals(SmtpAddress.of("ann@fabrikam.test"), ann.primarySmtpAddress());
        MailUser bob = assertInstanceOf(MailUser.class, org.findRecipient(SmtpAddress.of("bob@contoso.test")).orElseThrow());
        assertEquals(SmtpAddress.of("bob@fabrikam.test"), bob.externalEmailAddress());
        assertEquals(bob, org.findRecipient(SmtpAddress.of("BOB@fabrikam.test")).orElseThrow());
        assertEquals(bob, org.findByIdentity("Bob Consultant").orElseThrow());
        assertEquals(ann, org.findByIdentity("ANN").orElseThrow());
    }

    @Test
    void topologyProblemsNameTheirLine() {
        String message = problems("""
            AdSiteLinks = [ { Name = Broken, Sites = [Seattle, Paris] } ]
            DatabaseAvailabilityGroups = [ { Name = DAG1, Servers = [EX02, EX03] }, { Name = DAG2, Servers = [EX01, EX04] } ]
            MailboxDatabases = [ { Name = DB03, MasterServerOrAvailabilityGroup = DAG1, Server = EX01 } ]
            """);
        assertTrue(message.contains("org.conf:9: AdSiteLinks[0].Sites[1]: site Paris is not among AdSites"), message);
        assertTrue(message.contains("org.conf:10: DatabaseAvailabilityGroups[1].Servers[1]: server EX04 is not among Servers"),
            message);
        assertTrue(message.contains("org.conf:11: MailboxDatabases[0].Server: server EX01 is not a member of DAG1"), message);
    }

    @Test
    void recipientReferencesAreChecked() {
        String message = problems("""
            Mailboxes = [ { Name = Kate, Alias = kate, Database = DB01, ForwardingAddress = nobody, AcceptMessagesOnlyFromDLMembers = [kate] } ]
            MailContacts = [ { Name = Inside, ExternalEmailAddress = "x@contoso.test" } ]
            DistributionGroups = [ { Name = Sales, Alias = sales, Members = [kate], ExpansionServer = EX09 } ]
            """);
        assertTrue(message.contains("org.conf:9: Mailboxes[0].ForwardingAddress: ForwardingAddress 'nobody' is not a recipient"),
            message);
        assertTrue(message.contains("AcceptMessagesOnlyFromDLMembers 'kate' is not a distribution group"), message);
        assertTrue(message.contains("org.conf:10: MailContacts[0].ExternalEmailAddress: x@contoso.test is in the "
            + "authoritative domain contoso.test"), message);
        assertTrue(message.contains("org.conf:11: DistributionGroups[0].ExpansionServer: server EX09 is not among Servers"),
            message);
    }
}
