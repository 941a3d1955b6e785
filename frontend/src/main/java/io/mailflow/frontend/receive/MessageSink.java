package io.mailflow.frontend.receive;

import java.util.concurrent.CompletionStage;

/**
 * Where a receive connector hands accepted messages: the Transport service's spool. The stage
 * completes only once the message is durable; only then does the session answer 250.
 */
@FunctionalInterface
public interface MessageSink {

    CompletionStage<Queued> submit(ReceivedMessage message);

    /** The spooled message: its InternalId and Message-ID, for the {@code 250 2.6.0} reply. */
    record Queued(long internalId, String messageId) {
    }
}
