package io.mailflow.server.admin;

import io.mailflow.core.logging.TransportLogs;
import io.mailflow.core.time.Clock;
import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.server.admin.cmdlets.ConfigurationJournal;
import io.mailflow.server.admin.cmdlets.LogCmdlets;
import io.mailflow.server.admin.cmdlets.OrganizationStore;
import io.mailflow.server.admin.cmdlets.ReceiveConnectorCmdlets;
import io.mailflow.server.admin.cmdlets.RecipientFilterConfigCmdlets;
import io.mailflow.server.admin.cmdlets.TransportRuleCmdlets;
import io.mailflow.server.admin.cmdlets.TransportServiceCmdlets;
import io.mailflow.server.admin.queues.QueueCmdlets;
import io.mailflow.server.admin.queues.QueueViewer;
import io.mailflow.server.admin.shell.CmdletRegistry;
import io.mailflow.server.admin.shell.ShellResult;
import io.mailflow.server.admin.shell.ShellSession;

import java.util.ArrayList;
import java.util.List;

/**
 * The Exchange Management Shell of one server: the shell language with Mailflow's cmdlets,
 * bound to the organization the server runs. Lines run one at a time, as in one PowerShell
 * window, whoever sends them.
 */
public final class ManagementShell implements AdminApi.CommandRunner {
    private final ShellSession session;

    /**
     * @param journal where configuration changes are recorded; null while replaying it
     * @param logs    the logs the Get- cmdlets read; null while replaying the journal
     */
    public ManagementShell(OrganizationStore store, ConfigurationJournal journal, TransportLogs logs, Clock clock) {
        this(store, journal, logs, clock, null, null);
    }

    /**
     * @param queues           the Transport service's queues for the queue viewer cmdlets; null while replaying
     * @param transportService the settings Get-TransportService shows; null while replaying
     */
    public ManagementShell(OrganizationStore store, ConfigurationJournal journal, TransportLogs logs, Clock clock,
                           QueueViewer queues, TransportServiceSettings transportService) {
        CmdletRegistry registry = CmdletRegistry.withBuiltins();
        new ReceiveConnectorCmdlets(store, journal, clock).cmdlets().forEach(registry::register);
        new RecipientFilterConfigCmdlets(store, journal, clock).cmdlets().forEach(registry::register);
        new TransportRuleCmdlets(store, journal, clock).cmdlets().forEach(registry::register);
        if (logs != null) {
            new LogCmdlets(logs).cmdlets().forEach(registry::register);
        }
        if (queues != null) {
            new QueueCmdlets(queues).cmdlets().forEach(registry::register);
        }
        if (transportService != null) {
            new TransportServiceCmdlets(transportService, store.serverName()).cmdlets().forEach(registry::register);
        }
        this.session = new ShellSession(registry);
    }

    @Override
    public synchronized Result run(String line) {
        ShellResult result = session.execute(line);
        return new Result(result.output(), result.success());
    }

    /**
     * Replays the configuration journal onto {@code store}: the changes typed in earlier
     * sessions, in order. Returns one line per change that no longer applies (a connector
     * removed from the file since, say), so the relay can say so at start.
     */
    public static List<String> replay(OrganizationStore store, ConfigurationJournal journal, Clock clock) {
        ManagementShell shell = new ManagementShell(store, null, null, clock);
        List<String> failures = new ArrayList<>();
        for (String line : journal.lines()) {
            Result result = shell.run(line);
            if (!result.success()) {
                failures.add(line + "\n" + result.text().strip());
            }
        }
        return failures;
    }
}
