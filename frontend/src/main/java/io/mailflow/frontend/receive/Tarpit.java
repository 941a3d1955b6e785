package io.mailflow.frontend.receive;

import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.smtp.SmtpReply;

import java.time.Duration;

/**
 * TarpitInterval: Exchange delays 5xx responses to anonymous sessions, so a client that keeps
 * failing (a directory-harvest attack walking a dictionary of addresses) is slowed per failure.
 * "Authenticated connections are never delayed in this manner."
 */
public final class Tarpit {
    private Tarpit() {
    }

    public static Duration delayFor(SmtpReply reply, boolean authenticated, ReceiveConnector connector) {
        if (authenticated || !reply.isPermanentFailure()) {
            return Duration.ZERO;
        }
        return connector.tarpitInterval();
    }
}
