package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resolver through the Categorizer: forwarding (deliver and forward, forward only), harmless
 * and broken forwarding loops, mail contacts and mail users, ExpansionServer, report suppression,
 * the recipient and sender restrictions with Exchange's NDR texts, and recipients another server
 * already resolved.
 */
class RecipientResolverTest {
    private static final Organization ORG = OrganizationLoader.parse("""
        Organization { Name = "Test" }
        AcceptedDomains = [ { DomainName = "contoso.test", Default = true } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }, { Name = EX02, Fqdn = "ex02.contoso.test" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [
          { Name = Kate, Alias = kate, Database = DB01, ForwardingAddress = chris, DeliverToMailboxAndForward = true }
          { Name = Chris, Alias = chris, Database = DB01, ForwardingAddress = kate, DeliverToMailboxAndForward = true }
          { Name = Ann, Alias = ann, Database = DB01, ForwardingAddress = bob }
          { Name = Bob, Alias = bob, Database = DB01, ForwardingAddress = ann }
          { Name = Dan, Alias = dan, Database = DB01, ForwardingSmtpAddress = "dan@fabrikam.test" }
          { Name = Eve, Alias = eve, Database = DB01, ForwardingAddress = lisa }
          { Name = Lisa, Alias = lisa, Database = DB01, MaxReceiveSize = 64KB }
          { Name = Boss, Alias = boss, Database = DB01, AcceptMessagesOnlyFrom = [lisa], AcceptMessagesOnlyFromDLMembers = [Board] }
          { Name = Quiet, Alias = quiet, Database = DB01, RejectMessagesFrom = ["lisa@contoso.test"] }
          { Name = Small, Alias = small, Database = DB01, RecipientLimits = 2, MaxSendSize = 1KB }
        ]
        MailContacts = [ { Name = Partner, Alias = partner, ExternalEmailAddress = "p@fabrikam.test", EmailAddresses = ["SMTP:partner@contoso.test"] } ]
        DistributionGroups = [
          { Name = Board, Alias = board, Members = [eve] }
          { Name = Closed, Alias = closed, Members = [lisa] }
          { Name = Remote, Alias = remote, Members = [lisa], ExpansionServer = EX02, RequireSenderAuthenticationEnabled = false }
          { Name = Quietly, Alias = quietly, Members = [lisa, partner], ReportToOriginatorEnabled = false, RequireSenderAuthenticationEnabled = false }
          { Name = Outer, Alias = outer, Members = [closed, small, closed], RequireSenderAuthenticationEnabled = false }
        ]
        SendConnectors = [ { Name = Out, AddressSpaces = ["*"] } ]
        ReceiveConnectors { DefaultConnectors = false }
        """, "test.conf");

    private static Envelope from(String sender, long size, String... recipients) {
        return new Envelope(1, "<m@x>", Optional.of(SmtpAddress.of(sender)),
            Arrays.stream(recipients).map(r -> EnvelopeRecipient.ready(SmtpAddress.of(r))).toList(),
            Instant.parse("2026-01-01T00:00:00Z"), "192.0.2.1", "c", "EX01\\Default EX01", "ex01.contoso.test", size,
            "s", BodyType.SevenBit, false, null);
    }

    private static Categorization categorize(String sender, String... recipients) {
        return new Categorizer(ORG, "EX01").categorize(from(sender, 100, recipients), Submission.ANONYMOUS);
    }

    private static Set<String> delivered(Categorization c) {
        return c.routes().values().stream().flatMap(List::stream).map(r -> r.recipient().toString())
            .collect(Collectors.toSet());
    }

    private static Map<String, String> failures(Categorization c) {
        return c.failed().stream().collect(Collectors.toMap(f -> f.recipient().toString(), Categorization.Failed::status));
    }

