package io.mailflow.server;

import io.mailflow.categorizer.Categorization;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.time.SystemClock;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.server.transport.DeliveryAgent;
import io.mailflow.server.transport.IntraOrganizationRelayAgent;
import io.mailflow.server.transport.RemoteMailboxDeliveryAgent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers over real sockets: EX01's delivery agents hand mail to EX02's Mailbox Transport
 * Delivery (475) and Transport service (2525); EX02's connectors tell the organization's servers
 * (127.0.0.1) from other hosts (127.0.0.2). The agents are driven directly with items spooled on
 * EX01, not through the categorizer.
 */
class IntraOrganizationDeliveryTest {
    @TempDir
    static Path directory;
    static TwoServers servers;
    static ActorSystem<Void> clientSystem;
    static ExecutorService executor;

    @BeforeAll
    static void start() {
        servers = TwoServers.start(directory);
        clientSystem = ActorSystem.create(Behaviors.empty(), "ex01-agents");
        executor = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() throws Exception {
        executor.shutdownNow();
        clientSystem.terminate();
        clientSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        servers.close();
    }

    @Test
    void anotherServersMailboxTransportDeliveryWritesTheMaildirBeforeItsReply() throws Exception {
        Envelope e = spoolOnEx01("to-ex02-mtd", "", "david@contoso.test", "nobody@contoso.test", "kate@contoso.test");
        RemoteMailboxDeliveryAgent agent = new RemoteMailboxDeliveryAgent(servers.ex01::organization, "EX01",
            "ex01.contoso.test", NextHopSolutionKey.mailboxDatabase("DB02"), servers.ex01.spool(), client(), executor,
            new Semaphore(10), servers.ex01.logs().sendProtocol(), 20, 4);

        DeliveryAgent.Result result = agent.deliver(List.of(item(e))).toCompletableFuture().get(30, TimeUnit.SECONDS);

        // The agent completes only after EX02's 250, and EX02 answers only once the file is
        // synced into new/: the message is there now, with nothing left in tmp/.
        List<String> inbox = Mailboxes.messages(servers.ex02Data, "DB02", "david");
        assertEquals(1, inbox.stream().filter(m -> m.contains("Subject: to-ex02-mtd")).count(), inbox.toString());
        String delivered = inbox.stream().filter(m -> m.contains("Subject: to-ex02-mtd")).findFirst().orElseThrow();
        assertTrue(delivered.startsWith("Return-Path: <chris@fabrikam.example>\r\nReceived: from ex01.contoso.test ([127.0.0.1])"),
            delivered);
        assertTrue(Mailboxes.tmpFiles(servers.ex02Data).isEmpty());

        Map<String, EnvelopeRecipient> outcomes = byAddress(result.outcomes().get(e.internalId()));
        assertEquals(RecipientStatus.Delivered, outcomes.get("david@contoso.test").status());
        assertTrue(outcomes.get("david@contoso.test").lastResponse().startsWith("250 "));
        assertEquals(RecipientStatus.Failed, outcomes.get("nobody@contoso.test").status());
        assertEquals("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", outcomes.get("nobody@contoso.test").lastResponse());
        assertEquals(RecipientStatus.Ready, outcomes.get("kate@contoso.test").status());
        assertEquals("420 4.2.0 STOREDRV.Deliver; recipient mailbox is remote",
            outcomes.get("kate@contoso.test").lastResponse());

        Eventually.await("DELIVER by the store driver on EX02", Duration.ofSeconds(10), () -> {
            servers.ex02.logs().flush();
            return MessageTrackingLog.search(servers.ex02Data.resolve("logs"), t -> t.eventId() == TrackingEventId.DELIVER
                && t.source() == TrackingSource.STOREDRIVER && "to-ex02-mtd".equals(t.messageSubject())
                && t.recipientAddress().equals(List.of("david@contoso.test"))).size() == 1;
        });
    }

    @Test
    void theSameCopySentAgainAfterALostReplyIsNotDeliveredTwice() throws Exception {
        Envelope e = spoolOnEx01("sent-twice", "", "lisa@contoso.test");
        RemoteMailboxDeliveryAgent agent = new RemoteMailboxDeliveryAgent(servers.ex01::organization, "EX01",
            "ex01.contoso.test", NextHopSolutionKey.mailboxDatabase("DB02"), servers.ex01.spool(), client(), executor,
            new Semaphore(10), servers.ex01.logs().sendProtocol(), 20, 4);
        for (int attempt = 0; attempt < 2; attempt++) {
            DeliveryAgent.Result r = agent.deliver(List.of(item(e))).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(RecipientStatus.Delivered, r.outcomes().get(e.internalId()).get(0).status());
        }
        assertEquals(1, Mailboxes.count(servers.ex02Data, "DB02", "lisa", "Subject: sent-twice"));
    }

    @Test
    void otherHostsAreRefusedOnPort475WithExchanges530() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient("127.0.0.2", servers.ex02Port(475))) {
            assertTrue(c.replyLine().startsWith("220 ex02.contoso.test "));
            c.command("EHLO app.example");
            assertEquals("530 5.7.1 Client was not authenticated", c.command("MAIL FROM:<app@example.com>"));
            assertEquals("503 5.5.2 Need mail command", c.command("RCPT TO:<david@contoso.test>"));
        }
    }

    @Test
    void mailboxTransportDeliveryAnswersEachRecipientAtRcpt() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(servers.ex02Port(475))) {
            c.reply();
            c.command("EHLO ex01.contoso.test");
            assertEquals("250 2.1.0 Sender OK", c.command("MAIL FROM:<chris@fabrikam.example>"));
            assertEquals("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", c.command("RCPT TO:<nobody@contoso.test>"));
            assertEquals("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", c.command("RCPT TO:<d.jones@contoso.test>"));
            assertEquals("420 4.2.0 STOREDRV.Deliver; recipient mailbox is remote", c.command("RCPT TO:<kate@contoso.test>"));
            assertEquals("250 2.1.5 Recipient OK", c.command("RCPT TO:<david@contoso.test>"));
        }
    }

    @Test
    void aRelayCarriesTheOrganizationHeadersFromTheOrganizationsServersOnly() throws Exception {
        Envelope stamped = spoolOnEx01("relayed-from-ex01",
            "X-Mailflow-Organization-Categorized-By: old-hop.contoso.test\r\n", "david@contoso.test");
        Envelope anonymousAtEx01 = spoolOnEx01("relayed-anonymous-submission",
            "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n", "lisa@contoso.test");
        IntraOrganizationRelayAgent agent = new IntraOrganizationRelayAgent(servers.ex01::organization, "EX01",
            "ex01.contoso.test", NextHopSolutionKey.expansionServer("ex02.contoso.test"), servers.ex01.spool(), client(),
            executor, new Semaphore(10), servers.ex01.logs().sendProtocol(), 20, 4);

        DeliveryAgent.Result result = agent.deliver(List.of(item(stamped), item(anonymousAtEx01)))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(RecipientStatus.Delivered, result.outcomes().get(stamped.internalId()).get(0).status());
        assertEquals(RecipientStatus.Delivered, result.outcomes().get(anonymousAtEx01.internalId()).get(0).status());

        String atDavid = awaitMessage("david", "Subject: relayed-from-ex01");
        assertTrue(atDavid.contains("X-Mailflow-Organization-Categorized-By: ex01.contoso.test\r\n"), atDavid);
        assertFalse(atDavid.contains("old-hop"), atDavid);
        assertTrue(atDavid.contains("X-MS-Exchange-Organization-AuthAs: Internal\r\n"), atDavid);
        String atLisa = awaitMessage("lisa", "Subject: relayed-anonymous-submission");
        assertTrue(atLisa.contains("X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"), atLisa);
        assertFalse(atLisa.contains("AuthAs: Internal"), "EX01's stamp is kept, not upgraded by the relay");

        try (SmtpTestClient c = new SmtpTestClient("127.0.0.2", servers.ex02Port(2525))) {
            c.reply();
            c.command("EHLO forger.example");
            String reply = c.sendMessage("forger@fabrikam.example", List.of("lisa@contoso.test"),
                "X-Mailflow-Organization-Categorized-By: ex01.contoso.test\r\n"
                    + "X-MS-Exchange-Organization-AuthAs: Internal\r\nSubject: forged-organization-headers\r\n\r\nhi\r\n");
            assertTrue(reply.startsWith("250 2.6.0 "), reply);
        }
        String forged = awaitMessage("lisa", "Subject: forged-organization-headers");
        assertFalse(forged.contains("Categorized-By"), forged);
        assertFalse(forged.contains("AuthAs: Internal"), forged);
        assertTrue(forged.contains("X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"), forged);
    }

    private static String awaitMessage(String alias, String token) {
        Eventually.await(token + " in " + alias + "'s mailbox on EX02", Duration.ofSeconds(20),
            () -> Mailboxes.count(servers.ex02Data, "DB02", alias, token) == 1);
        return Mailboxes.messages(servers.ex02Data, "DB02", alias).stream().filter(m -> m.contains(token))
            .findFirst().orElseThrow();
    }

    private static SmtpClient client() {
        return new SmtpClient(clientSystem, SystemClock.INSTANCE);
    }

    /** A message as EX01's Transport service would have spooled it, without its queues knowing. */
    private static Envelope spoolOnEx01(String subject, String extraHeaders, String... recipients) {
        String messageId = "<" + subject + "@ex01.contoso.test>";
        byte[] content = (extraHeaders + "Message-ID: " + messageId + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.UTF_8);
        long id = servers.ex01.spool().nextInternalId();
        Envelope e = new Envelope(id, messageId, Optional.of(SmtpAddress.of("chris@fabrikam.example")),
            Arrays.stream(recipients).map(r -> EnvelopeRecipient.ready(SmtpAddress.of(r))).toList(), Instant.now(),
            "127.0.0.1", "app.contoso.test", "EX01\\Default Frontend EX01", "ex01.contoso.test", content.length,
            subject, BodyType.SevenBit, false, null);
        servers.ex01.spool().store(e, content);
        return e;
    }

    /** Every recipient as the router would hand it over: with its mailbox, or none when unknown. */
    private static DeliveryAgent.Item item(Envelope e) {
        return new DeliveryAgent.Item(e, e.recipients().stream().map(r -> new Categorization.Routed(r.address(),
            servers.ex01.organization().findRecipient(r.address()).filter(Mailbox.class::isInstance)
                .map(Mailbox.class::cast).orElse(null))).toList());
    }

    private static Map<String, EnvelopeRecipient> byAddress(List<EnvelopeRecipient> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(r -> r.address().toString(), Function.identity()));
    }
}
