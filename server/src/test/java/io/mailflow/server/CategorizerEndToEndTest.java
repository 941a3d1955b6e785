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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The categorizer in the running relay, over SMTP from real clients: nested groups with duplicate
 * members and a proxy address deliver one copy per mailbox; forwarding loops terminate (a harmless
 * one delivers once each, a broken one NDRs); a group that requires authenticated senders refuses
 * an anonymous one with a multipart/report NDR; a group of 1,200 mail contacts is chipped into
 * copies of at most 1,000 recipients; and the tracking log (through Get-MessageTrackingLog in the
 * shell) shows each step.
 */
class CategorizerEndToEndTest {
    private static final String DIRECTORY = """
        Mailboxes += { Name = "Loop A", Alias = loopa, Database = DB01, ForwardingAddress = loopb }
        Mailboxes += { Name = "Loop B", Alias = loopb, Database = DB02, ForwardingAddress = loopa }
        Mailboxes += { Name = "Both A", Alias = botha, Database = DB01, ForwardingAddress = bothb, DeliverToMailboxAndForward = true }
        Mailboxes += { Name = "Both B", Alias = bothb, Database = DB02, ForwardingAddress = botha, DeliverToMailboxAndForward = true }
        DistributionGroups += { Name = Managers, Alias = managers, RequireSenderAuthenticationEnabled = false,
                                Members = [kate, david, all-staff, "l.brown@contoso.test"] }
        DistributionGroups += { Name = Board, Alias = board, Members = [chris] }
        """;