    @Test
    void aHarmlessForwardingLoopDeliversEachMailboxOnce() {
        Categorization c = categorize("x@fabrikam.test", "kate@contoso.test");
        assertEquals(Set.of("kate@contoso.test", "chris@contoso.test"), delivered(c));
        assertEquals(List.of(), c.failed());
        assertEquals(2, c.steps().stream().filter(s -> s.eventId().equals("REDIRECT")).count());
    }

    @Test
    void aBrokenForwardingLoopFailsTheRecipient() {
        Categorization c = categorize("x@fabrikam.test", "ann@contoso.test");
        assertEquals(Set.of(), delivered(c));
        assertEquals(Map.of("ann@contoso.test", RecipientResolver.FORWARDING_LOOP), failures(c));
    }

    @Test
    void forwardOnlyRedirectsToTheTarget() {
        Categorization c = categorize("x@fabrikam.test", "eve@contoso.test", "dan@contoso.test");
        assertEquals(Set.of("lisa@contoso.test", "dan@fabrikam.test"), delivered(c));
        Categorization.Step redirect = c.steps().stream().filter(s -> s.eventId().equals("REDIRECT")).findFirst()
            .orElseThrow();
        assertEquals("lisa@contoso.test", redirect.recipient().toString());
        assertEquals("eve@contoso.test", redirect.related().toString());
    }

    @Test
    void aContactResolvesToItsExternalAddressKeepingTheGivenOneAsOrcpt() {
        Categorization c = categorize("x@fabrikam.test", "partner@contoso.test");
        assertEquals(Set.of("p@fabrikam.test"), delivered(c));
        EnvelopeRecipient entry = c.envelope().recipients().get(0);
        assertEquals("p@fabrikam.test", entry.address().toString());
        assertEquals("partner@contoso.test", entry.originalRecipient().toString());
        assertEquals(NextHopSolutionKey.dnsConnector("fabrikam.test", "Out"), c.routes().keySet().iterator().next());
    }

    @Test
    void groupsRequireAnAuthenticatedSenderByDefault() {
        Categorization anonymous = categorize("x@fabrikam.test", "closed@contoso.test");
        assertEquals(Map.of("closed@contoso.test", DeliveryRestrictions.AUTH_REQUIRED), failures(anonymous));
        Categorization authenticated = new Categorizer(ORG, "EX01")
            .categorize(from("lisa@contoso.test", 100, "closed@contoso.test"), Submission.AUTHENTICATED);
        assertEquals(Set.of("lisa@contoso.test"), delivered(authenticated));
    }

    @Test
    void acceptAndRejectListsDecideWhoMaySend() {
        assertEquals(Set.of("boss@contoso.test"), delivered(categorize("lisa@contoso.test", "boss@contoso.test")));
        assertEquals(Set.of("boss@contoso.test"), delivered(categorize("eve@contoso.test", "boss@contoso.test")),
            "a member of an AcceptMessagesOnlyFromDLMembers group");
        assertEquals(Map.of("boss@contoso.test", DeliveryRestrictions.NOT_AUTHORIZED),
            failures(categorize("kate@contoso.test", "boss@contoso.test")));
        assertEquals(Map.of("quiet@contoso.test", DeliveryRestrictions.NOT_AUTHORIZED),
            failures(categorize("lisa@contoso.test", "quiet@contoso.test")));
    }

    @Test
    void sizeLimitsOfRecipientAndSender() {
        Categorization big = new Categorizer(ORG, "EX01")
            .categorize(from("x@fabrikam.test", 100_000, "lisa@contoso.test", "kate@contoso.test"));
        assertEquals(Map.of("lisa@contoso.test", DeliveryRestrictions.RECIPIENT_SIZE_LIMIT), failures(big));
        Categorization fromSmall = new Categorizer(ORG, "EX01")
            .categorize(from("small@contoso.test", 2_000, "kate@contoso.test"));
        assertEquals(Map.of("kate@contoso.test", DeliveryRestrictions.SENDER_SIZE_LIMIT), failures(fromSmall));
    }

