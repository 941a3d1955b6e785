package io.mailflow.core.organization;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import io.mailflow.core.params.Forms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Organization configuration: the problems one {@link OrganizationLoader} pass has found so far,
 * each once, as {@code file:line: key: message}; thrown together, in file and line order, at the
 * end of the pass. Also the phrases problems share: where something else was given
 * ({@code (line 12)}) and the closest known name ({@code ; did you mean EX01?}).
 */
final class ConfigProblems {
    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    /** {@code file} names problems whose origin carries no file (a parsed string). */
    ConfigProblems(String file) {
        this.file = file;
    }

    /** Records a problem once, however many checks reach it. */
    void add(ConfigOrigin origin, String key, String message) {
        ConfigProblem p = new ConfigProblem(fileOf(origin, file), lineOf(origin), key, message);
        if (!problems.contains(p)) {
            problems.add(p);
        }
    }

    /** A problem with one value of a list, at its own index. */
    void add(ConfigElement element, String message) {
        add(element.origin(), element.key(), message);
    }

    /** How many problems have been recorded; a reader compares counts to see whether a step added any. */
    int count() {
        return problems.size();
    }

    /** Whether a problem is recorded at exactly {@code keyPath}. */
    boolean at(String keyPath) {
        return problems.stream().anyMatch(p -> p.key().equals(keyPath));
    }

    /** Whether a problem is recorded at {@code keyPath} or at one of its list elements ({@code keyPath[1]}). */
    boolean atOrWithin(String keyPath) {
        return problems.stream().anyMatch(p -> p.key().equals(keyPath) || p.key().startsWith(keyPath + "["));
    }

    /** Throws every problem, sorted by file and line, if there is any. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
            throw new OrganizationConfigException(sorted);
        }
    }

    /** A HOCON syntax, I/O or substitution error as a problem, without Config's origin prefix. */
    static ConfigProblem syntax(ConfigException e, String file) {
        ConfigOrigin origin = e.origin();
        String message = e.getMessage();
        if (origin != null) {
            String prefix = origin.description() + ": ";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
        }
        if (e instanceof ConfigException.IO) {
            // "java.io.FileNotFoundException: /x/org.conf (No such file or directory)" reads better without the class.
            message = e.getCause() instanceof java.io.FileNotFoundException ? "cannot read the file: no such file"
                : message.replaceFirst("^java\\.[\\w.]+: ", "cannot read: ");
        }
        return new ConfigProblem(fileOf(origin, file), origin == null ? -1 : origin.lineNumber(), "", message);
    }

    /** {@code ; did you mean X?} with the closest of {@code names}, or nothing when there are none. */
    static String known(List<String> names, String given) {
        return names.isEmpty() ? "" : "; did you mean " + Forms.closest(names, given) + "?";
    }

    /** {@code  (line N)}, or nothing when the line is unknown. */
    static String lineNote(int line) {
        return line >= 0 ? " (line " + line + ")" : "";
    }

    static int lineOf(ConfigOrigin origin) {
        return origin == null ? -1 : origin.lineNumber();
    }

    private static String fileOf(ConfigOrigin origin, String fallback) {
        if (origin == null) {
            return fallback;
        }
        if (origin.resource() != null) {
            return origin.resource();
        }
        return origin.filename() != null ? origin.filename() : fallback;
    }
}
