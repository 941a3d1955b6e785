package io.mailflow.server.admin.queues;

import io.mailflow.server.admin.shell.Cmdlet;
import io.mailflow.server.admin.shell.ErrorCategory;
import io.mailflow.server.admin.shell.ErrorRecord;
import io.mailflow.server.admin.shell.Invocation;
import io.mailflow.server.admin.shell.Parameter;
import io.mailflow.server.admin.shell.ShellException;
import io.mailflow.server.admin.shell.ShellObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The queue viewer cmdlets of the Exchange Management Shell (exchange.md §5.4), over the
 * {@link QueueViewer} the Transport service provides: Get-Queue, Get-Message, Retry-Queue,
 * Suspend-Queue, Resume-Queue, Suspend-Message, Resume-Message, Remove-Message and
 * Export-Message.
 *
 * <p>Identities are read as Exchange reads them: a queue as {@code Server\Queue} or
 * {@code Queue}, where Queue is the integer ({@code EX01\3}), the persistent name
 * ({@code Submission}, {@code Unreachable}, {@code Poison}) or the NextHopDomain
 * ({@code EX01\contoso.com}); a message as {@code Server\Queue\MessageInteger},
 * {@code Queue\MessageInteger} or the bare MessageInteger, which names every copy of the message.
 * The actions take -Identity (also from the pipeline: {@code Get-Message -Queue EX01\3 |
 * Suspend-Message}) or -Filter with an OPath filter ({@link OPathFilter}), not both. Each queue
 * or message an action refuses ({@link QueueOperationRules}) is reported as an error of its own;
 * the others go ahead. -WhatIf prints what would happen; -Confirm:$false is accepted and changes
 * nothing, as this shell never prompts.
 *
 * <p>Export-Message: Exchange returns a binary object that {@code AssembleMessage -Path} saves;
 * Mailflow's Export-Message takes the -Path itself and writes the .eml there (into a folder, as
 * {@code <InternetMessageId>.eml}).
 */
public final class QueueCmdlets {
    /** Exchange's default -ResultSize for Get-Queue and Get-Message. */
    static final int DEFAULT_RESULT_SIZE = 1000;
    /** Valid -Include / -Exclude values besides Internal and External (exchange.md §5.2). */
    static final List<String> DELIVERY_TYPES = List.of("SmtpDeliveryToMailbox", "SmtpRelayToDag",
        "SmtpRelayToMailboxDeliveryGroup", "SmtpRelayToRemoteActiveDirectorySite", "SmtpRelayToServers",
        "SmtpRelayToConnectorSourceServers", "SmtpRelayWithinAdSiteToEdge", "DnsConnectorDelivery",
        "SmartHostConnectorDelivery", "NonSmtpGatewayDelivery", "DeliveryAgent", "ShadowRedundancy", "Undefined",
        "Unreachable", "Heartbeat");

    private final QueueViewer viewer;

    public QueueCmdlets(QueueViewer viewer) {
        this.viewer = viewer;
    }

    public List<Cmdlet> cmdlets() {
        return List.of(getQueue(), getMessage(), retryQueue(), suspendQueue(), resumeQueue(), suspendMessage(),
            resumeMessage(), removeMessage(), exportMessage());
    }

    // ---- Get-Queue, Get-Message ----------------------------------------------------------------

    private Cmdlet getQueue() {
        return Cmdlet.named("Get-Queue")
            .parameter(Parameter.value("Identity").position(0))
            .parameter(Parameter.value("Server"))
            .parameter(queueFilter())
            .parameter(Parameter.list("Include").validate(QueueCmdlets::checkQueueKind))
            .parameter(Parameter.list("Exclude").validate(QueueCmdlets::checkQueueKind))
            .parameter(Parameter.list("SortOrder").validate(v -> sortKey(v, QueueObjects.QUEUE_PROPERTIES)))
            .parameter(resultSize())
            .outputs(QueueObjects.QUEUE_TYPE, QueueObjects.QUEUE_VIEW)
            .runs(inv -> {
                rejectIdentityWith(inv, "Server", "Filter");
                checkServer(inv);
                List<QueueInfo> queues = inv.isBound("Identity")
                    ? List.of(findQueue(inv, inv.value("Identity"))) : viewer.queues();
                List<String> include = inv.values("Include");
                List<String> exclude = inv.values("Exclude");
                List<ShellObject> out = queues.stream()
                    .filter(q -> include.isEmpty() || include.stream().anyMatch(kind -> isOfKind(q, kind)))
                    .filter(q -> exclude.stream().noneMatch(kind -> isOfKind(q, kind)))
                    .map(QueueObjects::queue)
                    .filter(filterOf(inv, QueueObjects.QUEUE_PROPERTIES))
                    .sorted(sortOrder(inv, QueueObjects.QUEUE_PROPERTIES))
                    .toList();
                return limit(inv, out);
            });
    }

