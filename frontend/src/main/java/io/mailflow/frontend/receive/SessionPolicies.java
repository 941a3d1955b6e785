package io.mailflow.frontend.receive;

import io.mailflow.core.backpressure.BackPressure;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.time.Clock;
import io.mailflow.frontend.admission.MessageRateLimiter;
import io.mailflow.frontend.auth.Authenticator;
import io.mailflow.frontend.auth.DirectoryAuthenticator;

/**
 * The policies a receive session consults besides its connector's parameters: the Recipient
 * Filter agent at RCPT TO, the back-pressure level at MAIL FROM, the connector's
 * MessageRateLimit (shared by every session of the connector), the directory that checks AUTH
 * credentials, and whether the server has a certificate to offer STARTTLS with.
 */
public record SessionPolicies(RecipientFilter recipientFilter, BackPressure backPressure,
                              MessageRateLimiter messageRate, Authenticator authenticator, boolean tlsCertificate) {

    /**
     * Exchange's defaults on a Mailbox server: no recipient filtering, no resource under pressure;
     * AUTH checked against {@code organization}'s mailboxes on the calling thread; no certificate.
     */
    public static SessionPolicies defaults(Organization organization, ReceiveConnector connector, Clock clock) {
        return new SessionPolicies(RecipientFilter.defaults(organization),
            new BackPressure(BackPressure.Settings.defaults(), clock), MessageRateLimiter.forConnector(connector, clock),
            new DirectoryAuthenticator(() -> organization, Runnable::run), false);
    }
}
