package io.mailflow.categorizer;

import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.routing.NextHopSolutionKey;

/**
 * Router: categorizer stage after the resolver (exchange.md §6.3). Maps a resolved recipient to
 * its NextHopSolutionKey. On one server a mailbox's next hop is its mailbox database. A recipient
 * outside the organization (not in the directory, in an InternalRelay, ExternalRelay or
 * non-accepted domain) takes the Send connector {@link SendConnectorSelector} picks for its domain
 * and the message size; with none it waits in the Unreachable queue, and a message too large for
 * every matching connector fails for that recipient.
 * Reads: the organization's SendConnectors.
 */
public final class Router {
    private final SendConnectorSelector selector;

    /**
     * @param routingServer the server this categorizer runs on, matched against each connector's
     *                      SourceTransportServers
     */
    public Router(Organization organization, String routingServer) {
        this.selector = new SendConnectorSelector(organization.sendConnectors(), routingServer);
    }

    public NextHopSolutionKey route(Mailbox mailbox) {
        return NextHopSolutionKey.mailboxDatabase(mailbox.database());
    }

    /** The route for recipients of {@code domain} in a message of {@code messageSize} octets. */
    public SendConnectorSelector.Selection routeExternal(String domain, long messageSize) {
        return selector.select(domain, messageSize);
    }
}
