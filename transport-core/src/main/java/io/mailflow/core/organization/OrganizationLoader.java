package io.mailflow.core.organization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Organization configuration: reads the organization (accepted domains, servers, mailbox
 * databases, recipients, receive connectors) from a HOCON file whose keys are Exchange's object
 * and parameter names. Runs once at start, before any stage; every stage then reads the
 * immutable {@link Organization}.
 *
 * <p>Keys match case-insensitively, as PowerShell parameters do; an unknown key is an error that
 * suggests the closest known one. Values take Exchange's forms ({@code unlimited}, {@code 36 MB},
 * {@code 00:05:00}, {@code $true}, comma-separated lists) as well as HOCON's. The default
 * connectors of every server come from {@link ReceiveConnectorDefaults}; entries under
 * {@code ReceiveConnectors.Connectors} override them by Server and Name, or create new ones by
 * usage type. {@code SendConnectors} lists the organization's Send connectors (none by default,
 * as after Exchange's setup). Connector parameters and the {@code RecipientFilterConfig} section
 * are read through the same parameter tables the admin shell uses
 * ({@link ReceiveConnectorParameters}, {@link SendConnectorParameters},
 * {@link RecipientFilterConfigParameters}), so both accept and refuse the same values with the
 * same words. Every problem is collected and thrown together in an
 * {@link OrganizationConfigException}.
 *
 * <p>This class reads the sections in order, each through its reader ({@link AcceptedDomainReader},
 * {@link TopologyReader}, {@link RecipientReader}, {@link ReceiveConnectorReader},
 * {@link RecipientFilterConfigReader}, {@link SendConnectorReader}, {@link TransportRuleReader}),
 * over the entry machinery of {@link ConfigEntry}, {@link ConfigParams} and {@link ConfigProblems}.
 */
public final class OrganizationLoader {

    /** Top-level sections; TransportService (Set-TransportService) is read by the Transport service itself. */
    private static final List<String> TOP_KEYS = List.of("Organization", "AcceptedDomains", "Servers",
        "MailboxDatabases", "Mailboxes", "DistributionGroups", "ReceiveConnectors", "RecipientFilterConfig",
        "SendConnectors", "TransportService", "MailContacts", "MailUsers", "AdSites", "AdSiteLinks",
        "DatabaseAvailabilityGroups", "TransportRules");
    private static final List<String> ORGANIZATION_KEYS = List.of("Name");

    private OrganizationLoader() {
    }

    /** Loads an organization file; its {@code include}s resolve relative to it. */
    public static Organization load(Path file) {
        String name = file.toString();
        return read(() -> ConfigFactory.parseFile(file.toFile(), options(name).setAllowMissing(false)), name);
    }

    /** Loads a classpath resource such as {@code mailflow/demo-organization.conf}. */
    public static Organization loadResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = OrganizationLoader.class.getClassLoader();
        return read(() -> ConfigFactory.parseResources(loader, name, options(name).setAllowMissing(false)), name);
    }

    /** Parses HOCON text; {@code originDescription} stands for the file name in problems. */
    public static Organization parse(String hocon, String originDescription) {
        return read(() -> ConfigFactory.parseString(hocon, options(originDescription)), originDescription);
    }

    private static ConfigParseOptions options(String origin) {
        return ConfigParseOptions.defaults().setOriginDescription(origin).setSyntax(ConfigSyntax.CONF);
    }

    private static Organization read(Supplier<Config> parser, String file) {
        Config config;
        try {
            config = parser.get().resolve();
        } catch (ConfigException e) {
            throw new OrganizationConfigException(List.of(ConfigProblems.syntax(e, file)));
        }
        return organization(config.root(), new ConfigProblems(file));
    }

    /** One pass over one configuration tree, section by section, collecting problems as it goes. */
    private static Organization organization(ConfigObject root, ConfigProblems problems) {
        ConfigEntry top = new ConfigEntry(root, "", TOP_KEYS, List.of(), problems);
        String name = organizationName(top);
        List<AcceptedDomain> domains = AcceptedDomainReader.read(top);
        TopologyReader topology = new TopologyReader(problems);
        topology.read(top);
        Directory directory = new RecipientReader(problems, domains, topology.servers(), topology.databases())
            .read(top);
        List<ReceiveConnector> receiveConnectors = new ReceiveConnectorReader(topology.servers()).read(top);
        RecipientFilterConfig recipientFilter = RecipientFilterConfigReader.read(top);
        List<SendConnector> sendConnectors = new SendConnectorReader(problems, topology.servers()).read(top);
        Organization organization = new Organization(name, domains, directory,
            List.copyOf(topology.databases().values()), List.copyOf(topology.servers().values()),
            List.copyOf(topology.dags().values()), List.copyOf(topology.sites().values()), topology.siteLinks(),
            receiveConnectors, recipientFilter, sendConnectors, List.of());
        List<TransportRule> transportRules = TransportRuleReader.read(top, organization);

        problems.throwIfAny();
        return organization.withTransportRules(transportRules);
    }

    /** Organization { Name = ... }. */
    private static String organizationName(ConfigEntry top) {
        ConfigEntry org = top.object("Organization", ORGANIZATION_KEYS, List.of());
        if (org == null) {
            top.required("Organization", "Organization { Name = \"...\" }");
            return null;
        }
        return org.requiredString("Name");
    }
}
