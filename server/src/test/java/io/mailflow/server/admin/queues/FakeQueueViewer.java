package io.mailflow.server.admin.queues;

import io.mailflow.core.params.ByteSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test fixture for the queue cmdlets: the queues and messages of server EX01 in memory, in the
 * states an administrator meets (a mailbox queue transmitting, a DNS queue in Retry, an idle
 * smart-host queue, a message in Unreachable), with the operations applying
 * {@link QueueOperationRules} as the Transport service does. MessageCount is counted from the
 * messages; the Poison queue shows only while it holds a message. {@link #calls} records what the
 * cmdlets asked for.
 */
class FakeQueueViewer implements QueueViewer {
    static final Instant RECEIVED = Instant.parse("2026-01-15T09:03:12Z");
    private static final String NO_CONNECTOR = "00000000-0000-0000-0000-000000000000";

    final Map<String, QueueInfo> queues = new LinkedHashMap<>();
    final List<MessageInfo> messages = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    FakeQueueViewer() {
        addQueue(new QueueInfo("EX01\\3", "SmtpDeliveryToMailbox", "mailbox database 0471695037",
            "8f3b4e1a-6c1d-4a7e-9d55-0c2b8f1e9a01", QueueInfo.Status.Active, 0, 0, 2, 2.5, 0.5, null, null, null,
            null, 0, QueueInfo.NextHopCategory.Internal));
        Instant lastRetry = RECEIVED.plus(Duration.ofMinutes(20));
        addQueue(new QueueInfo("EX01\\4", "DnsConnectorDelivery", "contoso.com",
            "5d0c2a7e-1b44-4c3a-8a66-2e9f0b7d4c12", QueueInfo.Status.Retry, 0, 0, 0.25, 0, -0.25,
            "451 4.4.0 DNS query failed. The error was: DNS query failed with error ErrorRetry", lastRetry,
            lastRetry.plus(Duration.ofMinutes(10)), RECEIVED.plus(Duration.ofMinutes(1)), 7,
            QueueInfo.NextHopCategory.External));
        addQueue(new QueueInfo("EX01\\5", "SmartHostConnectorDelivery", "smarthost01.fabrikam.com",
            "c7e1f0d2-93a4-4b1e-b2f0-7d3e5a9c6b23", QueueInfo.Status.Ready, 0, 0, 0, 0, 0, null, null, null, null,
            0, QueueInfo.NextHopCategory.External));
        addQueue(new QueueInfo("EX01\\Submission", "Undefined", "Submission", NO_CONNECTOR, QueueInfo.Status.Ready,
            0, 0, 0, 0, 0, null, null, null, null, 0, QueueInfo.NextHopCategory.Internal));
        addQueue(new QueueInfo("EX01\\Unreachable", "Unreachable", "Unreachable Domain", NO_CONNECTOR,
            QueueInfo.Status.Ready, 0, 0, 0, 0, 0, null, null, null, null, 0, QueueInfo.NextHopCategory.Internal));

        messages.add(message("EX01\\3\\12", "alice@contoso.com", MessageInfo.Status.Ready, "Quarterly report", 6656,
            null, List.of(new RecipientInfo("bob@mailflow.test", RecipientInfo.Status.Ready, null))));
        messages.add(message("EX01\\3\\13", "carol@fabrikam.com", MessageInfo.Status.Active, "Lunch on Friday?", 2048,
            null, List.of(new RecipientInfo("dave@mailflow.test", RecipientInfo.Status.Ready, null))));
        String dnsError = "451 4.4.0 DNS query failed";
        messages.add(message("EX01\\4\\12", "alice@contoso.com", MessageInfo.Status.Retry, "Quarterly report", 6656,
            dnsError, List.of(new RecipientInfo("erin@contoso.com", RecipientInfo.Status.Retry, dnsError),
                new RecipientInfo("frank@contoso.com", RecipientInfo.Status.Retry, dnsError))));
        for (int i = 20; i < 25; i++) {
            messages.add(message("EX01\\4\\" + i, "newsletter@mailflow.test", MessageInfo.Status.Retry,
                "Newsletter #" + i, 40_000 + i, dnsError,
                List.of(new RecipientInfo("reader" + i + "@contoso.com", RecipientInfo.Status.Retry, dnsError))));
        }
        messages.add(message("EX01\\Unreachable\\30", "gina@mailflow.test", MessageInfo.Status.Ready,
            "Orders for Northwind", 1_500_000, "A matching connector cannot be found to route the external recipient",
            List.of(new RecipientInfo("orders@northwind.example", RecipientInfo.Status.Ready,
                "A matching connector cannot be found to route the external recipient"))));
    }

    private void addQueue(QueueInfo q) {
        queues.put(q.identity(), q);
    }

    static MessageInfo message(String identity, String from, MessageInfo.Status status, String subject, long size,
                               String lastError, List<RecipientInfo> recipients) {
        String queue = identity.substring(0, identity.lastIndexOf('\\'));
        String integer = identity.substring(identity.lastIndexOf('\\') + 1);
        return new MessageInfo(identity, queue, from, status, ByteSize.ofBytes(size), subject,
            RECEIVED.plus(Duration.ofSeconds(Long.parseLong(integer))), RECEIVED.plus(Duration.ofDays(2)),
            "<" + integer + ".msg@mailflow.test>", lastError, "192.0.2.10", lastError == null ? 0 : 3,
            "SMTP:Default Frontend EX01", MessageInfo.Directionality.Incoming, recipients);
    }

    @Override
    public String serverName() {
        return "EX01";
    }

    @Override
    public List<QueueInfo> queues() {
        List<QueueInfo> out = new ArrayList<>();
        for (QueueInfo q : queues.values()) out.add(withCount(q));
        long poison = messages.stream().filter(MessageInfo::isPoison).count();
        if (poison > 0) {
            out.add(withCount(new QueueInfo("EX01\\Poison", "Undefined", "Poison Message", NO_CONNECTOR,
                QueueInfo.Status.Ready, 0, 0, 0, 0, 0, null, null, null, null, 0, QueueInfo.NextHopCategory.Internal)));
        }
        return out;
    }

    private QueueInfo withCount(QueueInfo q) {
        int count = (int) messages.stream().filter(m -> m.queue().equals(q.identity())).count();
        return new QueueInfo(q.identity(), q.deliveryType(), q.nextHopDomain(), q.nextHopConnector(), q.status(), count,
            q.deferredMessageCount(), q.incomingRate(), q.outgoingRate(), q.velocity(), q.lastError(),
            q.lastRetryTime(), q.nextRetryTime(), q.firstRetryTime(), q.retryCount(), q.nextHopCategory());
    }

    @Override
    public List<MessageInfo> messages() {
        return List.copyOf(messages);
    }

    @Override
    public QueueInfo retryQueue(String queueIdentity, boolean resubmit) {
        QueueInfo q = queue(queueIdentity);
        refuseIf(QueueOperationRules.retryQueue(q, resubmit));
        calls.add("retryQueue " + queueIdentity + " resubmit=" + resubmit);
        if (resubmit) {
            for (MessageInfo m : List.copyOf(messages)) {
                if (m.queue().equals(q.identity())) {
                    replace(m, moved(m, "EX01\\Submission"));
                }
            }
        }
        return setStatus(q, QueueInfo.Status.Active);
    }

    @Override
    public QueueInfo suspendQueue(String queueIdentity) {
        QueueInfo q = queue(queueIdentity);
        refuseIf(QueueOperationRules.suspendQueue(q));
        calls.add("suspendQueue " + queueIdentity);
        return setStatus(q, QueueInfo.Status.Suspended);
    }

    @Override
    public QueueInfo resumeQueue(String queueIdentity) {
        QueueInfo q = queue(queueIdentity);
        refuseIf(QueueOperationRules.resumeQueue(q));
        calls.add("resumeQueue " + queueIdentity);
        return setStatus(q, QueueInfo.Status.Ready);
    }

    @Override
    public MessageInfo suspendMessage(String messageIdentity) {
        MessageInfo m = message(messageIdentity);
        refuseIf(QueueOperationRules.suspendMessage(m));
        calls.add("suspendMessage " + messageIdentity);
        return replace(m, withStatus(m, QueueOperationRules.statusAfterSuspend(m)));
    }

    @Override
    public MessageInfo resumeMessage(String messageIdentity) {
        MessageInfo m = message(messageIdentity);
        refuseIf(QueueOperationRules.resumeMessage(m));
        calls.add("resumeMessage " + messageIdentity);
        return replace(m, withStatus(m, MessageInfo.Status.Ready));
    }

    @Override
    public MessageInfo removeMessage(String messageIdentity, boolean withNdr) {
        MessageInfo m = message(messageIdentity);
        refuseIf(QueueOperationRules.removeMessage(m));
        calls.add("removeMessage " + messageIdentity + " ndr=" + withNdr);
        if (QueueOperationRules.removesAtOnce(m)) {
            messages.remove(m);
            return m;
        }
        return replace(m, withStatus(m, MessageInfo.Status.PendingRemove));
    }

    @Override
    public byte[] exportMessage(String messageIdentity) {
        MessageInfo m = message(messageIdentity);
        refuseIf(QueueOperationRules.exportMessage(m));
        calls.add("exportMessage " + messageIdentity);
        return ("From: " + m.fromAddress() + "\r\nMessage-ID: " + m.internetMessageId() + "\r\nSubject: " + m.subject()
            + "\r\n\r\nBody of " + m.identity() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private QueueInfo queue(String identity) {
        return queues().stream().filter(q -> q.identity().equals(identity)).findFirst()
            .orElseThrow(() -> new QueueOperationException("The queue \"" + identity + "\" doesn't exist."));
    }

    private MessageInfo message(String identity) {
        return messages.stream().filter(m -> m.identity().equals(identity)).findFirst()
            .orElseThrow(() -> new QueueOperationException("The message \"" + identity + "\" has left its queue."));
    }

    private static void refuseIf(Optional<String> refusal) {
        if (refusal.isPresent()) throw new QueueOperationException(refusal.get());
    }

    private QueueInfo setStatus(QueueInfo q, QueueInfo.Status status) {
        QueueInfo changed = new QueueInfo(q.identity(), q.deliveryType(), q.nextHopDomain(), q.nextHopConnector(), status,
            q.messageCount(), q.deferredMessageCount(), q.incomingRate(), q.outgoingRate(), q.velocity(), q.lastError(),
            q.lastRetryTime(), q.nextRetryTime(), q.firstRetryTime(), q.retryCount(), q.nextHopCategory());
        queues.put(q.identity(), changed);
        return withCount(changed);
    }

    private MessageInfo replace(MessageInfo old, MessageInfo changed) {
        messages.set(messages.indexOf(old), changed);
        return changed;
    }

    static MessageInfo withStatus(MessageInfo m, MessageInfo.Status status) {
        return new MessageInfo(m.identity(), m.queue(), m.fromAddress(), status, m.size(), m.subject(), m.dateReceived(),
            m.expirationTime(), m.internetMessageId(), m.lastError(), m.sourceIP(), m.retryCount(),
            m.messageSourceName(), m.directionality(), m.recipients());
    }

    private static MessageInfo moved(MessageInfo m, String queue) {
        return new MessageInfo(queue + "\\" + m.messageInteger(), queue, m.fromAddress(), MessageInfo.Status.Ready,
            m.size(), m.subject(), m.dateReceived(), m.expirationTime(), m.internetMessageId(), null, m.sourceIP(),
            m.retryCount(), m.messageSourceName(), m.directionality(), m.recipients());
    }

    MessageInfo find(String identity) {
        return messages.stream().filter(m -> m.identity().equals(identity)).findFirst().orElse(null);
    }
}
