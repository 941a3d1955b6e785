package io.mailflow.frontend.auth;

import java.util.concurrent.CompletionStage;

/**
 * Checks SMTP AUTH credentials. Answers asynchronously: a password hash takes milliseconds of CPU,
 * which must not stall the thread that runs the connections.
 */
public interface Authenticator {
    CompletionStage<LogonResult> logon(LogonRequest request);
}
