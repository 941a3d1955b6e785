package io.mailflow.server.admin.cmdlets;

import io.mailflow.core.organization.Binding;
import io.mailflow.core.organization.IpRange;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorDefaults;
import io.mailflow.core.organization.ReceiveConnectorParameters;
import io.mailflow.core.organization.Server;
import io.mailflow.core.organization.TransportRole;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.time.Clock;
import io.mailflow.server.admin.shell.Cmdlet;
import io.mailflow.server.admin.shell.DefaultView;
import io.mailflow.server.admin.shell.ErrorCategory;
import io.mailflow.server.admin.shell.Invocation;
import io.mailflow.server.admin.shell.Parameter;
import io.mailflow.server.admin.shell.ShellObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Get-, Set-, New- and Remove-ReceiveConnector, as the Exchange Management Shell has them. Values
 * are read, checked and printed by {@link ReceiveConnectorParameters}, the same table the
 * organization file goes through, so the shell and the file accept and refuse the same things.
 * A change applies to new connections at once and is written to the {@link ConfigurationJournal}.
 */
public final class ReceiveConnectorCmdlets {
    public static final String TYPE = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector";
    /** Parameters of the cmdlets themselves, not of the connector. */
    private static final Set<String> OWN = Set.of("identity", "name", "server", "usage", "confirm", "whatif",
        "verbose", "erroraction", "warningaction", "ea", "wa");

    private final OrganizationStore store;
    private final ConfigurationJournal journal;
    private final Clock clock;

