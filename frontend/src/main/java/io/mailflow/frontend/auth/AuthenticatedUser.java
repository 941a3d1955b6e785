package io.mailflow.frontend.auth;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.Mailbox;
import io.mailflow.core.organization.ProxyAddress;

import java.util.List;

/**
 * The mailbox user a session signed in as with SMTP AUTH: the name the protocol log and the
 * MessageRateSource User bucket use, and the addresses the user may send as.
 */
public record AuthenticatedUser(String userPrincipalName, String mailboxName, List<SmtpAddress> addresses) {
    public AuthenticatedUser {
        addresses = List.copyOf(addresses);
    }

    public static AuthenticatedUser of(Mailbox mailbox) {
        return new AuthenticatedUser(mailbox.userPrincipalName(), mailbox.name(),
            mailbox.emailAddresses().stream().map(ProxyAddress::address).toList());
    }

    /** Whether {@code sender} is one of the user's own addresses (Exchange's Send As check on itself). */
    public boolean owns(SmtpAddress sender) {
        for (SmtpAddress a : addresses) {
            if (a.key().equals(sender.key())) {
                return true;
            }
        }
        return false;
    }
}
