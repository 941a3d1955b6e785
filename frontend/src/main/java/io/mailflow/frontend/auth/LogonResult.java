package io.mailflow.frontend.auth;

/** The directory's answer to a {@link LogonRequest}. */
public sealed interface LogonResult {

    /** The credentials are a mailbox user's. */
    record SignedIn(AuthenticatedUser user) implements LogonResult {
    }

    /**
     * Refused. {@code status} is Exchange's word for the protocol log ("LogonDenied"); {@code reason}
     * says why for the administrator and never reaches the client, which learns only 535 5.7.3.
     */
    record Denied(String status, String reason) implements LogonResult {
        public static Denied logonDenied(String reason) {
            return new Denied("LogonDenied", reason);
        }
    }

    /** The directory could not be asked: the client may try again ({@code 454 4.7.0}); not a failed logon. */
    record Unavailable(String reason) implements LogonResult {
    }
}