    private Cmdlet getMessage() {
        return Cmdlet.named("Get-Message")
            .parameter(Parameter.value("Identity").position(0))
            .parameter(Parameter.value("Queue").fromPipeline())
            .parameter(Parameter.value("Server"))
            .parameter(messageFilter())
            .parameter(Parameter.switchParameter("IncludeRecipientInfo"))
            .parameter(Parameter.list("SortOrder").validate(v -> sortKey(v, QueueObjects.MESSAGE_PROPERTIES)))
            .parameter(resultSize())
            .outputs(QueueObjects.MESSAGE_TYPE, QueueObjects.MESSAGE_VIEW)
            .runs(inv -> {
                rejectIdentityWith(inv, "Queue", "Server", "Filter");
                checkServer(inv);
                List<MessageInfo> messages;
                if (inv.isBound("Identity")) {
                    messages = findMessages(inv, inv.value("Identity"));
                } else if (inv.isBound("Queue")) {
                    String queue = findQueue(inv, inv.value("Queue")).identity();
                    messages = viewer.messages().stream().filter(m -> m.queue().equalsIgnoreCase(queue)).toList();
                } else {
                    messages = viewer.messages();
                }
                boolean withRecipients = inv.isSwitchOn("IncludeRecipientInfo");
                Predicate<ShellObject> filter = filterOf(inv, QueueObjects.MESSAGE_PROPERTIES);
                List<ShellObject> out = messages.stream()
                    .filter(m -> filter.test(QueueObjects.message(m, true)))
                    .map(m -> QueueObjects.message(m, withRecipients))
                    .sorted(sortOrder(inv, QueueObjects.MESSAGE_PROPERTIES))
                    .toList();
                return limit(inv, out);
            });
    }

    // ---- Queue actions -------------------------------------------------------------------------

    private Cmdlet retryQueue() {
        return queueAction("Retry-Queue", List.of(Parameter.value("Resubmit")), (inv, q) -> {
            boolean resubmit = inv.bool("Resubmit").orElse(false);
            return new Action<>(QueueOperationRules.retryQueue(q, resubmit),
                (resubmit ? "Resubmitting the messages of queue \"" : "Retrying queue \"") + q.identity() + "\".",
                () -> viewer.retryQueue(q.identity(), resubmit));
        });
    }

    private Cmdlet suspendQueue() {
        return queueAction("Suspend-Queue", List.of(), (inv, q) -> new Action<>(QueueOperationRules.suspendQueue(q),
            "Suspending queue \"" + q.identity() + "\".", () -> viewer.suspendQueue(q.identity())));
    }

    private Cmdlet resumeQueue() {
        return queueAction("Resume-Queue", List.of(), (inv, q) -> new Action<>(QueueOperationRules.resumeQueue(q),
            "Resuming queue \"" + q.identity() + "\".", () -> viewer.resumeQueue(q.identity())));
    }

    // ---- Message actions -----------------------------------------------------------------------

    private Cmdlet suspendMessage() {
        return messageAction("Suspend-Message", List.of(), (inv, m) -> new Action<>(
            QueueOperationRules.suspendMessage(m), "Suspending message \"" + m.identity() + "\".",
            () -> viewer.suspendMessage(m.identity())));
    }

    private Cmdlet resumeMessage() {
        return messageAction("Resume-Message", List.of(), (inv, m) -> new Action<>(
            QueueOperationRules.resumeMessage(m), "Resuming message \"" + m.identity() + "\".",
            () -> viewer.resumeMessage(m.identity())));
    }

    private Cmdlet removeMessage() {
        return messageAction("Remove-Message", List.of(Parameter.value("WithNDR")), (inv, m) -> {
            boolean withNdr = inv.bool("WithNDR").orElse(true);
            return new Action<>(QueueOperationRules.removeMessage(m), "Removing message \"" + m.identity() + "\" "
                + (withNdr ? "and sending a non-delivery report" : "without sending a non-delivery report") + ".",
                () -> viewer.removeMessage(m.identity(), withNdr));
        });
    }

