package io.mailflow.server.receive;

import io.mailflow.core.logging.ProtocolLog;
import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.delivery.dns.MailHost;
import io.mailflow.delivery.dns.MxResolutionException;
import io.mailflow.delivery.dns.MxResolver;
import io.mailflow.delivery.smtp.ProxyConnection;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.delivery.smtp.SmtpTarget;
import io.mailflow.frontend.receive.OutboundProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Front End Transport's outbound proxy as the server runs it: the onward leg of an Outbound Proxy
 * Frontend session (717) over the delivery module's SMTP client. Tries the destination's hosts
 * in order (the smart hosts as given, or the domain's MX hosts by preference, each address in
 * turn) until one greets and accepts EHLO; every leg is written to the SmtpSend protocol log
 * under the receive connector's identity, as Exchange logs the FET's implicit Send connector.
 */
public final class FrontendProxyClient implements OutboundProxy {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendProxyClient.class);

    private final SmtpClient client;
    private final MxResolver mx;
    private final Executor executor;
    private final ProtocolLog sendLog;

    public FrontendProxyClient(SmtpClient client, MxResolver mx, Executor executor, ProtocolLog sendLog) {
        this.client = client;
        this.mx = mx;
        this.executor = executor;
        this.sendLog = sendLog;
    }

    @Override
    public Leg open(ProxyDestination destination, String heloName, String connectorId) {
        ProxyLeg leg = new ProxyLeg(heloName, connectorId);
        // MX lookups block: off the connection's stream.
        CompletableFuture.supplyAsync(() -> hosts(destination), executor)
            .whenComplete((hosts, error) -> {
                if (error != null) {
                    leg.ready.complete(SmtpReply.of(451, "4.4.0", "DNS query failed: " + error.getMessage()));
                } else if (hosts instanceof Unresolved unresolved) {
                    leg.ready.complete(unresolved.reply());
                } else {
                    leg.attempt(((Resolved) hosts).targets(), destination.port(), 0, null);
                }
            });
        return leg;
    }

    private sealed interface Hosts permits Resolved, Unresolved {
    }

    private record Resolved(List<String> targets) implements Hosts {
    }

    private record Unresolved(SmtpReply reply) implements Hosts {
    }

    private Hosts hosts(ProxyDestination destination) {
        if (destination.isSmartHosts()) {
            return new Resolved(destination.smartHosts().stream().map(ProxyDestination::hostOf).toList());
        }
        try {
            List<String> addresses = new ArrayList<>();
            for (MailHost host : mx.resolve(destination.domain())) {
                for (InetAddress address : host.addresses()) {
                    addresses.add(address.getHostAddress());
                }
            }
            return new Resolved(addresses);
        } catch (MxResolutionException e) {
            LOG.info("outbound proxy: MX lookup of {} failed: {}", destination.domain(), e.getMessage());
            return new Unresolved(SmtpReply.of(451, "4.4.0", e.status()));
        }
    }

    /** One proxied session's leg: the first host that answers, then every request on it. */
    private final class ProxyLeg implements Leg {
        private final CompletableFuture<SmtpReply> ready = new CompletableFuture<>();
        private final String heloName;
        private final String connectorId;
        private ProxyConnection connection;
        private boolean quit;

        ProxyLeg(String heloName, String connectorId) {
            this.heloName = heloName;
            this.connectorId = connectorId;
        }

        void attempt(List<String> hosts, int port, int index, SmtpReply last) {
            if (index >= hosts.size()) {
                ready.complete(last != null ? last : SmtpReply.of(451, "4.4.0", "No host to connect to"));
                return;
            }
            SmtpTarget target = SmtpTarget.of(hosts.get(index), port, heloName);
            ProxyConnection candidate = client.openProxy(target,
                sendLog.openSession(connectorId, "", target.endpoint()));
            candidate.ready().thenAccept(reply -> {
                if (!reply.isPositive()) {
                    LOG.info("outbound proxy: {} did not answer: {}", target.endpoint(), reply.toLogString());
                    attempt(hosts, port, index + 1, reply);
                    return;
                }
                boolean quitMeanwhile;
                synchronized (this) {
                    connection = candidate;
                    quitMeanwhile = quit;
                }
                if (quitMeanwhile) {
                    candidate.quit();
                }
                ready.complete(reply);
            });
        }

        @Override
        public CompletionStage<SmtpReply> ready() {
            return ready;
        }

        @Override
        public CompletionStage<SmtpReply> relay(String commandLine) {
            ProxyConnection c = connection();
            return c == null ? notConnected() : c.relay(commandLine);
        }

        @Override
        public CompletionStage<SmtpReply> relayContent(byte[] content) {
            ProxyConnection c = connection();
            return c == null ? notConnected() : c.relayContent(content);
        }

        @Override
        public void quit() {
            ProxyConnection c;
            synchronized (this) {
                quit = true;
                c = connection;
            }
            if (c != null) {
                c.quit();
            }
        }

        private synchronized ProxyConnection connection() {
            return connection;
        }

        private CompletionStage<SmtpReply> notConnected() {
            return CompletableFuture.completedFuture(SmtpReply.of(451, "4.4.2", "Proxy connection not established"));
        }
    }
}
