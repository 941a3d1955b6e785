package io.mailflow.server.transport;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.message.HeaderFirewall;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import io.mailflow.core.spool.Spool;
import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.delivery.dns.MailHost;
import io.mailflow.delivery.intraorg.NextHopServers;
import io.mailflow.delivery.intraorg.OutboundProxyFrontends;
import io.mailflow.delivery.dns.MxResolutionException;
import io.mailflow.delivery.dns.MxResolver;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.delivery.smtp.SmtpTarget;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A Send connector as a delivery agent: finds the next hop's hosts (the SmartHosts in order, or
 * the recipient domain's MX hosts by preference) and gives one connection up to
 * SmtpMaxMessagesPerConnection messages, trying the next host when one cannot be reached. Each
 * recipient's reply decides it: 2xx delivered, 4xx deferred, 5xx failed. Every connection of the
 * server counts against MaxOutboundConnections. With FrontendProxyEnabled the hosts are the local
 * site's Front End Transport services instead ({@link OutboundProxyFrontends}, port 717), each
 * told the destination after EHLO (the smart hosts with Port, or the domain for its MX); a proxy
 * that cannot reach the destination answers 4xx, and the queue retries.
 */
public final class SmtpDeliveryAgent implements DeliveryAgent {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final SendConnector connector;
    private final NextHopSolutionKey key;
    private final MxResolver mx;
    private final Spool spool;
    private final Executor executor;
    private final String heloName;
    private final int maxPerDomainOutboundConnections;
    private final SmtpTransmission transmission;
    private final Supplier<NextHopServers.Decision> frontendProxies;

    public SmtpDeliveryAgent(SendConnector connector, NextHopSolutionKey key, SmtpClient client, MxResolver mx,
                             Spool spool, Executor executor, String heloName, int maxPerDomainOutboundConnections,
                             Semaphore outboundConnections, ProtocolLog sendLog,
                             Supplier<NextHopServers.Decision> frontendProxies) {
        this.frontendProxies = frontendProxies;
        this.connector = connector;
        this.key = key;
        this.mx = mx;
        this.spool = spool;
        this.executor = executor;
        this.heloName = heloName;
        this.maxPerDomainOutboundConnections = maxPerDomainOutboundConnections;
        this.transmission = new SmtpTransmission(client, executor, outboundConnections, sendLog);
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
            // Leaving the organization: its X-MS-Exchange-Organization-* headers stay inside, as Exchange's do.
            SmtpTransmission.Prepared prepared = SmtpTransmission.prepare(batch, spool::content,
                c -> HeaderFirewall.withoutOrganizationHeaders(c).content());
            return transmission.send(connector.name(), ((Found) hosts).targets(), prepared,
                "451 4.4.0 No host to connect to for " + key.nextHopDomain());
        });
    }

    private sealed interface Hosts permits Found, Failed {
    }

    private record Found(List<SmtpTarget> targets) implements Hosts {
    }

    private record Failed(ConnectionFailure failure) implements Hosts {
    }

    /** The hosts to try, in order: the connector's smart hosts, or the domain's mail exchangers. */
    private Hosts hosts() {
        if (connector.frontendProxyEnabled()) {
            return proxies();
        }
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

    /** FrontendProxyEnabled: the Outbound Proxy Frontend connectors, each told where the mail goes. */
    private Hosts proxies() {
        NextHopServers.Decision decision = frontendProxies.get();
        if (decision instanceof NextHopServers.Decision.NoTarget none) {
            return new Failed(new ConnectionFailure(none.response(), true));
        }
        ProxyDestination destination = key.deliveryType() == DeliveryType.SmartHostConnectorDelivery
            ? ProxyDestination.smartHosts(connector.smartHosts(), connector.port())
            : ProxyDestination.domain(key.nextHopDomain(), connector.port());
        return new Found(((NextHopServers.Decision.Targets) decision).endpoints().stream()
            .map(e -> new SmtpTarget(e.host(), e.port(), heloName, CONNECT_TIMEOUT,
                connector.connectionInactivityTimeOut()).proxying(destination))
            .toList());
    }

    private SmtpTarget target(String host) {
        return new SmtpTarget(host, connector.port(), heloName, CONNECT_TIMEOUT, connector.connectionInactivityTimeOut());
    }
}
