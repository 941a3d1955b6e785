package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
                           List<Mailbox> mailboxes,
                           List<DistributionGroup> distributionGroups,
                           List<MailboxDatabase> mailboxDatabases,
                           List<Server> servers,
                           List<ReceiveConnector> receiveConnectors,
                           RecipientFilterConfig recipientFilterConfig,
                           List<SendConnector> sendConnectors,
                           Map<String, Recipient> recipientsByAddress,
                           List<TransportRule> transportRules) {

    public Organization {
        transportRules = List.copyOf(transportRules);
    }

    /** The organization as it was before mail flow rules: none. */
    public Organization(String name, List<AcceptedDomain> acceptedDomains, List<Mailbox> mailboxes,
                        List<DistributionGroup> distributionGroups, List<MailboxDatabase> mailboxDatabases,
                        List<Server> servers, List<ReceiveConnector> receiveConnectors,
                        RecipientFilterConfig recipientFilterConfig, List<SendConnector> sendConnectors,
                        Map<String, Recipient> recipientsByAddress) {
        this(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers, receiveConnectors,
            recipientFilterConfig, sendConnectors, recipientsByAddress, List.of());
    }

    /** An organization with Exchange's default recipient filtering (off; see {@link RecipientFilterConfig}). */
    public Organization(String name, List<AcceptedDomain> acceptedDomains, List<Mailbox> mailboxes,
                        List<DistributionGroup> distributionGroups, List<MailboxDatabase> mailboxDatabases,
                        List<Server> servers, List<ReceiveConnector> receiveConnectors) {
        this(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers, receiveConnectors,
            RecipientFilterConfig.DEFAULT);
    }

    public Organization(String name, List<AcceptedDomain> acceptedDomains, List<Mailbox> mailboxes,
                        List<DistributionGroup> distributionGroups, List<MailboxDatabase> mailboxDatabases,
                        List<Server> servers, List<ReceiveConnector> receiveConnectors,
                        RecipientFilterConfig recipientFilterConfig) {
        this(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers, receiveConnectors,
            recipientFilterConfig, List.of());
    }

    /** An organization with Send connectors: every external recipient is routed through one of them or is Unreachable. */
    public Organization(String name, List<AcceptedDomain> acceptedDomains, List<Mailbox> mailboxes,
                        List<DistributionGroup> distributionGroups, List<MailboxDatabase> mailboxDatabases,
                        List<Server> servers, List<ReceiveConnector> receiveConnectors,
                        RecipientFilterConfig recipientFilterConfig, List<SendConnector> sendConnectors) {
        this(name, List.copyOf(acceptedDomains), List.copyOf(mailboxes), List.copyOf(distributionGroups),
            List.copyOf(mailboxDatabases), List.copyOf(servers), List.copyOf(receiveConnectors),
            recipientFilterConfig, List.copyOf(sendConnectors), index(mailboxes, distributionGroups));
    }

    /** The same organization with other receive connectors (Set-/New-/Remove-ReceiveConnector, live). */
    public Organization withReceiveConnectors(List<ReceiveConnector> connectors) {
        return new Organization(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers,
            List.copyOf(connectors), recipientFilterConfig, sendConnectors, recipientsByAddress, transportRules);
    }

    /** The same organization with another recipient filter configuration (Set-RecipientFilterConfig). */
    public Organization withRecipientFilterConfig(RecipientFilterConfig config) {
        return new Organization(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers,
            receiveConnectors, java.util.Objects.requireNonNull(config), sendConnectors, recipientsByAddress, transportRules);
    }

    /** The same organization with other Send connectors (Set-/New-/Remove-SendConnector). */
    public Organization withSendConnectors(List<SendConnector> connectors) {
        return new Organization(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers,
            receiveConnectors, recipientFilterConfig, List.copyOf(connectors), recipientsByAddress, transportRules);
    }

    /** The same organization with other mail flow rules (New-/Set-/Remove-TransportRule), renumbered 0..n-1. */
    public Organization withTransportRules(List<TransportRule> rules) {
        return new Organization(name, acceptedDomains, mailboxes, distributionGroups, mailboxDatabases, servers,
            receiveConnectors, recipientFilterConfig, sendConnectors, recipientsByAddress,
            TransportRuleParameters.normalise(rules));
    }

    /** The Send connector named {@code connectorName} in any case. */
    public Optional<SendConnector> sendConnector(String connectorName) {
        return sendConnectors.stream().filter(c -> c.name().equalsIgnoreCase(connectorName)).findFirst();
    }

    private static Map<String, Recipient> index(List<Mailbox> mailboxes, List<DistributionGroup> groups) {
        Map<String, Recipient> byAddress = new HashMap<>();
        for (Mailbox m : mailboxes) {
            m.emailAddresses().forEach(a -> byAddress.put(a.address().key(), m));
        }
        for (DistributionGroup g : groups) {
            g.emailAddresses().forEach(a -> byAddress.put(a.address().key(), g));
        }
        return Map.copyOf(byAddress);
    }

    public Optional<Recipient> findRecipient(SmtpAddress address) {
        return Optional.ofNullable(recipientsByAddress.get(address.key()));
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

    /** Finds a group member by name, alias or address, as Exchange's member references do. */
    public Optional<Recipient> findByIdentity(String identity) {
        String id = identity.toLowerCase(Locale.ROOT);
        if (id.contains("@")) {
            return SmtpAddress.parse(identity, true).flatMap(this::findRecipient);
        }
        return java.util.stream.Stream.concat(mailboxes.stream(), distributionGroups.stream())
            .map(r -> (Recipient) r)
            .filter(r -> r.name().equalsIgnoreCase(identity) || r.alias().equalsIgnoreCase(identity))
            .findFirst();
    }

    public List<ReceiveConnector> receiveConnectorsOn(String serverName) {
        return receiveConnectors.stream().filter(c -> c.server().equalsIgnoreCase(serverName)).toList();
    }
}
