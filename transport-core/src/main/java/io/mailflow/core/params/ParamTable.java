package io.mailflow.core.params;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Parameters: every parameter of one kind of object, in the order Get-... | Format-List prints
 * them, as Postfix's {@code postconf} knows every {@code main.cf} parameter. It answers the admin
 * shell (Get-, Set-) and the HOCON loader alike: {@link #byName} matches case-insensitively as
 * PowerShell does, {@link #set} applies several changes at once or none, and {@link #toDisplay}
 * prints Format-List values. Cross-parameter rules (ConnectionTimeout over
 * ConnectionInactivityTimeout) run after the single values are valid, at load and at Set.
 *
 * @param <O> the object, e.g. ReceiveConnector
 * @param <B> its builder
 */
public final class ParamTable<O, B> {

    /**
     * A rule over several parameters of one object.
     * {@code given} holds the canonical names of the parameters this change gave, so a problem
     * can be put on the parameter the administrator wrote.
     */
    @FunctionalInterface
    public interface Rule<O> {
        List<ParamProblem> check(O object, Set<String> given);
    }

    private final List<Param<O, B, ?>> all;
    private final List<String> notImplemented;
    private final Function<O, B> toBuilder;
    private final Function<B, O> build;
    private final Rule<O> rule;
    private final Map<String, Param<O, B, ?>> byKey = new LinkedHashMap<>();

    /**
     * @param all            every parameter and read-only property, in Format-List order
     * @param notImplemented Exchange's parameters that Mailflow knows but does not act on: named
     *                       as such in problems, not as typos
     * @param toBuilder      a builder holding every value of an object
     * @param build          the object from a builder
     * @param rule           the cross-parameter rules
     */
    public ParamTable(List<Param<O, B, ?>> all, List<String> notImplemented, Function<O, B> toBuilder,
                      Function<B, O> build, Rule<O> rule) {
        this.all = List.copyOf(all);
        this.notImplemented = List.copyOf(notImplemented);
        this.toBuilder = Objects.requireNonNull(toBuilder);
        this.build = Objects.requireNonNull(build);
        this.rule = Objects.requireNonNull(rule);
        for (Param<O, B, ?> p : all) {
            if (byKey.putIfAbsent(key(p.name()), p) != null) {
                throw new IllegalArgumentException(p.name() + " is declared twice");
            }
        }
    }

    /** Every parameter and read-only property, in Format-List order. */
    public List<Param<O, B, ?>> all() {
        return all;
    }

    /** The parameters Set-... accepts, in Format-List order. */
    public List<Param<O, B, ?>> settable() {
        return all.stream().filter(p -> !p.isReadOnly()).toList();
    }

    public List<String> names() {
        return all.stream().map(Param::name).toList();
    }

    public List<String> notImplemented() {
        return notImplemented;
    }

    /** The parameter named {@code name} in any case. */
    public Optional<Param<O, B, ?>> byName(String name) {
        return Optional.ofNullable(byKey.get(key(name)));
    }

    /** Every property of {@code object} as Format-List prints it, in order. */
    public Map<String, String> toDisplay(O object) {
        Map<String, String> display = new LinkedHashMap<>();
        for (Param<O, B, ?> p : all) {
            display.put(p.name(), p.display(object));
        }
        return display;
    }

    /** A builder holding every value of {@code object}. */
    public B toBuilder(O object) {
        return toBuilder.apply(object);
    }

    /** The object a builder holds. */
    public O build(B builder) {
        return build.apply(builder);
    }

    /** The cross-parameter problems of {@code object}, given that the parameters in {@code given} were just set. */
    public List<ParamProblem> check(O object, Set<String> given) {
        return rule.check(object, given);
    }

    /** {@link #set(Object, Map, Rule)} without further rules. */
    public O set(O current, Map<String, String> changes) {
        return set(current, changes, (o, given) -> List.of());
    }

    /**
     * Applies every change to a copy of {@code current}, as one Set-... command does: names in
     * any case, values in their text forms. Either every change is valid and the changed object
     * is returned, or nothing changes and every problem is thrown together.
     *
     * @param more rules beyond the table's own, such as clashes with other objects
     * @throws ParamException listing every problem
     */
    public O set(O current, Map<String, String> changes, Rule<O> more) {
        List<ParamProblem> problems = new ArrayList<>();
        B builder = toBuilder.apply(current);
        Set<String> given = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> change : changes.entrySet()) {
            String name = change.getKey().trim();
            if (name.startsWith("-")) {
                name = name.substring(1);
            }
            Param<O, B, ?> p = byKey.get(key(name));
            if (p == null) {
                String unsupported = Forms.canonical(notImplemented, name);
                problems.add(new ParamProblem(name, unsupported != null
                    ? unsupported + " is an Exchange parameter that Mailflow does not implement"
                    : "unknown parameter " + name + "; did you mean " + Forms.closest(settableNames(), name) + "?"));
                continue;
            }
            if (!seen.add(p.name())) {
                problems.add(new ParamProblem(p.name(), p.name() + " is given twice"));
                continue;
            }
            if (p.isReadOnly()) {
                problems.add(new ParamProblem(p.name(), p.name() + " is read-only"));
                continue;
            }
            if (change.getValue() == null) {
                problems.add(new ParamProblem(p.name(), "needs a value"));
                continue;
            }
            try {
                p.setText(builder, change.getValue());
                given.add(p.name());
            } catch (IllegalArgumentException e) {
                problems.add(new ParamProblem(p.name(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ParamException(problems);
        }
        O changed = build.apply(builder);
        problems.addAll(rule.check(changed, given));
        problems.addAll(more.check(changed, given));
        if (!problems.isEmpty()) {
            throw new ParamException(problems);
        }
        return changed;
    }

    private List<String> settableNames() {
        return settable().stream().map(Param::name).toList();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
