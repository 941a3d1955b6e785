package io.mailflow.server.transport;

import io.mailflow.categorizer.Categorization;
import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.delivery.intraorg.NextHopServers;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.delivery.smtp.SmtpTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Exchange's implicit "Intra-Organization SMTP Send Connector": how a delivery queue whose next
 * hop is another server of the organization sends a batch. Asks {@link NextHopServers} for the
 * servers to try (from the organization as it is now, so a moved database or a changed connector
 * counts at the next attempt) and hands the batch to {@link SmtpTransmission}.
 */
final class IntraOrganizationSmtp {
    /** The connector-id of the SmtpSend protocol log, as Exchange names its implicit connector. */
    static final String CONNECTOR_ID = "Intra-Organization SMTP Send Connector";
    private static final Logger LOG = LoggerFactory.getLogger(IntraOrganizationSmtp.class);
    /** Postfix's smtp_connect_timeout; Exchange publishes none. */
    private static final Duration CONNECT_TIMEOUT = SmtpTarget.DEFAULT_CONNECT_TIMEOUT;

    private final Supplier<Organization> organization;
    private final String localServer;
    private final String heloName;
    private final NextHopSolutionKey key;
    private final Spool spool;
    private final Executor executor;
    private final SmtpTransmission transmission;

    IntraOrganizationSmtp(Supplier<Organization> organization, String localServer, String heloName,
                          NextHopSolutionKey key, Spool spool, SmtpClient client, Executor executor,
                          Semaphore outboundConnections, ProtocolLog sendLog) {
        this.organization = Objects.requireNonNull(organization);
        this.localServer = Objects.requireNonNull(localServer);
        this.heloName = Objects.requireNonNull(heloName);
        this.key = Objects.requireNonNull(key);
        this.spool = Objects.requireNonNull(spool);
        this.executor = Objects.requireNonNull(executor);
        this.transmission = new SmtpTransmission(client, executor, outboundConnections, sendLog);
    }

    /** Sends the batch with each message's spooled content passed through {@code content}. */
    CompletionStage<DeliveryAgent.Result> deliver(List<DeliveryAgent.Item> batch, UnaryOperator<byte[]> content) {
        return CompletableFuture.supplyAsync(() -> prepare(batch, content), executor).thenCompose(prepared -> {
            if (prepared.decision() instanceof NextHopServers.Decision.NoTarget none) {
                LOG.info("no server to send {} to: {}", key, none.response());
                return CompletableFuture.completedFuture(new DeliveryAgent.Result(Map.of(),
                    Optional.of(new DeliveryAgent.ConnectionFailure(none.response(), true)), ""));
            }
            List<SmtpTarget> targets = ((NextHopServers.Decision.Targets) prepared.decision()).endpoints().stream()
                .map(e -> new SmtpTarget(e.host(), e.port(), heloName, CONNECT_TIMEOUT,
                    SmtpTarget.DEFAULT_INACTIVITY_TIMEOUT))
                .toList();
            return transmission.send(CONNECTOR_ID, targets, prepared.transmission(),
                "451 4.4.0 No server to connect to for " + key.nextHopDomain());
        });
    }

    private record Prepared(NextHopServers.Decision decision, SmtpTransmission.Prepared transmission) {
    }

    /** Runs off the queue's actor: reads the spool and decides the targets. */
    private Prepared prepare(List<DeliveryAgent.Item> batch, UnaryOperator<byte[]> content) {
        NextHopServers.Decision decision = new NextHopServers(organization.get(), localServer)
            .targets(key, firstDatabase(batch));
        return new Prepared(decision, decision instanceof NextHopServers.Decision.Targets
            ? SmtpTransmission.prepare(batch, spool::content, content) : null);
    }

    /** The database of the batch's first mailbox recipient: a DAG relay tries its active server first. */
    private static Optional<String> firstDatabase(List<DeliveryAgent.Item> batch) {
        return batch.stream().flatMap(i -> i.recipients().stream()).map(Categorization.Routed::mailbox)
            .filter(Objects::nonNull).map(m -> m.database()).findFirst();
    }
}
