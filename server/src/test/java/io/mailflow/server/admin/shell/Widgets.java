package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture for the admin shell: Get-Widget / Set-Widget over an in-memory list, shaped like
 * Get-/Set-ReceiveConnector so that the seed lines can be run without the real connectors.
 */
final class Widgets {
    static final String TYPE = "Mailflow.Test.Widget";

    /** A receive-connector-like thing; fields are display text, as the cmdlets print them. */
    static final class Widget {
        final String server;
        final String name;
        List<String> bindings;
        boolean enabled = true;
        String maxInboundConnection = "5000";
        String maxInboundConnectionPerSource = "20";
        String maxInboundConnectionPercentagePerSource = "2";
        String maxMessageSize = "36 MB (37,748,736 bytes)";
        String maxRecipientsPerMessage = "200";
        String messageRateLimit = "Unlimited";
        String banner;

        Widget(String server, String name, String... bindings) {
            this.server = server;
            this.name = name;
            this.bindings = List.of(bindings);
        }

        String identity() {
            return server + "\\" + name;
        }
    }

    final List<Widget> all = new ArrayList<>();

    Widgets() {
        all.add(new Widget("EX01", "Default EX01", "0.0.0.0:2525", "[::]:2525"));
        all.add(new Widget("EX01", "Default Frontend EX01", "0.0.0.0:25", "[::]:25"));
        all.add(new Widget("EX01", "Client Frontend EX01", "0.0.0.0:587", "[::]:587"));
        Widget relay = new Widget("EX01", "AppRelay", "10.0.0.5:25");
        relay.maxInboundConnection = "50";
        relay.maxMessageSize = "10 MB (10,485,760 bytes)";
        relay.enabled = false;
        all.add(relay);
    }

    Widget find(String identity) {
        for (Widget w : all) if (w.identity().equalsIgnoreCase(identity) || w.name.equalsIgnoreCase(identity)) return w;
        return null;
    }

    static ShellObject toObject(Widget w) {
        return ShellObject.builder(TYPE, w)
            .property("Identity", w.identity())
            .property("Name", w.name)
            .property("Server", w.server)
            .property("Bindings", w.bindings)
            .property("Enabled", w.enabled)
            .property("Banner", w.banner)
            .property("MaxInboundConnection", w.maxInboundConnection)
            .property("MaxInboundConnectionPerSource", w.maxInboundConnectionPerSource)
            .property("MaxInboundConnectionPercentagePerSource", w.maxInboundConnectionPercentagePerSource)
            .property("MaxMessageSize", w.maxMessageSize)
            .property("MaxRecipientsPerMessage", w.maxRecipientsPerMessage)
            .property("MessageRateLimit", w.messageRateLimit)
            .build();
    }

    Cmdlet getWidget() {
        return Cmdlet.named("Get-Widget")
            .parameter(Parameter.value("Identity").position(0))
            .outputs(TYPE, DefaultView.table("Identity", "Bindings", "Enabled"))
            .runs(inv -> {
                String identity = inv.value("Identity", "*");
                List<ShellObject> out = new ArrayList<>();
                for (Widget w : all) {
                    if (WildcardPattern.matches(identity, w.identity(), true) || WildcardPattern.matches(identity, w.name, true)) out.add(toObject(w));
                }
                if (out.isEmpty() && !WildcardPattern.hasWildcards(identity)) {
                    throw inv.error(ErrorCategory.NotSpecified, "The operation couldn't be performed because object '" + identity
                        + "' couldn't be found on 'ex01.contoso.com'.");
                }
                return out;
            });
    }

