package io.mailflow.frontend.receive;

import io.mailflow.core.smtp.ProxyDestination;

/**
 * What an Outbound Proxy Frontend session asks its shell to do on the onward leg; the reply comes
 * back through {@link SmtpSession#onProxyReply}. One request at a time: the session waits.
 */
public sealed interface ProxyRequest {

    /** Open the leg to the destination. */
    record Open(ProxyDestination destination, String heloName, String connectorId) implements ProxyRequest {
    }

    /** Relay one command line (MAIL, RCPT, DATA, RSET) as the Transport service sent it. */
    record Relay(String line) implements ProxyRequest {
    }

    /** Relay the message received after 354. */
    record RelayContent(byte[] content) implements ProxyRequest {
    }

    /** Drop the leg without waiting (a message the connector refused mid-DATA); no reply comes back. */
    record Close() implements ProxyRequest {
    }
}
