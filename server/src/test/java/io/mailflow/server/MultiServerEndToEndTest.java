package io.mailflow.server;

import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers of one organization, end to end from a real client (Python's smtplib) to both
 * mailbox stores: a message to kate (DB01 on EX01) and david (DB02 on EX02) bifurcates on EX01
 * into two copies with their NextHopSolutionKeys. In one AD site, david's copy goes straight to
 * EX02's Mailbox Transport Delivery (SmtpDeliveryToMailbox:DB02); with EX02 in another site it is
 * relayed to EX02's Transport service (SmtpRelayToMailboxDeliveryGroup), which only routes it.
 */
class MultiServerEndToEndTest {
    private static final String TWO_SITES = """
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test", Site = Seattle }, { Name = EX02, Fqdn = "ex02.contoso.test", Site = Dublin } ]
        AdSiteLinks = [ { Name = "Seattle-Dublin", Sites = [Seattle, Dublin], Cost = 10 } ]
        """;

    @TempDir
    Path directory;
    TwoServers servers;

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private void send(String token) throws Exception {
        send(token, "'kate@contoso.test', 'd.jones@contoso.test'");
    }

    private void send(String token, String pythonRecipients) throws Exception {
        Path script = directory.resolve("send.py");
        Files.writeString(script, String.join("\n",
            "import smtplib, sys",
            "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:",
            "    print('refused', s.sendmail('app@example.com', [" + pythonRecipients + "],",
            "        'From: app@example.com\\r\\nSubject: ' + sys.argv[2] + '\\r\\n\\r\\ntwo servers\\r\\n'))",
            ""));
        Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(servers.ex01Port(25)), token)
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("refused {}"), out);
    }

    private static List<TrackingEvent> tracking(Topology server, Path data, String subject, TrackingEventId id) {
        server.logs().flush();
        return MessageTrackingLog.search(data.resolve("logs"), e -> e.eventId() == id && subject.equals(e.messageSubject()));
    }

    private void awaitBothMailboxes(String token) {
        Eventually.await("kate's copy on EX01", Duration.ofSeconds(30),
            () -> Mailboxes.count(servers.ex01Data, "DB01", "kate", token) == 1);
        Eventually.await("david's copy on EX02", Duration.ofSeconds(30),
            () -> Mailboxes.count(servers.ex02Data, "DB02", "david", token) == 1);
    }

    @Test
    void inOneSiteTheRemoteDatabaseIsReachedThroughItsServersMailboxTransportDelivery() throws Exception {
        servers = TwoServers.start(directory.resolve("org"));
        String token = UUID.randomUUID().toString();
        send(token);
        awaitBothMailboxes(token);
        Eventually.await("DELIVER on EX01 and SEND to EX02", Duration.ofSeconds(10), () ->
            tracking(servers.ex01, servers.ex01Data, token, TrackingEventId.DELIVER).stream()
                .anyMatch(e -> e.sourceContext().equals("MailboxDatabase DB01"))
            && tracking(servers.ex01, servers.ex01Data, token, TrackingEventId.SEND).stream()
                .anyMatch(e -> e.sourceContext().contains("(SmtpDeliveryToMailbox:DB02)")
                    && e.recipientAddress().equals(List.of("david@contoso.test"))));
        Eventually.await("DELIVER by EX02's Mailbox Transport Delivery", Duration.ofSeconds(10),
            () -> !tracking(servers.ex02, servers.ex02Data, token, TrackingEventId.DELIVER).isEmpty());
        String david = Mailboxes.messages(servers.ex02Data, "DB02", "david").stream().filter(m -> m.contains(token))
            .findFirst().orElseThrow();
        assertTrue(david.startsWith("Return-Path: <app@example.com>"), david);
    }

    @Test
    void acrossSitesTheCopyIsRelayedToTheRemoteMailboxDeliveryGroup() throws Exception {
        servers = TwoServers.start(directory.resolve("org"), TWO_SITES);
        String token = UUID.randomUUID().toString();
        send(token);
        awaitBothMailboxes(token);
        Eventually.await("SEND to the Dublin delivery group", Duration.ofSeconds(10), () ->
            tracking(servers.ex01, servers.ex01Data, token, TrackingEventId.SEND).stream()
                .anyMatch(e -> e.sourceContext().contains("(SmtpRelayToMailboxDeliveryGroup:Site:Dublin;Version:15)")));
        Eventually.await("EX02 receives it and delivers it locally", Duration.ofSeconds(10), () ->
            !tracking(servers.ex02, servers.ex02Data, token, TrackingEventId.RECEIVE).isEmpty()
                && !tracking(servers.ex02, servers.ex02Data, token, TrackingEventId.DELIVER).isEmpty());
        assertEquals(List.of(), tracking(servers.ex02, servers.ex02Data, token, TrackingEventId.RESOLVE),
            "EX02 only routes what EX01 resolved (d.jones became david on EX01)");
        String david = Mailboxes.messages(servers.ex02Data, "DB02", "david").stream().filter(m -> m.contains(token))
            .findFirst().orElseThrow();
        assertTrue(david.contains("X-Mailflow-Organization-Categorized-By: ex01.contoso.test"), david);
    }

    @Test
    void aGroupIsExpandedOnItsExpansionServerAndItsMembersRoutedFromThere() throws Exception {
        servers = TwoServers.start(directory.resolve("org"), """
            DistributionGroups = [ { Name = "Dublin Team", Alias = dublin-team, Members = [kate, david],
                                     ExpansionServer = EX02, RequireSenderAuthenticationEnabled = false } ]
            """);
        String token = UUID.randomUUID().toString();
        send(token, "'dublin-team@contoso.test'");
        awaitBothMailboxes(token);
        Eventually.await("EX01 relays the group unexpanded to EX02", Duration.ofSeconds(10), () ->
            tracking(servers.ex01, servers.ex01Data, token, TrackingEventId.SEND).stream()
                .anyMatch(e -> e.sourceContext().contains("(SmtpRelayToServers:ex02.contoso.test)")
                    && e.recipientAddress().equals(List.of("dublin-team@contoso.test"))));
        Eventually.await("EX02 expands it", Duration.ofSeconds(10),
            () -> !tracking(servers.ex02, servers.ex02Data, token, TrackingEventId.EXPAND).isEmpty());
        assertTrue(tracking(servers.ex01, servers.ex01Data, token, TrackingEventId.EXPAND).stream()
            .allMatch(e -> e.sourceContext().startsWith("left to its ExpansionServer")), "EX01 does not expand it");
    }
}