    private Cmdlet exportMessage() {
        return Cmdlet.named("Export-Message")
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .parameter(Parameter.value("Path").position(1).mandatory())
            .supportsShouldProcess()
            .runs(inv -> {
                List<MessageInfo> found = findMessages(inv, inv.value("Identity"));
                if (found.size() > 1) {
                    throw inv.error(ErrorCategory.InvalidArgument, "The identity '" + inv.value("Identity")
                        + "' matches " + found.size() + " copies of the message ("
                        + String.join(", ", found.stream().map(MessageInfo::identity).toList())
                        + "). Export one of them.");
                }
                MessageInfo m = found.get(0);
                Path target = exportPath(inv, m);
                Optional<String> refusal = QueueOperationRules.exportMessage(m);
                if (refusal.isPresent()) throw refused(m.identity(), refusal.get());
                if (!inv.shouldProcess("Exporting message \"" + m.identity() + "\" to \"" + target + "\".")) {
                    return List.of();
                }
                byte[] content;
                try {
                    content = viewer.exportMessage(m.identity());
                } catch (QueueOperationException e) {
                    throw refused(m.identity(), e.getMessage());
                }
                try {
                    Files.write(target, content);
                } catch (IOException e) {
                    throw inv.error(ErrorCategory.WriteError, "Couldn't write the message to \"" + target + "\": "
                        + e.getMessage());
                }
                inv.writeVerbose("Exported message \"" + m.identity() + "\" (" + content.length + " bytes) to \""
                    + target + "\".");
                return List.of();
            });
    }

    /** The file to write: -Path itself, or {@code <InternetMessageId>.eml} inside it when it is a folder. */
    private static Path exportPath(Invocation inv, MessageInfo m) {
        try {
            Path path = Path.of(inv.value("Path"));
            if (!Files.isDirectory(path)) return path;
            String id = m.internetMessageId() == null || m.internetMessageId().isBlank()
                ? m.messageInteger() : m.internetMessageId();
            return path.resolve(id.replaceAll("[<>:\"/\\\\|?*\\s]", "_") + ".eml");
        } catch (InvalidPathException e) {
            throw inv.parameterError("Path", "\"" + inv.value("Path") + "\" is not a valid file path: " + e.getReason() + ".");
        }
    }

    // ---- How the actions run -------------------------------------------------------------------

    /** What one action would do to one queue or message: the rule's refusal, the -WhatIf text, the call. */
    private record Action<T>(Optional<String> refusal, String description, Supplier<T> call) {}

    @FunctionalInterface
    private interface Plan<T, R> {
        Action<R> plan(Invocation inv, T target);
    }

    private Cmdlet queueAction(String name, List<Parameter> extra, Plan<QueueInfo, QueueInfo> plan) {
        Cmdlet.Builder b = Cmdlet.named(name)
            .parameter(Parameter.value("Identity").position(0).fromPipeline())
            .parameter(queueFilter())
            .parameter(Parameter.value("Server"))
            .supportsShouldProcess();
        extra.forEach(b::parameter);
        return b.runs(inv -> {
            requireIdentityOrFilter(inv);
            List<QueueInfo> targets;
            if (inv.isBound("Identity")) {
                targets = List.of(findQueue(inv, inv.value("Identity")));
            } else {
                checkServer(inv);
                Predicate<ShellObject> filter = filterOf(inv, QueueObjects.QUEUE_PROPERTIES);
                targets = viewer.queues().stream().filter(q -> filter.test(QueueObjects.queue(q)))
                    .sorted(Comparator.comparing(QueueInfo::identity, DisplayValues::compareIdentities)).toList();
            }
            for (QueueInfo q : targets) {
                run(inv, q.identity(), "QueueIdentity", plan.plan(inv, q),
                    after -> "Queue \"" + after.identity() + "\" is now " + after.status() + ".");
            }
            return List.of();
        });
    }

    private Cmdlet messageAction(String name, List<Parameter> extra, Plan<MessageInfo, MessageInfo> plan) {
        Cmdlet.Builder b = Cmdlet.named(name)
            .parameter(Parameter.value("Identity").position(0).fromPipeline())
            .parameter(messageFilter())
            .parameter(Parameter.value("Server"))
            .supportsShouldProcess();
        extra.forEach(b::parameter);
        return b.runs(inv -> {
            requireIdentityOrFilter(inv);
            List<MessageInfo> targets;
            if (inv.isBound("Identity")) {
                targets = findMessages(inv, inv.value("Identity"));
            } else {
                checkServer(inv);
                Predicate<ShellObject> filter = filterOf(inv, QueueObjects.MESSAGE_PROPERTIES);
                targets = viewer.messages().stream().filter(m -> filter.test(QueueObjects.message(m, true)))
                    .sorted(Comparator.comparing(MessageInfo::identity, DisplayValues::compareIdentities)).toList();
            }
            for (MessageInfo m : targets) {
                run(inv, m.identity(), "MessageIdentity", plan.plan(inv, m),
                    after -> "Message \"" + after.identity() + "\" is now " + after.status() + ".");
            }
            return List.of();
        });
    }

