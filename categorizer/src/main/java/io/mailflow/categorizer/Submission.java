package io.mailflow.categorizer;

import io.mailflow.core.message.OrganizationHeaders;

import java.util.Optional;

/**
 * What the categorizer learns of a message beyond its envelope, read by the Submission queue from
 * the organization headers the receiving server stamped (exchange.md §6.1): whether the sender
 * authenticated (X-MS-Exchange-Organization-AuthAs Internal), and whether another server of the
 * organization already resolved and expanded the recipients before relaying the message here.
 *
 * @param senderAuthenticated the sender authenticated, or the message came from inside the organization
 * @param categorizedBy       the FQDN of the server that resolved the recipients; empty for a new message
 * @param deliveryReport      a DSN written by this server, which mail flow rules do not process (a rule that
 *                            rejects a subject would otherwise reject the NDR that quotes it)
 */
public record Submission(boolean senderAuthenticated, Optional<String> categorizedBy, boolean deliveryReport) {

    /** A message from an anonymous client, categorized here first. */
    public static final Submission ANONYMOUS = new Submission(false, Optional.empty(), false);

    /** A message from an authenticated sender, categorized here first. */
    public static final Submission AUTHENTICATED = new Submission(true, Optional.empty(), false);

    /** A delivery report (DSN) this server wrote: mail flow rules leave system messages alone. */
    public static final Submission DELIVERY_REPORT = new Submission(true, Optional.empty(), true);

    public Submission(boolean senderAuthenticated, Optional<String> categorizedBy) {
        this(senderAuthenticated, categorizedBy, false);
    }

    /**
     * From the organization headers as the receiving server kept or stamped them: the value of
     * X-MS-Exchange-Organization-AuthAs and of X-Mailflow-Organization-Categorized-By.
     */
    public static Submission of(Optional<String> authAs, Optional<String> categorizedBy) {
        return new Submission(authAs.map(String::strip).filter(OrganizationHeaders.AUTH_AS_INTERNAL::equalsIgnoreCase)
            .isPresent(), categorizedBy.map(String::strip));
    }

    /** True when this server only routes the recipients: no expansion, forwarding or restrictions again. */
    public boolean recipientsResolved() {
        return categorizedBy.isPresent();
    }
}
