package io.mailflow.server.transport;

import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.delivery.smtp.DeliveryBatchResult;
import io.mailflow.delivery.smtp.MessageResult;
import io.mailflow.delivery.smtp.OutboundMessage;
import io.mailflow.delivery.smtp.RecipientResult;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.delivery.smtp.SmtpTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * The SMTP send step shared by the SMTP delivery agents (Send connectors, Mailbox Transport
 * Delivery on other servers, relays to other Transport services): one connection per batch to the
 * first target that answers, the next target when one cannot be reached, each recipient's reply
 * turned into its outcome (2xx delivered, 4xx deferred, 5xx failed). Every connection counts
 * against the server's MaxOutboundConnections and is written to the SmtpSend protocol log.
 */
final class SmtpTransmission {
    private final SmtpClient client;
    private final Executor executor;
    private final Semaphore outboundConnections;
    private final ProtocolLog sendLog;

    SmtpTransmission(SmtpClient client, Executor executor, Semaphore outboundConnections, ProtocolLog sendLog) {
        this.client = client;
        this.executor = executor;
        this.outboundConnections = outboundConnections;
        this.sendLog = sendLog;
    }

    /**
     * Sends the batch to the targets in order until one answers.
     *
     * @param connectorId    the Send connector's name for the protocol log
     * @param noHostResponse the failure when there is no target at all
     */
    CompletionStage<DeliveryAgent.Result> send(String connectorId, List<SmtpTarget> targets,
                                               List<DeliveryAgent.Item> batch, List<OutboundMessage> messages,
                                               String noHostResponse) {
        return attempt(connectorId, targets, 0, batch, messages, null, noHostResponse);
    }

    private CompletionStage<DeliveryAgent.Result> attempt(String connectorId, List<SmtpTarget> targets, int index,
                                                          List<DeliveryAgent.Item> batch, List<OutboundMessage> messages,
                                                          DeliveryAgent.Result lastFailure, String noHostResponse) {
        if (index >= targets.size()) {
            return CompletableFuture.completedFuture(lastFailure != null ? lastFailure : new DeliveryAgent.Result(
                Map.of(), Optional.of(new DeliveryAgent.ConnectionFailure(noHostResponse, true)), ""));
        }
        SmtpTarget target = targets.get(index);
        return CompletableFuture.supplyAsync(() -> {
            outboundConnections.acquireUninterruptibly();
            return target;
        }, executor).thenCompose(t -> client.deliver(t, messages, sendLog.openSession(connectorId, "",
            t.endpoint())).whenComplete((r, e) -> outboundConnections.release())).thenCompose(result -> {
                DeliveryAgent.Result converted = convert(batch, result, target.host());
                boolean unreached = result.failure().isPresent() && result.failure().get().isTransient()
                    && converted.outcomes().isEmpty();
                return unreached ? attempt(connectorId, targets, index + 1, batch, messages, converted, noHostResponse)
                    : CompletableFuture.completedFuture(converted);
            });
    }

    /** One queued message as the SMTP client sends it: its envelope, these recipients, this content. */
    static OutboundMessage outbound(DeliveryAgent.Item item, byte[] content) {
        Envelope e = item.envelope();
        return new OutboundMessage(Long.toString(e.internalId()), e.sender().map(Object::toString).orElse(""),
            item.recipients().stream().map(r -> r.recipient().toString()).toList(), content,
            e.bodyType() == BodyType.EightBitMime, e.smtpUtf8());
    }

    /** Each attempted message's recipients with the outcome their reply earned. */
    static DeliveryAgent.Result convert(List<DeliveryAgent.Item> batch, DeliveryBatchResult result, String host) {
        Map<Long, List<EnvelopeRecipient>> outcomes = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!result.attempted(i)) {
                continue;
            }
            DeliveryAgent.Item item = batch.get(i);
            MessageResult m = result.results().get(i);
            Map<String, SmtpReply> byAddress = new HashMap<>();
            for (RecipientResult r : m.outcomes()) {
                byAddress.put(r.address().toLowerCase(Locale.ROOT), r.reply());
            }
            List<EnvelopeRecipient> out = new ArrayList<>();
            for (EnvelopeRecipient r : item.entries()) {
                SmtpReply reply = byAddress.get(r.address().toString().toLowerCase(Locale.ROOT));
                if (reply == null) {
                    continue;
                }
                String text = reply.toLogString();
                out.add(reply.isPositive() ? r.delivered(text) : reply.isTransientFailure() ? r.deferred(text) : r.failed(text));
            }
            outcomes.put(item.envelope().internalId(), out);
        }
        return new DeliveryAgent.Result(outcomes, result.failure().map(f -> new DeliveryAgent.ConnectionFailure(
            f.reply().toLogString(), f.isTransient())), host);
    }
}
