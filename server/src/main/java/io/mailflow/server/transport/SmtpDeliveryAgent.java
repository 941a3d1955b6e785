package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.categorizer.MessageCopy;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.dns.MailHost;
import io.mailflow.delivery.dns.MxResolutionException;
import io.mailflow.delivery.dns.MxResolver;
import io.mailflow.delivery.smtp.DeliveryBatchResult;
import io.mailflow.delivery.smtp.MessageResult;
import io.mailflow.delivery.smtp.OutboundMessage;
import io.mailflow.delivery.smtp.RecipientResult;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.delivery.smtp.SmtpTarget;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * A Send connector as a delivery agent: finds the next hop's hosts (the SmartHosts in order, or
 * the recipient domain's MX hosts by preference) and gives one connection up to
 * SmtpMaxMessagesPerConnection messages, trying the next host when one cannot be reached. Each
 * recipient's reply decides it: 2xx delivered, 4xx deferred, 5xx failed. Every connection of the
 * server counts against MaxOutboundConnections.
 */
public final class SmtpDeliveryAgent implements DeliveryAgent {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final SendConnector connector;
    private final NextHopSolutionKey key;
    private final SmtpClient client;
    private final MxResolver mx;
    private final Spool spool;
    private final Executor executor;
    private final String heloName;
    private final int maxPerDomainOutboundConnections;
    private final Semaphore outboundConnections;
    private final ProtocolLog sendLog;

    public SmtpDeliveryAgent(SendConnector connector, NextHopSolutionKey key, SmtpClient client, MxResolver mx,
                             Spool spool, Executor executor, String heloName, int maxPerDomainOutboundConnections,
                             Semaphore outboundConnections, ProtocolLog sendLog) {
        this.connector = connector;
        this.key = key;
        this.client = client;
        this.mx = mx;
        this.spool = spool;
        this.executor = executor;
        this.heloName = heloName;
        this.maxPerDomainOutboundConnections = maxPerDomainOutboundConnections;
        this.outboundConnections = outboundConnections;
        this.sendLog = sendLog;
    }

    @Override
    public int maxMessagesPerBatch() {
        return connector.smtpMaxMessagesPerConnection();
    }

    @Override
    public int maxConcurrentBatches() {
        return maxPerDomainOutboundConnections;
    }

    @Override
    public CompletionStage<Result> deliver(List<Item> batch) {
        return CompletableFuture.supplyAsync(() -> hosts(), executor).thenCompose(hosts -> {
            if (hosts instanceof Failed failed) {
                return CompletableFuture.completedFuture(new Result(Map.of(), Optional.of(failed.failure()), ""));
            }
            List<Transaction> transactions = transactions(batch);
            List<OutboundMessage> messages = new ArrayList<>();
            for (Transaction t : transactions) {
                Envelope e = t.item().envelope();
                String id = e.internalId() + (t.copy().number() == 0 ? "" : "." + t.copy().number());
                // Flags from the content too: clients send 8-bit text and UTF-8 headers undeclared.
                messages.add(OutboundMessage.detect(id, e.sender().map(Object::toString).orElse(""),
                    t.recipients().stream().map(r -> r.recipient().toString()).toList(),
                    t.copy().contentOf(spool.content(e.internalId())), e.bodyType() == BodyType.EightBitMime,
                    e.smtpUtf8()));
            }
            return attempt(((Found) hosts).targets(), 0, transactions, messages, null);
        });
    }

    /** Tries the hosts in order until one answers; a host that cannot be reached is skipped. */
    private CompletionStage<Result> attempt(List<SmtpTarget> targets, int index, List<Transaction> batch,
                                            List<OutboundMessage> messages, Result lastFailure) {
        if (index >= targets.size()) {
            return CompletableFuture.completedFuture(lastFailure != null ? lastFailure : new Result(Map.of(),
                Optional.of(new ConnectionFailure("451 4.4.0 No host to connect to for " + key.nextHopDomain(), true)),
                ""));
        }
        SmtpTarget target = targets.get(index);
        return CompletableFuture.supplyAsync(() -> {
            outboundConnections.acquireUninterruptibly();
            return target;
        }, executor).thenCompose(t -> client.deliver(t, messages, sendLog.openSession(connector.name(), "",
            t.endpoint())).whenComplete((r, e) -> outboundConnections.release())).thenCompose(result -> {
                Result converted = convert(batch, result, target.host());
                boolean unreached = result.failure().isPresent() && result.failure().get().isTransient()
                    && converted.outcomes().isEmpty();
                return unreached ? attempt(targets, index + 1, batch, messages, converted)
                    : CompletableFuture.completedFuture(converted);
            });
    }

    /** One SMTP transaction: the recipients of one bifurcated copy of a queued message. */
    private record Transaction(Item item, MessageCopy copy, List<Categorization.Routed> recipients) {
    }

    /** Each message of the batch as one transaction per copy (the categorizer chips at ExpansionSizeLimit). */
    private static List<Transaction> transactions(List<Item> batch) {
        List<Transaction> result = new ArrayList<>();
        for (Item item : batch) {
            Map<MessageCopy, List<Categorization.Routed>> byCopy = new LinkedHashMap<>();
            item.recipients().forEach(r -> byCopy.computeIfAbsent(r.copy(), c -> new ArrayList<>()).add(r));
            byCopy.forEach((copy, recipients) -> result.add(new Transaction(item, copy, recipients)));
        }
        return result;
    }

    /**
     * The replies per recipient, per message. When the connection ended between two copies of one
     * message, the recipients of the copies it did not reach wait for the next attempt, deferred
     * with the failure, so a partly sent message never loses a recipient.
     */
    private static Result convert(List<Transaction> batch, DeliveryBatchResult result, String host) {
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
                byAddress.put(r.address().toLowerCase(java.util.Locale.ROOT), r.reply());
            }
            List<EnvelopeRecipient> out = outcomes.computeIfAbsent(id, k -> new ArrayList<>());
            for (EnvelopeRecipient r : entries) {
                SmtpReply reply = byAddress.get(r.address().toString().toLowerCase(java.util.Locale.ROOT));
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
        return new Result(outcomes, result.failure().map(f -> new ConnectionFailure(f.reply().toLogString(),
            f.isTransient())), host);
    }

    private sealed interface Hosts permits Found, Failed {
    }

    private record Found(List<SmtpTarget> targets) implements Hosts {
    }

    private record Failed(ConnectionFailure failure) implements Hosts {
    }

    /** The hosts to try, in order: the connector's smart hosts, or the domain's mail exchangers. */
    private Hosts hosts() {
        List<SmtpTarget> targets = new ArrayList<>();
        if (key.deliveryType() == DeliveryType.SmartHostConnectorDelivery) {
            for (String host : connector.smartHosts()) {
                targets.add(target(host.startsWith("[") ? host.substring(1, host.length() - 1) : host));
            }
            return new Found(targets);
        }
        try {
            for (MailHost host : mx.resolve(key.nextHopDomain())) {
                for (InetAddress address : host.addresses()) {
                    targets.add(target(address.getHostAddress()));
                }
            }
        } catch (MxResolutionException e) {
            return new Failed(new ConnectionFailure(e.status(), !e.permanent()));
        }
        return new Found(targets);
    }

    private SmtpTarget target(String host) {
        return new SmtpTarget(host, connector.port(), heloName, CONNECT_TIMEOUT, connector.connectionInactivityTimeOut());
    }
}