    /** @param journal where changes are recorded; null while the journal itself is replayed */
    public ReceiveConnectorCmdlets(OrganizationStore store, ConfigurationJournal journal, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    public List<Cmdlet> cmdlets() {
        return List.of(get(), set(), create(), remove());
    }

    private Cmdlet get() {
        return Cmdlet.named("Get-ReceiveConnector")
            .parameter(Parameter.value("Identity").position(0))
            .parameter(Parameter.value("Server"))
            .outputs(TYPE, DefaultView.table("Identity", "Bindings", "Enabled"))
            .runs(inv -> {
                Organization org = store.organization();
                List<ReceiveConnector> found;
                if (inv.isBound("Identity")) {
                    found = List.of(find(inv, org, inv.value("Identity")));
                } else {
                    found = org.receiveConnectors().stream()
                        .filter(c -> !inv.isBound("Server") || c.server().equalsIgnoreCase(inv.value("Server")))
                        .toList();
                }
                return found.stream().map(ReceiveConnectorCmdlets::toObject).toList();
            });
    }

    private Cmdlet set() {
        Cmdlet.Builder b = Cmdlet.named("Set-ReceiveConnector")
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .supportsShouldProcess();
        connectorParameters(b);
        return b.runs(inv -> {
            Organization org = store.organization();
            ReceiveConnector current = inv.pipelineSource(ReceiveConnector.class)
                .flatMap(piped -> byIdentity(org, piped.identity()))
                .orElseGet(() -> find(inv, org, inv.value("Identity")));
            Map<String, String> changes = changes(inv);
            if (changes.isEmpty()) {
                inv.writeWarning("The command completed successfully but no settings of '" + current.identity()
                    + "' have been modified.");
                return List.of();
            }
            ReceiveConnector changed = apply(inv, current, changes, others(org, current));
            if (!inv.shouldProcess("Configuring Receive connector \"" + current.identity() + "\".")) {
                return List.of();
            }
            commit(inv, o -> replace(o, current, changed), "Set-ReceiveConnector -Identity "
                + ConfigurationJournal.quote(current.identity()) + journalParameters(changes));
            return List.of();
        });
    }

    private Cmdlet create() {
        Cmdlet.Builder b = Cmdlet.named("New-ReceiveConnector")
            .parameter(Parameter.value("Name").position(0).mandatory())
            .parameter(Parameter.value("Usage"))
            .parameter(Parameter.value("Server"))
            .outputs(TYPE, DefaultView.table("Identity", "Bindings", "Enabled"))
            .supportsShouldProcess();
        connectorParameters(b);
        return b.runs(inv -> {
            Organization org = store.organization();
            String serverName = inv.value("Server", store.serverName());
            Server server = org.server(serverName).orElseThrow(() -> inv.error(ErrorCategory.ObjectNotFound,
                "The operation couldn't be performed because object '" + serverName + "' couldn't be found."));
            String name = inv.value("Name");
            if (org.receiveConnectors().stream().anyMatch(c -> c.server().equalsIgnoreCase(server.name())
                && c.name().equalsIgnoreCase(name))) {
                throw inv.error(ErrorCategory.ResourceExists, "A Receive connector named '" + name
                    + "' already exists on server '" + server.name() + "'.");
            }
            Map<String, String> changes = changes(inv);
            ReceiveConnector connector;
            try {
                TransportRole role = changes.containsKey("TransportRole")
                    ? ReceiveConnectorParameters.TRANSPORT_ROLE.parse(changes.get("TransportRole"))
                    : TransportRole.FrontendTransport;
                List<Binding> bindings = changes.containsKey("Bindings")
                    ? ReceiveConnectorParameters.BINDINGS.parse(changes.get("Bindings")) : List.of();
                List<IpRange> ranges = changes.containsKey("RemoteIPRanges")
                    ? ReceiveConnectorParameters.REMOTE_IP_RANGES.parse(changes.get("RemoteIPRanges")) : List.of();
                connector = ReceiveConnectorDefaults.forUsage(inv.value("Usage", "Custom"), name, server, role,
                    bindings, ranges);
            } catch (IllegalArgumentException e) {
                throw inv.error(ErrorCategory.InvalidArgument, e.getMessage());
            }
            Map<String, String> rest = new LinkedHashMap<>(changes);
            rest.keySet().removeAll(List.of("TransportRole", "Bindings", "RemoteIPRanges"));
            ReceiveConnector created = rest.isEmpty() ? connector
                : apply(inv, connector, rest, org.receiveConnectorsOn(server.name()));
            for (ReceiveConnector other : org.receiveConnectorsOn(server.name())) {
                ReceiveConnectorParameters.bindingClash(other, created).ifPresent(clash -> {
                    throw inv.error(ErrorCategory.InvalidOperation, clash);
                });
            }
            if (!inv.shouldProcess("Creating Receive connector \"" + created.identity() + "\".")) {
                return List.of();
            }
            StringBuilder line = new StringBuilder("New-ReceiveConnector -Name " + ConfigurationJournal.quote(name)
                + " -Server " + ConfigurationJournal.quote(server.name()));
            if (inv.isBound("Usage")) {
                line.append(" -Usage ").append(ConfigurationJournal.quote(inv.value("Usage")));
            }
            commit(inv, o -> o.withReceiveConnectors(append(o.receiveConnectors(), created)),
                line + journalParameters(changes));
            return List.of(toObject(created));
        });
    }

    private Cmdlet remove() {
        return Cmdlet.named("Remove-ReceiveConnector")
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .supportsShouldProcess()
            .runs(inv -> {
                Organization org = store.organization();
                ReceiveConnector current = inv.pipelineSource(ReceiveConnector.class)
                    .flatMap(piped -> byIdentity(org, piped.identity()))
                    .orElseGet(() -> find(inv, org, inv.value("Identity")));
                if (!inv.shouldProcess("Removing Receive connector \"" + current.identity() + "\".")) {
                    return List.of();
                }
                commit(inv, o -> o.withReceiveConnectors(o.receiveConnectors().stream()
                        .filter(c -> !c.identity().equalsIgnoreCase(current.identity())).toList()),
                    "Remove-ReceiveConnector -Identity " + ConfigurationJournal.quote(current.identity())
                        + " -Confirm:$false");
                return List.of();
            });
    }

    /** Every connector parameter the table knows, so the binder can suggest the closest on a typo. */
    private static void connectorParameters(Cmdlet.Builder b) {
        for (var p : ReceiveConnectorParameters.TABLE.settable()) {
            if (!OWN.contains(p.name().toLowerCase(Locale.ROOT))) {
                b.parameter(p.isMultiValued() ? Parameter.list(p.name()) : Parameter.value(p.name()));
            }
        }
        for (String name : ReceiveConnectorParameters.NOT_IMPLEMENTED) {
            b.parameter(Parameter.value(name));
        }
    }

    /** The connector parameters the user gave, as text for the table. */
    private static Map<String, String> changes(Invocation inv) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (var p : ReceiveConnectorParameters.TABLE.settable()) {
            if (!OWN.contains(p.name().toLowerCase(Locale.ROOT)) && inv.isBound(p.name())) {
                changes.put(p.name(), p.isMultiValued() ? String.join(",", inv.values(p.name()))
                    : inv.value(p.name(), "$null"));
            }
        }
        for (String name : ReceiveConnectorParameters.NOT_IMPLEMENTED) {
            if (inv.isBound(name)) {
                changes.put(name, inv.value(name, ""));
            }
        }
        return changes;
    }

