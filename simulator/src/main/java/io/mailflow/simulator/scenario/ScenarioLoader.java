package io.mailflow.simulator.scenario;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.AuthMechanism;
import io.mailflow.core.organization.ConfigProblem;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationConfigException;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.ProxyAddress;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.params.Forms;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.core.smtp.SmtpReply;
import io.mailflow.delivery.retry.TransportServiceSettings;
import io.mailflow.frontend.receive.ReceiveConnectorSelector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scenario loading: reads a scenario file. The organization part (Organization, AcceptedDomains,
 * Servers, …, ReceiveConnectors, SendConnectors, RecipientFilterConfig) goes, unchanged, through
 * the relay's own {@link OrganizationLoader}, so a real organization file can be simulated as it
 * is, inline or by {@code include "organization.conf"}. The {@code TransportService} section is
 * read through Set-TransportService's parameter table. The simulator's own sections are read
 * here, keys in any case as the organization's are; every problem is reported at once as
 * {@code file:line: key: message}.
 *
 * <pre>
 * Simulation { Duration = "01:00:00", Seed = 42, Server = EX01, Drain = "01:00:00", WarmUp = "00:00:00",
 *              GeneratedMailboxes { Count = 100000, Databases = [DB01, DB02], Alias = user } }
 * Workloads = [ { Name = "SpamTitan gateway", SourceIp = "203.0.113.10", Connector = "Default Frontend EX01",
 *                 Connections = 60, MessagesPerConnection = 20,
 *                 Arrival = { Type = Poisson, RatePerMinute = 600 }, RecipientsPerMessage = 1,
 *                 SizeBytes = 10240, OnRefusal = { Action = RetryAfter, Delay = "00:01:00" },
 *                 RoundTrip = "00:00:00.001", IdleTimeout = "00:00:02", MailFrom = "sender@example.com",
 *                 UnknownRecipientRate = 0.0, ExternalRecipientRate = 0.0, ExternalDomain = "fabrikam.example",
 *                 Start = "00:00:00", Stop = "01:00:00" } ]
 * Faults = [ { Type = DownstreamUnavailable, From = "00:10:00", Until = "06:10:00", Target = "To Internet" },
 *            { Type = DownstreamReplies, Start = "01:00:00", Duration = "00:30:00", Target = "To Internet",
 *              Reply = "451 4.7.500 Server busy", Fraction = 0.3, Per = Message },
 *            { Type = ServerDown, Start = "00:20:00", Duration = "00:10:00" },
 *            { Type = SlowDisk, Start = "00:20:00", Duration = "00:10:00", Multiplier = 10 },
 *            { Type = LinkLatency, Start = "00:20:00", Duration = "00:10:00", Workload = "SpamTitan gateway",
 *              RoundTrip = "00:00:00.250" } ]
 * ServiceTimes { SpoolSync = { Distribution = Exponential, Mean = "00:00:00.002" } }
 * </pre>
 */
