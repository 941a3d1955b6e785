package io.mailflow.server;

import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.time.SystemClock;

import java.nio.file.Path;

/** The real relay, in this JVM: the same Topology `./mailflow relay` starts, on free ports. */
final class RunningRelay implements AutoCloseable {
    final TestOrganization organization;
    final Path dataDirectory;
    final Topology topology;

    private RunningRelay(TestOrganization organization, Path dataDirectory, Topology topology) {
        this.organization = organization;
        this.dataDirectory = dataDirectory;
        this.topology = topology;
    }

    static RunningRelay start(Path directory, String... connectorEntries) {
        return startWith(directory, "", connectorEntries);
    }

    /** With top-level sections (SendConnectors, TransportService) added to the organization file. */
    static RunningRelay startWith(Path directory, String sections, String... connectorEntries) {
        TestOrganization org = TestOrganization.withSections(directory, sections, connectorEntries);
        Path data = directory.resolve("data");
        Topology topology = Topology.start(OrganizationLoader.load(org.file), "EX01", data, SystemClock.INSTANCE, 0,
            TransportServiceConfig.load(org.file));
        return new RunningRelay(org, data, topology);
    }

    int defaultFrontendPort() {
        return organization.defaultFrontendPort();
    }

    SmtpTestClient connect() throws java.io.IOException {
        return connect(organization.defaultFrontendPort());
    }

    SmtpTestClient connect(int port) throws java.io.IOException {
        return new SmtpTestClient(port);
    }

    Path logs() {
        return dataDirectory.resolve("logs");
    }

    @Override
    public void close() {
        topology.close();
    }
}
