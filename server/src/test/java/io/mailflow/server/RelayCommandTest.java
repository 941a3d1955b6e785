package io.mailflow.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `mailflow relay` as an administrator meets it: a bad organization file is refused, plainly. */
class RelayCommandTest {
    @TempDir
    Path directory;

    private String run(int expectedExit, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), "io.mailflow.server.cli.MailflowCommand"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    @Test
    void aBadOrganizationFileIsRefusedWithFileLineAndKeyAndNoStackTrace() throws Exception {
        Path bad = directory.resolve("org.conf");
        Files.writeString(bad, String.join("\n",
            "Organization { Name = \"Bad\" }",
            "AcceptedDomains = [ { Name = contoso.test, DomainName = contoso.test, DomainType = Authoritative } ]",
            "Servers = [ { Name = EX01, Fqdn = \"ex01.contoso.test\" } ]",
            "ReceiveConnectors {",
            "  PortOffset = 10000",
            "  Connectors = [ { Name = \"Default Frontend EX01\", Server = EX01, MaxInboundConnectionPerSource = 0,",
            "                   MaxMesageSize = 10MB } ]",
            "}",
            ""));
        String out = run(2, "relay", "--config", bad.toString(), "--data-dir", directory.resolve("data").toString());
        assertTrue(out.contains("org.conf:6: ReceiveConnectors.Connectors[0].MaxInboundConnectionPerSource: "), out);
        assertTrue(out.contains("org.conf:7: ReceiveConnectors.Connectors[0].MaxMesageSize: "), out);
        assertTrue(out.contains("MaxMessageSize"), "the closest real key is suggested: " + out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void aHoconSyntaxErrorIsReportedWithItsLine() throws Exception {
        Path bad = directory.resolve("broken.conf");
        Files.writeString(bad, "Organization { Name = \"x\"\nServers = [ { Name = EX01 }\n");
        String out = run(2, "relay", "--config", bad.toString(), "--data-dir", directory.resolve("data").toString());
        assertTrue(out.matches("(?s).*broken\\.conf:\\d+: .*"), out);
        assertFalse(out.contains("\tat "), out);
    }

    @Test
    void helpListsTheRelayCommand() throws Exception {
        String out = run(0, "--help");
        assertTrue(out.contains("relay"), out);
    }
}
