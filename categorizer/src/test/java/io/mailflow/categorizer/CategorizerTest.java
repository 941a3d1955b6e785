package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
          { Name = "Sales", Alias = sales, Members = [kate, chris, "team@contoso.test"] }
          { Name = "Team", Alias = team, Members = [lisa, kate, sales] }
        ]
        ReceiveConnectors { DefaultConnectors = false }
        """;
    private static final Organization ORGANIZATION = OrganizationLoader.parse(ORG, "test.conf");

    private static Envelope envelope(String... recipients) {
        return new Envelope(7, "<m@x>", Optional.of(SmtpAddress.of("a@example.com")),
            java.util.Arrays.stream(recipients).map(r -> EnvelopeRecipient.ready(SmtpAddress.of(r))).toList(),
            Instant.parse("2026-01-01T00:00:00Z"), "192.0.2.1", "client.example", "EX01\\Default Frontend EX01",
            "ex01.contoso.test", 100, "s", BodyType.SevenBit, false, null);
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
    void unknownRecipientsOfARelayDomainAndExternalOnesHaveNoRouteYet() {
        Categorization c = new Categorizer(ORGANIZATION).categorize(envelope("x@partner.test", "y@fabrikam.example"));
        assertTrue(c.failed().isEmpty());
        assertEquals(Set.of(DeliveryType.Unreachable),
            c.routes().keySet().stream().map(NextHopSolutionKey::deliveryType).collect(Collectors.toSet()));
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
