package io.mailflow.server.cli;

import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationConfigException;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.time.SystemClock;
import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.server.Topology;
import io.mailflow.server.TransportServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code mailflow relay}: runs one server of an organization until Ctrl-C. Without
 * {@code --config} it runs the demo organization, copied into the data directory on first start
 * so an administrator can read and change it.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
    description = "Run the relay: receive connectors, spool, categorizer and mailbox delivery.")
public final class RelayCommand implements Callable<Integer> {
    static final String DEMO_RESOURCE = "mailflow/demo-organization.conf";

    @Option(names = "--config", paramLabel = "FILE",
        description = "Organization in HOCON with Exchange's names (default: DATA/organization.conf, created from the demo)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
        description = "Where the spool, mailboxes and logs live (default: ${DEFAULT-VALUE})")
    Path dataDirectory;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "10080",
        description = "Loopback port of the admin API that `mailflow shell` talks to; -1 turns it off (default: ${DEFAULT-VALUE})")
    int adminPort;

    @Option(names = "--server", paramLabel = "NAME",
        description = "Which server of the organization to run (default: the first one)")
    String serverName;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path data = dataDirectory.toAbsolutePath().normalize();
        Files.createDirectories(data);
        Organization organization;
        TransportServiceSettings transportService;
        Path source = config != null ? config : data.resolve("organization.conf");
        try {
            if (config == null && !Files.exists(source)) {
                copyDemo(source);
                out.println("Created the demo organization in " + source);
            }
            organization = OrganizationLoader.load(source);
            transportService = TransportServiceConfig.load(source);
        } catch (OrganizationConfigException e) {
            System.err.println("Mailflow cannot start: the organization in " + source + " has errors:");
            System.err.println(e.getMessage());
            return 2;
        }
        String server = serverName != null ? serverName : organization.servers().get(0).name();
        Topology topology;
        try {
            topology = Topology.start(organization, server, data, SystemClock.INSTANCE, adminPort, transportService);
        } catch (RuntimeException e) {
            System.err.println("Mailflow cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping " + server + "...");
            try {
                topology.close();
                out.println("Stopped.");
            } catch (RuntimeException e) {
                System.err.println("Stopped, with an error while closing: " + e);
            } finally {
                stopped.countDown();
            }
        }, "mailflow-shutdown"));
        printBanner(out, organization, server, source, topology);
        stopped.await();
        return 0;
    }

    private static void copyDemo(Path target) throws IOException {
        try (InputStream demo = RelayCommand.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
            if (demo == null) {
                throw new IOException("the demo organization is missing from the build");
            }
            Files.copy(demo, target);
        }
    }

    private static void printBanner(PrintStream out, Organization organization, String server, Path source,
                                    Topology topology) {
        out.println("Mailflow relay: server " + server + " of " + organization.name() + " (" + source + ")");
        out.println("Receive connectors listening:");
        for (Map.Entry<Binding, List<ReceiveConnector>> e : topology.listeners().entrySet()) {
            String names = e.getValue().stream()
                .map(c -> c.name() + " (" + c.transportRole() + ")").collect(Collectors.joining(", "));
            out.printf("  %-22s %s%n", e.getKey(), names);
        }
        out.println("Accepted domains: " + organization.acceptedDomains().stream()
            .map(d -> d.domainName()).collect(Collectors.joining(", ")));
        Path data = topology.dataDirectory();
        out.println("Data:      " + data);
        out.println("Spool:     " + data.resolve("queue"));
        out.println("Mailboxes: " + data.resolve("mailboxes"));
        out.println("Logs:      " + data.resolve("logs")
            + " (MessageTracking, ProtocolLog/SmtpReceive, Events, Process)");
        out.println("TLS:       " + topology.certificate().describe());
        if (topology.adminPort() > 0) {
            out.println("Admin:     ./mailflow shell" + (data.equals(Path.of("data").toAbsolutePath()) ? "" : " --data-dir " + data)
                + "   (Exchange Management Shell on 127.0.0.1:" + topology.adminPort() + "/PowerShell)");
        }
        out.println("Ready. Press Ctrl-C to stop.");
        out.flush();
    }
}
