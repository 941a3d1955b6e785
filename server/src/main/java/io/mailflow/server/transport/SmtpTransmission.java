package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.MessageCopy;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;

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

    /** One SMTP transaction: the recipients of one bifurcated copy of a queued message. */
    record Transaction(DeliveryAgent.Item item, MessageCopy copy, List<Categorization.Routed> recipients) {
    }

    /**
     * The batch as transactions, one per copy of each message (the categorizer splits a next hop's
     * recipients by the content mail flow rules gave them and chips them at ExpansionSizeLimit),
     * each with its content: the spooled bytes through {@code content}, then the copy's edits.
     */
    static Prepared prepare(List<DeliveryAgent.Item> batch, LongFunction<byte[]> spooled, UnaryOperator<byte[]> content) {
        List<Transaction> transactions = new ArrayList<>();
        List<OutboundMessage> messages = new ArrayList<>();
        for (DeliveryAgent.Item item : batch) {
            Map<MessageCopy, List<Categorization.Routed>> byCopy = new LinkedHashMap<>();
            item.recipients().forEach(r -> byCopy.computeIfAbsent(r.copy(), c -> new ArrayList<>()).add(r));
            Envelope e = item.envelope();
            byte[] stored = content.apply(spooled.apply(e.internalId()));
            byCopy.forEach((copy, recipients) -> {
                transactions.add(new Transaction(item, copy, recipients));
                String id = e.internalId() + (copy.number() == 0 ? "" : "." + copy.number());
                // Flags from the content too: clients send 8-bit text and UTF-8 headers undeclared.
                messages.add(OutboundMessage.detect(id, copy.reversePath(e.sender()).map(Object::toString).orElse(""),
                    recipients.stream().map(r -> r.recipient().toString()).toList(), copy.contentOf(stored),
                    e.bodyType() == BodyType.EightBitMime, e.smtpUtf8()));
            });
        }
        return new Prepared(transactions, messages);
    }

    /** Transactions and the messages the SMTP client sends for them, in the same order. */
    record Prepared(List<Transaction> transactions, List<OutboundMessage> messages) {
    }

    /**
     * Sends the transactions to the targets in order until one answers.
     *
     * @param connectorId    the Send connector's name for the protocol log
     * @param noHostResponse the failure when there is no target at all
     */
    CompletionStage<DeliveryAgent.Result> send(String connectorId, List<SmtpTarget> targets, Prepared prepared,
                                               String noHostResponse) {
        return attempt(connectorId, targets, 0, prepared, null, noHostResponse);
    }

    private CompletionStage<DeliveryAgent.Result> attempt(String connectorId, List<SmtpTarget> targets, int index,
                                                          Prepared prepared, DeliveryAgent.Result lastFailure,
                                                          String noHostResponse) {
        if (index >= targets.size()) {
            return CompletableFuture.completedFuture(lastFailure != null ? lastFailure : new DeliveryAgent.Result(
                Map.of(), Optional.of(new DeliveryAgent.ConnectionFailure(noHostResponse, true)), ""));
        }
        SmtpTarget target = targets.get(index);
        return CompletableFuture.supplyAsync(() -> {
            outboundConnections.acquireUninterruptibly();
            return target;
        }, executor).thenCompose(t -> client.deliver(t, prepared.messages(), sendLog.openSession(connectorId, "",
            t.endpoint())).whenComplete((r, e) -> outboundConnections.release())).thenCompose(result -> {
                DeliveryAgent.Result converted = convert(prepared.transactions(), result, target.host());
                boolean unreached = result.failure().isPresent() && result.failure().get().isTransient()
                    && converted.outcomes().isEmpty();
                return unreached ? attempt(connectorId, targets, index + 1, prepared, converted, noHostResponse)
                    : CompletableFuture.completedFuture(converted);
            });
    }

    /**
     * The replies per recipient, per message (2xx delivered, 4xx deferred, 5xx failed). When the
     * connection ended between two copies of one message, the recipients of the copies it did not
     * reach wait for the next attempt, deferred with the failure, so a partly sent message never
     * loses a recipient.
     */
    static DeliveryAgent.Result convert(List<Transaction> batch, DeliveryBatchResult result, String host) {
        Map<Long, List<EnvelopeRecipient>> outcomes = new LinkedHashMap<>();
        Map<Long, List<EnvelopeRecipient>> unreached = new HashMap<>();
        String failure = result.failure().map(f -> f.reply().toLogString()).orElse("451 4.4.0 not attempted");
        for (int i = 0; i < batch.size(); i++) {
            Transaction t = batch.get(i);
            long id = t.item().envelope().internalId();
            List<EnvelopeRecipient> entries = DeliveryAgent.entries(t.item().envelope(), t.recipients());
            if (!result.attempted(i)) {
                unreached.computeIfAbsent(id, k -> new ArrayList<>()).addAll(entries);
                continue;
            }
            MessageResult m = result.results().get(i);
            Map<String, SmtpReply> byAddress = new HashMap<>();
            for (RecipientResult r : m.outcomes()) {
                byAddress.put(r.address().toLowerCase(Locale.ROOT), r.reply());
            }
            List<EnvelopeRecipient> out = outcomes.computeIfAbsent(id, k -> new ArrayList<>());
            for (EnvelopeRecipient r : entries) {
                SmtpReply reply = byAddress.get(r.address().toString().toLowerCase(Locale.ROOT));
                if (reply == null) {
                    continue;
                }
                String text = reply.toLogString();
                out.add(reply.isPositive() ? r.delivered(text) : reply.isTransientFailure() ? r.deferred(text) : r.failed(text));
            }
        }
        unreached.forEach((id, entries) -> {
            List<EnvelopeRecipient> out = outcomes.get(id);
            if (out != null) {
                entries.forEach(e -> out.add(e.deferred(failure)));
            }
        });
        return new DeliveryAgent.Result(outcomes, result.failure().map(f -> new DeliveryAgent.ConnectionFailure(
            f.reply().toLogString(), f.isTransient())), host);
    }
}
