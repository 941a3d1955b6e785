package io.mailflow.categorizer;

import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.routing.NextHopSolutionKey;

/**
 * Router: categorizer stage after the resolver (exchange.md §6.3). Maps a resolved recipient to
 * its NextHopSolutionKey. On one server a mailbox's next hop is its mailbox database; external
 * recipients have no route until Send connectors exist, so they go to the Unreachable queue.
 */
public final class Router {

    public NextHopSolutionKey route(Mailbox mailbox) {
        return NextHopSolutionKey.mailboxDatabase(mailbox.database());
    }

    public NextHopSolutionKey routeExternal(String domain) {
        return NextHopSolutionKey.unreachable(domain);
    }
}