    @TempDir
    Path directory;
    RunningRelay relay;
    DownstreamSmtpServer downstream;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (downstream != null) {
            downstream.close();
        }
    }

    private void start(String extra) {
        relay = RunningRelay.startWith(directory, DIRECTORY + extra, "{ Name = \"Default Frontend EX01\", Server = EX01, "
            + "TarpitInterval = \"00:00:00\" }");
    }

    /** Sends with Python's smtplib, a client nobody here wrote; returns what it printed. */
    private String smtplib(String from, List<String> to, String subject) throws Exception {
        Path script = directory.resolve("send.py");
        Files.writeString(script, String.join("\n",
            "import smtplib, sys",
            "from email.message import EmailMessage",
            "m = EmailMessage()",
            "m['From'] = sys.argv[2]",
            "m['To'] = ', '.join(sys.argv[4:])",
            "m['Subject'] = sys.argv[3]",
            "m.set_content('categorizer test\\n')",
            "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:",
            "    print('refused', s.send_message(m, from_addr=sys.argv[2], to_addrs=sys.argv[4:]))",
            ""));
        List<String> command = new java.util.ArrayList<>(List.of("python3", script.toString(),
            Integer.toString(relay.defaultFrontendPort()), from, subject));
        command.addAll(to);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private List<TrackingEvent> tracking(String subject) {
        relay.topology.logs().flush();
        return MessageTrackingLog.search(relay.logs(), e -> subject.equals(e.messageSubject()));
    }

    private long events(String subject, TrackingEventId id) {
        return tracking(subject).stream().filter(e -> e.eventId() == id).count();
    }

    @Test
    void nestedGroupsDuplicateMembersAndAProxyAddressDeliverOneCopyPerMailbox() throws Exception {
        start("");
        String token = UUID.randomUUID().toString();
        String out = smtplib("app@example.com", List.of("managers@contoso.test", "k.smith@contoso.test"), token);
        assertTrue(out.contains("refused {}"), out);
        for (String[] box : new String[][]{{"DB01", "administrator"}, {"DB01", "kate"}, {"DB01", "chris"},
            {"DB02", "david"}, {"DB02", "lisa"}, {"DB02", "helpdesk"}}) {
            Eventually.await(box[1] + "'s copy", Duration.ofSeconds(20),
                () -> Mailboxes.count(relay.dataDirectory, box[0], box[1], token) == 1);
        }
        Eventually.await("six DELIVER entries", Duration.ofSeconds(10), () -> tracking(token).stream()
            .filter(e -> e.eventId() == TrackingEventId.DELIVER).mapToInt(e -> e.recipientAddress().size()).sum() == 6);
        assertEquals(2, events(token, TrackingEventId.EXPAND), "Managers and All Staff");
        assertTrue(events(token, TrackingEventId.DUPLICATEEXPAND) >= 2, "kate, david and lisa are named twice");
        assertEquals(1, events(token, TrackingEventId.RESOLVE), "k.smith resolved to kate");
        String messageId = tracking(token).get(0).messageId();
        AdminShell.Result shell = AdminShell.run(relay.dataDirectory,
            "Get-MessageTrackingLog -MessageId \"" + messageId + "\" | ft EventId,Recipients");
        assertTrue(shell.success(), shell.output());
        for (String step : List.of("RECEIVE", "SUBMIT", "RESOLVE", "EXPAND", "DUPLICATEEXPAND", "DELIVER")) {
            assertTrue(shell.output().contains(step), step + " in " + shell.output());
        }
        for (String[] box : new String[][]{{"DB01", "kate"}, {"DB02", "lisa"}}) {
            assertEquals(1, Mailboxes.count(relay.dataDirectory, box[0], box[1], token), box[1]);
        }
    }

    @Test
    void forwardingLoopsTerminateAndAnUnknownRecipientGetsAnNdr() throws Exception {
        start("");
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.contoso.test");
            String reply = c.sendMessage("kate@contoso.test", List.of("botha@contoso.test", "loopa@contoso.test",
                    "nobody@contoso.test"),
                "Subject: " + token + "\r\n\r\nloop " + token + "\r\n");
            assertTrue(reply.startsWith("250 2.6.0"), reply);
        }
        Eventually.await("one copy each for the harmless loop", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB01", "botha", token) == 1
                && Mailboxes.count(relay.dataDirectory, "DB02", "bothb", token) == 1);
        Eventually.await("the NDR for the broken loop", Duration.ofSeconds(20), () -> Mailboxes.messages(
            relay.dataDirectory, "DB01", "kate").stream().anyMatch(m -> m.contains("Undeliverable: " + token)));
        String ndr = Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream()
            .filter(m -> m.contains("Undeliverable: " + token)).findFirst().orElseThrow();
        assertTrue(ndr.contains("Content-Type: multipart/report; report-type=delivery-status"), ndr);
        assertTrue(ndr.contains("Final-Recipient: rfc822;loopa@contoso.test"), ndr);
        assertTrue(ndr.contains("5.4.6"), ndr);
        assertTrue(ndr.contains("Final-Recipient: rfc822;nobody@contoso.test"), ndr);
        assertTrue(ndr.contains("550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found"), ndr);
        assertTrue(ndr.contains("Content-Type: message/delivery-status"), ndr);
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB01", "loopa", token));
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB02", "loopb", token));
        assertEquals(1, Mailboxes.count(relay.dataDirectory, "DB01", "botha", token));
    }

    @Test
    void aGroupForAuthenticatedSendersRefusesAnAnonymousOneWithAnNdr() throws Exception {
        start("");
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.contoso.test");
            assertTrue(c.sendMessage("kate@contoso.test", List.of("board@contoso.test"),
                "Subject: " + token + "\r\n\r\nboard\r\n").startsWith("250 2.6.0"));
        }
        Eventually.await("the NDR", Duration.ofSeconds(20), () -> Mailboxes.messages(relay.dataDirectory, "DB01", "kate")
            .stream().anyMatch(m -> m.contains("Undeliverable: " + token)));
        String ndr = Mailboxes.messages(relay.dataDirectory, "DB01", "kate").stream()
            .filter(m -> m.contains("Undeliverable: " + token)).findFirst().orElseThrow();
        assertTrue(ndr.contains("550 5.7.1 RESOLVER.RST.AuthRequired; authentication required"), ndr);
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB01", "chris", token));
    }

    @Test
    void aGroupOfTwelveHundredMailContactsIsChippedIntoCopiesOfAThousand() throws Exception {
        downstream = new DownstreamSmtpServer();
        String contacts = IntStream.range(0, 1200).mapToObj(i -> "{ Name = M" + i + ", ExternalEmailAddress = \"m" + i
            + "@fabrikam.example\" }").collect(Collectors.joining("\n", "MailContacts = [\n", "\n]\n"));
        String members = IntStream.range(0, 1200).mapToObj(i -> "\"m" + i + "@fabrikam.example\"")
            .collect(Collectors.joining(", "));
        start(OutboundDeliveryTest.smartHost(downstream.port()) + "\n" + contacts
            + "DistributionGroups += { Name = Big, Alias = big, RequireSenderAuthenticationEnabled = false, Members = ["
            + members + "] }\n");
        String token = UUID.randomUUID().toString();
        String out = smtplib("app@example.com", List.of("big@contoso.test"), token);
        assertTrue(out.contains("refused {}"), out);
        Eventually.await("two transactions downstream", Duration.ofSeconds(30), () -> downstream.count(token) == 2);
        List<Integer> sizes = downstream.received.stream().filter(r -> r.data().contains(token))
            .map(r -> r.recipients().size()).sorted().toList();
        assertEquals(List.of(200, 1000), sizes);
        Eventually.await("TRANSFER in the tracking log", Duration.ofSeconds(10),
            () -> events(token, TrackingEventId.TRANSFER) == 1);
    }

    @Test
    void eachMailFlowRuleActionIsVisibleInTheDeliveredMessage() throws Exception {
        start("""
            TransportRules = [
              { Name = "Tag external", FromScope = NotInOrganization, SentTo = [lisa], PrependSubject = "[EXT] ",
                SetHeaderName = "X-Tagged", SetHeaderValue = "yes", RemoveHeader = "X-Internal-Secret",
                ApplyHtmlDisclaimerText = "<p>Sent from outside Contoso</p>", ApplyHtmlDisclaimerLocation = Append }
              { Name = "Copy invoices", SubjectContainsWords = [invoice], BlindCopyTo = [chris] }
              { Name = "Redirect help desk", SentTo = [helpdesk], RedirectMessageTo = [david] }
              { Name = "Block forbidden", SubjectContainsWords = [forbidden], RejectMessageReasonText = "Forbidden words",
                RejectMessageEnhancedStatusCode = "5.7.900" }
            ]
            """);
        String token = UUID.randomUUID().toString();
        try (SmtpTestClient c = relay.connect()) {
            c.reply();
            c.command("EHLO app.example.com");
            assertTrue(c.sendMessage("app@example.com", List.of("lisa@contoso.test", "kate@contoso.test",
                "helpdesk@contoso.test"), "From: App <app@example.com>\r\nSubject: invoice " + token + "\r\nX-Internal-Secret: 42\r\n\r\nplease pay\r\n")
                .startsWith("250 2.6.0"));
            assertTrue(c.sendMessage("kate@contoso.test", List.of("lisa@contoso.test"),
                "Subject: forbidden " + token + "\r\n\r\nno\r\n").startsWith("250 2.6.0"));
        }
        for (String[] box : new String[][]{{"DB02", "lisa"}, {"DB01", "kate"}, {"DB01", "chris"}, {"DB02", "david"}}) {
            Eventually.await(box[1] + "'s copy", Duration.ofSeconds(20),
                () -> Mailboxes.count(relay.dataDirectory, box[0], box[1], "invoice " + token) == 1);
        }
        String lisa = message("DB02", "lisa", "invoice " + token);
        assertTrue(lisa.contains("Subject: [EXT] invoice " + token), lisa);
        assertTrue(lisa.contains("X-Tagged: yes"), lisa);
        assertTrue(!lisa.contains("X-Internal-Secret"), lisa);
        assertTrue(lisa.contains("Sent from outside Contoso"), lisa);
        String kate = message("DB01", "kate", "invoice " + token);
        assertTrue(kate.contains("Subject: invoice " + token) && kate.contains("X-Internal-Secret: 42"),
            "the rule for lisa leaves kate's copy alone: " + kate);
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB02", "helpdesk", token), "redirected to david");
        Eventually.await("the NDR for the rejected message", Duration.ofSeconds(20), () -> Mailboxes.messages(
            relay.dataDirectory, "DB01", "kate").stream().anyMatch(m -> m.contains("Undeliverable: forbidden " + token)));
        assertTrue(message("DB01", "kate", "Undeliverable: forbidden " + token).contains("550 5.7.900 Forbidden words"));
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB02", "lisa", "forbidden " + token));
        Eventually.await("AGENTINFO naming each rule", Duration.ofSeconds(10), () -> {
            List<String> contexts = tracking("invoice " + token).stream()
                .filter(e -> e.eventId() == TrackingEventId.AGENTINFO).map(TrackingEvent::sourceContext).toList();
            return contexts.stream().anyMatch(x -> x.contains("ruleName=Tag external|action=PrependSubject"))
                && contexts.stream().anyMatch(x -> x.contains("ruleName=Copy invoices|action=BlindCopyTo"))
                && contexts.stream().anyMatch(x -> x.contains("ruleName=Redirect help desk|action=RedirectMessageTo"));
        });
        TrackingEvent copyInvoices = tracking("invoice " + token).stream()
            .filter(e -> e.eventId() == TrackingEventId.AGENTINFO && e.sourceContext().contains("ruleName=Copy invoices"))
            .findFirst().orElseThrow();
        assertEquals(java.util.Set.of("lisa@contoso.test", "kate@contoso.test", "helpdesk@contoso.test"),
            java.util.Set.copyOf(copyInvoices.recipientAddress()), "AGENTINFO names every recipient the rule acted for");
    }

    @Test
    void aRuleAddedFromTheShellAppliesToTheNextMessage() throws Exception {
        start("");
        AdminShell.Result added = AdminShell.run(relay.dataDirectory,
            "New-TransportRule -Name \"Tag for Lisa\" -SentTo lisa -PrependSubject \"[TAG] \"");
        assertTrue(added.success(), added.output());
        String token = UUID.randomUUID().toString();
        assertTrue(smtplib("app@example.com", List.of("lisa@contoso.test"), token).contains("refused {}"));
        Eventually.await("lisa's tagged copy", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB02", "lisa", "[TAG] " + token) == 1);
        AdminShell.Result disabled = AdminShell.run(relay.dataDirectory, "Disable-TransportRule \"Tag for Lisa\"");
        assertTrue(disabled.success(), disabled.output());
        String untagged = UUID.randomUUID().toString();
        smtplib("app@example.com", List.of("lisa@contoso.test"), untagged);
        Eventually.await("lisa's untagged copy", Duration.ofSeconds(20),
            () -> Mailboxes.count(relay.dataDirectory, "DB02", "lisa", untagged) == 1);
        assertEquals(0, Mailboxes.count(relay.dataDirectory, "DB02", "lisa", "[TAG] " + untagged));
    }

    private String message(String database, String alias, String containing) {
        return Mailboxes.messages(relay.dataDirectory, database, alias).stream().filter(m -> m.contains(containing))
            .findFirst().orElseThrow();
    }
}
