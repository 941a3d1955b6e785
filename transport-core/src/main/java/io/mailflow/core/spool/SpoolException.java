package io.mailflow.core.spool;

/**
 * The spool could not make a message durable (disk full, I/O error, corrupt record). The
 * session turns it into {@code 451 4.3.2} so the client keeps responsibility for the message.
 */
public class SpoolException extends RuntimeException {
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }

    public SpoolException(String message) {
        super(message);
    }
}
