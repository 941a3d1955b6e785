package io.mailflow.server.transport;

import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TrackingEventId;
import io.mailflow.core.logging.TrackingSource;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.spool.Spool;
import io.mailflow.core.time.Clock;
import io.mailflow.delivery.dsn.DeliveryStatusNotification;
import io.mailflow.delivery.dsn.DsnMessage;
import io.mailflow.delivery.dsn.OriginalMessage;
import io.mailflow.delivery.dsn.RecipientNotice;
import io.mailflow.delivery.retry.RetrySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Transport service's DSN generator: turns a recipient's fate into a delivery status
 * notification (RFC 3464) to the original sender — failure (NDR), delay, or success when NOTIFY
 * asked for it — and submits it as a new message from {@code <>}, so it travels the pipeline like
 * any other (and a DSN is never sent about a DSN). The original content is read at once, while
 * the message is surely still in the spool; building and spooling the DSN happen off the caller.
 */
public final class DsnService {
    /** The connector name DSNs are submitted under ({@code <server>\DSN}), as Exchange's MessageSourceName "DSN". */
    public static final String SOURCE = "DSN";
    private static final Logger LOG = LoggerFactory.getLogger(DsnService.class);
    private static final Pattern REPLY = Pattern.compile("(\\d{3})(?:[ -](\\d\\.\\d{1,3}\\.\\d{1,3}))?\\s*(.*)",
        Pattern.DOTALL);

    /** Where a finished DSN goes: the spool and the Submission queue. */
    @FunctionalInterface
    public interface Submitter {
        CompletableFuture<?> submit(DsnMessage dsn);
    }

    private final Spool spool;
    private final String reportingMta;
    private final String postmasterDomain;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final MessageTrackingLog tracking;
    private volatile Submitter submitter;

    public DsnService(Spool spool, String reportingMta, String postmasterDomain, RetrySchedule schedule, Clock clock,
                      MessageTrackingLog tracking) {
        this.spool = spool;
        this.reportingMta = reportingMta;
        this.postmasterDomain = postmasterDomain;
        this.schedule = schedule;
        this.clock = clock;
        this.tracking = tracking;
    }

    /** Set once the intake exists (it needs the Submission queue, which needs this service). */
    public void submitTo(Submitter target) {
        this.submitter = target;
    }

    public CompletableFuture<Void> failure(Envelope envelope, List<EnvelopeRecipient> failed, String remoteHost) {
        List<RecipientNotice> notices = new ArrayList<>();
        for (EnvelopeRecipient r : failed) {
            notices.add(notice(RecipientNotice.failed(r.address(), reply(r.lastResponse()), clock.now()), r,
                remoteHost));
        }
        return send(envelope, notices);
    }

    public CompletableFuture<Void> delay(Envelope envelope, List<EnvelopeRecipient> waiting) {
        List<RecipientNotice> notices = new ArrayList<>();
        for (EnvelopeRecipient r : waiting) {
            String last = r.lastResponse() == null || r.lastResponse().isBlank()
                ? "400 4.4.7 Message delayed" : r.lastResponse();
            notices.add(notice(RecipientNotice.delayed(r.address(), reply(last), clock.now(),
                schedule.expiresAt(envelope.receivedAt())), r, ""));
        }
        return send(envelope, notices);
    }

    public CompletableFuture<Void> success(Envelope envelope, List<EnvelopeRecipient> delivered, String remoteHost) {
        List<RecipientNotice> notices = new ArrayList<>();
        for (EnvelopeRecipient r : delivered) {
            notices.add(notice(RecipientNotice.delivered(r.address(), reply(r.lastResponse()), clock.now()), r,
                remoteHost));
        }
        return send(envelope, notices);
    }

    private static RecipientNotice notice(RecipientNotice base, EnvelopeRecipient r, String remoteHost) {
        RecipientNotice n = base.withNotify(DsnNotify.effective(r.dsnNotify()));
        if (r.originalRecipient() != null && !r.originalRecipient().key().equals(r.address().key())) {
            n = n.withOriginalRecipient("rfc822;" + r.originalRecipient());
        }
        return remoteHost == null || remoteHost.isBlank() || remoteHost.equals(MailboxDeliveryAgent.HOST) ? n : n.withRemoteMta(remoteHost);
    }

    private CompletableFuture<Void> send(Envelope envelope, List<RecipientNotice> notices) {
        if (envelope.sender().isEmpty() || notices.isEmpty()) {
            return CompletableFuture.completedFuture(null); // never a DSN about a DSN (RFC 3461 §6.2)
        }
        byte[] content;
        try {
            content = spool.content(envelope.internalId());
        } catch (RuntimeException e) {
            LOG.error("no DSN for message {}: its content is gone from the spool ({})", envelope.messageId(), e.toString());
            return CompletableFuture.completedFuture(null);
        }
        List<DsnMessage> dsns = DeliveryStatusNotification.builder()
            .reportingMta(reportingMta).postmasterDomain(postmasterDomain)
            .original(OriginalMessage.of(envelope, content,
                envelope.dsnReturn() == null ? DsnReturn.HDRS : envelope.dsnReturn()))
            .recipients(notices).date(clock.now()).build();
        List<CompletableFuture<?>> written = new ArrayList<>();
        for (DsnMessage dsn : dsns) {
            tracking.log(TrackingEvent.builder(TrackingEventId.DSN, TrackingSource.DSN).envelope(envelope)
                .recipientAddress(envelope.senderText()).relatedRecipientAddress(null)
                .messageInfo(dsn.action().name()).reference(dsn.messageId()).build());
            written.add(submitter.submit(dsn).exceptionally(e -> {
                LOG.error("the {} DSN for message {} could not be spooled", dsn.action(), envelope.messageId(), e);
                return null;
            }));
        }
        return CompletableFuture.allOf(written.toArray(CompletableFuture[]::new));
    }

    /** A stored status line back into a reply: {@code 550 5.1.1 text}, or a plain code and text. */
    static SmtpReply reply(String text) {
        if (text != null) {
            Matcher m = REPLY.matcher(text.strip());
            if (m.matches()) {
                int code = Integer.parseInt(m.group(1));
                if (code >= 200 && code <= 599) {
                    return SmtpReply.of(code, m.group(2), m.group(3).isBlank() ? "" : m.group(3));
                }
            }
        }
        return SmtpReply.of(550, "5.0.0", text == null ? "Unknown failure" : text);
    }
}
