package io.mailflow.core.organization;

import io.mailflow.core.params.ListForm;
import io.mailflow.core.params.Param;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.params.ParamTable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Organization configuration: reads an entry's keys through a parameter table
 * ({@link ReceiveConnectorParameters}, {@link SendConnectorParameters},
 * {@link RecipientFilterConfigParameters}, {@link TransportRuleParameters}), the same tables the
 * admin shell's Set- commands use, so the file and the shell accept and refuse the same values
 * with the same words.
 */
final class ConfigParams {

    private ConfigParams() {
    }

    /**
     * Sets every parameter of {@code table} that {@code e} gives, then checks the table's rules;
     * false when something is wrong (the problems are recorded).
     */
    static <O, B> boolean apply(ConfigEntry e, ParamTable<O, B> table, B builder) {
        ConfigProblems problems = e.problems();
        int before = problems.count();
        Set<String> given = new LinkedHashSet<>();
        for (Param<O, B, ?> p : table.settable()) {
            if (e.has(p.name())) {
                given.add(p.name());
                set(e, p, builder);
            }
        }
        if (problems.count() > before) {
            return false;
        }
        for (ParamProblem p : table.check(table.build(builder), given)) {
            e.problem(p.parameter(), p.message());
        }
        return problems.count() == before;
    }

    /**
     * One parameter of a table as the entry gives it; null when absent or wrong (the problem is
     * recorded). A multi-valued parameter takes a HOCON list or a comma-separated string, and a
     * wrong element is reported at its own index ({@code Bindings[1]}).
     */
    static <O, B, T> T value(ConfigEntry e, Param<O, B, T> p) {
        if (!e.has(p.name())) {
            return null;
        }
        if (p.form() instanceof ListForm<?, T> list) {
            return listValue(e, p.name(), list);
        }
        return e.parsed(p.name(), p.form()::parse);
    }

    private static <E, T> T listValue(ConfigEntry e, String key, ListForm<E, T> form) {
        List<E> values = new ArrayList<>();
        boolean ok = true;
        for (ConfigElement el : e.list(key)) {
            try {
                values.add(form.parseElement(el.text()));
            } catch (IllegalArgumentException ex) {
                e.problems().add(el, ex.getMessage());
                ok = false;
            }
        }
        if (!ok || e.problems().atOrWithin(e.path(key))) {
            return null;
        }
        try {
            return form.collect(values);
        } catch (IllegalArgumentException ex) {
            e.problem(key, ex.getMessage());
            return null;
        }
    }

    /** Sets one parameter the entry gives; HOCON {@code null} restores a nullable parameter (Banner). */
    private static <O, B, T> void set(ConfigEntry e, Param<O, B, T> p, B builder) {
        if (p.isNullable() && e.isNull(p.name())) {
            p.set(builder, null);
            return;
        }
        T v = value(e, p);
        if (v != null) {
            p.set(builder, v);
        }
    }
}
