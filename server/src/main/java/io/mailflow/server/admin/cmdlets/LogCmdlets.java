package io.mailflow.server.admin.cmdlets;

import io.mailflow.core.logging.EventLog;
import io.mailflow.core.logging.MessageTrackingLog;
import io.mailflow.core.logging.TrackingEvent;
import io.mailflow.core.logging.TransportLogs;
import io.mailflow.server.admin.shell.Cmdlet;
import io.mailflow.server.admin.shell.DefaultView;
import io.mailflow.server.admin.shell.ErrorCategory;
import io.mailflow.server.admin.shell.Invocation;
import io.mailflow.server.admin.shell.Parameter;
import io.mailflow.server.admin.shell.ShellObject;
import io.mailflow.server.admin.shell.WildcardPattern;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reading the logs from the shell: Get-EventLog (PowerShell's, over Mailflow's event log, which
 * stands in for the Windows Application log) and Get-MessageTrackingLog (Exchange's, over the
 * message tracking log files). Both read the files, so they show what an administrator would
 * find on disk.
 */
public final class LogCmdlets {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.US).withZone(ZoneOffset.UTC);

    private final TransportLogs logs;

    public LogCmdlets(TransportLogs logs) {
        this.logs = logs;
    }

    public List<Cmdlet> cmdlets() {
        return List.of(getEventLog(), getMessageTrackingLog());
    }

    private Cmdlet getEventLog() {
        return Cmdlet.named("Get-EventLog")
            .parameter(Parameter.value("LogName").position(0).mandatory())
            .parameter(Parameter.list("Source"))
            .parameter(Parameter.list("InstanceId").position(1))
            .parameter(Parameter.list("EntryType"))
            .parameter(Parameter.value("Newest"))
            .parameter(Parameter.value("After"))
            .parameter(Parameter.value("Before"))
            .parameter(Parameter.value("Message"))
            .outputs("System.Diagnostics.EventLogEntry",
                DefaultView.table(DefaultView.column("Index", 6), DefaultView.column("Time", 12),
                    DefaultView.column("EntryType", 11), DefaultView.column("Source", 19),
                    DefaultView.column("InstanceID", 11), DefaultView.column("Message", 0)))
            .runs(inv -> {
                if (!inv.value("LogName").equalsIgnoreCase("Application")) {
                    throw inv.error(ErrorCategory.ObjectNotFound, "The event log '" + inv.value("LogName")
                        + "' on computer '.' does not exist. Mailflow writes its events to the Application log.");
                }
                logs.flush();
                List<EventLog.Entry> entries = EventLog.read(logs.directory());
                List<ShellObject> out = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++) {
                    EventLog.Entry e = entries.get(i);
                    if (matches(inv, e)) {
                        out.add(ShellObject.builder("System.Diagnostics.EventLogEntry", e)
                            .property("Index", i + 1)
                            .property("Time", TIME.format(e.dateTime()))
                            .property("EntryType", e.event().level().name())
                            .property("Source", e.event().source())
                            .property("InstanceID", e.event().eventId())
                            .property("Category", e.event().category())
                            .property("Message", e.event().text())
                            .property("TimeGenerated", e.dateTime().toString())
                            .build());
                    }
                }
                out.sort(Comparator.comparing((ShellObject o) -> Integer.parseInt(o.get("Index"))).reversed());
                return inv.isBound("Newest") ? out.subList(0, Math.min(out.size(), number(inv, "Newest"))) : out;
            });
    }

    private static boolean matches(Invocation inv, EventLog.Entry e) {
        if (inv.isBound("Source") && inv.values("Source").stream().noneMatch(s -> s.equalsIgnoreCase(e.event().source()))) {
            return false;
        }
        if (inv.isBound("InstanceId")
            && inv.values("InstanceId").stream().noneMatch(id -> id.equals(Integer.toString(e.event().eventId())))) {
            return false;
        }
        if (inv.isBound("EntryType")
            && inv.values("EntryType").stream().noneMatch(t -> t.equalsIgnoreCase(e.event().level().name()))) {
            return false;
        }
        if (inv.isBound("Message") && !WildcardPattern.matches(inv.value("Message"), e.event().text(), true)) {
            return false;
        }
        if (inv.isBound("After") && !e.dateTime().isAfter(instant(inv, "After"))) {
            return false;
        }
        return !inv.isBound("Before") || e.dateTime().isBefore(instant(inv, "Before"));
    }

    private Cmdlet getMessageTrackingLog() {
        return Cmdlet.named("Get-MessageTrackingLog")
            .parameter(Parameter.value("MessageId"))
            .parameter(Parameter.value("InternalMessageId"))
            .parameter(Parameter.value("Sender"))
            .parameter(Parameter.list("Recipients"))
            .parameter(Parameter.value("EventId"))
            .parameter(Parameter.value("MessageSubject"))
            .parameter(Parameter.value("Start"))
            .parameter(Parameter.value("End"))
            .parameter(Parameter.value("ResultSize"))
            .parameter(Parameter.value("Server"))
            .outputs("Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent",
                DefaultView.table(DefaultView.column("EventId", 12), DefaultView.column("Source", 12),
                    DefaultView.column("Sender", 28), DefaultView.column("Recipients", 28),
                    DefaultView.column("MessageSubject", 0)))
            .runs(inv -> {
                logs.flush();
                Predicate<TrackingEvent> filter = e -> trackingMatches(inv, e);
                List<ShellObject> out = MessageTrackingLog.search(logs.directory(), filter).stream()
                    .map(LogCmdlets::trackingObject).toList();
                if (inv.isBound("ResultSize") && !inv.value("ResultSize").equalsIgnoreCase("unlimited")) {
                    return out.subList(0, Math.min(out.size(), number(inv, "ResultSize")));
                }
                return out;
            });
    }

    private static boolean trackingMatches(Invocation inv, TrackingEvent e) {
        if (inv.isBound("MessageId") && !inv.value("MessageId").equalsIgnoreCase(e.messageId())
            && !("<" + inv.value("MessageId") + ">").equalsIgnoreCase(e.messageId())) {
            return false;
        }
        if (inv.isBound("InternalMessageId") && !inv.value("InternalMessageId").equals(e.internalMessageId())) {
            return false;
        }
        if (inv.isBound("Sender") && !inv.value("Sender").equalsIgnoreCase(e.senderAddress())) {
            return false;
        }
        if (inv.isBound("Recipients") && inv.values("Recipients").stream()
            .noneMatch(r -> e.recipientAddress().stream().anyMatch(r::equalsIgnoreCase))) {
            return false;
        }
        if (inv.isBound("EventId") && !inv.value("EventId").equalsIgnoreCase(e.eventId().name())) {
            return false;
        }
        if (inv.isBound("MessageSubject") && (e.messageSubject() == null
            || !e.messageSubject().toLowerCase(Locale.ROOT).contains(inv.value("MessageSubject").toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (inv.isBound("Start") && e.dateTime().isBefore(instant(inv, "Start"))) {
            return false;
        }
        return !inv.isBound("End") || !e.dateTime().isAfter(instant(inv, "End"));
    }

    private static ShellObject trackingObject(TrackingEvent e) {
        return ShellObject.builder("Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent", e)
            .property("Timestamp", e.dateTime().toString())
            .property("ClientIp", e.clientIp())
            .property("ClientHostname", e.clientHostname())
            .property("ServerIp", e.serverIp())
            .property("ServerHostname", e.serverHostname())
            .property("SourceContext", e.sourceContext())
            .property("ConnectorId", e.connectorId())
            .property("Source", e.source().name())
            .property("EventId", e.eventId().name())
            .property("InternalMessageId", e.internalMessageId())
            .property("MessageId", e.messageId())
            .property("Recipients", e.recipientAddress())
            .property("RecipientStatus", e.recipientStatus())
            .property("TotalBytes", e.totalBytes().isPresent() ? e.totalBytes().getAsLong() : "")
            .property("RecipientCount", e.recipientCount().isPresent() ? e.recipientCount().getAsInt() : "")
            .property("RelatedRecipientAddress", e.relatedRecipientAddress())
            .property("MessageSubject", e.messageSubject())
            .property("Sender", e.senderAddress())
            .property("ReturnPath", e.returnPath())
            .property("Directionality", e.directionality())
            .build();
    }

    private static int number(Invocation inv, String parameter) {
        try {
            return Integer.parseInt(inv.value(parameter).strip());
        } catch (NumberFormatException e) {
            throw inv.parameterError(parameter, "Cannot convert value \"" + inv.value(parameter)
                + "\" to type \"System.Int32\".");
        }
    }

    /** PowerShell's date forms as administrators type them: ISO 8601, or "2026-11-22 13:00". */
    private static Instant instant(Invocation inv, String parameter) {
        String text = inv.value(parameter).strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException ignored) {
            // try the local forms below
        }
        for (String pattern : List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss",
            "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy")) {
            try {
                DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.US);
                return pattern.contains("H")
                    ? LocalDateTime.parse(text, f).toInstant(ZoneOffset.UTC)
                    : java.time.LocalDate.parse(text, f).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        throw inv.parameterError(parameter, "Cannot convert value \"" + text + "\" to type \"System.DateTime\".");
    }
}
