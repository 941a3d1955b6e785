package io.mailflow.frontend.receive;

import io.mailflow.core.smtp.SmtpReply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shell's side of one session's outbound proxy: carries out the session's
 * {@link ProxyRequest}s on the leg {@link OutboundProxy} opens, and ends the leg with the session.
 * Used only from the connection stage's thread.
 */
final class ProxyLink {
    private final OutboundProxy proxy;
    private OutboundProxy.Leg leg;

    ProxyLink(OutboundProxy proxy) {
        this.proxy = proxy;
    }

    /** The reply the request earns, or null for {@link ProxyRequest.Close}, which none. */
    CompletionStage<SmtpReply> perform(ProxyRequest request) {
        if (request instanceof ProxyRequest.Open open) {
            close();
            leg = proxy.open(open.destination(), open.heloName(), open.connectorId());
            return leg.ready();
        }
        if (request instanceof ProxyRequest.Close) {
            close();
            return null;
        }
        if (leg == null) {
            return CompletableFuture.completedFuture(SmtpReply.of(451, "4.4.2", "Proxy connection closed"));
        }
        return request instanceof ProxyRequest.Relay relay ? leg.relay(relay.line())
            : leg.relayContent(((ProxyRequest.RelayContent) request).content());
    }

    void close() {
        if (leg != null) {
            leg.quit();
            leg = null;
        }
    }
}
