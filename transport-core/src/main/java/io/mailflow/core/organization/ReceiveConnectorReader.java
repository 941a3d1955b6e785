package io.mailflow.core.organization;

import io.mailflow.core.params.Param;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.mailflow.core.organization.ConfigEntry.key;
import static io.mailflow.core.organization.ConfigProblems.known;
import static io.mailflow.core.organization.ConfigProblems.lineNote;
import static io.mailflow.core.organization.ConfigProblems.lineOf;

/**
 * Organization configuration: the {@code ReceiveConnectors} section, read after the recipients.
 * Every server gets {@link ReceiveConnectorDefaults}' connectors (unless
 * {@code DefaultConnectors = false}), moved by {@code PortOffset} and {@code BindAddress};
 * entries under {@code Connectors} override them by Server and Name, or create new ones by
 * usage type (New-ReceiveConnector), through {@link ReceiveConnectorParameters}' table. Then the
 * connectors of each server that share an address and port must tell their clients apart.
 */
final class ReceiveConnectorReader {
    private static final List<String> RECEIVE_CONNECTORS_KEYS =
        List.of("DefaultConnectors", "PortOffset", "BindAddress", "Connectors");
    /** Name and Server say which connector, Usage how to create it; every other key is a parameter of the table. */
    private static final List<String> CONNECTOR_KEYS = Stream.concat(Stream.of("Name", "Server", "Usage"),
        ReceiveConnectorParameters.TABLE.settable().stream().map(Param::name)).toList();
    /** Keeps Default <SRV> (2525) below 65536. */
    private static final int MAX_PORT_OFFSET = 65535 - ReceiveConnectorDefaults.DEFAULT_PORT;

    /** A connector as built, with the entry that made or changed it (null for an untouched default). */
    private record Placed(ReceiveConnector connector, ConfigEntry entry) {
    }

    private final Map<String, Server> servers;

    /** {@code servers} keyed by lower-case Name, as {@link TopologyReader} keeps them. */
    ReceiveConnectorReader(Map<String, Server> servers) {
        this.servers = servers;
    }

    List<ReceiveConnector> read(ConfigEntry top) {
        ConfigEntry rc = top.object("ReceiveConnectors", RECEIVE_CONNECTORS_KEYS, List.of());
        boolean defaults = true;
        int offset = 0;
        String bindAddress = null;
        List<ConfigEntry> entries = List.of();
        if (rc != null) {
            Boolean d = rc.bool("DefaultConnectors");
            defaults = d == null || d;
            Integer o = rc.integer("PortOffset", 0, MAX_PORT_OFFSET);
            offset = o == null ? 0 : o.intValue();
            bindAddress = rc.string("BindAddress");
            if (bindAddress != null && !ReceiveConnectorParameters.isIpLiteral(bindAddress)) {
                rc.problem("BindAddress", "'" + bindAddress + "' is not an IP address");
                bindAddress = null;
            }
            entries = rc.objects("Connectors", CONNECTOR_KEYS, ReceiveConnectorParameters.NOT_IMPLEMENTED);
        }
        Map<String, Placed> placed = new LinkedHashMap<>();
        if (defaults) {
            for (Server s : servers.values()) {
                for (ReceiveConnector c : ReceiveConnectorDefaults.forServer(s, offset, bindAddress)) {
                    placed.put(identityKey(c.server(), c.name()), new Placed(c, null));
                }
            }
        }
        Map<String, ConfigEntry> seen = new HashMap<>();
        for (ConfigEntry entry : entries) {
            String name = entry.requiredString("Name");
            Server server = connectorServer(entry);
            if (name == null || server == null) {
                applyOverrides(entry, placeholder());
                continue;
            }
            String id = identityKey(server.name(), name);
            ConfigEntry previous = seen.putIfAbsent(id, entry);
            if (previous != null) {
                entry.problem("Name", "receive connector " + server.name() + "\\" + name + " is given twice"
                    + lineNote(lineOf(previous.origin())));
                applyOverrides(entry, placeholder());
                continue;
            }
            Placed existing = placed.get(id);
            ReceiveConnectorBuilder builder;
            if (existing != null) {
                if (entry.has("Usage")) {
                    entry.problem("Usage", "Usage applies only to a new connector, and "
                        + existing.connector().name() + " is a default connector (set its parameters instead)");
                }
                builder = ReceiveConnectorBuilder.from(existing.connector());
            } else {
                builder = newConnector(entry, name, server, offset, bindAddress);
                if (builder == null) {
                    applyOverrides(entry, placeholder());
                    continue;
                }
            }
            if (applyOverrides(entry, builder)) {
                placed.put(id, new Placed(builder.build(), entry));
            }
        }
        List<Placed> all = List.copyOf(placed.values());
        checkBindings(all, rc == null ? top : rc);
        return all.stream().map(Placed::connector).toList();
    }

