package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.List;
import java.util.Optional;

/**
 * The organization as the transport pipeline reads it: Exchange's directory objects and
 * topology, immutable once loaded. Address lookups are indexed (a hash map over every
 * EmailAddresses entry), so a large directory resolves in constant time per recipient.
 * Changes (the admin shell's Set- commands) make a new organization with {@code with...}.
 * Send connectors (HOCON {@code SendConnectors}) route recipients outside the organization.
 * Mail flow rules (HOCON {@code TransportRules}) are kept in Priority order, numbered 0..n-1.
 */
public record Organization(String name,
                           List<AcceptedDomain> acceptedDomains,
                           Directory directory,
                           List<MailboxDatabase> mailboxDatabases,
                           List<Server> servers,
                           List<DatabaseAvailabilityGroup> databaseAvailabilityGroups,
                           List<AdSite> adSites,
                           List<AdSiteLink> adSiteLinks,
                           List<ReceiveConnector> receiveConnectors,
                           RecipientFilterConfig recipientFilterConfig,
                           List<SendConnector> sendConnectors,
                           List<TransportRule> transportRules) {

    public Organization {
        transportRules = List.copyOf(transportRules);
        acceptedDomains = List.copyOf(acceptedDomains);
        mailboxDatabases = List.copyOf(mailboxDatabases);
        servers = List.copyOf(servers);
        databaseAvailabilityGroups = List.copyOf(databaseAvailabilityGroups);
        adSites = List.copyOf(adSites);
        adSiteLinks = List.copyOf(adSiteLinks);
        receiveConnectors = List.copyOf(receiveConnectors);
        sendConnectors = List.copyOf(sendConnectors);
    }

    /** An organization with Exchange's default recipient filtering (off; see {@link RecipientFilterConfig}). */
    public Organization(String name, List<AcceptedDomain> acceptedDomains, List<Mailbox> mailboxes,
                        List<DistributionGroup> distributionGroups, List<MailboxDatabase> mailboxDatabases,
                        List<Server> servers, List<ReceiveConnector> receiveConnectors) {
        this(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers, receiveConnectors,
            RecipientFilterConfig.DEFAULT, List.of());
    }

    /** A one-site organization without DAGs, mail contacts or mail users. */
    public Organization(String name, List<AcceptedDomain> acceptedDomains, List<Mailbox> mailboxes,
                        List<DistributionGroup> distributionGroups, List<MailboxDatabase> mailboxDatabases,
                        List<Server> servers, List<ReceiveConnector> receiveConnectors,
                        RecipientFilterConfig recipientFilterConfig, List<SendConnector> sendConnectors) {
        this(name, acceptedDomains, new Directory(mailboxes, distributionGroups, List.of(), List.of()),
            mailboxDatabases, servers, List.of(), List.of(), List.of(), receiveConnectors, recipientFilterConfig,
            sendConnectors, List.of());
    }

    public List<Mailbox> mailboxes() {
        return directory.mailboxes();
    }

    public List<DistributionGroup> distributionGroups() {
        return directory.distributionGroups();
    }

    /** The same organization with other recipients (the simulator's generated users). */
    public Organization withDirectory(Directory replaced) {
        return new Organization(name, acceptedDomains, replaced, mailboxDatabases, servers, databaseAvailabilityGroups,
            adSites, adSiteLinks, receiveConnectors, recipientFilterConfig, sendConnectors, transportRules);
    }

    /** The same organization with other receive connectors (Set-/New-/Remove-ReceiveConnector, live). */
    public Organization withReceiveConnectors(List<ReceiveConnector> connectors) {
        return new Organization(name, acceptedDomains, directory, mailboxDatabases, servers, databaseAvailabilityGroups,
            adSites, adSiteLinks, connectors, recipientFilterConfig, sendConnectors, transportRules);
    }

    /** The same organization with another recipient filter configuration (Set-RecipientFilterConfig). */
    public Organization withRecipientFilterConfig(RecipientFilterConfig config) {
        return new Organization(name, acceptedDomains, directory, mailboxDatabases, servers, databaseAvailabilityGroups,
            adSites, adSiteLinks, receiveConnectors, java.util.Objects.requireNonNull(config), sendConnectors,
            transportRules);
    }

    /** The same organization with other Send connectors (Set-/New-/Remove-SendConnector). */
    public Organization withSendConnectors(List<SendConnector> connectors) {
        return new Organization(name, acceptedDomains, directory, mailboxDatabases, servers, databaseAvailabilityGroups,
            adSites, adSiteLinks, receiveConnectors, recipientFilterConfig, connectors, transportRules);
    }

    /** The same organization with other mail flow rules (New-/Set-/Remove-TransportRule), renumbered 0..n-1. */
    public Organization withTransportRules(List<TransportRule> rules) {
        return new Organization(name, acceptedDomains, directory, mailboxDatabases, servers, databaseAvailabilityGroups,
            adSites, adSiteLinks, receiveConnectors, recipientFilterConfig, sendConnectors,
            TransportRuleParameters.normalise(rules));
    }

    /** The Send connector named {@code connectorName} in any case. */
    public Optional<SendConnector> sendConnector(String connectorName) {
        return sendConnectors.stream().filter(c -> c.name().equalsIgnoreCase(connectorName)).findFirst();
    }

    public Optional<Recipient> findRecipient(SmtpAddress address) {
        return directory.findRecipient(address);
    }

    public Optional<AcceptedDomain> acceptedDomainFor(String domain) {
        return acceptedDomains.stream().filter(d -> d.matches(domain)).findFirst();
    }

    public boolean isAcceptedDomain(String domain) {
        return acceptedDomainFor(domain).isPresent();
    }

    public Optional<Server> server(String serverName) {
        return servers.stream().filter(s -> s.name().equalsIgnoreCase(serverName)).findFirst();
    }

    public Optional<MailboxDatabase> mailboxDatabase(String databaseName) {
        return mailboxDatabases.stream().filter(d -> d.name().equalsIgnoreCase(databaseName)).findFirst();
    }

    public Optional<DatabaseAvailabilityGroup> databaseAvailabilityGroup(String dagName) {
        return databaseAvailabilityGroups.stream().filter(d -> d.name().equalsIgnoreCase(dagName)).findFirst();
    }

    /** Finds a group member by name, alias or address, as Exchange's member references do. */
    public Optional<Recipient> findByIdentity(String identity) {
        return directory.findByIdentity(identity);
    }

    public List<ReceiveConnector> receiveConnectorsOn(String serverName) {
        return receiveConnectors.stream().filter(c -> c.server().equalsIgnoreCase(serverName)).toList();
    }
}
