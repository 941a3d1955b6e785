package io.mailflow.server;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.time.SystemClock;
import io.mailflow.delivery.retry.TransportServiceSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Two servers of one organization in this JVM, each its own Topology, data directory and block
 * of loopback ports: EX01 (DB01: kate) and EX02 (DB02: david, lisa). On EX02 the server-to-server
 * connectors (Default EX02 on 2525, Mailbox Delivery EX02 on 475) trust only 127.0.0.1, where the
 * organization's servers connect from; on the same bindings, connectors for the rest of the
 * loopback network ({@code 127.0.0.0/8}) show what other hosts get: "Other Hosts EX02" takes
 * anonymous mail on 2525, "Mailbox Delivery Other Hosts EX02" keeps Exchange's own 475 defaults.
 */
final class TwoServers implements AutoCloseable {
    private static final int[] EXCHANGE_PORTS = {25, 26, 587, 717, 2525, 465, 475};

    final int ex01Offset;
    final int ex02Offset;
    final Path ex01Data;
    final Path ex02Data;
    final Topology ex01;
    final Topology ex02;

    private TwoServers(Path directory, String sections) {
        ex01Offset = TestOrganization.freePortOffset();
        ex02Offset = disjointOffset(ex01Offset);
        Path file = directory.resolve("organization.conf");
        try {
            Files.createDirectories(directory);
            Files.writeString(file, hocon(ex01Offset, ex02Offset) + sections);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Organization org = OrganizationLoader.load(file);
        ex01Data = directory.resolve("ex01");
        ex02Data = directory.resolve("ex02");
        ex01 = Topology.start(org, "EX01", ex01Data, SystemClock.INSTANCE, -1, TransportServiceSettings.DEFAULT);
        Topology second;
        try {
            second = Topology.start(org, "EX02", ex02Data, SystemClock.INSTANCE, -1, TransportServiceSettings.DEFAULT);
        } catch (RuntimeException e) {
            ex01.close();
            throw e;
        }
        ex02 = second;
    }

    static TwoServers start(Path directory) {
        return new TwoServers(directory, "");
    }

    /** With top-level HOCON appended, e.g. {@code Servers = [...]} in two sites and their AdSiteLinks. */
    static TwoServers start(Path directory, String sections) {
        return new TwoServers(directory, sections);
    }

    int ex01Port(int exchangePort) {
        return exchangePort + ex01Offset;
    }

    int ex02Port(int exchangePort) {
        return exchangePort + ex02Offset;
    }

    private static int disjointOffset(int first) {
        Set<Integer> taken = new HashSet<>();
        for (int p : EXCHANGE_PORTS) {
            taken.add(p + first);
        }
        while (true) {
            int offset = TestOrganization.freePortOffset();
            boolean clash = false;
            for (int p : EXCHANGE_PORTS) {
                clash |= taken.contains(p + offset);
            }
            if (!clash) {
                return offset;
            }
        }
    }

    private static String hocon(int ex01, int ex02) {
        return """
            Organization { Name = "Contoso (two servers)" }
            AcceptedDomains = [ { Name = "contoso.test", DomainName = "contoso.test", DomainType = Authoritative, Default = true } ]
            Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" }, { Name = EX02, Fqdn = "ex02.contoso.test" } ]
            MailboxDatabases = [ { Name = DB01, Server = EX01 }, { Name = DB02, Server = EX02 } ]
            Mailboxes = [
              { Name = "Kate Smith", Alias = kate, Database = DB01, EmailAddresses = ["SMTP:kate@contoso.test"] }
              { Name = "David Jones", Alias = david, Database = DB02, EmailAddresses = ["SMTP:david@contoso.test", "smtp:d.jones@contoso.test"] }
              { Name = "Lisa Brown", Alias = lisa, Database = DB02 }
            ]
            DistributionGroups = []
            ReceiveConnectors {
              PortOffset = %1$d
              BindAddress = "127.0.0.1"
              Connectors = [
                { Name = "Default Frontend EX02", Server = EX02, Bindings = ["127.0.0.1:%2$d"], TarpitInterval = "00:00:00" }
                { Name = "Client Frontend EX02", Server = EX02, Bindings = ["127.0.0.1:%3$d"] }
                { Name = "Outbound Proxy Frontend EX02", Server = EX02, Bindings = ["127.0.0.1:%4$d"] }
                { Name = "Client Proxy EX02", Server = EX02, Bindings = ["127.0.0.1:%5$d"] }
                { Name = "Default EX02", Server = EX02, Bindings = ["127.0.0.1:%6$d"], RemoteIPRanges = ["127.0.0.1"] }
                { Name = "Mailbox Delivery EX02", Server = EX02, Bindings = ["127.0.0.1:%7$d"], RemoteIPRanges = ["127.0.0.1"] }
                { Name = "Other Hosts EX02", Server = EX02, Usage = Custom, TransportRole = HubTransport,
                  Bindings = ["127.0.0.1:%6$d"], RemoteIPRanges = ["127.0.0.0/8"], PermissionGroups = [AnonymousUsers],
                  TarpitInterval = "00:00:00" }
                { Name = "Mailbox Delivery Other Hosts EX02", Server = EX02, Usage = Custom, TransportRole = MailboxDelivery,
                  Bindings = ["127.0.0.1:%7$d"], RemoteIPRanges = ["127.0.0.0/8"], PermissionGroups = [ExchangeServers],
                  AuthMechanism = [ExchangeServer], TarpitInterval = "00:00:00" }
              ]
            }
            """.formatted(ex01, 25 + ex02, 587 + ex02, 717 + ex02, 465 + ex02, 2525 + ex02, 475 + ex02);
    }

    @Override
    public void close() {
        try {
            ex02.close();
        } finally {
            ex01.close();
        }
    }
}