    @Test
    void aSendersRecipientLimitCountsEnvelopeRecipients() {
        Categorization c = categorize("small@contoso.test", "kate@contoso.test", "lisa@contoso.test", "eve@contoso.test");
        assertEquals(3, c.failed().size());
        assertTrue(c.failed().stream().allMatch(f -> f.status().equals("550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients")));
        assertEquals(Set.of("lisa@contoso.test"), delivered(categorize("small@contoso.test", "lisa@contoso.test")));
    }

    @Test
    void aGroupWithAnotherExpansionServerIsRelayedThereUnexpanded() {
        Categorization c = categorize("x@fabrikam.test", "remote@contoso.test");
        assertEquals(Map.of(NextHopSolutionKey.expansionServer("ex02.contoso.test"),
                List.of(new Categorization.Routed(SmtpAddress.of("remote@contoso.test"), null))), c.routes());
        Categorization onEx02 = new Categorizer(ORG, "EX02").categorize(from("x@fabrikam.test", 100,
            "remote@contoso.test"), new Submission(true, Optional.of("ex01.contoso.test")));
        assertEquals(Set.of("lisa@contoso.test"), delivered(onEx02), "the expansion server expands it");
    }

    @Test
    void membersOfAGroupThatSuppressesReportsGetNotifyNever() {
        Categorization c = categorize("x@fabrikam.test", "quietly@contoso.test");
        assertEquals(Set.of("lisa@contoso.test", "p@fabrikam.test"), delivered(c));
        assertTrue(c.envelope().recipients().stream().allMatch(r -> r.dsnNotify().equals(Set.of(DsnNotify.NEVER))));
        assertTrue(c.routes().values().stream().flatMap(List::stream).allMatch(r -> r.copy().nullReversePath()));
    }

    @Test
    void aReportSuppressingGroupForksACopySentFromTheNullReversePath() {
        Categorization c = categorize("x@fabrikam.test", "quietly@contoso.test", "small@contoso.test");
        List<Categorization.Routed> db01 = c.routes().get(NextHopSolutionKey.mailboxDatabase("DB01"));
        assertEquals(Map.of("lisa@contoso.test", true, "small@contoso.test", false), db01.stream()
            .collect(Collectors.toMap(r -> r.recipient().toString(), r -> r.copy().nullReversePath())));
        assertEquals(Optional.empty(), db01.stream().filter(r -> r.copy().nullReversePath()).findFirst().orElseThrow()
            .copy().reversePath(Optional.of(SmtpAddress.of("x@fabrikam.test"))));
        assertEquals(1, c.steps().stream().filter(s -> s.eventId().equals("TRANSFER")
            && s.detail().contains("ReportToOriginatorEnabled")).count());
    }

    @Test
    void recipientsResolvedByAnotherServerAreOnlyRouted() {
        Categorization c = new Categorizer(ORG, "EX01").categorize(from("x@fabrikam.test", 100,
            "kate@contoso.test", "ann@contoso.test"), new Submission(true, Optional.of("ex02.contoso.test")));
        assertEquals(Set.of("kate@contoso.test", "ann@contoso.test"), delivered(c), "no forwarding a second time");
        assertEquals(List.of(), c.steps());
    }

    @Test
    void aNestedGroupKeepsItsOwnRestrictions() {
        Categorization anonymous = categorize("x@fabrikam.test", "outer@contoso.test");
        assertEquals(Set.of("small@contoso.test"), delivered(anonymous));
        assertEquals(List.of(new Categorization.Failed(SmtpAddress.of("closed@contoso.test"),
            DeliveryRestrictions.AUTH_REQUIRED)), anonymous.failed(), "refused once although named twice");
        Categorization authenticated = new Categorizer(ORG, "EX01")
            .categorize(from("lisa@contoso.test", 100, "outer@contoso.test"), Submission.AUTHENTICATED);
        assertEquals(Set.of("small@contoso.test", "lisa@contoso.test"), delivered(authenticated));
    }
}
