package io.mailflow.core.backpressure;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.backpressure.BackPressure.Transition;
import io.mailflow.core.logging.TransportEvent;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mailflow.core.backpressure.PressureLevel.High;
import static io.mailflow.core.backpressure.PressureLevel.Medium;
import static io.mailflow.core.backpressure.PressureLevel.Normal;
import static io.mailflow.core.backpressure.Resource.DatabaseUsedSpace;
import static io.mailflow.core.backpressure.Resource.SubmissionQueue;
import static io.mailflow.core.backpressure.Resource.UsedDiskSpace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Levels, transitions, events and the MAIL FROM gate, on a manual clock. */
class BackPressureTest {

    private static final MailFromVerdict ACCEPT = MailFromVerdict.Accept.INSTANCE;
    private static final MailFromVerdict REFUSE = new MailFromVerdict.Refuse(SmtpReplies.INSUFFICIENT_RESOURCES);
    private static final boolean INSIDE = true;
    private static final boolean OUTSIDE = false;

    private final ManualClock clock = ManualClock.atEpoch();
    private final BackPressure bp = new BackPressure(BackPressure.Settings.defaults(), clock);

    private static MailFromVerdict delay(long seconds) {
        return new MailFromVerdict.Delay(Duration.ofSeconds(seconds));
    }

    @Test
    void startsNormalAndAcceptsEveryone() {
        assertEquals(Normal, bp.level());
        assertEquals(ACCEPT, bp.decide(OUTSIDE));
        assertEquals(ACCEPT, bp.decide(INSIDE));
        assertEquals(List.of(), bp.resourcesUnderPressure());
    }

    @Test
    void eachTransitionIsReportedOnce() {
        assertEquals(Optional.empty(), bp.update(SubmissionQueue, 9998));
        assertEquals(Optional.of(new Transition(SubmissionQueue, Normal, Medium, 9999)), bp.update(SubmissionQueue, 9999));
        assertEquals(Optional.empty(), bp.update(SubmissionQueue, 12000));
        assertEquals(Optional.empty(), bp.update(SubmissionQueue, 2000), "not below MediumToLow yet");
        assertEquals(Optional.of(new Transition(SubmissionQueue, Medium, High, 15000)), bp.update(SubmissionQueue, 15000));
        assertEquals(Optional.empty(), bp.update(SubmissionQueue, 10000), "not below HighToMedium yet");
        assertEquals(Optional.of(new Transition(SubmissionQueue, High, Medium, 9999)), bp.update(SubmissionQueue, 9999));
        assertEquals(Optional.of(new Transition(SubmissionQueue, Medium, Normal, 1999)), bp.update(SubmissionQueue, 1999));
        assertEquals(Optional.empty(), bp.update(SubmissionQueue, 0));
        assertEquals(Optional.of(new Transition(SubmissionQueue, Normal, High, 20000)), bp.update(SubmissionQueue, 20000));
        assertEquals(Optional.of(new Transition(SubmissionQueue, High, Normal, 0)), bp.update(SubmissionQueue, 0));
    }

    @Test
    void hysteresisOfTheDiskResources() {
        assertEquals(Optional.empty(), bp.update(UsedDiskSpace, 88));
        assertEquals(Medium, bp.update(UsedDiskSpace, 89).orElseThrow().to());
        assertEquals(High, bp.update(UsedDiskSpace, 99).orElseThrow().to());
        assertEquals(Optional.empty(), bp.update(UsedDiskSpace, 90));
        assertEquals(Medium, bp.update(UsedDiskSpace, 89).orElseThrow().to());
        assertEquals(Optional.empty(), bp.update(UsedDiskSpace, 80));
        assertEquals(Normal, bp.update(UsedDiskSpace, 79).orElseThrow().to());

        assertEquals(Optional.empty(), bp.update(DatabaseUsedSpace, 95));
        assertEquals(Medium, bp.update(DatabaseUsedSpace, 96).orElseThrow().to());
        assertEquals(High, bp.update(DatabaseUsedSpace, 99).orElseThrow().to());
        assertEquals(Optional.empty(), bp.update(DatabaseUsedSpace, 97));
        assertEquals(Medium, bp.update(DatabaseUsedSpace, 96).orElseThrow().to());
        assertEquals(Optional.empty(), bp.update(DatabaseUsedSpace, 94));
        assertEquals(Normal, bp.update(DatabaseUsedSpace, 93).orElseThrow().to());
    }

    @Test
    void theServerLevelIsTheWorstResource() {
        bp.update(SubmissionQueue, 12000);
        assertEquals(Medium, bp.level());
        bp.update(DatabaseUsedSpace, 99);
        assertEquals(High, bp.level());
        assertEquals(Medium, bp.level(SubmissionQueue));
        assertEquals(Normal, bp.level(UsedDiskSpace));
        bp.update(SubmissionQueue, 0);
        assertEquals(High, bp.level(), "the disk still holds it at High");
        bp.update(DatabaseUsedSpace, 96);
        assertEquals(Medium, bp.level());
        bp.update(DatabaseUsedSpace, 50);
        assertEquals(Normal, bp.level());
    }

