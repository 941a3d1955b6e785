package io.mailflow.server;

import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.logging.TransportEvents;
import io.mailflow.core.logging.TransportLogs;
import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.Server;
import io.mailflow.core.spool.RocksDbSpool;
import io.mailflow.core.spool.Spool;
import io.mailflow.core.time.Clock;
import io.mailflow.delivery.mailbox.MaildirStore;
import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.backpressure.DiskUsage;
import io.mailflow.frontend.admission.AdmissionRegistry;
import io.mailflow.frontend.auth.DirectoryAuthenticator;
import io.mailflow.frontend.receive.ReceiveServices;
import io.mailflow.server.backpressure.ResourceMonitor;
import io.mailflow.server.admin.AdminApi;
import io.mailflow.server.admin.ManagementShell;
import io.mailflow.server.admin.cmdlets.ConfigurationJournal;
import io.mailflow.server.admin.cmdlets.OrganizationStore;
import io.mailflow.server.receive.FrontendProxyClient;
import io.mailflow.server.receive.ReceiveConnectorBindings;
import io.mailflow.server.tls.SmtpCertificate;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.delivery.dns.MxResolver;
import io.mailflow.delivery.retry.RetrySchedule;
import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.delivery.smtp.SmtpClient;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.delivery.intraorg.NextHopServers;
import io.mailflow.delivery.intraorg.OutboundProxyFrontends;
import io.mailflow.server.mailbox.MailboxTransportDeliverySink;
import io.mailflow.server.transport.AfterListening;
import io.mailflow.server.transport.DeliveryAgent;
import io.mailflow.server.transport.IntraOrganizationRelayAgent;
import io.mailflow.server.transport.LiveCategorizer;
import io.mailflow.server.transport.RemoteMailboxDeliveryAgent;
import io.mailflow.server.transport.DeliveryQueue;
import io.mailflow.server.transport.DsnService;
import io.mailflow.server.transport.MailboxDeliveryAgent;
import io.mailflow.server.transport.QueueRegistry;
import io.mailflow.server.transport.SmtpDeliveryAgent;
import io.mailflow.server.transport.TransportQueueViewer;
import org.xbill.DNS.ExtendedResolver;
import io.mailflow.server.transport.ProtocolSessionLogs;
import io.mailflow.server.transport.SpoolingMessageSink;
import io.mailflow.server.transport.SubmissionQueue;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One server of the organization brought to life, as Postfix's master.cf wires its programs:
 * the spool and logs, the Submission queue with the categorizer, a delivery queue per
 * NextHopSolutionKey with its delivery agent (Mailbox Transport Delivery in-process for the
 * databases active here, SMTP to other servers' MTD and Transport services, Send connectors, or
 * through Front End Transport's Outbound Proxy Frontend for FrontendProxyEnabled), and a TCP
 * binding per receive connector (Front End Transport and the Transport service spool; Mailbox
 * Transport Delivery writes straight into the mailbox store; Outbound Proxy Frontend sessions
 * proxy to their destination). On start every message
 * left in the spool is submitted again, so nothing acknowledged is lost across a crash.
 */
public final class Topology implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Topology.class);
    /** Threads that block on spool syncs; more concurrent writers share each fsync. */
    private static final int SPOOL_THREADS = 64;
    private static final int DELIVERY_THREADS = 16;
    /** One per core of the small machines Mailflow runs on: hashing is CPU-bound. */
    private static final int LOGON_THREADS = 2;

    private final AtomicReference<Organization> organization;
    private final Server server;
    private final Path dataDirectory;
    private final Clock clock;
    private final Spool spool;
    private final TransportLogs logs;
    private final ExecutorService spoolExecutor;
    private final ExecutorService deliveryExecutor;
    /** Checks AUTH passwords: a PBKDF2 hash is CPU work that must not stall the connection threads. */
    private final ExecutorService logonExecutor;
    /** Completes once the receive connectors listen: deliveries wait for it (see AfterListening). */
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    private final ActorSystem<Void> system;
    private ReceiveConnectorBindings receiveConnectors;
    private final SmtpCertificate certificate;
    private AdminApi adminApi;
    /** Messages spooled and not yet taken by the categorizer: QueueLength[SubmissionQueue]. */
    private final AtomicLong submissionQueueLength = new AtomicLong();
    private final BackPressure backPressure;
    private final ActorRef<SubmissionQueue.Command> submissionQueue;
    private final RetrySchedule retrySchedule;
    private final QueueRegistry queues;
    private final DsnService dsns;
    private final MaildirStore store;

    private Topology(Organization organization, Server server, Path dataDirectory, Clock clock,
                     TransportServiceSettings settings, SmtpCertificate certificate) {
        this.organization = new AtomicReference<>(organization);
        this.server = server;
        this.certificate = certificate;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.logs = TransportLogs.open(dataDirectory.resolve("logs"), clock);
        this.spool = RocksDbSpool.open(dataDirectory.resolve("queue"));
        this.spoolExecutor = Executors.newFixedThreadPool(SPOOL_THREADS, named("spool"));
        this.deliveryExecutor = Executors.newFixedThreadPool(DELIVERY_THREADS, named("delivery"));
        this.logonExecutor = Executors.newFixedThreadPool(LOGON_THREADS, named("logon"));
        this.retrySchedule = new RetrySchedule(settings);
        this.queues = new QueueRegistry(server.name());
        this.store = new MaildirStore(dataDirectory.resolve("mailboxes"), server.fqdn());
        this.dsns = new DsnService(spool, server.fqdn(), organization.acceptedDomains().stream()
            .filter(d -> d.isDefault()).map(d -> d.domainName()).findFirst().orElse(server.fqdn()), retrySchedule, clock,
            logs.tracking());
        CompletableFuture<ActorRef<SubmissionQueue.Command>> spawned = new CompletableFuture<>();
        this.system = ActorSystem.create(guardian(spawned, settings), "mailflow");
        this.submissionQueue = spawned.join();
        this.backPressure = new BackPressure(BackPressure.Settings.defaults(), clock);
        ResourceMonitor monitor = new ResourceMonitor(backPressure, submissionQueueLength,
            dataDirectory.resolve("queue"), DiskUsage.system(), logs.events());
        Duration interval = backPressure.settings().resourceMeteringInterval();
        system.scheduler().scheduleAtFixedRate(interval, interval, monitor::meter, system.executionContext());
    }

    /**
     * Starts the server {@code serverName} of the organization, with the configuration changes
     * journaled by earlier shell sessions applied on top; returns once every connector listens.
     *
     * @param adminPort the admin API's loopback port (0: any free port; negative: no admin API)
     */
    public static Topology start(Organization organization, String serverName, Path dataDirectory, Clock clock,
                                 int adminPort) {
        return start(organization, serverName, dataDirectory, clock, adminPort, TransportServiceSettings.DEFAULT);
    }

    /** As above, with Set-TransportService's timers and limits (retry, expiry, concurrency). */
    public static Topology start(Organization organization, String serverName, Path dataDirectory, Clock clock,
                                 int adminPort, TransportServiceSettings settings) {
        organization.server(serverName)
            .orElseThrow(() -> new IllegalArgumentException("the organization has no server " + serverName));
        ConfigurationJournal journal = new ConfigurationJournal(dataDirectory);
        OrganizationStore replayed = OrganizationStore.inMemory(organization, serverName);
        List<String> stale = ManagementShell.replay(replayed, journal, clock);
        Server server = replayed.organization().server(serverName).get();
        // Made or read before anything starts: resubmitted mail goes to the listeners as soon as
        // recovery hands it on, so nothing slow may come between recovery and binding.
        SmtpCertificate certificate = SmtpCertificate.loadOrCreate(dataDirectory.resolve("tls"), server.fqdn(),
            clock.now());
        Topology topology = new Topology(replayed.organization(), server, dataDirectory, clock, settings, certificate);
        try {
            for (String failure : stale) {
                LOG.warn("a change recorded in {} no longer applies:\n{}", journal.file(), failure);
                topology.logs.events().write(TransportEvents.configurationChangeNotApplied(
                    journal.file().toString(), failure));
            }
            topology.recover(settings.poisonThreshold());
            topology.bindConnectors();
            topology.listening.complete(null);
            if (adminPort >= 0) {
                topology.startAdminApi(adminPort, journal);
            }
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    private void startAdminApi(int port, ConfigurationJournal journal) {
        OrganizationStore live = new OrganizationStore() {
            @Override
            public Organization organization() {
                return Topology.this.organization();
            }

            @Override
            public String serverName() {
                return server.name();
            }

            @Override
            public List<String> change(UnaryOperator<Organization> change) {
                return changeOrganization(change);
            }
        };
        try {
            adminApi = AdminApi.start(system.classicSystem(), port, dataDirectory,
                new ManagementShell(live, journal, logs, clock,
                    new TransportQueueViewer(queues, submissionQueueLength, retrySchedule, spool, system),
                    retrySchedule.settings()),
                spoolExecutor);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The admin API's port, or -1 when it was not started. */
    public int adminPort() {
        return adminApi == null ? -1 : adminApi.port();
    }

    private boolean hasMailboxDeliveryConnector() {
        return organization.get().receiveConnectorsOn(server.name()).stream()
            .anyMatch(c -> c.enabled() && c.transportRole() == io.mailflow.core.organization.TransportRole.MailboxDelivery);
    }

    private Behavior<Void> guardian(CompletableFuture<ActorRef<SubmissionQueue.Command>> spawned,
                                    TransportServiceSettings settings) {
        return Behaviors.setup(ctx -> {
            SmtpClient smtpClient = new SmtpClient(ctx.getSystem(), clock);
            MxResolver mx = new MxResolver(new ExtendedResolver());
            Semaphore outbound = new Semaphore(settings.maxOutboundConnections().isUnlimited()
                ? Integer.MAX_VALUE : (int) settings.maxOutboundConnections().orElse(Integer.MAX_VALUE));
            int perHop = (int) Math.min(Integer.MAX_VALUE,
                settings.maxPerDomainOutboundConnections().orElse(Integer.MAX_VALUE));
            SubmissionQueue.QueueFactory factory = (identity, key) -> {
                DeliveryAgent agent = switch (key.deliveryType()) {
                    // As in Exchange, the Transport service is Mailbox Transport Delivery's SMTP client
                    // (port 475), on this server as on the one holding the database; in-process only
                    // when this server has no Mailbox Delivery connector to talk to.
                    case SmtpDeliveryToMailbox -> hasMailboxDeliveryConnector()
                        || !new NextHopServers(organization.get(), server.name()).isLocal(key.nextHopDomain())
                        ? new RemoteMailboxDeliveryAgent(organization::get, server.name(), server.fqdn(), key, spool,
                            smtpClient, deliveryExecutor, outbound, logs.sendProtocol(),
                            SendConnector.SMTP_MAX_MESSAGES_PER_CONNECTION, settings.maxConcurrentMailboxDeliveries())
                        : new MailboxDeliveryAgent(store, spool, deliveryExecutor,
                            settings.maxConcurrentMailboxDeliveries());
                    case SmtpRelayToDag, SmtpRelayToMailboxDeliveryGroup, SmtpRelayToRemoteActiveDirectorySite,
                         SmtpRelayToServers, SmtpRelayToConnectorSourceServers -> new IntraOrganizationRelayAgent(
                        organization::get, server.name(), server.fqdn(), key, spool, smtpClient, deliveryExecutor,
                        outbound, logs.sendProtocol(), SendConnector.SMTP_MAX_MESSAGES_PER_CONNECTION, perHop);
                    case SmartHostConnectorDelivery, DnsConnectorDelivery -> new SmtpDeliveryAgent(
                        organization.get().sendConnector(key.nextHopConnector()).orElseThrow(), key, smtpClient, mx,
                        spool, deliveryExecutor, server.fqdn(), perHop, outbound, logs.sendProtocol(),
                        () -> new OutboundProxyFrontends(organization.get(), server.name()).targets());
                    default -> null; // Unreachable: held until resubmitted or expired
                };
                return DeliveryQueue.create(identity, key, agent == null ? null : new AfterListening(agent, listening),
                    retrySchedule, clock, logs.tracking(), queues, spool);
            };
            spawned.complete(ctx.spawn(SubmissionQueue.create(new LiveCategorizer(organization::get, server.name()),
                factory, queues, spool, spoolExecutor, logs.tracking(), submissionQueueLength, dsns), "submission-queue"));
            return Behaviors.empty();
        });
    }

    /**
     * Submits every message left in the spool. One that was being worked on during
     * PoisonThreshold crashes of the process goes to the Poison queue instead, suspended, so a
     * message that kills the relay cannot kill it again (exchange.md §5.1).
     */
    private void recover(int poisonThreshold) {
        Map<Long, Integer> crashes = spool.countCrashes();
        List<Envelope> spooled = spool.recover();
        submissionQueueLength.addAndGet(spooled.size());
        int poisoned = 0;
        for (Envelope e : spooled) {
            if (crashes.getOrDefault(e.internalId(), 0) >= poisonThreshold) {
                poisoned++;
                submissionQueue.tell(new SubmissionQueue.Poisoned(e));
            } else {
                submissionQueue.tell(new SubmissionQueue.Submit(e));
            }
        }
        if (!spooled.isEmpty()) {
            LOG.info("recovered {} messages from the spool; resubmitting them ({} to the Poison queue)", spooled.size(),
                poisoned);
        }
        logs.events().write(TransportEvents.spoolRecovered(spooled.size(), dataDirectory.resolve("queue").toString()));
    }

    private void bindConnectors() {
        SpoolingMessageSink sink = new SpoolingMessageSink(spool, spoolExecutor, logs.tracking(), logs.events(),
            submissionQueue, submissionQueueLength, clock);
        dsns.submitTo(dsn -> sink.submitGenerated(Optional.empty(),
            List.of(EnvelopeRecipient.ready(SmtpAddress.of(dsn.envelopeRecipient()))), dsn.content(), dsn.messageId(),
            dsn.action().subjectPrefix().strip(), server.fqdn(), server.name() + "\\" + DsnService.SOURCE));
        MailboxTransportDeliverySink mailboxDelivery = new MailboxTransportDeliverySink(organization::get,
            server.name(), store, spoolExecutor, logs.tracking());
        ReceiveServices services = new ReceiveServices(organization::get, sink, mailboxDelivery,
            new ProtocolSessionLogs(logs.receiveProtocol()), logs.events()::write, new AdmissionRegistry(clock),
            backPressure, clock, new FrontendProxyClient(new SmtpClient(system, clock),
                new MxResolver(new ExtendedResolver()), deliveryExecutor, logs.sendProtocol()),
            new DirectoryAuthenticator(organization::get, logonExecutor), Optional.of(certificate.engines()));
        receiveConnectors = new ReceiveConnectorBindings(system.classicSystem(), server.name(), services,
            logs.events());
        List<String> problems = receiveConnectors.apply(organization.get());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
    }

    /**
     * Changes the organization while the relay runs (the admin shell's Set-/New-/Remove-
     * cmdlets): new connections see the change at once, listeners open and close to match.
     * Returns the bindings that could not be opened.
     */
    public synchronized List<String> changeOrganization(UnaryOperator<Organization> change) {
        Organization next = change.apply(organization.get());
        organization.set(next);
        return receiveConnectors.apply(next);
    }

    public Organization organization() {
        return organization.get();
    }

    /** Each listening binding with the connectors answering on it, for the start-up banner. */
    public Map<Binding, List<ReceiveConnector>> listeners() {
        return receiveConnectors.listeners();
    }

    /** The certificate the receive connectors offer with STARTTLS (DATA/tls). */
    public SmtpCertificate certificate() {
        return certificate;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Spool spool() {
        return spool;
    }

    public TransportLogs logs() {
        return logs;
    }

    @Override
    public void close() {
        if (adminApi != null) {
            adminApi.close();
        }
        if (receiveConnectors != null) {
            receiveConnectors.close();
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("actor system did not stop in time: {}", e.toString());
        }
        shutdown(spoolExecutor);
        shutdown(deliveryExecutor);
        shutdown(logonExecutor);
        spool.close();
        logs.close();
    }

    private static void shutdown(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
