package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Categorizer: resolver then router over a small organization. Directory resolution, group
 * expansion, and the routes of recipients outside the organization through Send connectors
 * (smart host, DNS per domain, most specific address space, cost, name, size limit, Unreachable).
 */
class CategorizerTest {
    private static final String ORG = """
        Organization { Name = "Test" }
        AcceptedDomains = [
          { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true }
          { Name = "partner", DomainName = "partner.test", DomainType = InternalRelay }
        ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test", Site = "Default-First-Site-Name" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 }, { Name = DB02, Server = EX01 } ]
        Mailboxes = [
          { Name = "Kate", Alias = kate, Database = DB01, EmailAddresses = ["SMTP:kate@contoso.test", "smtp:k.smith@contoso.test"] }
          { Name = "Chris", Alias = chris, Database = DB01 }
          { Name = "Lisa", Alias = lisa, Database = DB02 }
        ]
        DistributionGroups = [
          { Name = "Sales", Alias = sales, Members = [kate, chris, "team@contoso.test"], RequireSenderAuthenticationEnabled = false }
          { Name = "Team", Alias = team, Members = [lisa, kate, sales], RequireSenderAuthenticationEnabled = false }
        ]
        ReceiveConnectors { DefaultConnectors = false }
        """;
    private static final Organization ORGANIZATION = OrganizationLoader.parse(ORG, "test.conf");

    /**
     * The same organization with Send connectors: everything else to a smart host; fabrikam.example
     * and its subdomains by DNS; sales.fabrikam.example through its own connector; two connectors
     * for woodgrove.example told apart by cost, two for tailspin.example by name; a small one
     * for litware.example beside a disabled catch-all.
     */
    private static final Organization WITH_CONNECTORS = OrganizationLoader.parse(ORG + """
        SendConnectors = [
          { Name = "To Internet", AddressSpaces = ["SMTP:*;10"], SmartHosts = ["[127.0.0.1]"],
            DNSRoutingEnabled = false, Port = 2525 }
          { Name = "Fabrikam", AddressSpaces = ["SMTP:*.fabrikam.example;1"] }
          { Name = "Fabrikam Sales", AddressSpaces = ["sales.fabrikam.example;50"],
            SmartHosts = ["relay.fabrikam.example", "10.0.0.7"], DNSRoutingEnabled = false }
          { Name = "Woodgrove Backup", AddressSpaces = ["woodgrove.example;5"] }
          { Name = "Woodgrove", AddressSpaces = ["woodgrove.example;2"] }
          { Name = "Tailspin B", AddressSpaces = ["tailspin.example;3"] }
          { Name = "tailspin A", AddressSpaces = ["tailspin.example;3"] }
          { Name = "Litware", AddressSpaces = ["litware.example"], MaxMessageSize = 64KB }
        ]
        """, "test.conf");

    private static Envelope envelope(String... recipients) {
        return sized(100, recipients);
    }

    private static Envelope sized(long size, String... recipients) {
        return new Envelope(7, "<m@x>", Optional.of(SmtpAddress.of("a@example.com")),
            java.util.Arrays.stream(recipients).map(r -> EnvelopeRecipient.ready(SmtpAddress.of(r))).toList(),
            Instant.parse("2026-01-01T00:00:00Z"), "192.0.2.1", "client.example", "EX01\\Default Frontend EX01",
            "ex01.contoso.test", size, "s", BodyType.SevenBit, false, null);
    }

    private static Categorization routedOut(String... recipients) {
        return new Categorizer(WITH_CONNECTORS, "EX01").categorize(envelope(recipients));
    }

    private static Set<String> routed(Categorization c, NextHopSolutionKey key) {
        return c.routes().getOrDefault(key, List.of()).stream().map(r -> r.recipient().toString())
            .collect(Collectors.toSet());
    }

    @Test
    void aProxyAddressResolvesToThePrimaryAndKeepsTheOriginalAsOrcpt() {
        Categorization c = new Categorizer(ORGANIZATION).categorize(envelope("K.Smith@contoso.test"));
        assertEquals(Set.of("kate@contoso.test"), routed(c, NextHopSolutionKey.mailboxDatabase("DB01")));
        EnvelopeRecipient kate = c.envelope().recipients().get(0);
        assertEquals("kate@contoso.test", kate.address().toString());
        assertEquals("K.Smith@contoso.test", kate.originalRecipient().toString());
        assertEquals("RESOLVE", c.steps().get(0).eventId());
    }

