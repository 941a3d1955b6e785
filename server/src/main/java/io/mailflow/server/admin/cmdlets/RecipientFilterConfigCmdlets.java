package io.mailflow.server.admin.cmdlets;

import io.mailflow.core.organization.RecipientFilterConfig;
import io.mailflow.core.organization.RecipientFilterConfigParameters;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.time.Clock;
import io.mailflow.server.admin.shell.Cmdlet;
import io.mailflow.server.admin.shell.Parameter;
import io.mailflow.server.admin.shell.ShellObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Get- and Set-RecipientFilterConfig: the Recipient Filter agent of seed 002 (recipient lookup
 * and the blocked-recipients list), applied to new sessions at once and journaled like every
 * configuration change.
 */
public final class RecipientFilterConfigCmdlets {
    static final String TYPE = "Microsoft.Exchange.Data.Directory.SystemConfiguration.RecipientFilterConfig";

    private final OrganizationStore store;
    private final ConfigurationJournal journal;
    private final Clock clock;

    public RecipientFilterConfigCmdlets(OrganizationStore store, ConfigurationJournal journal, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    public List<Cmdlet> cmdlets() {
        Cmdlet get = Cmdlet.named("Get-RecipientFilterConfig")
            .runs(inv -> List.of(toObject(store.organization().recipientFilterConfig())));
        Cmdlet.Builder set = Cmdlet.named("Set-RecipientFilterConfig").supportsShouldProcess();
        for (var p : RecipientFilterConfigParameters.TABLE.settable()) {
            set.parameter(p.isMultiValued() ? Parameter.list(p.name()) : Parameter.value(p.name()));
        }
        return List.of(get, set.runs(inv -> {
            Map<String, String> changes = new LinkedHashMap<>();
            for (var p : RecipientFilterConfigParameters.TABLE.settable()) {
                if (inv.isBound(p.name())) {
                    changes.put(p.name(), p.isMultiValued() ? String.join(",", inv.values(p.name())) : inv.value(p.name()));
                }
            }
            RecipientFilterConfig changed;
            try {
                changed = RecipientFilterConfigParameters.set(store.organization().recipientFilterConfig(), changes);
            } catch (ParamException e) {
                throw inv.parameterError(e.problems().get(0).parameter(), e.problems().get(0).message());
            }
            if (!inv.shouldProcess("Configuring the Recipient Filter agent.")) {
                return List.of();
            }
            store.change(o -> o.withRecipientFilterConfig(changed));
            if (journal != null) {
                StringBuilder line = new StringBuilder("Set-RecipientFilterConfig");
                changes.forEach((n, v) -> line.append(" -").append(n).append(' ').append(ConfigurationJournal.quote(v)));
                journal.record(line.toString(), clock.now());
            }
            return List.of();
        }));
    }

    private static ShellObject toObject(RecipientFilterConfig config) {
        ShellObject.Builder b = ShellObject.builder(TYPE, config);
        RecipientFilterConfigParameters.toDisplay(config).forEach(b::property);
        return b.build();
    }
}
