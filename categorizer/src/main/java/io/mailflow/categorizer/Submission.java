package io.mailflow.categorizer;

import java.util.Optional;

/**
 * What the categorizer learns of a message beyond its envelope, read by the Submission queue from
 * the organization headers the receiving server stamped (exchange.md §6.1): whether the sender
 * authenticated (X-MS-Exchange-Organization-AuthAs Internal), and whether another server of the
 * organization already resolved and expanded the recipients before relaying the message here.
 *
 * @param senderAuthenticated the sender authenticated, or the message came from inside the organization
 * @param categorizedBy       the FQDN of the server that resolved the recipients; empty for a new message
 */
public record Submission(boolean senderAuthenticated, Optional<String> categorizedBy) {

    /** A message from an anonymous client, categorized here first. */
    public static final Submission ANONYMOUS = new Submission(false, Optional.empty());

    /** A message from an authenticated sender, categorized here first. */
    public static final Submission AUTHENTICATED = new Submission(true, Optional.empty());

    /** True when this server only routes the recipients: no expansion, forwarding or restrictions again. */
    public boolean recipientsResolved() {
        return categorizedBy.isPresent();
    }
}