    @Test
    void nestedGroupsThatContainEachOtherDeliverOneCopyToEachMailboxPerDatabase() {
        Categorization c = new Categorizer(ORGANIZATION).categorize(envelope("sales@contoso.test", "kate@contoso.test"));
        assertEquals(Set.of("kate@contoso.test", "chris@contoso.test"),
            routed(c, NextHopSolutionKey.mailboxDatabase("DB01")));
        assertEquals(Set.of("lisa@contoso.test"), routed(c, NextHopSolutionKey.mailboxDatabase("DB02")));
        assertEquals(3, c.envelope().recipients().size());
        assertEquals(2, c.steps().stream().filter(s -> s.eventId().equals("EXPAND")).count(),
            "each group expands once although they name each other");
        assertTrue(c.steps().stream().anyMatch(s -> s.eventId().equals("DUPLICATEEXPAND")));
    }

    @Test
    void anUnknownRecipientOfAnAuthoritativeDomainFailsWithExRecipNotFound() {
        Categorization c = new Categorizer(ORGANIZATION).categorize(envelope("nobody@contoso.test", "lisa@contoso.test"));
        assertEquals(List.of(new Categorization.Failed(SmtpAddress.of("nobody@contoso.test"),
            "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found")), c.failed());
        EnvelopeRecipient nobody = c.envelope().recipients().stream()
            .filter(r -> r.address().localPart().equals("nobody")).findFirst().orElseThrow();
        assertEquals(RecipientStatus.Failed, nobody.status());
    }

    @Test
    void withoutAMatchingConnectorExternalRecipientsAreUnreachable() {
        Categorization c = new Categorizer(ORGANIZATION).categorize(envelope("x@partner.test", "y@fabrikam.example"));
        assertTrue(c.failed().isEmpty());
        assertEquals(Set.of(NextHopSolutionKey.unreachable("partner.test"), NextHopSolutionKey.unreachable("fabrikam.example")),
            c.routes().keySet());
        assertTrue(c.sendConnectors().isEmpty());
        assertEquals(List.of(RecipientStatus.Ready, RecipientStatus.Ready),
            c.envelope().recipients().stream().map(EnvelopeRecipient::status).toList(), "they wait, they do not fail");
        assertEquals("A matching connector cannot be found to route the external recipient",
            SendConnectorSelector.NO_MATCHING_CONNECTOR);
    }

    @Test
    void aSmartHostConnectorKeysItsQueueByTheSmartHostList() {
        Categorization c = routedOut("someone@northwind.example", "other@adatum.example");
        NextHopSolutionKey key = new NextHopSolutionKey(DeliveryType.SmartHostConnectorDelivery, "[127.0.0.1]",
            "To Internet");
        assertEquals(Set.of(key), c.routes().keySet(), "one queue for every domain the smart host takes");
        assertEquals(Set.of("someone@northwind.example", "other@adatum.example"), routed(c, key));
        SendConnector connector = c.sendConnector(key).orElseThrow();
        assertEquals(2525, connector.port());
        assertNull(c.routes().get(key).get(0).mailbox());
    }

    @Test
    void aDnsConnectorGivesEachRecipientDomainItsOwnQueue() {
        Categorization c = routedOut("a@fabrikam.example", "b@eu.fabrikam.example", "c@fabrikam.example");
        NextHopSolutionKey fabrikam = NextHopSolutionKey.dnsConnector("fabrikam.example", "Fabrikam");
        NextHopSolutionKey eu = NextHopSolutionKey.dnsConnector("eu.fabrikam.example", "Fabrikam");
        assertEquals(Set.of(fabrikam, eu), c.routes().keySet());
        assertEquals(Set.of("a@fabrikam.example", "c@fabrikam.example"), routed(c, fabrikam));
        assertEquals(DeliveryType.DnsConnectorDelivery, fabrikam.deliveryType());
        assertEquals("Fabrikam", c.sendConnector(eu).orElseThrow().name());
    }