    @Test
    void severalReadingsAtOnce() {
        List<Transition> transitions = bp.update(Map.of(SubmissionQueue, 10000L, UsedDiskSpace, 50L, DatabaseUsedSpace, 99L));
        assertEquals(List.of(new Transition(SubmissionQueue, Normal, Medium, 10000),
            new Transition(DatabaseUsedSpace, Normal, High, 99)), transitions);
        assertEquals(List.of(), bp.update(Map.of(SubmissionQueue, 10000L, DatabaseUsedSpace, 99L)));
        assertEquals(Optional.of(99L), bp.reading(DatabaseUsedSpace));
    }

    @Test
    void mediumTarpitsOutsidersFromTenToFiftyFiveSecondsThenRefusesAfterTheHistoryDepth() {
        bp.update(SubmissionQueue, 9999);
        List<MailFromVerdict> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            answers.add(bp.decide(OUTSIDE));
            clock.advance(Duration.ofSeconds(30));
        }
        assertEquals(List.of(delay(10), delay(15), delay(20), delay(25), delay(30), delay(35), delay(40),
            delay(45), delay(50), delay(55), delay(55), delay(55)), answers);

        // 6 minutes have passed; the queue stays at Medium, read every 2 s as the shell would.
        clock.set(ManualClock.atEpoch().now().plus(Duration.ofMinutes(10)).minusSeconds(2));
        bp.update(SubmissionQueue, 12000);
        assertEquals(delay(55), bp.decide(OUTSIDE), "just inside the 300 × 2 s history");
        clock.advance(Duration.ofSeconds(2));
        bp.update(SubmissionQueue, 12000);
        assertEquals(REFUSE, bp.decide(OUTSIDE), "300 readings at Medium without reaching Normal");
        assertEquals(ACCEPT, bp.decide(INSIDE), "the organization's own senders still flow");
        clock.advance(Duration.ofHours(1));
        assertEquals(REFUSE, bp.decide(OUTSIDE), "refused until the level drops");
        assertEquals(List.of(BackPressure.FROM_THE_INTERNET), bp.disabledComponents());