    private static ReceiveConnector apply(Invocation inv, ReceiveConnector current, Map<String, String> changes,
                                          List<ReceiveConnector> others) {
        try {
            return ReceiveConnectorParameters.set(current, changes, others);
        } catch (ParamException e) {
            ParamProblem first = e.problems().get(0);
            String message = e.problems().stream().map(p -> p.message()).reduce((a, c) -> a + " " + c).orElse("");
            throw inv.parameterError(first.parameter(), message);
        }
    }

    private void commit(Invocation inv, java.util.function.UnaryOperator<Organization> change, String journalLine) {
        List<String> problems = store.change(change);
        for (String problem : problems) {
            inv.writeWarning(problem);
        }
        if (journal != null) {
            journal.record(journalLine, clock.now());
        }
    }

    private static String journalParameters(Map<String, String> changes) {
        StringBuilder s = new StringBuilder();
        changes.forEach((name, value) -> s.append(" -").append(name).append(' ')
            .append(value.equals("$null") ? "$null" : ConfigurationJournal.quote(value)));
        return s.toString();
    }

    private ReceiveConnector find(Invocation inv, Organization org, String identity) {
        return byIdentity(org, identity).orElseThrow(() -> inv.error(ErrorCategory.ObjectNotFound,
            "The operation couldn't be performed because object '" + identity + "' couldn't be found on '"
                + store.serverName() + "'."));
    }

    /** {@code EX01\Default Frontend EX01}, or the name alone (this server's connector first). */
    private Optional<ReceiveConnector> byIdentity(Organization org, String identity) {
        String id = identity.strip();
        Optional<ReceiveConnector> exact = org.receiveConnectors().stream()
            .filter(c -> c.identity().equalsIgnoreCase(id)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        List<ReceiveConnector> byName = org.receiveConnectors().stream().filter(c -> c.name().equalsIgnoreCase(id))
            .toList();
        return byName.stream().filter(c -> c.server().equalsIgnoreCase(store.serverName())).findFirst()
            .or(() -> byName.stream().findFirst());
    }

    private static List<ReceiveConnector> others(Organization org, ReceiveConnector current) {
        return org.receiveConnectorsOn(current.server()).stream()
            .filter(c -> !c.identity().equalsIgnoreCase(current.identity())).toList();
    }

    private static Organization replace(Organization org, ReceiveConnector current, ReceiveConnector changed) {
        return org.withReceiveConnectors(org.receiveConnectors().stream()
            .map(c -> c.identity().equalsIgnoreCase(current.identity()) ? changed : c).toList());
    }

    private static List<ReceiveConnector> append(List<ReceiveConnector> list, ReceiveConnector c) {
        List<ReceiveConnector> out = new ArrayList<>(list);
        out.add(c);
        return out;
    }

    static ShellObject toObject(ReceiveConnector c) {
        ShellObject.Builder b = ShellObject.builder(TYPE, c);
        ReceiveConnectorParameters.toDisplay(c).forEach(b::property);
        return b.build();
    }
}
