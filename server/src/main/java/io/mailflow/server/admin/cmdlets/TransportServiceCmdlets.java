package io.mailflow.server.admin.cmdlets;

import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.server.admin.shell.Cmdlet;
import io.mailflow.server.admin.shell.ErrorCategory;
import io.mailflow.server.admin.shell.Parameter;
import io.mailflow.server.admin.shell.ShellObject;

import java.util.List;

/**
 * Get-TransportService: the Transport service's timers and limits (retry, expiry, delay DSN,
 * outbound concurrency, PoisonThreshold) as the server runs them, in Exchange's names. They are
 * set in the organization file's {@code TransportService} section and read at start.
 */
public final class TransportServiceCmdlets {
    static final String TYPE = "Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportServer";

    private final TransportServiceSettings settings;
    private final String serverName;

    public TransportServiceCmdlets(TransportServiceSettings settings, String serverName) {
        this.settings = settings;
        this.serverName = serverName;
    }

    public List<Cmdlet> cmdlets() {
        return List.of(Cmdlet.named("Get-TransportService")
            .parameter(Parameter.value("Identity").position(0))
            .runs(inv -> {
                if (inv.isBound("Identity") && !inv.value("Identity").equalsIgnoreCase(serverName)) {
                    throw inv.error(ErrorCategory.ObjectNotFound, "The operation couldn't be performed because object '"
                        + inv.value("Identity") + "' couldn't be found.");
                }
                ShellObject.Builder b = ShellObject.builder(TYPE, settings).property("Name", serverName);
                settings.toDisplay().forEach(b::property);
                return List.of(b.build());
            }));
    }
}