    @Test
    void theMostSpecificAddressSpaceWinsWhateverItsCost() {
        Categorization c = routedOut("x@sales.fabrikam.example", "y@hr.fabrikam.example", "z@fabrikam.example.org");
        assertEquals(Set.of("x@sales.fabrikam.example"), routed(c, NextHopSolutionKey.smartHostConnector(
            "relay.fabrikam.example,[10.0.0.7]", "Fabrikam Sales")), "exact domain, cost 50, beats *.fabrikam.example");
        assertEquals(Set.of("y@hr.fabrikam.example"), routed(c,
            NextHopSolutionKey.dnsConnector("hr.fabrikam.example", "Fabrikam")), "*.fabrikam.example beats *");
        assertEquals(Set.of("z@fabrikam.example.org"), routed(c,
            NextHopSolutionKey.smartHostConnector("[127.0.0.1]", "To Internet")), "only * matches");
    }

    @Test
    void equallySpecificConnectorsAreToldApartByCost() {
        Categorization c = routedOut("x@woodgrove.example");
        assertEquals(Set.of(NextHopSolutionKey.dnsConnector("woodgrove.example", "Woodgrove")), c.routes().keySet());
    }

    @Test
    void equalCostsAreToldApartByTheAlphanumericallyLowestName() {
        Categorization c = routedOut("x@tailspin.example");
        assertEquals(Set.of(NextHopSolutionKey.dnsConnector("tailspin.example", "tailspin A")), c.routes().keySet());
    }

    @Test
    void aMessageTooLargeForEveryMatchingConnectorFailsWithRoutingSizeLimit() {
        Organization noCatchAll = WITH_CONNECTORS.withSendConnectors(WITH_CONNECTORS.sendConnectors().stream()
            .filter(sc -> !sc.name().equals("To Internet")).toList());
        Categorization c = new Categorizer(noCatchAll, "EX01")
            .categorize(sized(100_000, "big@litware.example", "kate@contoso.test"));
        String ndr = "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route";
        assertEquals(List.of(new Categorization.Failed(SmtpAddress.of("big@litware.example"), ndr)), c.failed());
        EnvelopeRecipient big = c.envelope().recipients().stream()
            .filter(r -> r.address().localPart().equals("big")).findFirst().orElseThrow();
        assertEquals(RecipientStatus.Failed, big.status());
        assertEquals(ndr, big.lastResponse());
        assertEquals(Set.of(NextHopSolutionKey.mailboxDatabase("DB01")), c.routes().keySet());

        Categorization small = new Categorizer(noCatchAll, "EX01").categorize(sized(1_000, "small@litware.example"));
        assertEquals(Set.of(NextHopSolutionKey.dnsConnector("litware.example", "Litware")), small.routes().keySet());
    }

    @Test
    void aTooSmallSpecificConnectorLetsTheMessageTakeALargerGeneralOne() {
        Categorization c = new Categorizer(WITH_CONNECTORS, "EX01").categorize(sized(100_000, "big@litware.example"));
        assertTrue(c.failed().isEmpty());
        assertEquals(Set.of(NextHopSolutionKey.smartHostConnector("[127.0.0.1]", "To Internet")), c.routes().keySet());
    }

    @Test
    void anUnknownRecipientOfAnInternalRelayDomainIsRoutedOut() {
        Categorization c = routedOut("someone@partner.test", "nobody@contoso.test");
        assertEquals(Set.of("someone@partner.test"),
            routed(c, NextHopSolutionKey.smartHostConnector("[127.0.0.1]", "To Internet")));
        assertEquals(List.of(new Categorization.Failed(SmtpAddress.of("nobody@contoso.test"),
            RecipientResolver.NOT_FOUND)), c.failed(), "an Authoritative domain still fails its unknown recipients");
    }

    @Test
    void settledRecipientsAreNotCategorizedAgain() {
        Envelope partlyDone = envelope("kate@contoso.test", "lisa@contoso.test")
            .mapRecipients(r -> r.address().localPart().equals("kate") ? r.delivered("250 2.0.0 Delivered") : r);
        Categorization c = new Categorizer(ORGANIZATION).categorize(partlyDone);
        assertEquals(Set.of(NextHopSolutionKey.mailboxDatabase("DB02")), c.routes().keySet());
        assertEquals(RecipientStatus.Delivered, c.envelope().recipients().get(0).status());
    }
}
