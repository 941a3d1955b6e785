package io.mailflow.frontend.auth;

/**
 * What a client gave in one SMTP AUTH exchange: the mechanism, the authorization identity (PLAIN's
 * authzid; empty for LOGIN and when not given), the sign-in name and the password.
 */
public record LogonRequest(String mechanism, String authorizationId, String userName, char[] password) {
    /** Never prints the password. */
    @Override
    public String toString() {
        return "LogonRequest[" + mechanism + " " + userName + "]";
    }
}
