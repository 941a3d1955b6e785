package io.mailflow.frontend.receive;

import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.time.Clock;

/**
 * The server-wide policies a receive session consults besides its connector's parameters: the
 * Recipient Filter agent at RCPT TO and the back-pressure level at MAIL FROM.
 */
public record SessionPolicies(RecipientFilter recipientFilter, BackPressure backPressure) {

    /** Exchange's defaults on a Mailbox server: no recipient filtering, no resource under pressure. */
    public static SessionPolicies defaults(Organization organization, Clock clock) {
        return new SessionPolicies(RecipientFilter.defaults(organization),
            new BackPressure(BackPressure.Settings.defaults(), clock));
    }
}