public final class ScenarioLoader {
    private static final Set<String> SIMULATOR_SECTIONS = Set.of("simulation", "workloads", "faults", "servicetimes");
    private static final Duration MAX_TIME = Duration.ofDays(3650);

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) {
        String name = file.getFileName().toString();
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new OrganizationConfigException(List.of(new ConfigProblem(file.toString(), -1, "",
                "cannot read the file: no such file")));
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(), options(name).setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new OrganizationConfigException(List.of(new ConfigProblem(name,
                e.origin() == null ? -1 : e.origin().lineNumber(), "", e.getMessage())));
        }
        Path dir = file.toAbsolutePath().getParent();
        return read(config, name, dir == null ? Path.of("") : dir);
    }

    /** A scenario from HOCON text (tests); {@code name} stands for the file in problems. */
    public static Scenario parse(String hocon, String name) {
        return parse(hocon, name, Path.of(""));
    }

    /**
     * A scenario from HOCON text; {@code name} stands for the file in problems, and a Trace
     * arrival's {@code File} is taken relative to {@code dir}.
     */
    public static Scenario parse(String hocon, String name, Path dir) {
        Config config;
        try {
            config = ConfigFactory.parseString(hocon, options(name)).resolve();
        } catch (ConfigException e) {
            throw new OrganizationConfigException(List.of(new ConfigProblem(name,
                e.origin() == null ? -1 : e.origin().lineNumber(), "", e.getMessage())));
        }
        return read(config, name, dir);
    }

    /**
     * {@code scenario} with every workload's Arrival replaced by the trace in {@code file}
     * ({@code mailflow simulate --arrivals FILE}): each workload takes the lines naming it, and
     * the unnamed lines when it is the only workload. Problems as {@code file:line: Arrival: ...}.
     */
    public static Scenario withArrivals(Scenario scenario, Path file) {
        String display = file.toString();
        ConfigProblem at = new ConfigProblem(display, -1, "--arrivals", "");
        TraceFile trace = TraceFile.read(file, display, at);
        List<ConfigProblem> problems = new ArrayList<>(trace.problems());
        List<Workload> workloads = new ArrayList<>();
        List<String> readers = new ArrayList<>();
        for (Workload w : scenario.workloads()) {
            Arrival.Trace t = trace.forWorkload(w.name(), w.start(), w.stop(), at, problems);
            workloads.add(w.withArrival(t));
            readers.add(w.name());
        }
        trace.checkWorkloads(readers, problems);
        if (!problems.isEmpty()) {
            throw new OrganizationConfigException(problems);
        }
        return scenario.withWorkloads(workloads);
    }

    private static ConfigParseOptions options(String name) {
        return ConfigParseOptions.defaults().setOriginDescription(name).setSyntax(ConfigSyntax.CONF);
    }

    private static Scenario read(Config config, String name, Path dir) {
        ConfigObject root = config.root();
        Map<String, ConfigValue> simulatorSections = new LinkedHashMap<>();
        ConfigObject organizationPart = root;
        for (String key : root.keySet()) {
            if (SIMULATOR_SECTIONS.contains(key.toLowerCase(Locale.ROOT))) {
                simulatorSections.put(key.toLowerCase(Locale.ROOT), root.get(key));
                organizationPart = organizationPart.withoutKey(key);
            }
        }
        Organization organization = organization(organizationPart, config, name);
        Reader r = new Reader(name, dir);
        TransportServiceSettings transport = r.transportService(config);
        Obj sim = r.obj(simulatorSections.get("simulation"), "Simulation",
            List.of("Duration", "Seed", "Server", "Drain", "WarmUp", "GeneratedMailboxes"));
        String server = organization.servers().isEmpty() ? "" : organization.servers().get(0).name();
        Duration duration = Duration.ofHours(1);
        Duration drain = Duration.ofHours(1);
        Duration warmUp = Duration.ZERO;
        long seed = 42;
        if (sim != null) {
            server = sim.string("Server", server);
            duration = sim.duration("Duration", duration);
            drain = sim.duration("Drain", drain);
            warmUp = sim.duration("WarmUp", warmUp);
            seed = sim.longValue("Seed", seed);
            Obj generated = r.obj(sim.raw("GeneratedMailboxes"), "Simulation.GeneratedMailboxes",
                List.of("Count", "Databases", "Alias"));
            if (generated != null) {
                organization = r.generateMailboxes(organization, generated);
            }
        }
        String serverName = server;
        if (organization.server(serverName).isEmpty()) {
            r.problem(sim == null ? null : sim.raw("Server"), "Simulation.Server",
                "no server '" + serverName + "' in Servers");
        }
        List<Workload> workloads = new ArrayList<>();
        ConfigValue wl = simulatorSections.get("workloads");
        if (wl == null || wl.valueType() != ConfigValueType.LIST || ((ConfigList) wl).isEmpty()) {
            r.problem(wl, "Workloads", "a scenario needs Workloads = [ { Name = ..., SourceIp = ..., Connector = ... } ]");
        } else {
            int i = 0;
            for (ConfigValue v : (ConfigList) wl) {
                Obj w = r.obj(v, "Workloads[" + i + "]", Reader.WORKLOAD_KEYS);
                if (w != null) {
                    Workload workload = r.workload(w, organization, serverName, duration);
                    if (workload != null) {
                        workloads.add(workload);
                    }
                }
                i++;
            }
            r.checkTraces();
        }
        List<Fault> faults = new ArrayList<>();
        ConfigValue fl = simulatorSections.get("faults");
        if (fl != null) {
            if (fl.valueType() != ConfigValueType.LIST) {
                r.problem(fl, "Faults", "a list of { Type = DownstreamReplies, Start = ..., Duration = ..., ... }");
            } else {
                int i = 0;
                for (ConfigValue v : (ConfigList) fl) {
                    Obj f = r.obj(v, "Faults[" + i++ + "]", Reader.FAULT_KEYS);
                    if (f != null) {
                        Fault fault = r.fault(f, duration, serverName, workloads);
                        if (fault != null) {
                            faults.add(fault);
                        }
                    }
                }
            }
        }
        ServiceTimes times = ServiceTimes.DEFAULTS;
        Obj st = r.obj(simulatorSections.get("servicetimes"), "ServiceTimes",
            List.of("SpoolSync", "Categorizer", "MailboxDelivery", "SmtpDelivery", "TlsHandshake", "Logon",
                "PasswordHashCheck"));
        if (st != null) {
            times = new ServiceTimes(r.distribution(st, "SpoolSync", times.spoolSync()),
                r.distribution(st, "Categorizer", times.categorizer()),
                r.distribution(st, "MailboxDelivery", times.mailboxDelivery()),
                r.distribution(st, "SmtpDelivery", times.smtpDelivery()),
                r.distribution(st, "TlsHandshake", times.tlsHandshake()),
                r.distribution(st, "Logon", times.logon()),
                r.distribution(st, "PasswordHashCheck", times.passwordHashCheck()));
        }
        r.throwIfProblems();
        return new Scenario(name, organization, transport, serverName, duration, drain, warmUp, seed, workloads,
            faults, times);
    }

    /** The organization through the relay's own loader; its problems keep the scenario's lines where they can. */
    private static Organization organization(ConfigObject part, Config whole, String name) {
        String text = part.render(ConfigRenderOptions.concise());
        try {
            return OrganizationLoader.parse(text, name);
        } catch (OrganizationConfigException e) {
            List<ConfigProblem> mapped = new ArrayList<>();
            for (ConfigProblem p : e.problems()) {
                int line = -1;
                try {
                    if (!p.key().isEmpty() && whole.hasPath(p.key())) {
                        line = whole.getValue(p.key()).origin().lineNumber();
                    }
                } catch (ConfigException ignored) {
                    line = -1;
                }
                mapped.add(new ConfigProblem(name, line, p.key(), p.message()));
            }
            throw new OrganizationConfigException(mapped);
        }
    }

    /** One scenario section: case-insensitive keys, unknown keys refused with the closest known one. */
    private static final class Obj {
        private final Reader reader;
        private final String path;
        private final ConfigObject object;
        private final Map<String, String> keys = new LinkedHashMap<>();

        Obj(Reader reader, String path, ConfigObject object, List<String> known) {
            this.reader = reader;
            this.path = path;
            this.object = object;
            for (String key : object.keySet()) {
                String canonical = known.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(null);
                if (canonical == null) {
                    reader.problem(object.get(key), path + "." + key, "unknown key; known keys: " + String.join(", ", known));
                } else {
                    keys.put(canonical, key);
                }
            }
        }

        ConfigValue raw(String key) {
            String actual = keys.get(key);
            return actual == null ? null : object.get(actual);
        }

        void problem(String key, String message) {
            reader.problem(raw(key) == null ? object : raw(key), path + "." + key, message);
        }

        String string(String key, String fallback) {
            ConfigValue v = raw(key);
            if (v == null) {
                return fallback;
            }
            if (v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.OBJECT) {
                problem(key, "a single value, not " + v.valueType().name().toLowerCase(Locale.ROOT));
                return fallback;
            }
            return String.valueOf(v.unwrapped()).strip();
        }

        String required(String key) {
            String s = string(key, null);
            if (s == null || s.isEmpty()) {
                problem(key, "is required");
            }
            return s;
        }

        Duration duration(String key, Duration fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Forms.timeSpan(Duration.ZERO, MAX_TIME).parse(s);
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
                return fallback;
            }
        }

        double number(String key, double fallback, double min, double max) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                double d = Double.parseDouble(s);
                if (d < min || d > max || Double.isNaN(d)) {
                    problem(key, s + " is outside the range " + min + "-" + max);
                    return fallback;
                }
                return d;
            } catch (NumberFormatException e) {
                problem(key, "'" + s + "' is not a number");
                return fallback;
            }
        }

        long longValue(String key, long fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                problem(key, "'" + s + "' is not a whole number");
                return fallback;
            }
        }

        /** A count of at least 1, or {@code unlimited} ({@link Integer#MAX_VALUE}). */
        int count(String key, int fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            if (s.equalsIgnoreCase("unlimited")) {
                return Integer.MAX_VALUE;
            }
            try {
                int n = Integer.parseInt(s);
                if (n < 1) {
                    problem(key, "must be 1 or more, or unlimited");
                    return fallback;
                }
                return n;
            } catch (NumberFormatException e) {
                problem(key, "'" + s + "' is not a whole number or unlimited");
                return fallback;
            }
        }

        long bytes(String key, long fallback) {
            ConfigValue v = raw(key);
            if (v == null) {
                return fallback;
            }
            try {
                return ConfigFactory.empty().withValue("v", ConfigValueFactory.fromAnyRef(v.unwrapped()))
                    .getBytes("v");
            } catch (ConfigException e) {
                problem(key, "'" + v.unwrapped() + "' is not a size such as 10240 or 10KiB");
                return fallback;
            }
        }

        boolean bool(String key, boolean fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            String t = s.startsWith("$") ? s.substring(1) : s;
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
            problem(key, "'" + s + "' is not true or false");
            return fallback;
        }

        <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
            String s = required(key);
            if (s == null) {
                return Optional.empty();
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return Optional.of(e);
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name());
            }
            problem(key, "'" + s + "' is not one of " + String.join(", ", names));
            return Optional.empty();
        }
    }

    /** The fault types and the keys each takes. */
    private enum FaultType {
        DownstreamUnavailable("Target"),
        DownstreamReplies("Target", "Reply", "Fraction", "Per"),
        ServerDown("Server"),
        SlowDisk("Multiplier", "SpoolSync", "MailboxDelivery"),
        LinkLatency("Workload", "Target", "RoundTrip");

        final List<String> keys;

        FaultType(String... own) {
            List<String> all = new ArrayList<>(List.of("Type", "Start", "Duration", "From", "Until"));
            all.addAll(List.of(own));
            this.keys = List.copyOf(all);
        }
    }

    private static final class Reader {
        static final List<String> FAULT_KEYS = List.of("Type", "Start", "Duration", "From", "Until", "Target",
            "Reply", "Fraction", "Per", "Server", "Multiplier", "SpoolSync", "MailboxDelivery", "Workload", "RoundTrip");

        static final List<String> WORKLOAD_KEYS = List.of("Name", "SourceIp", "Connector", "Connections",
            "MessagesPerConnection", "Arrival", "RecipientsPerMessage", "SizeBytes", "OnRefusal", "Authenticated",
            "User", "Password", "StartTls", "MailFrom", "UnknownRecipientRate", "ExternalRecipientRate", "ExternalDomain", "RoundTrip", "IdleTimeout", "Start",
            "Stop");

        private final String file;
        private final Path dir;
        private final List<ConfigProblem> problems = new ArrayList<>();
        /** Trace files by resolved path, and the workloads that read each. */
        private final Map<Path, TraceFile> traces = new LinkedHashMap<>();
        private final Map<Path, List<String>> traceReaders = new LinkedHashMap<>();

        Reader(String file, Path dir) {
            this.file = file;
            this.dir = dir;
        }

        void checkTraces() {
            for (Map.Entry<Path, TraceFile> e : traces.entrySet()) {
                e.getValue().checkWorkloads(traceReaders.getOrDefault(e.getKey(), List.of()), problems);
            }
        }

        void problem(ConfigValue at, String key, String message) {
            problems.add(new ConfigProblem(file, at == null ? -1 : at.origin().lineNumber(), key, message));
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new OrganizationConfigException(problems);
            }
        }

        Obj obj(ConfigValue v, String path, List<String> known) {
            if (v == null) {
                return null;
            }
            if (v.valueType() != ConfigValueType.OBJECT) {
                problem(v, path, "must be an object { ... }");
                return null;
            }
            return new Obj(this, path, (ConfigObject) v, known);
        }

        TransportServiceSettings transportService(Config config) {
            String section = config.root().keySet().stream().filter(k -> k.equalsIgnoreCase("TransportService"))
                .findFirst().orElse(null);
            if (section == null) {
                return TransportServiceSettings.DEFAULT;
            }
            ConfigObject obj = config.getObject("\"" + section + "\"");
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
                values.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
            }
            try {
                return TransportServiceSettings.parse(values);
            } catch (ParamException e) {
                for (ParamProblem p : e.problems()) {
                    ConfigValue at = obj.entrySet().stream().filter(x -> x.getKey().equalsIgnoreCase(p.parameter()))
                        .map(Map.Entry::getValue).findFirst().orElse(obj);
                    problem(at, "TransportService." + p.parameter(), p.message());
                }
                return TransportServiceSettings.DEFAULT;
            }
        }

        Organization generateMailboxes(Organization org, Obj g) {
            int count = g.count("Count", 0);
            String alias = g.string("Alias", "user");
            ConfigValue dbs = g.raw("Databases");
            List<String> databases = new ArrayList<>();
            if (dbs != null && dbs.valueType() == ConfigValueType.LIST) {
                for (ConfigValue d : (ConfigList) dbs) {
                    databases.add(String.valueOf(d.unwrapped()));
                }
            } else {
                org.mailboxDatabases().forEach(d -> databases.add(d.name()));
            }
            for (String d : databases) {
                if (org.mailboxDatabase(d).isEmpty()) {
                    g.problem("Databases", "no mailbox database '" + d + "' in MailboxDatabases");
                    return org;
                }
            }
            String domain = org.acceptedDomains().stream().filter(a -> a.isDefault()).findFirst()
                .map(a -> a.domainName()).orElse(null);
            if (databases.isEmpty() || domain == null || count == Integer.MAX_VALUE) {
                g.problem("Count", "needs a number, MailboxDatabases and a default accepted domain");
                return org;
            }
            List<Mailbox> mailboxes = new ArrayList<>(org.mailboxes());
            int width = Integer.toString(count).length();
            for (int i = 1; i <= count; i++) {
                String a = alias + String.format(Locale.ROOT, "%0" + width + "d", i);
                mailboxes.add(new Mailbox("Generated " + a, a,
                    List.of(new ProxyAddress(new SmtpAddress(a, domain), true)), databases.get(i % databases.size())));
            }
            return org.withDirectory(org.directory().withMailboxes(mailboxes));
        }

        Workload workload(Obj w, Organization org, String server, Duration simDuration) {
            String name = w.required("Name");
            String ipText = w.required("SourceIp");
            InetAddress ip = null;
            if (ipText != null) {
                if (!ipText.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                    w.problem("SourceIp", "'" + ipText + "' is not an IP address");
                } else {
                    try {
                        ip = InetAddress.getByName(ipText);
                    } catch (UnknownHostException e) {
                        w.problem("SourceIp", "'" + ipText + "' is not an IP address");
                    }
                }
            }
            String connectorName = w.required("Connector");
            ReceiveConnector connector = null;
            if (connectorName != null && ip != null) {
                List<ReceiveConnector> onServer = org.receiveConnectorsOn(server);
                ReceiveConnector named = onServer.stream().filter(c -> c.name().equalsIgnoreCase(connectorName))
                    .findFirst().orElse(null);
                if (named == null) {
                    w.problem("Connector", "no receive connector '" + connectorName + "' on " + server + "; there are: "
                        + String.join(", ", onServer.stream().map(ReceiveConnector::name).toList()));
                } else {
                    // The relay picks among the connectors sharing the binding by RemoteIPRanges.
                    List<ReceiveConnector> sharing = onServer.stream()
                        .filter(c -> c.bindings().stream().anyMatch(named.bindings()::contains)).toList();
                    InetAddress client = ip;
                    connector = ReceiveConnectorSelector.select(sharing, client).orElse(null);
                    if (connector == null) {
                        w.problem("Connector", "no connector on the binding of '" + connectorName + "' takes connections from "
                            + ipText + " (RemoteIPRanges)");
                    }
                }
            }
            int connections = w.count("Connections", 1);
            int perConnection = w.count("MessagesPerConnection", 1);
            Duration start = w.duration("Start", Duration.ZERO);
            Duration stop = w.duration("Stop", simDuration);
            Arrival arrival = arrival(w, name, start, stop);
            int recipients = w.count("RecipientsPerMessage", 1);
            long size = w.bytes("SizeBytes", 10_240);
            Workload.OnRefusal onRefusal = new Workload.OnRefusal(Workload.Action.RetryAfter, Duration.ofMinutes(1));
            Obj refusal = obj(w.raw("OnRefusal"), "OnRefusal", List.of("Action", "Delay"));
            if (refusal != null) {
                Workload.Action action = refusal.enumValue("Action", Workload.Action.class).orElse(Workload.Action.RetryAfter);
                onRefusal = new Workload.OnRefusal(action, refusal.duration("Delay", Duration.ofMinutes(1)));
            }
            String mailFrom = w.string("MailFrom", "sender@example.com");
            Workload.SignIn signIn = signIn(w, connector, mailFrom);
            if (SmtpAddress.parse(mailFrom, true).isEmpty()) {
                w.problem("MailFrom", "'" + mailFrom + "' is not an SMTP address");
            }
            double unknown = w.number("UnknownRecipientRate", 0.0, 0.0, 1.0);
            double external = w.number("ExternalRecipientRate", 0.0, 0.0, 1.0);
            if (unknown + external > 1.0) {
                w.problem("ExternalRecipientRate", "UnknownRecipientRate + ExternalRecipientRate exceed 1");
            }
            String externalDomain = w.string("ExternalDomain", "fabrikam.example");
            Duration roundTrip = w.duration("RoundTrip", Duration.ofMillis(1));
            Duration idleTimeout = w.duration("IdleTimeout", Duration.ofSeconds(2));
            if (name == null || ip == null || connector == null || arrival == null) {
                return null;
            }
            return new Workload(name, ip, connector, connections, perConnection, arrival, recipients, size, onRefusal,
                mailFrom, unknown, external, externalDomain, roundTrip, idleTimeout, start, stop, signIn,
                w.bool("StartTls", signIn != null));
        }

        /**
         * {@code Authenticated = true}: the sender signs in as {@code User} (default: its MailFrom)
         * with {@code Password}, in clear here because the relay's own directory check hashes it
         * against the mailbox's Password, as it would a real client's.
         */
        private static Workload.SignIn signIn(Obj w, ReceiveConnector connector, String mailFrom) {
            for (String key : List.of("User", "Password")) {
                if (w.raw(key) != null && !w.bool("Authenticated", false)) {
                    w.problem(key, "applies only with Authenticated = true");
                }
            }
            if (!w.bool("Authenticated", false)) {
                return null;
            }
            String password = w.string("Password", null);
            if (password == null) {
                w.problem("Password", "is required with Authenticated = true: the password of User's mailbox");
            }
            if (connector != null && !connector.authMechanism().contains(AuthMechanism.BasicAuth)) {
                w.problem("Authenticated", "connector '" + connector.name() + "' does not offer AUTH (AuthMechanism "
                    + connector.authMechanism() + " has no BasicAuth)");
            }
            return password == null ? null : new Workload.SignIn(w.string("User", mailFrom), password);
        }

        /** One {@code Faults} entry; null (with problems recorded) when it is wrong. */
        Fault fault(Obj f, Duration simDuration, String server, List<Workload> workloads) {
            Optional<FaultType> type = f.enumValue("Type", FaultType.class);
            Fault.Window window = window(f, simDuration);
            if (type.isEmpty()) {
                return null;
            }
            for (String key : FAULT_KEYS) {
                if (f.raw(key) != null && !type.get().keys.contains(key)) {
                    f.problem(key, "does not apply to Type = " + type.get() + "; its keys: "
                        + String.join(", ", type.get().keys));
                }
            }
            Fault fault = switch (type.get()) {
                case DownstreamUnavailable -> new Fault.DownstreamUnavailable(window,
                    new Fault.NextHop(f.string("Target", null)));
                case DownstreamReplies -> {
                    SmtpReply reply = reply(f);
                    double fraction = f.number("Fraction", 1.0, 0.0, 1.0);
                    Fault.Per per = f.raw("Per") == null ? Fault.Per.Message
                        : f.enumValue("Per", Fault.Per.class).orElse(Fault.Per.Message);
                    yield reply == null ? null : new Fault.DownstreamReplies(window,
                        new Fault.NextHop(f.string("Target", null)), reply, fraction, per);
                }
                case ServerDown -> {
                    String name = f.string("Server", server);
                    if (!name.equalsIgnoreCase(server)) {
                        f.problem("Server", "the simulation runs one server, " + server + "; '" + name
                            + "' cannot be stopped");
                    }
                    yield new Fault.ServerDown(window, server);
                }
                case SlowDisk -> {
                    Distribution sync = distribution(f, "SpoolSync", null);
                    Distribution mailbox = distribution(f, "MailboxDelivery", null);
                    double multiplier = f.number("Multiplier", 1.0, 1e-6, 1e6);
                    if (f.raw("Multiplier") == null && (sync == null || mailbox == null)) {
                        f.problem("Multiplier", "a SlowDisk needs Multiplier (such as 10), or both SpoolSync and "
                            + "MailboxDelivery distributions");
                    }
                    yield new Fault.SlowDisk(window, multiplier, sync, mailbox);
                }
                case LinkLatency -> {
                    String workload = f.string("Workload", null);
                    String target = f.string("Target", null);
                    Duration rtt = f.duration("RoundTrip", null);
                    if (rtt == null || rtt.isZero()) {
                        f.problem("RoundTrip", "is required: the round trip added, such as \"00:00:00.200\"");
                    }
                    if ((workload == null) == (target == null)) {
                        f.problem("Workload", "a LinkLatency names either a Workload (its sessions) or a Target (a "
                            + "next hop), not both or neither");
                    } else if (workload != null && workloads.stream().noneMatch(w -> w.name().equals(workload))) {
                        f.problem("Workload", "no workload '" + workload + "' in Workloads; there are: "
                            + String.join(", ", workloads.stream().map(Workload::name).toList()));
                    }
                    yield rtt == null ? null : new Fault.LinkLatency(window, workload,
                        target == null ? null : new Fault.NextHop(target), rtt);
                }
            };
            return window == null ? null : fault;
        }

        /** {@code Start} + {@code Duration}, or {@code From} + {@code Until}; by default the whole Duration. */
        private Fault.Window window(Obj f, Duration simDuration) {
            if (f.raw("Start") != null && f.raw("From") != null) {
                f.problem("From", "give Start or From, not both");
                return null;
            }
            if (f.raw("Duration") != null && f.raw("Until") != null) {
                f.problem("Until", "give Duration or Until, not both");
                return null;
            }
            String startKey = f.raw("From") != null ? "From" : "Start";
            Duration from = f.duration(startKey, Duration.ZERO);
            Duration until;
            if (f.raw("Duration") != null) {
                Duration length = f.duration("Duration", Duration.ZERO);
                if (length.isZero()) {
                    f.problem("Duration", "must be longer than 0");
                    return null;
                }
                until = from.plus(length);
            } else {
                until = f.duration("Until", simDuration);
                if (until.compareTo(from) <= 0) {
                    f.problem("Until", "Until must be after " + startKey);
                    return null;
                }
            }
            return new Fault.Window(from, until);
        }

        private static final java.util.regex.Pattern REPLY =
            java.util.regex.Pattern.compile("([45])(\\d\\d)(?:\\s+([45])\\.(\\d{1,3})\\.(\\d{1,3}))?\\s+(\\S.*)");

        /** {@code Reply = "451 4.7.500 Server busy"}: a 4xx or 5xx code, an optional enhanced status code, text. */
        private SmtpReply reply(Obj f) {
            String text = f.required("Reply");
            if (text == null) {
                return null;
            }
            java.util.regex.Matcher m = REPLY.matcher(text);
            if (!m.matches()) {
                f.problem("Reply", "'" + text + "' is not a 4xx or 5xx reply such as \"451 4.7.500 Server busy\"");
                return null;
            }
            if (m.group(3) != null && !m.group(3).equals(m.group(1))) {
                f.problem("Reply", "'" + text + "': the enhanced status code's class (" + m.group(3)
                    + ") differs from the reply's (" + m.group(1) + "xx)");
                return null;
            }
            int code = Integer.parseInt(m.group(1) + m.group(2));
            String enhanced = m.group(3) == null ? null : m.group(3) + "." + m.group(4) + "." + m.group(5);
            return SmtpReply.of(code, enhanced, m.group(6).strip());
        }

        private Arrival arrival(Obj w, String workload, Duration start, Duration stop) {
            Obj a = obj(w.raw("Arrival"), "Arrival", List.of("Type", "RatePerMinute", "BurstRatePerMinute", "Every",
                "Length", "FirstBurst", "Amplitude", "PeakAt", "File"));
            if (a == null) {
                w.problem("Arrival", "is required: { Type = Poisson, RatePerMinute = 600 }");
                return null;
            }
            String type = a.required("Type");
            if (type != null && type.equalsIgnoreCase("trace")) {
                return trace(a, workload, start, stop);
            }
            if (a.raw("File") != null) {
                a.problem("File", "only a Trace arrival reads a File");
            }
            double rate = a.number("RatePerMinute", 60, 1e-9, 1e9);
            if (type == null) {
                return null;
            }
            switch (type.toLowerCase(Locale.ROOT)) {
                case "constant":
                    return new Arrival.Constant(rate);
                case "poisson":
                    return new Arrival.Poisson(rate);
                case "bursts": {
                    Duration every = a.duration("Every", Duration.ofHours(1));
                    if (every.isZero()) {
                        a.problem("Every", "must be longer than 0");
                        every = Duration.ofHours(1);
                    }
                    return new Arrival.Bursts(rate, a.number("BurstRatePerMinute", rate * 10, 0, 1e9), every,
                        a.duration("Length", Duration.ofMinutes(5)), a.duration("FirstBurst", every));
                }
                case "diurnal":
                    return new Arrival.Diurnal(rate, a.number("Amplitude", 0.8, 0, 1),
                        a.duration("PeakAt", Duration.ofHours(14)));
                default:
                    a.problem("Type", "'" + type + "' is not Constant, Poisson, Bursts, Diurnal or Trace");
                    return null;
            }
        }

        /** {@code Arrival { Type = Trace, File = "arrivals.csv" }}: the file relative to the scenario's directory. */
        private Arrival trace(Obj a, String workload, Duration start, Duration stop) {
            for (String key : List.of("RatePerMinute", "BurstRatePerMinute", "Every", "Length", "FirstBurst",
                "Amplitude", "PeakAt")) {
                if (a.raw(key) != null) {
                    a.problem(key, "does not apply to a Trace arrival (its File gives every arrival)");
                }
            }
            String name = a.required("File");
            if (name == null || name.isEmpty() || workload == null) {
                return null;
            }
            ConfigValue fileValue = a.raw("File");
            ConfigProblem at = new ConfigProblem(file, fileValue.origin().lineNumber(), a.path + ".File", "");
            Path path = dir.resolve(name).normalize();
            TraceFile trace = traces.get(path);
            if (trace == null) {
                trace = TraceFile.read(path, name, at);
                traces.put(path, trace);
                problems.addAll(trace.problems());
            }
            traceReaders.computeIfAbsent(path, p -> new ArrayList<>()).add(workload);
            return trace.forWorkload(workload, start, stop, at, problems);
        }

        Distribution distribution(Obj parent, String key, Distribution fallback) {
            Obj d = obj(parent.raw(key), parent.path + "." + key, List.of("Distribution", "Mean", "Value", "Median", "P99"));
            if (d == null) {
                return fallback;
            }
            String kind = d.required("Distribution");
            if (kind == null) {
                return fallback;
            }
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "constant":
                    return new Distribution.Constant(d.duration("Value", Duration.ZERO).toNanos());
                case "exponential":
                    return new Distribution.Exponential(d.duration("Mean", Duration.ofMillis(1)).toNanos());
                case "lognormal": {
                    long median = d.duration("Median", Duration.ofMillis(4)).toNanos();
                    long p99 = d.duration("P99", Duration.ofNanos(median * 3)).toNanos();
                    if (median <= 0 || p99 < median) {
                        d.problem("P99", "LogNormal needs 0 < Median <= P99");
                        return fallback;
                    }
                    return new Distribution.LogNormal(median, p99);
                }
                default:
                    d.problem("Distribution", "'" + kind + "' is not Constant, Exponential or LogNormal");
                    return fallback;
            }
        }
    }
}
