package io.mailflow.server.transport;

import io.mailflow.categorizer.Submission;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.logging.EventLog;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.logging.TransportEvents;
import io.mailflow.core.message.HeaderFirewall;
import io.mailflow.core.message.HeaderSection;
import io.mailflow.core.message.OrganizationHeaders;
import io.mailflow.core.message.ReceivedHeader;
import io.mailflow.core.spool.Spool;
import io.mailflow.frontend.receive.MessageSink;
import io.mailflow.frontend.receive.ReceivedMessage;
import io.mailflow.frontend.receive.SmtpPermission;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Transport service's intake: turns an accepted SMTP transaction into a spooled message.
 * Stamps the trace headers (Received; Message-ID and Date when the client left them out, as
 * RFC 5322 requires them), applies the header firewall (organization headers survive only from a
 * session holding Ms-Exch-Accept-Headers-Organization, exchange.md §1.4) and stamps
 * {@code X-MS-Exchange-Organization-AuthAs} (Internal from the organization's servers, Anonymous
 * from anyone else; a server's own stamp from an earlier hop is kept), stores envelope and content
 * with a synced write, logs RECEIVE, and only then completes, so the session's 250 follows the
 * fsync. Runs on the spool's executor: concurrent sessions share each fsync.
 */
public final class SpoolingMessageSink implements MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolingMessageSink.class);

    private final Spool spool;
    private final Executor spoolExecutor;
    private final MessageTrackingLog tracking;
    private final EventLog events;
    private final ActorRef<SubmissionQueue.Command> submissionQueue;
    private final AtomicLong submissionQueueLength;
    private final io.mailflow.core.time.Clock clock;

    public SpoolingMessageSink(Spool spool, Executor spoolExecutor, MessageTrackingLog tracking, EventLog events,
                               ActorRef<SubmissionQueue.Command> submissionQueue, AtomicLong submissionQueueLength,
                               io.mailflow.core.time.Clock clock) {
        this.spool = spool;
        this.spoolExecutor = spoolExecutor;
        this.tracking = tracking;
        this.events = events;
        this.submissionQueue = submissionQueue;
        this.submissionQueueLength = submissionQueueLength;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Queued> submit(ReceivedMessage message) {
        return CompletableFuture.supplyAsync(() -> spoolMessage(message), spoolExecutor);
    }

    /**
     * Spools a message the Transport service wrote itself (a DSN): no Received header, no
     * session; it enters the Submission queue like any other. Synced before it completes.
     */
    public CompletableFuture<Queued> submitGenerated(Optional<SmtpAddress> sender, List<EnvelopeRecipient> recipients,
                                                     byte[] content, String messageId, String subject,
                                                     String serverFqdn, String source) {
        return CompletableFuture.supplyAsync(() -> {
            long internalId = spool.nextInternalId();
            Envelope envelope = new Envelope(internalId, messageId, sender, recipients, clock.now(),
                "127.0.0.1", serverFqdn, source, serverFqdn, content.length, subject,
                io.mailflow.core.envelope.BodyType.SevenBit, false, null);
            spool.store(envelope, content);
            submissionQueueLength.incrementAndGet();
            submissionQueue.tell(new SubmissionQueue.Submit(envelope, Submission.DELIVERY_REPORT));
            return new Queued(internalId, messageId);
        }, spoolExecutor);
    }

    private Queued spoolMessage(ReceivedMessage m) {
        long internalId = spool.nextInternalId();
        HeaderSection headers = m.headers();
        String messageId = headers.first("Message-ID").map(String::strip)
            .orElse("<" + UUID.randomUUID() + "@" + m.serverFqdn() + ">");
        String forRecipient = m.recipients().size() == 1 ? m.recipients().get(0).toString() : null;
        ByteArrayOutputStream content = new ByteArrayOutputStream(m.content().length + 512);
        content.writeBytes(ReceivedHeader.format(m.heloName(), m.clientIp(), m.serverFqdn(), m.serverIp(),
            m.protocol(), internalId, forRecipient, m.receivedAt()).getBytes(StandardCharsets.UTF_8));
        if (!headers.has("Message-ID")) {
            content.writeBytes(("Message-ID: " + messageId + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!headers.has("Date")) {
            content.writeBytes(("Date: " + ReceivedHeader.RFC_5322_DATE.format(m.receivedAt()) + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        }
        byte[] received = m.content();
        boolean trusted = m.permissions().has(SmtpPermission.AcceptOrgHeaders);
        if (!trusted) {
            HeaderFirewall.Filtered filtered = HeaderFirewall.withoutOrganizationHeaders(received);
            if (!filtered.removed().isEmpty()) {
                LOG.info("{}: removed organization headers {} from {} sent by {}, a session without {}",
                    m.connectorId(), filtered.removed(), messageId, m.clientIp(),
                    SmtpPermission.AcceptOrgHeaders.extendedRight());
            }
            received = filtered.content();
        }
        // AuthAs is decided where the message enters the organization; later hops between its
        // servers keep it, so an anonymous submission never turns Internal by being relayed.
        String authAs = trusted ? headers.first(OrganizationHeaders.AUTH_AS).orElse(null) : null;
        if (authAs == null) {
            authAs = m.fromInsideOrganization() ? OrganizationHeaders.AUTH_AS_INTERNAL
                : OrganizationHeaders.AUTH_AS_ANONYMOUS;
            content.writeBytes((OrganizationHeaders.AUTH_AS + ": " + authAs + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        // What the categorizer reads of the organization headers, decided here rather than parsed again.
        Submission submission = Submission.of(Optional.of(authAs),
            trusted ? headers.first(OrganizationHeaders.CATEGORIZED_BY) : Optional.empty());
        content.writeBytes(received);
        byte[] stored = content.toByteArray();
        Envelope envelope = new Envelope(internalId, messageId, m.sender(),
            m.envelopeRecipients(), m.receivedAt(), m.clientIp(),
            m.heloName(), m.connectorId(), m.serverFqdn(), stored.length, headers.first("Subject").orElse(""),
            m.bodyType(), m.smtpUtf8(), m.envelopeId(), m.dsnReturn(), false);
        try {
            spool.store(envelope, stored);
        } catch (RuntimeException e) {
            LOG.error("message {} from {} could not be spooled: {}", messageId, m.clientIp(), e.getMessage());
            events.write(TransportEvents.messageNotSpooled(messageId, m.clientIp(), String.valueOf(e.getMessage())));
            throw e;
        }
        tracking.log(TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP).envelope(envelope)
            .serverIp(m.serverIp()).sourceContext(m.sessionId()).directionality("Incoming").build());
        submissionQueueLength.incrementAndGet();
        submissionQueue.tell(new SubmissionQueue.Submit(envelope, submission));
        return new Queued(internalId, messageId);
    }
}
