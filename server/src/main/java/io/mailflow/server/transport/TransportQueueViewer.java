package io.mailflow.server.transport;

import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.server.admin.queues.MessageInfo;
import io.mailflow.server.admin.queues.QueueInfo;
import io.mailflow.server.admin.queues.QueueOperationException;
import io.mailflow.server.admin.queues.QueueOperationRules;
import io.mailflow.server.admin.queues.QueueViewer;
import io.mailflow.server.admin.queues.RecipientInfo;
import io.mailflow.delivery.retry.RetrySchedule;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The queue viewer over the running Transport service: reads the snapshots the delivery queues
 * publish in the {@link QueueRegistry} (never waiting on them) and sends them the viewer's
 * commands, waiting for their answer. The Submission queue is shown with its length; a message
 * is identified as {@code EX01\<queue>\<InternalId>}, the same integer in every queue holding a
 * copy, as in Exchange.
 */
public final class TransportQueueViewer implements QueueViewer {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final QueueRegistry registry;
    private final AtomicLong submissionQueueLength;
    private final RetrySchedule schedule;
    private final Spool spool;
    private final ActorSystem<?> system;

    public TransportQueueViewer(QueueRegistry registry, AtomicLong submissionQueueLength, RetrySchedule schedule,
                                Spool spool, ActorSystem<?> system) {
        this.registry = registry;
        this.submissionQueueLength = submissionQueueLength;
        this.schedule = schedule;
        this.spool = spool;
        this.system = system;
    }

    @Override
    public String serverName() {
        return registry.server();
    }

    @Override
    public List<QueueInfo> queues() {
        List<QueueInfo> out = new ArrayList<>();
        long submission = Math.max(0, submissionQueueLength.get());
        out.add(new QueueInfo(serverName() + "\\" + QueueInfo.SUBMISSION, "Undefined", "Submission", "", QueueInfo.Status.Ready,
            (int) submission, 0, 0, 0, 0, null, null, null, null, 0, QueueInfo.NextHopCategory.Internal));
        for (QueueRegistry.QueueSnapshot q : registry.snapshots()) {
            if (!(q.key().equals(NextHopSolutionKey.POISON) && q.messages().isEmpty())) { // hidden when empty
                out.add(toInfo(q));
            }
        }
        return out;
    }

    private static QueueInfo toInfo(QueueRegistry.QueueSnapshot q) {
        boolean unreachable = q.key().deliveryType() == DeliveryType.Unreachable;
        int deferred = (int) q.messages().stream().filter(m -> m.retryCount() > 0).count();
        return new QueueInfo(q.identity(), q.key().deliveryType().name(),
            unreachable ? "Unreachable Domain" : q.key().nextHopDomain(), q.key().nextHopConnector(),
            QueueInfo.Status.valueOf(q.status()), q.messages().size(), deferred, q.incomingRate(), q.outgoingRate(),
            q.outgoingRate() - q.incomingRate(), q.lastError(), q.lastRetryTime(), q.nextRetryTime(),
            q.firstRetryTime(), q.retryCount(),
            q.key().deliveryType() == DeliveryType.SmtpDeliveryToMailbox || unreachable
                || q.key().deliveryType() == DeliveryType.Undefined
                ? QueueInfo.NextHopCategory.Internal : QueueInfo.NextHopCategory.External);
    }

    @Override
    public List<MessageInfo> messages() {
        List<MessageInfo> out = new ArrayList<>();
        for (QueueRegistry.QueueSnapshot q : registry.snapshots()) {
            for (QueueRegistry.MessageSnapshot m : q.messages()) {
                out.add(toInfo(q.identity(), m));
            }
        }
        return out;
    }

    private MessageInfo toInfo(String queue, QueueRegistry.MessageSnapshot m) {
        Envelope e = m.envelope();
        List<RecipientInfo> recipients = new ArrayList<>();
        for (EnvelopeRecipient r : m.pending()) {
            recipients.add(new RecipientInfo(r.address().toString(),
                m.retryCount() > 0 ? RecipientInfo.Status.Retry : RecipientInfo.Status.Ready, r.lastResponse()));
        }
        return new MessageInfo(queue + "\\" + e.internalId(), queue, e.senderText(),
            MessageInfo.Status.valueOf(m.status()), ByteSize.ofBytes(e.size()), e.subject(), e.receivedAt(),
            schedule.expiresAt(e.receivedAt()), e.messageId(), m.lastError(), e.clientIp(), m.retryCount(),
            e.connectorId().contains("\\") ? "SMTP:" + e.connectorId().substring(e.connectorId().indexOf('\\') + 1)
                : e.connectorId(),
            e.sender().isPresent() ? MessageInfo.Directionality.Incoming : MessageInfo.Directionality.Undefined,
            recipients);
    }

