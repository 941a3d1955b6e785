package io.mailflow.core.smtp;

/**
 * Every fixed reply text Mailflow sends, in one place, as Exchange words them
 * (../shared/REFERENCE.md and reference/exchange.md §2). Replies that carry variable text
 * (banner, EHLO, 250 after DATA) are built by the session from these shapes.
 */
public final class SmtpReplies {
    private SmtpReplies() {
    }

    // Normal dialogue
    public static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Sender OK");
    public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Recipient OK");
    public static final SmtpReply START_MAIL_INPUT = SmtpReply.of(354, null, "Start mail input; end with <CRLF>.<CRLF>");
    public static final SmtpReply CLOSING = SmtpReply.of(221, "2.0.0", "Service closing transmission channel");
    public static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "OK");
    public static final SmtpReply RESET_OK = SmtpReply.of(250, "2.0.0", "Resetting");
    public static final SmtpReply VRFY_CANNOT_VERIFY =
        SmtpReply.of(252, "2.1.5", "Cannot VRFY user, but will accept message and attempt delivery");

    // STARTTLS (RFC 3207)
    /** Exchange's reply to STARTTLS (exchange.md §2.1, DFIR protocol log of Exchange 15.01). */
    public static final SmtpReply READY_TO_START_TLS = SmtpReply.of(220, "2.0.0", "SMTP server ready");
    /** RFC 3207 §4's words: the connector offers TLS but the server has no certificate to offer. */
    public static final SmtpReply TLS_NOT_AVAILABLE =
        SmtpReply.of(454, "4.7.0", "TLS not available due to temporary reason");
    /**
     * MAIL FROM on a RequireTLS connector before STARTTLS. Exchange's text, as its clients quote it:
     * ex-shell.com 2022-10-25 ("Error 450 4.4.317 … 451 5.7.3 STARTTLS is required to send mail", an
     * on-premises receive connector) and JavaMail's SMTPSendFailedException at MAIL FROM in
     * apache/hertzbeat#2365.
     */
    public static final SmtpReply STARTTLS_REQUIRED = SmtpReply.of(451, "5.7.3", "STARTTLS is required to send mail");

    // Sequence and syntax (RFC 5321 §4.2.4, Exchange's texts)
    public static final SmtpReply UNRECOGNIZED_COMMAND = SmtpReply.of(500, "5.3.3", "Unrecognized command");
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Line too long");
    public static final SmtpReply BAD_SEQUENCE = SmtpReply.of(503, "5.5.1", "Bad sequence of commands");
    public static final SmtpReply SEND_HELLO_FIRST = SmtpReply.of(503, "5.5.2", "Send hello first");
    public static final SmtpReply NEED_MAIL_FIRST = SmtpReply.of(503, "5.5.2", "Need mail command");
    public static final SmtpReply NEED_RCPT_FIRST = SmtpReply.of(503, "5.5.2", "Need rcpt command");
    public static final SmtpReply SENDER_ALREADY_SPECIFIED = SmtpReply.of(503, "5.5.2", "Sender already specified");
    public static final SmtpReply INVALID_DOMAIN = SmtpReply.of(501, "5.5.4", "Invalid domain name");
    public static final SmtpReply INVALID_ARGUMENTS = SmtpReply.of(501, "5.5.4", "Invalid arguments");
    public static final SmtpReply UNRECOGNIZED_PARAMETER = SmtpReply.of(501, "5.5.4", "Unrecognized parameter");
    public static final SmtpReply SENDER_SYNTAX = SmtpReply.of(550, "5.1.7", "Invalid address");
    public static final SmtpReply RECIPIENT_SYNTAX = SmtpReply.of(501, "5.1.3", "Invalid address");
    public static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.3.3", "Command not implemented");
    public static final SmtpReply INVALID_CHARACTERS = SmtpReply.of(500, "5.5.2", "Invalid characters in command");
    public static final SmtpReply SMTPUTF8_REQUIRED =
        SmtpReply.of(553, "5.6.7", "Non-ASCII addresses require the SMTPUTF8 parameter");

    // Limits and policy (REFERENCE.md table)
    public static final SmtpReply RELAY_DENIED =
        SmtpReply.of(550, "5.7.54", "SMTP; Unable to relay recipient in non-accepted domain");
    public static final SmtpReply USER_UNKNOWN = SmtpReply.of(550, "5.1.1", "User unknown");
    public static final SmtpReply NOT_AUTHENTICATED = SmtpReply.of(530, "5.7.1", "Client was not authenticated");
    public static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Too many recipients");
    public static final SmtpReply MESSAGE_TOO_LARGE =
        SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static final SmtpReply HEADER_TOO_LARGE =
        SmtpReply.of(552, "5.3.4", "Header size exceeds fixed maximum size");
    public static final SmtpReply HOP_COUNT_EXCEEDED =
        SmtpReply.of(554, "5.4.6", "Hop count exceeded - possible mail loop");
    public static final SmtpReply BARE_LINEFEEDS = SmtpReply.of(550, "5.6.11", "Bare linefeeds are not allowed");
    public static final SmtpReply TOO_MANY_ERRORS =
        SmtpReply.of(421, "4.7.0", "Too many errors on this connection, closing transmission channel");
    public static final SmtpReply CONNECTION_TIMED_OUT = SmtpReply.of(421, "4.4.1", "Connection timed out");
    public static final SmtpReply INACTIVITY_TIMEOUT = SmtpReply.of(451, "4.7.0", "Timeout waiting for client input");
    public static final SmtpReply INSUFFICIENT_RESOURCES = SmtpReply.of(452, "4.3.1", "Insufficient system resources");
    public static final SmtpReply DATA_TRANSACTION_FAILED =
        SmtpReply.of(451, "4.3.2", "System not accepting network messages");
    public static final SmtpReply SERVICE_NOT_AVAILABLE =
        SmtpReply.of(421, "4.3.2", "Service not available, closing transmission channel");

    // Connection admission (REFERENCE.md table; Sendmail's access map text for REJECT)
    public static final SmtpReply MAX_CONNECTIONS_PER_SOURCE = SmtpReply.of(421, "4.3.2",
        "The maximum number of concurrent server connections has exceeded a per-source limit, "
            + "closing transmission channel");
    public static final SmtpReply MAX_CONNECTIONS = SmtpReply.of(421, "4.3.2",
        "The maximum number of concurrent connections has exceeded a limit, closing transmission channel");
    public static final SmtpReply CONNECTION_RATE_EXCEEDED =
        SmtpReply.of(421, "4.3.2", "Connection rate limit exceeded.");
    public static final SmtpReply MESSAGE_RATE_EXCEEDED = SmtpReply.of(421, "4.4.2",
        "Message submission rate for this client has exceeded the configured limit");
    public static final SmtpReply ACCESS_DENIED = SmtpReply.of(550, "5.7.1", "Access denied");

    /** An anonymous client sending as an address of the organization without the right to (exchange.md §2.1 SDK). */
    public static final SmtpReply ANONYMOUS_SEND_AS_DENIED =
        SmtpReply.of(550, "5.7.1", "Anonymous client does not have permission to send as this sender");

    // SMTP AUTH (RFC 4954), in Exchange's words where Exchange has them
    /** LOGIN's challenges, "Username:" and "Password:" in Base64, as every server sends them. */
    public static final SmtpReply AUTH_LOGIN_USERNAME = SmtpReply.of(334, null, "VXNlcm5hbWU6");
    public static final SmtpReply AUTH_LOGIN_PASSWORD = SmtpReply.of(334, null, "UGFzc3dvcmQ6");
    /** PLAIN without an initial response: an empty challenge. */
    public static final SmtpReply AUTH_EMPTY_CHALLENGE = SmtpReply.of(334, null, "");
    public static final SmtpReply AUTH_SUCCESSFUL = SmtpReply.of(235, "2.7.0", "Authentication successful");
    public static final SmtpReply AUTH_UNSUCCESSFUL = SmtpReply.of(535, "5.7.3", "Authentication unsuccessful");
    public static final SmtpReply AUTH_UNRECOGNIZED_TYPE = SmtpReply.of(504, "5.7.4", "Unrecognized authentication type");
    public static final SmtpReply AUTH_ALREADY_AUTHENTICATED = SmtpReply.of(503, "5.5.1", "Already authenticated");
    public static final SmtpReply AUTH_TEMPORARY_FAILURE = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    public static final SmtpReply AUTH_CANCELLED = SmtpReply.of(501, "5.0.0", "Authentication cancelled");
    public static final SmtpReply AUTH_CANNOT_DECODE = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    /** RFC 4954 §6: a mechanism that needs TLS asked for in the clear (BasicAuthRequireTLS). */
    public static final SmtpReply AUTH_ENCRYPTION_REQUIRED =
        SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    /** An authenticated user sending as an address that is not theirs (Exchange 2013 and later). */
    public static final SmtpReply SEND_AS_DENIED =
        SmtpReply.of(550, "5.7.60", "SMTP; Client does not have permissions to send as this sender");
}
