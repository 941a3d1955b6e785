package io.mailflow.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo organization for tests, written to a file with the default connectors moved to a
 * free block of loopback ports and extra connector entries appended, so each test runs a real
 * relay with its own limits.
 */
final class TestOrganization {
    /** Exchange's default ports, and 26 for connectors a test adds. */
    private static final int[] EXCHANGE_PORTS = {25, 26, 587, 717, 2525, 465, 475};

    static final String TEST_PORT = "%TEST_PORT%";

    final int portOffset;
    final Path file;

    private TestOrganization(int portOffset, Path file) {
        this.portOffset = portOffset;
        this.file = file;
    }

    /**
     * @param connectorEntries HOCON objects for ReceiveConnectors.Connectors, e.g.
     *                         {@code { Name = "Default Frontend EX01", Server = EX01, TarpitInterval = "00:00:00" }};
     *                         {@value #TEST_PORT} stands for the free test port (26 + the offset)
     */
    static TestOrganization write(Path directory, String... connectorEntries) {
        return withSections(directory, "", connectorEntries);
    }

    /**
     * @param sections top-level HOCON appended to the demo, e.g. {@code SendConnectors = [ ... ]}
     *                 (replacing the demo's empty list) or a {@code TransportService { ... }} section
     */
    static TestOrganization withSections(Path directory, String sections, String... connectorEntries) {
        int offset = freePortOffset();
        String demo;
        try (var in = TestOrganization.class.getClassLoader().getResourceAsStream("mailflow/demo-organization.conf")) {
            demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String config = demo.replace("PortOffset = 10000", "PortOffset = " + offset)
            .replace("  Connectors = [", "  Connectors = [\n    " + String.join("\n    ", connectorEntries)
                .replace(TEST_PORT, Integer.toString(26 + offset)));
        if (sections.contains("SendConnectors")) {
            config = config.replace("SendConnectors = []", "");
        }
        config = config + "\n" + sections + "\n";
        Path file = directory.resolve("organization.conf");
        try {
            Files.createDirectories(directory);
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestOrganization(offset, file);
    }

    int defaultFrontendPort() {
        return 25 + portOffset;
    }

    int port(int exchangePort) {
        return exchangePort + portOffset;
    }

    /** An offset at which every one of Exchange's ports (and 26) is free on loopback. */
    static int freePortOffset() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int offset = 40000 + ThreadLocalRandom.current().nextInt(20000);
            if (allFree(offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free block of loopback ports found");
    }

    private static boolean allFree(int offset) {
        for (int p : EXCHANGE_PORTS) {
            try (ServerSocket s = new ServerSocket(p + offset, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