    /** The example cmdlet of the report: identity from the pipeline, validation, per-object failure, -WhatIf. */
    Cmdlet setWidget() {
        return Cmdlet.named("Set-Widget")
            .parameter(Parameter.value("Identity").position(0).mandatory().fromPipeline())
            .parameter(Parameter.value("MaxInboundConnectionPerSource").validate(v -> checkRange(v, 1, 10000, true)))
            .parameter(Parameter.value("MaxInboundConnection").validate(v -> checkRange(v, 1, Integer.MAX_VALUE, true)))
            .parameter(Parameter.value("MaxInboundConnectionPercentagePerSource").validate(v -> checkRange(v, 1, 100, false)))
            .parameter(Parameter.value("MaxRecipientsPerMessage").validate(v -> checkRange(v, 1, 512000, false)))
            .parameter(Parameter.value("MaxMessageSize"))
            .parameter(Parameter.value("MessageRateLimit"))
            .parameter(Parameter.value("Banner"))
            .parameter(Parameter.value("Enabled"))
            .parameter(Parameter.list("Bindings"))
            .supportsShouldProcess()
            .runs(inv -> {
                Widget w = inv.pipelineSource(Widget.class).orElseGet(() -> find(inv.value("Identity")));
                if (w == null) {
                    throw inv.error(ErrorCategory.ObjectNotFound, "The operation couldn't be performed because object '"
                        + inv.value("Identity") + "' couldn't be found on 'ex01.contoso.com'.");
                }
                String perSource = inv.value("MaxInboundConnectionPerSource", w.maxInboundConnectionPerSource);
                if (Comparison.compare(perSource, inv.value("MaxInboundConnection", w.maxInboundConnection), false) > 0) {
                    throw inv.error(ErrorCategory.InvalidOperation, "MaxInboundConnectionPerSource (" + perSource
                        + ") can't be larger than MaxInboundConnection on '" + w.identity() + "'.");
                }
                if (!inv.shouldProcess("Configuring Widget \"" + w.identity() + "\".")) return List.of();
                w.maxInboundConnectionPerSource = perSource;
                w.maxInboundConnection = inv.value("MaxInboundConnection", w.maxInboundConnection);
                w.maxInboundConnectionPercentagePerSource = inv.value("MaxInboundConnectionPercentagePerSource", w.maxInboundConnectionPercentagePerSource);
                w.maxRecipientsPerMessage = inv.value("MaxRecipientsPerMessage", w.maxRecipientsPerMessage);
                w.maxMessageSize = inv.value("MaxMessageSize", w.maxMessageSize);
                w.messageRateLimit = inv.value("MessageRateLimit", w.messageRateLimit);
                w.banner = inv.value("Banner", w.banner);
                w.enabled = inv.bool("Enabled").orElse(w.enabled);
                if (inv.edits("Bindings").isPresent()) {
                    List<String> bindings = new ArrayList<>(w.bindings);
                    bindings.addAll(inv.edits("Bindings").get().getOrDefault("Add", List.of()));
                    bindings.removeAll(inv.edits("Bindings").get().getOrDefault("Remove", List.of()));
                    w.bindings = bindings;
                } else if (inv.isBound("Bindings")) {
                    w.bindings = inv.values("Bindings");
                }
                if (!inv.bool("Enabled").orElse(true)) {
                    inv.writeWarning("Widget '" + w.identity() + "' no longer accepts connections.");
                }
                inv.writeVerbose("Saved " + w.identity() + ".");
                return List.of();
            });
    }

    /** Exchange's "1-10000 or unlimited" checks. */
    static void checkRange(String value, long low, long high, boolean unlimitedAllowed) {
        if (unlimitedAllowed && value.equalsIgnoreCase("unlimited")) return;
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Cannot convert value \"" + value + "\" to type \"System.Int32\".");
        }
        if (n < low || n > high) {
            throw new IllegalArgumentException("The value " + value + " is outside the range " + low + "-" + high
                + (unlimitedAllowed ? " or unlimited." : "."));
        }
    }

    ShellSession session() {
        return session(ShellSession.DEFAULT_CONSOLE_WIDTH);
    }

    ShellSession session(int width) {
        CmdletRegistry registry = CmdletRegistry.withBuiltins().register(getWidget()).register(setWidget());
        return new ShellSession(registry, width);
    }
}
