package io.mailflow.server.admin.queues;

/**
 * Queue viewer: a queue or message operation the Transport service refused, with the text the
 * administrator sees after the cmdlet's name ({@code The message "EX01\3\12" must be suspended
 * before it can be exported.}). Unchecked: the shell reports it as the cmdlet's error for that
 * queue or message and goes on with the next.
 */
public final class QueueOperationException extends RuntimeException {
    public QueueOperationException(String message) {
        super(message);
    }
}
