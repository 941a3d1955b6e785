package io.mailflow.server.mailbox;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.message.HeaderFirewall;
import io.mailflow.core.message.ReceivedHeader;
import io.mailflow.core.organization.Organization;
import io.mailflow.delivery.mailbox.MailboxDelivery;
import io.mailflow.delivery.mailbox.MaildirStore;
import io.mailflow.frontend.receive.MailboxDeliveryRecipients;
import io.mailflow.frontend.receive.MessageSink;
import io.mailflow.frontend.receive.ReceivedMessage;
import io.mailflow.frontend.receive.SmtpPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Mailbox Transport Delivery as a service: the intake of the MailboxDelivery receive connector
 * (port 475). A message that arrives here is neither spooled nor categorized: the sending
 * Transport service already did both. Each recipient (checked again: the organization may have
 * changed since RCPT TO) gets its copy written into its Maildir with Return-Path, synced, and
 * only then does the stage complete, so the session's 250 after DATA means durable, as the
 * spool's does. Logs DELIVER (source STOREDRIVER) per database, or DUPLICATEDELIVER for a copy the
 * mailbox already holds (the same Message-ID sent again after a lost 250).
 */
public final class MailboxTransportDeliverySink implements MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxTransportDeliverySink.class);

    private final Supplier<Organization> organization;
    private final String serverName;
    private final MaildirStore store;
    private final Executor executor;
    private final MessageTrackingLog tracking;
    /** MTD's own delivery numbers, for the Received header and the 250; nothing is spooled here. */
    private final AtomicLong deliveries = new AtomicLong();

    public MailboxTransportDeliverySink(Supplier<Organization> organization, String serverName, MaildirStore store,
                                        Executor executor, MessageTrackingLog tracking) {
        this.organization = Objects.requireNonNull(organization);
        this.serverName = Objects.requireNonNull(serverName);
        this.store = Objects.requireNonNull(store);
        this.executor = Objects.requireNonNull(executor);
        this.tracking = Objects.requireNonNull(tracking);
    }

    @Override
    public CompletionStage<Queued> submit(ReceivedMessage message) {
        return CompletableFuture.supplyAsync(() -> deliver(message), executor);
    }

    private record Target(SmtpAddress recipient, String database, String alias) {
    }

    private Queued deliver(ReceivedMessage m) {
        Organization org = organization.get();
        List<Target> targets = new ArrayList<>();
        for (SmtpAddress r : m.recipients()) {
            MailboxDeliveryRecipients.Decision d = MailboxDeliveryRecipients.check(org, serverName, r);
            if (d instanceof MailboxDeliveryRecipients.Decision.Refuse refuse) {
                // All or nothing: the session's single DATA reply cannot speak for one recipient.
                LOG.warn("{}: message from {} not delivered: {} ({})", m.connectorId(), m.clientIp(),
                    refuse.reason(), refuse.reply().toLogString());
                throw new IllegalStateException(refuse.reply().toLogString() + ": " + refuse.reason());
            }
            MailboxDeliveryRecipients.Decision.Deliver deliver = (MailboxDeliveryRecipients.Decision.Deliver) d;
            targets.add(new Target(r, deliver.database().name(), deliver.mailbox().alias()));
        }
        long id = deliveries.incrementAndGet();
        String messageId = m.headers().first("Message-ID").map(String::strip)
            .orElse("<" + UUID.randomUUID() + "@" + m.serverFqdn() + ">");
        byte[] delivered = MailboxDelivery.contentFor(m.sender(), traced(m, id));
        Map<String, List<SmtpAddress>> written = new LinkedHashMap<>();
        Map<String, List<SmtpAddress>> duplicates = new LinkedHashMap<>();
        for (Target t : targets) {
            MaildirStore.Outcome outcome;
            try {
                outcome = store.deliver(t.database(), t.alias(), MailboxDelivery.deliveryId(messageId, t.recipient()),
                    delivered);
            } catch (IOException e) {
                LOG.error("{}: {} could not be written to {}\\{}: {}", m.connectorId(), messageId, t.database(),
                    t.alias(), e.toString());
                throw new UncheckedIOException(e);
            }
            (outcome == MaildirStore.Outcome.Delivered ? written : duplicates)
                .computeIfAbsent(t.database(), k -> new ArrayList<>()).add(t.recipient());
        }
        written.forEach((db, rcpts) -> log(TrackingEventId.DELIVER, m, messageId, id, db, rcpts, delivered.length));
        duplicates.forEach((db, rcpts) -> log(TrackingEventId.DUPLICATEDELIVER, m, messageId, id, db, rcpts,
            delivered.length));
        return new Queued(id, messageId);
    }

    /**
     * The content with this hop's Received header; organization headers survive only from a
     * session that may send them (the header firewall).
     */
    private static byte[] traced(ReceivedMessage m, long id) {
        byte[] content = m.content();
        if (!m.permissions().has(SmtpPermission.AcceptOrgHeaders)) {
            HeaderFirewall.Filtered f = HeaderFirewall.withoutOrganizationHeaders(content);
            if (!f.removed().isEmpty()) {
                LOG.info("{}: removed organization headers {} sent by {}, a session without {}", m.connectorId(),
                    f.removed(), m.clientIp(), SmtpPermission.AcceptOrgHeaders.extendedRight());
            }
            content = f.content();
        }
        String forRecipient = m.recipients().size() == 1 ? m.recipients().get(0).toString() : null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 256);
        out.writeBytes(ReceivedHeader.format(m.heloName(), m.clientIp(), m.serverFqdn(), m.serverIp(), m.protocol(),
            id, forRecipient, m.receivedAt()).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        return out.toByteArray();
    }

    private void log(TrackingEventId event, ReceivedMessage m, String messageId, long id, String database,
                     List<SmtpAddress> recipients, long size) {
        tracking.log(TrackingEvent.builder(event, TrackingSource.STOREDRIVER)
            .clientIp(m.clientIp()).clientHostname(m.heloName()).serverIp(m.serverIp())
            .serverHostname(m.serverFqdn()).connectorId(m.connectorId())
            .sourceContext("MailboxDatabase " + database).internalMessageId(id).messageId(messageId)
            .recipientAddress(recipients.stream().map(Object::toString).toList())
            .recipientStatus(recipients.stream().map(r -> event == TrackingEventId.DELIVER
                ? "250 2.0.0 Delivered" : "250 2.0.0 Already delivered").toList())
            .recipientCount(recipients.size()).totalBytes(size)
            .messageSubject(m.headers().first("Subject").orElse(""))
            .senderAddress(m.sender().map(Object::toString).orElse(""))
            .returnPath(m.sender().map(Object::toString).orElse(""))
            .directionality("Incoming").build());
    }
}
