package io.mailflow.core.organization;

import io.mailflow.core.params.Param;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.mailflow.core.organization.ConfigEntry.key;
import static io.mailflow.core.organization.ConfigProblems.known;
import static io.mailflow.core.organization.ConfigProblems.lineNote;
import static io.mailflow.core.organization.ConfigProblems.lineOf;

/**
 * Organization configuration: the {@code SendConnectors} section, read after RecipientFilterConfig:
 * New-SendConnector for each entry, over Exchange's defaults ({@link SendConnector#withDefaults}),
 * through {@link SendConnectorParameters}' table. Names are unique; AddressSpaces is required;
 * SourceTransportServers defaults to every server. None by default, as after Exchange's setup.
 */
final class SendConnectorReader {
    /** Name says which connector; every other key is a parameter of the Send connector table. */
    private static final List<String> SEND_CONNECTOR_KEYS = Stream.concat(Stream.of("Name"),
        SendConnectorParameters.TABLE.settable().stream().map(Param::name)).toList();

    private final ConfigProblems problems;
    private final Map<String, Server> servers;

    /** {@code servers} keyed by lower-case Name, as {@link TopologyReader} keeps them. */
    SendConnectorReader(ConfigProblems problems, Map<String, Server> servers) {
        this.problems = problems;
        this.servers = servers;
    }

    List<SendConnector> read(ConfigEntry top) {
        List<SendConnector> result = new ArrayList<>();
        Map<String, ConfigEntry> seen = new HashMap<>();
        List<String> allServers = servers.values().stream().map(Server::name).toList();
        for (ConfigEntry entry : top.objects("SendConnectors", SEND_CONNECTOR_KEYS,
            SendConnectorParameters.NOT_IMPLEMENTED)) {
            String name = entry.requiredString("Name");
            boolean ok = name != null;
            if (!entry.has("AddressSpaces")) {
                entry.required("AddressSpaces", "AddressSpaces (such as [\"SMTP:*;1\"])");
                ok = false;
            }
            if (name != null) {
                ConfigEntry previous = seen.putIfAbsent(key(name), entry);
                if (previous != null) {
                    entry.problem("Name", "send connector " + name + " is given twice"
                        + lineNote(lineOf(previous.origin())));
                    ok = false;
                }
            }
            SendConnector.Builder builder = SendConnector.Builder.from(SendConnector.withDefaults(
                name == null ? "placeholder" : name, List.of(AddressSpace.all()),
                allServers.isEmpty() ? List.of("placeholder") : allServers));
            ok &= ConfigParams.apply(entry, SendConnectorParameters.TABLE, builder);
            List<String> sources = sourceTransportServers(entry);
            if (sources == null) {
                continue;
            }
            if (ok) {
                result.add(builder.sourceTransportServers(sources.isEmpty() ? allServers : sources).build());
            }
        }
        return result;
    }

    /** SourceTransportServers as the entry names them, in the servers' own spelling; null when one is unknown. */
    private List<String> sourceTransportServers(ConfigEntry entry) {
        List<String> names = new ArrayList<>();
        boolean ok = true;
        for (ConfigElement el : entry.list("SourceTransportServers")) {
            Server s = servers.get(key(el.text()));
            if (s == null) {
                problems.add(el, "server " + el.text() + " is not among Servers"
                    + known(servers.values().stream().map(Server::name).toList(), el.text()));
                ok = false;
            } else {
                names.add(s.name());
            }
        }
        return ok ? names : null;
    }
}