    /** Checks, asks -WhatIf, calls; a refusal is this target's error and the next target still runs. */
    private static <R> void run(Invocation inv, String identity, String identityType, Action<R> action,
                                Function<R, String> verbose) {
        if (action.refusal().isPresent()) {
            inv.writeError(refusalRecord(identity, identityType, action.refusal().get()));
            return;
        }
        if (!inv.shouldProcess(action.description())) return;
        try {
            R after = action.call().get();
            if (after != null) inv.writeVerbose(verbose.apply(after));
        } catch (QueueOperationException e) {
            inv.writeError(refusalRecord(identity, identityType, e.getMessage()));
        }
    }

    private static ShellException refused(String identity, String message) {
        return new ShellException(refusalRecord(identity, "MessageIdentity", message));
    }

    private static ErrorRecord refusalRecord(String identity, String identityType, String message) {
        return ErrorRecord.of(ErrorCategory.InvalidOperation, message).withTarget(identity, identityType);
    }

    // ---- Identities ----------------------------------------------------------------------------

    private QueueInfo findQueue(Invocation inv, String typed) {
        return queue(typed, viewer.queues()).orElseThrow(() -> notFound(inv, typed));
    }

    /** {@code EX01\3}, {@code 3}, {@code EX01\Submission}, {@code EX01\contoso.com}. */
    private Optional<QueueInfo> queue(String typed, List<QueueInfo> queues) {
        String id = qualified(typed.strip());
        for (QueueInfo q : queues) if (q.identity().equalsIgnoreCase(id)) return Optional.of(q);
        for (QueueInfo q : queues) {
            if ((q.server() + "\\" + q.nextHopDomain()).equalsIgnoreCase(id)) return Optional.of(q);
        }
        return Optional.empty();
    }

    /** Every copy {@code typed} names: one for {@code EX01\3\12} or {@code 3\12}, all for {@code 12}. */
    private List<MessageInfo> findMessages(Invocation inv, String typed) {
        String id = typed.strip();
        int last = id.lastIndexOf('\\');
        String integer = id.substring(last + 1);
        Optional<String> queue = last < 0 ? Optional.empty()
            : Optional.of(queue(id.substring(0, last), viewer.queues()).map(QueueInfo::identity)
                .orElse(qualified(id.substring(0, last))));
        List<MessageInfo> found = viewer.messages().stream()
            .filter(m -> m.messageInteger().equals(integer))
            .filter(m -> queue.isEmpty() || m.queue().equalsIgnoreCase(queue.get()))
            .sorted(Comparator.comparing(MessageInfo::identity, DisplayValues::compareIdentities))
            .toList();
        if (found.isEmpty()) throw notFound(inv, typed);
        return found;
    }

    /** Prefixes this server's name when the identity has none. */
    private String qualified(String identity) {
        String prefix = viewer.serverName() + "\\";
        return identity.regionMatches(true, 0, prefix, 0, prefix.length()) ? identity : prefix + identity;
    }

    private ShellException notFound(Invocation inv, String typed) {
        return inv.error(ErrorCategory.ObjectNotFound, "The operation couldn't be performed because object '" + typed
            + "' couldn't be found on '" + viewer.serverName() + "'.");
    }

    /** -Server names this server (its name, or an FQDN starting with it); there are no others to ask. */
    private void checkServer(Invocation inv) {
        String server = inv.value("Server");
        if (server == null) return;
        String s = server.strip();
        if (s.equalsIgnoreCase(viewer.serverName())
            || s.toLowerCase(Locale.ROOT).startsWith(viewer.serverName().toLowerCase(Locale.ROOT) + ".")) {
            return;
        }
        throw notFound(inv, server).asTerminating();
    }

    // ---- Parameters ----------------------------------------------------------------------------

    private static Parameter queueFilter() {
        return Parameter.value("Filter").validate(f -> OPathFilter.parse(f, QueueObjects.QUEUE_PROPERTIES));
    }

    private static Parameter messageFilter() {
        return Parameter.value("Filter").validate(f -> OPathFilter.parse(f, QueueObjects.MESSAGE_PROPERTIES));
    }

    private static Parameter resultSize() {
        return Parameter.value("ResultSize").validate(v -> {
            if (!v.equalsIgnoreCase("Unlimited") && !v.strip().matches("[1-9][0-9]{0,9}")) {
                throw new IllegalArgumentException("Cannot convert value \"" + v + "\" to type "
                    + "\"Microsoft.Exchange.Data.Unlimited`1[System.UInt32]\". Give a positive number or Unlimited.");
            }
        });
    }