    @Override
    public QueueInfo retryQueue(String queueIdentity, boolean resubmit) {
        QueueInfo queue = queue(queueIdentity);
        QueueOperationRules.retryQueue(queue, resubmit).ifPresent(TransportQueueViewer::refuse);
        ask(queueIdentity, replyTo -> new DeliveryQueue.Retry(resubmit, replyTo));
        return queue(queueIdentity);
    }

    @Override
    public QueueInfo suspendQueue(String queueIdentity) {
        QueueOperationRules.suspendQueue(queue(queueIdentity)).ifPresent(TransportQueueViewer::refuse);
        ask(queueIdentity, DeliveryQueue.Suspend::new);
        return queue(queueIdentity);
    }

    @Override
    public QueueInfo resumeQueue(String queueIdentity) {
        QueueOperationRules.resumeQueue(queue(queueIdentity)).ifPresent(TransportQueueViewer::refuse);
        ask(queueIdentity, DeliveryQueue.Resume::new);
        return queue(queueIdentity);
    }

    @Override
    public MessageInfo suspendMessage(String messageIdentity) {
        MessageInfo m = message(messageIdentity);
        QueueOperationRules.suspendMessage(m).ifPresent(TransportQueueViewer::refuse);
        ask(m.queue(), replyTo -> new DeliveryQueue.SuspendMessage(internalId(m), replyTo));
        return message(messageIdentity);
    }

    @Override
    public MessageInfo resumeMessage(String messageIdentity) {
        MessageInfo m = message(messageIdentity);
        QueueOperationRules.resumeMessage(m).ifPresent(TransportQueueViewer::refuse);
        ask(m.queue(), replyTo -> new DeliveryQueue.ResumeMessage(internalId(m), replyTo));
        // A resumed poison message has gone back to the categorizer: it is no longer on a queue.
        return messages().stream().filter(x -> x.identity().equalsIgnoreCase(messageIdentity)).findFirst().orElse(m);
    }

    @Override
    public MessageInfo removeMessage(String messageIdentity, boolean withNdr) {
        MessageInfo m = message(messageIdentity);
        QueueOperationRules.removeMessage(m).ifPresent(TransportQueueViewer::refuse);
        ask(m.queue(), replyTo -> new DeliveryQueue.RemoveMessage(internalId(m), withNdr, replyTo));
        return m;
    }

    @Override
    public byte[] exportMessage(String messageIdentity) {
        MessageInfo m = message(messageIdentity);
        QueueOperationRules.exportMessage(m).ifPresent(TransportQueueViewer::refuse);
        return spool.content(internalId(m));
    }

    private QueueInfo queue(String identity) {
        return queues().stream().filter(q -> q.identity().equalsIgnoreCase(identity)).findFirst()
            .orElseThrow(() -> new QueueOperationException("The operation couldn't be performed because object '"
                + identity + "' couldn't be found on '" + serverName() + "'."));
    }

    private MessageInfo message(String identity) {
        return messages().stream().filter(m -> m.identity().equalsIgnoreCase(identity)).findFirst()
            .orElseThrow(() -> new QueueOperationException("The operation couldn't be performed because object '"
                + identity + "' couldn't be found on '" + serverName() + "'."));
    }

    private static long internalId(MessageInfo m) {
        return Long.parseLong(m.messageInteger());
    }

    private void ask(String queueIdentity, Function<ActorRef<DeliveryQueue.Done>, DeliveryQueue.Command> command) {
        ActorRef<DeliveryQueue.Command> queue = registry.queue(queueIdentity).orElseThrow(() ->
            new QueueOperationException("Queue '" + queueIdentity + "' can't be changed: it is not a delivery queue."));
        DeliveryQueue.Done done;
        try {
            done = AskPattern.<DeliveryQueue.Command, DeliveryQueue.Done>ask(queue, command::apply, ASK_TIMEOUT,
                system.scheduler()).toCompletableFuture().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new QueueOperationException("Queue '" + queueIdentity + "' did not answer: " + e.getMessage());
        }
        done.error().ifPresent(TransportQueueViewer::refuse);
    }

    private static void refuse(String error) {
        throw new QueueOperationException(error);
    }
}
