package io.mailflow.simulator.scenario;

import io.mailflow.core.organization.ConfigProblem;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scenario: the file of a {@code Trace} arrival process ({@code Arrival { Type = Trace, File =
 * "arrivals.csv" }}), one message a line:
 * <pre>
 * # offset from the start, [workload]
 * 0.125
 * 0.700,Calibration gateway
 * PT1M2.5S,"Second gateway"
 * </pre>
 * The offset is seconds since the simulation's start as a decimal number (up to nanoseconds:
 * {@code 12.345}), or an ISO-8601 duration ({@code PT12.345S}). The optional second column names
 * the workload whose message it is; a line without one belongs to the only workload reading the
 * file. Blank lines and lines starting with {@code #} are skipped. Each workload's offsets must be
 * in order (equal ones are several messages at one instant) and lie in its [Start, Stop).
 * Problems are reported as {@code file:line: Arrival: message}, all at once.
 */
public final class TraceFile {
    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d{1,9})?");
    private static final String KEY = "Arrival";

    /** One arrival line: its line number, offset (ns) and workload name (null: unnamed). */
    record Line(int number, long offset, String workload) {
    }

    private final String display;
    private final List<Line> lines;
    private final List<ConfigProblem> problems;

    private TraceFile(String display, List<Line> lines, List<ConfigProblem> problems) {
        this.display = display;
        this.lines = List.copyOf(lines);
        this.problems = problems;
    }

    /** The name problems give for the file. */
    public String display() {
        return display;
    }

    /** The file's syntax problems (bad offsets, unreadable file). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * Reads {@code path}; {@code display} names it in problems. An unreadable file gives one
     * problem, where {@code at} points (the scenario's File key), and no lines.
     */
    public static TraceFile read(Path path, String display, ConfigProblem at) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> text;
        try {
            text = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(new ConfigProblem(at.file(), at.line(), at.key(), "cannot read the trace " + path + ": no such file"));
            return new TraceFile(display, List.of(), problems);
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.add(new ConfigProblem(at.file(), at.line(), at.key(), "cannot read the trace " + path + ": " + e.getMessage()));
            return new TraceFile(display, List.of(), problems);
        }
        return parse(text, display, problems);
    }

    /** A trace from its lines (tests). */
    public static TraceFile parse(List<String> text, String display) {
        return parse(text, display, new ArrayList<>());
    }

    private static TraceFile parse(List<String> text, String display, List<ConfigProblem> problems) {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i).strip();
            int number = i + 1;
            if (i == 0 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1).strip();
            }
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            int comma = raw.indexOf(',');
            String offsetText = (comma < 0 ? raw : raw.substring(0, comma)).strip();
            String workload = comma < 0 ? null : unquote(raw.substring(comma + 1).strip());
            if (workload != null && workload.isEmpty()) {
                workload = null;
            }
            Long offset = offset(offsetText);
            if (offset == null) {
                problems.add(new ConfigProblem(display, number, KEY, "'" + offsetText
                    + "' is not an arrival offset: seconds since the start such as 12.345, or PT12.345S"));
                continue;
            }
            lines.add(new Line(number, offset, workload));
        }
        return new TraceFile(display, lines, problems);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }

    /** Seconds as a decimal number, or an ISO-8601 duration; null when neither or negative. */
    static Long offset(String text) {
        try {
            if (SECONDS.matcher(text).matches()) {
                return new BigDecimal(text).movePointRight(9).longValueExact();
            }
            if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
                Duration d = Duration.parse(text);
                return d.isNegative() ? null : d.toNanos();
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            return null;
        }
        return null;
    }

    /**
     * The arrivals of workload {@code name}: its named lines, and the unnamed ones. Reports (into
     * {@code out}) offsets out of order or outside [start, stop), and a workload with none.
     *
     * @param at where the scenario names the file, for a problem about the whole trace
     */
    public Arrival.Trace forWorkload(String name, Duration start, Duration stop, ConfigProblem at,
                                     List<ConfigProblem> out) {
        List<Long> offsets = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (Line l : lines) {
            if (l.workload() != null && !l.workload().equals(name)) {
                continue;
            }
            if (l.offset() < previous) {
                out.add(new ConfigProblem(display, l.number(), KEY, "offset " + seconds(l.offset())
                    + " is before the one above it (" + seconds(previous) + "): a trace lists arrivals in order"));
                continue;
            }
            if (l.offset() < start.toNanos() || l.offset() >= stop.toNanos()) {
                out.add(new ConfigProblem(display, l.number(), KEY, "offset " + seconds(l.offset())
                    + " is outside the Start-Stop of workload '" + name + "' (" + seconds(start.toNanos()) + " to "
                    + seconds(stop.toNanos()) + ")"));
                continue;
            }
            previous = l.offset();
            offsets.add(l.offset());
        }
        if (offsets.isEmpty() && problems.isEmpty()) {
            out.add(new ConfigProblem(at.file(), at.line(), at.key(), "the trace " + display
                + " has no arrivals for workload '" + name + "'"));
        }
        long[] array = new long[offsets.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = offsets.get(i);
        }
        return new Arrival.Trace(display, array);
    }

    /**
     * The checks across workloads: a named line must name a workload that reads this file, and
     * unnamed lines are only for a file one workload reads.
     */
    public void checkWorkloads(Collection<String> readers, List<ConfigProblem> out) {
        Map<String, Integer> unknown = new LinkedHashMap<>();
        Line firstUnnamed = null;
        for (Line l : lines) {
            if (l.workload() == null) {
                if (firstUnnamed == null) {
                    firstUnnamed = l;
                }
            } else if (!readers.contains(l.workload())) {
                unknown.putIfAbsent(l.workload(), l.number());
            }
        }
        for (Map.Entry<String, Integer> e : unknown.entrySet()) {
            out.add(new ConfigProblem(display, e.getValue(), KEY, "no workload '" + e.getKey()
                + "' reads this trace; it is read by: " + String.join(", ", readers)));
        }
        if (firstUnnamed != null && readers.size() > 1) {
            out.add(new ConfigProblem(display, firstUnnamed.number(), KEY, "a line without a workload name, but "
                + readers.size() + " workloads read this trace (" + String.join(", ", readers)
                + "): name the workload after the offset, as 12.345,Name"));
        }
    }

    private static String seconds(long nanos) {
        return new BigDecimal(nanos).movePointLeft(9).stripTrailingZeros().toPlainString() + " s";
    }
}
