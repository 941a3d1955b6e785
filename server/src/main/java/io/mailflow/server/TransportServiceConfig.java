package io.mailflow.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.mailflow.core.organization.ConfigProblem;
import io.mailflow.core.organization.OrganizationConfigException;
import io.mailflow.core.params.ParamException;
import io.mailflow.core.params.ParamProblem;
import io.mailflow.delivery.retry.TransportServiceSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code TransportService} section of an organization file: Set-TransportService's timers and
 * limits for the server (retry, expiry, delay DSN, outbound concurrency), in Exchange's names and
 * value forms. Absent keys keep Exchange's defaults; mistakes are reported as file:line: key.
 */
public final class TransportServiceConfig {
    private static final String SECTION = "TransportService";

    private TransportServiceConfig() {
    }

    public static TransportServiceSettings load(Path file) {
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            return TransportServiceSettings.DEFAULT; // the organization loader reports syntax errors first
        }
        if (!config.hasPath(SECTION)) {
            return TransportServiceSettings.DEFAULT;
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : config.getObject(SECTION).entrySet()) {
            Object raw = e.getValue().unwrapped();
            values.put(e.getKey(), String.valueOf(raw));
            lines.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().origin().lineNumber());
        }
        try {
            return TransportServiceSettings.parse(values);
        } catch (ParamException e) {
            List<ConfigProblem> problems = new ArrayList<>();
            for (ParamProblem p : e.problems()) {
                int line = lines.getOrDefault(p.parameter().toLowerCase(java.util.Locale.ROOT),
                    config.getObject(SECTION).origin().lineNumber());
                problems.add(new ConfigProblem(file.getFileName().toString(), line, SECTION + "." + p.parameter(),
                    p.message()));
            }
            throw new OrganizationConfigException(problems);
        }
    }
}