    private Server connectorServer(ConfigEntry entry) {
        String server = entry.string("Server");
        if (server == null) {
            if (servers.size() == 1) {
                return servers.values().iterator().next();
            }
            if (!servers.isEmpty()) {
                entry.required("Server", "Server (the organization has several servers)");
            }
            return null;
        }
        Server s = servers.get(key(server));
        if (s == null) {
            entry.problem("Server", "server " + server + " is not among Servers"
                + known(servers.values().stream().map(Server::name).toList(), server));
        }
        return s;
    }

    /** New-ReceiveConnector: the usage type's defaults (Custom when no Usage is given). */
    private static ReceiveConnectorBuilder newConnector(ConfigEntry entry, String name, Server server, int offset,
                                                        String bindAddress) {
        ReceiveConnectorDefaults.Usage usage = entry.enumValue("Usage", ReceiveConnectorDefaults.Usage.class);
        if (usage == null && entry.has("Usage")) {
            return null;
        }
        if (usage == null) {
            usage = ReceiveConnectorDefaults.Usage.Custom;
        }
        TransportRole role = entry.enumValue("TransportRole", TransportRole.class);
        List<Binding> bindings = entry.has("Bindings")
            ? ConfigParams.value(entry, ReceiveConnectorParameters.BINDINGS) : List.of();
        List<IpRange> ranges = entry.has("RemoteIPRanges")
            ? ConfigParams.value(entry, ReceiveConnectorParameters.REMOTE_IP_RANGES) : List.of();
        if (bindings == null || ranges == null) {
            return null;
        }
        try {
            // New connectors are created in Front End Transport, as the relay and custom
            // connector procedures (exchange.md §1.3) do, unless TransportRole says otherwise.
            return ReceiveConnectorBuilder.from(ReceiveConnectorDefaults.forUsage(usage, name, server,
                role == null ? TransportRole.FrontendTransport : role, bindings, ranges, offset, bindAddress));
        } catch (IllegalArgumentException e) {
            String missing = bindings.isEmpty() ? "Bindings" : "RemoteIPRanges";
            entry.required(missing, missing + " (a " + usage + " connector needs "
                + (usage == ReceiveConnectorDefaults.Usage.Internet ? "Bindings" : "Bindings and RemoteIPRanges") + ")");
            return null;
        }
    }

    /** A throwaway connector, so that a broken entry still gets all its parameters checked. */
    private static ReceiveConnectorBuilder placeholder() {
        Server s = new Server("placeholder", "placeholder.invalid", TopologyReader.DEFAULT_SITE);
        return ReceiveConnectorBuilder.from(ReceiveConnectorDefaults.forServer(s).get(0));
    }

    /**
     * Applies every parameter the entry gives, through the connector parameter table, then the
     * table's cross-parameter rules; false when something is wrong.
     */
    private static boolean applyOverrides(ConfigEntry e, ReceiveConnectorBuilder b) {
        return ConfigParams.apply(e, ReceiveConnectorParameters.TABLE, b);
    }

    /**
     * Connectors of one server that listen on the same address and port must tell their
     * clients apart by RemoteIPRanges: no range given to both, no two ranges that overlap
     * without one containing the other (the most specific match must be unique).
     */
    private static void checkBindings(List<Placed> all, ConfigEntry fallback) {
        for (int j = 0; j < all.size(); j++) {
            for (int i = 0; i < j; i++) {
                // The problem belongs to the later connector an entry gave, against the other one.
                boolean laterIsJ = all.get(j).entry() != null || all.get(i).entry() == null;
                Placed later = laterIsJ ? all.get(j) : all.get(i);
                ReceiveConnector other = (laterIsJ ? all.get(i) : all.get(j)).connector();
                String clash = ReceiveConnectorParameters.bindingClash(other, later.connector()).orElse(null);
                if (clash == null) {
                    continue;
                }
                ConfigEntry where = later.entry() != null ? later.entry() : fallback;
                String key = where.has("RemoteIPRanges") ? "RemoteIPRanges"
                    : where.has("Bindings") ? "Bindings" : "Name";
                where.problem(key, clash);
            }
        }
    }

    private static String identityKey(String server, String name) {
        return key(server) + "\\" + key(name);
    }
}