    /** -Filter as a test on the objects; everything passes when it was not given. */
    private static Predicate<ShellObject> filterOf(Invocation inv, List<String> properties) {
        String text = inv.value("Filter");
        if (text == null || text.isBlank()) return object -> true;
        return OPathFilter.parse(text, properties)::matches;
    }

    private static void checkQueueKind(String value) {
        if (value.equalsIgnoreCase("Internal") || value.equalsIgnoreCase("External")) return;
        if (DELIVERY_TYPES.stream().anyMatch(value::equalsIgnoreCase)) return;
        throw new IllegalArgumentException("Cannot convert value \"" + value + "\" to type "
            + "\"Microsoft.Exchange.Data.QueueViewer.QueueViewerIncludesAndExcludes\". Valid values are Internal, "
            + "External and the DeliveryType values: " + String.join(", ", DELIVERY_TYPES) + ".");
    }

    private static boolean isOfKind(QueueInfo q, String kind) {
        if (kind.equalsIgnoreCase("Internal")) return q.nextHopCategory() == QueueInfo.NextHopCategory.Internal;
        if (kind.equalsIgnoreCase("External")) return q.nextHopCategory() == QueueInfo.NextHopCategory.External;
        return kind.equalsIgnoreCase(q.deliveryType());
    }

    /** {@code +MessageCount}, {@code -Identity} or a bare name (ascending); returns the property. */
    private static String sortKey(String entry, List<String> properties) {
        String name = entry.strip();
        if (name.startsWith("+") || name.startsWith("-")) name = name.substring(1);
        for (String p : properties) if (p.equalsIgnoreCase(name)) return p;
        throw new IllegalArgumentException("Cannot sort on \"" + entry + "\": it isn't one of the properties "
            + String.join(", ", properties) + ".");
    }

    /** -SortOrder's keys in turn, then the identity, ascending, as Exchange sorts by default. */
    private static Comparator<ShellObject> sortOrder(Invocation inv, List<String> properties) {
        Comparator<ShellObject> order = (a, b) -> 0;
        for (String entry : inv.values("SortOrder")) {
            String property = sortKey(entry, properties);
            Comparator<ShellObject> key = (a, b) -> compareProperty(property, a.get(property), b.get(property));
            order = order.thenComparing(entry.strip().startsWith("-") ? key.reversed() : key);
        }
        return order.thenComparing((a, b) -> DisplayValues.compareIdentities(a.identity(), b.identity()));
    }

    private static int compareProperty(String property, String a, String b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        if (property.equals("Identity") || property.equals("Queue")) return DisplayValues.compareIdentities(a, b);
        return DisplayValues.compare(a, b);
    }

    /** -ResultSize (1000 by default), with Exchange's warning when more were found. */
    private static List<ShellObject> limit(Invocation inv, List<ShellObject> out) {
        String size = inv.value("ResultSize", Integer.toString(DEFAULT_RESULT_SIZE));
        if (size.equalsIgnoreCase("Unlimited")) return out;
        int max = Integer.parseInt(size.strip());
        if (out.size() <= max) return out;
        inv.writeWarning("There are more results available than are currently displayed. To view them, increase "
            + "the value for the ResultSize parameter.");
        return out.subList(0, max);
    }

    /** Exchange's parameter sets: -Identity goes with none of {@code others}. */
    private static void rejectIdentityWith(Invocation inv, String... others) {
        if (!inv.isBound("Identity")) return;
        for (String other : others) {
            if (inv.isBound(other)) throw parameterSetError(inv);
        }
    }

    /** The actions need -Identity (typed or piped) or -Filter, and not both. */
    private static void requireIdentityOrFilter(Invocation inv) {
        if (inv.isBound("Identity") && (inv.isBound("Filter") || inv.isBound("Server"))) throw parameterSetError(inv);
        if (!inv.isBound("Identity") && !inv.isBound("Filter")) {
            throw new ShellException(ErrorRecord.of(ErrorCategory.InvalidArgument, "Cannot process command because of "
                    + "one or more missing mandatory parameters: Identity or Filter.")
                .withExceptionType("ParameterBindingException").withErrorId("MissingMandatoryParameter," + inv.commandName()),
                true);
        }
    }

    private static ShellException parameterSetError(Invocation inv) {
        return new ShellException(ErrorRecord.of(ErrorCategory.InvalidArgument,
                "Parameter set cannot be resolved using the specified named parameters.")
            .withExceptionType("ParameterBindingException").withErrorId("AmbiguousParameterSet," + inv.commandName()),
            true);
    }
}