        bp.update(SubmissionQueue, 1999);
        assertEquals(ACCEPT, bp.decide(OUTSIDE));
        bp.update(SubmissionQueue, 9999);
        assertEquals(delay(10), bp.decide(OUTSIDE), "a new Medium starts the tarpit and the history again");
    }

    @Test
    void aVisitToHighDoesNotRestartTheHistory() {
        bp.update(SubmissionQueue, 10000);
        assertEquals(delay(10), bp.decide(OUTSIDE));
        clock.advance(Duration.ofMinutes(5));
        bp.update(SubmissionQueue, 15000);
        assertEquals(REFUSE, bp.decide(OUTSIDE));
        clock.advance(Duration.ofMinutes(5));
        bp.update(SubmissionQueue, 9000);
        assertEquals(Medium, bp.level());
        assertEquals(REFUSE, bp.decide(OUTSIDE), "still never back to Normal after 10 minutes");
    }

    @Test
    void dropFromMediumToNormalBeforeTheHistoryDepthResetsTheTarpit() {
        bp.update(SubmissionQueue, 9999);
        assertEquals(delay(10), bp.decide(OUTSIDE));
        assertEquals(delay(15), bp.decide(OUTSIDE));
        clock.advance(Duration.ofMinutes(9));
        bp.update(SubmissionQueue, 100);
        clock.advance(Duration.ofMinutes(2));
        bp.update(SubmissionQueue, 9999);
        assertEquals(delay(10), bp.decide(OUTSIDE));
    }

    @Test
    void insideTheOrganizationFlowsAtMediumWithoutDelay() {
        bp.update(SubmissionQueue, 14999);
        for (int i = 0; i < 20; i++) {
            assertEquals(ACCEPT, bp.decide(INSIDE));
        }
        assertEquals(delay(10), bp.decide(OUTSIDE), "inside senders do not advance the tarpit");
    }

    @Test
    void diskPressureAtMediumRefusesOutsidersAtOnce() {
        bp.update(UsedDiskSpace, 89);
        assertEquals(Medium, bp.level());
        assertEquals(REFUSE, bp.decide(OUTSIDE));
        assertEquals(ACCEPT, bp.decide(INSIDE));
        bp.update(SubmissionQueue, 10000);
        assertEquals(REFUSE, bp.decide(OUTSIDE), "disk refusal wins over the Submission queue's tarpit");
    }

    @Test
    void highRefusesEveryMailFrom() {
        for (Resource r : Resource.values()) {
            BackPressure fresh = new BackPressure(BackPressure.Settings.defaults(), clock);
            fresh.update(r, ResourceThresholds.defaults(r).mediumToHigh());
            assertEquals(High, fresh.level());
            assertEquals(REFUSE, fresh.decide(INSIDE), r.name());
            assertEquals(REFUSE, fresh.decide(OUTSIDE), r.name());
            assertEquals(List.of(BackPressure.FROM_INSIDE, BackPressure.FROM_THE_INTERNET), fresh.disabledComponents());
        }
    }

    @Test
    void risingWritesFifteenThousandFourAndFallingFifteenThousandFive() {
        Transition up = bp.update(SubmissionQueue, 15001).orElseThrow();
        List<TransportEvent> events = bp.events(up);
        assertEquals(1, events.size());
        TransportEvent e = events.get(0);
        assertEquals(15004, e.eventId());
        assertEquals(TransportEvent.Level.Error, e.level());
        assertEquals("Resource pressure increased from Normal to High. The following resources are under pressure: "
            + "QueueLength[SubmissionQueue] = 15001 [High] [Normal=2000 Medium=9999 High=15000]. The following "
            + "components are disabled due to back pressure: Inbound mail submission from Hub Transport servers, "
            + "Inbound mail submission from the Internet.", e.text());

        Transition down = bp.update(SubmissionQueue, 5000).orElseThrow();
        TransportEvent d = bp.events(down).get(0);
        assertEquals(15005, d.eventId());
        assertEquals("Resource pressure decreased from High to Medium. The following resources are under pressure: "
            + "QueueLength[SubmissionQueue] = 5000 [Medium] [Normal=2000 Medium=9999 High=15000]. The following "
            + "components are disabled due to back pressure: None.", d.text());

        TransportEvent n = bp.events(bp.update(SubmissionQueue, 10).orElseThrow()).get(0);
        assertTrue(n.text().contains("The following resources are under pressure: None."), n.text());
    }

    @Test
    void diskReachingHighAlsoWritesLowDiskSpace() {
        List<TransportEvent> medium = bp.events(bp.update(DatabaseUsedSpace, 97).orElseThrow());
        assertEquals(List.of(15004), medium.stream().map(TransportEvent::eventId).toList());

        List<TransportEvent> high = bp.events(bp.update(DatabaseUsedSpace, 99).orElseThrow());
        assertEquals(List.of(15004, 15006), high.stream().map(TransportEvent::eventId).toList());
        assertTrue(high.get(1).text().contains("DatabaseUsedSpace[queue] = 99 [High] [Normal=94 Medium=96 High=99]"),
            high.get(1).text());

        List<TransportEvent> queueHigh = bp.events(bp.update(SubmissionQueue, 15000).orElseThrow());
        assertEquals(List.of(15004), queueHigh.stream().map(TransportEvent::eventId).toList(),
            "15006 is for disks only");
    }

    @Test
    void configuredThresholdsAndTarpit() {
        BackPressure.Settings settings = new BackPressure.Settings(
            BackPressure.Settings.defaults().withThresholds(
                new ResourceThresholds(SubmissionQueue, 10, 20, 15, 5)).thresholds(),
            Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        BackPressure small = new BackPressure(settings, clock);
        small.update(SubmissionQueue, 10);
        assertEquals(List.of(delay(1), delay(3), delay(4), delay(4)),
            List.of(small.decide(OUTSIDE), small.decide(OUTSIDE), small.decide(OUTSIDE), small.decide(OUTSIDE)));
        clock.advance(Duration.ofSeconds(3));
        assertEquals(REFUSE, small.decide(OUTSIDE));
    }

    @Test
    void whoIsInsideTheOrganization() {
        Organization org = OrganizationLoader.parse("""
            Organization { Name = "Contoso" }
            AcceptedDomains = [
              { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true }
              { Name = "fabrikam.test", DomainName = "fabrikam.test", DomainType = InternalRelay }
            ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test", Site = "Default-First-Site-Name" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
            Mailboxes = [ { Name = "Kate Smith", Alias = kate, Database = DB01 } ]
            """, "test.conf");
        assertTrue(BackPressure.senderInsideOrganization(org, Optional.of(SmtpAddress.of("kate@contoso.test")), false));
        assertTrue(BackPressure.senderInsideOrganization(org, Optional.of(SmtpAddress.of("nobody@CONTOSO.test")), false),
            "Exchange looks at the domain, not the directory");
        assertFalse(BackPressure.senderInsideOrganization(org, Optional.of(SmtpAddress.of("a@fabrikam.test")), false));
        assertFalse(BackPressure.senderInsideOrganization(org, Optional.of(SmtpAddress.of("a@example.org")), false));
        assertFalse(BackPressure.senderInsideOrganization(org, Optional.empty(), false), "null reverse path");
        assertTrue(BackPressure.senderInsideOrganization(org, Optional.of(SmtpAddress.of("a@example.org")), true),
            "authenticated sessions are inside");
    }
}
