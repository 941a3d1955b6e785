package io.mailflow.frontend.receive;

import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.core.smtp.SmtpReply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Front End Transport's onward connections for proxied outbound sessions: what an Outbound
 * Proxy Frontend session (717) uses once the Transport service told it the destination. The
 * frontend declares it; the server implements it with the delivery module's SMTP client and MX
 * resolver (the frontend depends on neither). No stage ever fails: a failure is a reply.
 */
@FunctionalInterface
public interface OutboundProxy {

    /**
     * Connects to the destination's hosts in order (smart hosts, or the domain's MX hosts) until
     * one greets and accepts EHLO.
     *
     * @param heloName    the name the leg announces (the receive connector's Fqdn)
     * @param connectorId the SmtpSend protocol log's connector-id for the leg
     */
    Leg open(ProxyDestination destination, String heloName, String connectorId);

    /** One onward connection; every request completes with the destination's reply, or a stand-in 4xx. */
    interface Leg {
        /** The destination's EHLO reply once connected, else the reply that says why not. */
        CompletionStage<SmtpReply> ready();

        CompletionStage<SmtpReply> relay(String commandLine);

        /** The message after the destination's 354; the reply to the final dot. */
        CompletionStage<SmtpReply> relayContent(byte[] content);

        /** The proxied session ended. */
        void quit();
    }

    /** A server without outbound proxying: every open fails at once. */
    OutboundProxy NONE = (destination, heloName, connectorId) -> new Leg() {
        private final SmtpReply unavailable = SmtpReply.of(451, "4.4.0", "Outbound proxy not available");

        @Override
        public CompletionStage<SmtpReply> ready() {
            return CompletableFuture.completedFuture(unavailable);
        }

        @Override
        public CompletionStage<SmtpReply> relay(String commandLine) {
            return ready();
        }

        @Override
        public CompletionStage<SmtpReply> relayContent(byte[] content) {
            return ready();
        }

        @Override
        public void quit() {
        }
    };
}
