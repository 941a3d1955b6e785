package io.mailflow.delivery.smtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP client's answer for one connection's batch.
 *
 * @param results            one per message attempted, in batch order; message {@code i} of the
 *                           batch has a result iff {@code i < results.size()}
 * @param failure            set if the connection failed; messages after the failure point have no
 *                           result and were never offered to the server
 * @param serverCapabilities what the server announced in EHLO ({@link EhloCapabilities#NONE} before
 *                           EHLO, non-extended after a HELO fallback)
 * @param remoteEndpoint     {@code ip:port} of the server once connected, else the target's
 *                           {@code host:port}
 */
public record DeliveryBatchResult(List<MessageResult> results, Optional<ConnectionFailure> failure,
                                  EhloCapabilities serverCapabilities, String remoteEndpoint) {

    public DeliveryBatchResult {
        results = List.copyOf(results);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(serverCapabilities, "serverCapabilities");
        Objects.requireNonNull(remoteEndpoint, "remoteEndpoint");
    }

    /** Whether message {@code index} of the batch was offered to the server (or refused locally). */
    public boolean attempted(int index) {
        return index < results.size();
    }
}
