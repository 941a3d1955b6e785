package io.mailflow.frontend.receive;

import io.mailflow.core.smtp.ProxyDestination;
import io.mailflow.core.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Outbound Proxy Frontend connector (717) of the demo, bound to loopback, trusts its peer as
 * one of the organization's Transport services: XMAILFLOWPROXYTO opens the leg, and every
 * transaction command is relayed and answered with the destination's reply, only once it came.
 */
class SmtpSessionOutboundProxyTest {
    private static final String OUTBOUND_PROXY = "Outbound Proxy Frontend EX01";
    private static final SmtpReply DESTINATION_EHLO = SmtpReply.multiline(250,
        List.of("mx.fabrikam.example Hello [127.0.0.1]", "PIPELINING"));

    private static SessionFixture proxied() {
        SessionFixture f = SessionFixture.on(OUTBOUND_PROXY, b -> b).greeted();
        f.send("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.25] PORT=2525");
        f.proxyReply(DESTINATION_EHLO);
        return f;
    }

    @Test
    void ehloOffersTheVerbOnlyToExchangeServersOnAFrontEndConnector() {
        SessionFixture proxy = SessionFixture.on(OUTBOUND_PROXY, b -> b);
        proxy.connect();
        assertTrue(proxy.send("EHLO ex01.contoso.test").contains("250 XMAILFLOWPROXYTO"));
        SessionFixture internet = SessionFixture.defaultFrontend();
        internet.connect();
        assertTrue(internet.send("EHLO client.fabrikam.example").stream().noneMatch(l -> l.contains("PROXYTO")));
        assertEquals(List.of("500 5.3.3 Unrecognized command"),
            internet.send("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.25] PORT=25"));
    }

    @Test
    void theDestinationGoesToTheLegAndItsEhloOpensTheSession() {
        SessionFixture f = SessionFixture.on(OUTBOUND_PROXY, b -> b).greeted();
        assertEquals(List.of(), f.send("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.25],relay.fabrikam.example PORT=2525"));
        ProxyRequest.Open open = assertInstanceOf(ProxyRequest.Open.class, f.proxyRequest());
        assertEquals(ProxyDestination.smartHosts(List.of("[192.0.2.25]", "relay.fabrikam.example"), 2525),
            open.destination());
        assertEquals("EX01\\" + OUTBOUND_PROXY, open.connectorId());
        assertEquals(List.of("250 2.0.0 Proxy session established with mx.fabrikam.example"),
            f.proxyReply(DESTINATION_EHLO));
    }

    @Test
    void anUnreachableDestinationIsA451TheTransportServiceRetries() {
        SessionFixture f = SessionFixture.on(OUTBOUND_PROXY, b -> b).greeted();
        f.send("XMAILFLOWPROXYTO DOMAIN=fabrikam.example PORT=25");
        assertEquals(List.of("451 4.4.0 Primary target IP address responded with: \"451 4.4.1 Failed to connect to "
                + "192.0.2.25:25: Connection refused.\" Attempted failover to alternate host, but that did not "
                + "succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts."),
            f.proxyReply(SmtpReply.of(451, "4.4.1", "Failed to connect to 192.0.2.25:25: Connection refused")));
        // A 5xx greeting is no different: the destination cannot be used now.
        SessionFixture g = SessionFixture.on(OUTBOUND_PROXY, b -> b).greeted();
        g.send("XMAILFLOWPROXYTO DOMAIN=fabrikam.example PORT=25");
        assertTrue(g.proxyReply(SmtpReply.of(554, "5.7.1", "Go away")).get(0).startsWith("451 4.4.0 "));
    }

    @Test
    void eachCommandIsRelayedAndAnsweredWithTheDestinationsReply() {
        SessionFixture f = proxied();
        assertEquals(List.of(), f.send("MAIL FROM:<kate@contoso.test> SIZE=120"));
        assertEquals(new ProxyRequest.Relay("MAIL FROM:<kate@contoso.test> SIZE=120"), f.proxyRequest());
        assertEquals(List.of("250 2.1.0 Sender OK"), f.proxyReply(SmtpReply.of(250, "2.1.0", "Sender OK")));
        f.send("RCPT TO:<chris@fabrikam.example>");
        assertEquals(List.of("250 2.1.5 Recipient OK"), f.proxyReply(SmtpReply.of(250, "2.1.5", "Recipient OK")));
        f.send("RCPT TO:<nobody@fabrikam.example>");
        assertEquals(List.of("550 5.1.1 User unknown"), f.proxyReply(SmtpReply.of(550, "5.1.1", "User unknown")));
        f.send("DATA");
        assertEquals(new ProxyRequest.Relay("DATA"), f.proxyRequest());
        assertEquals(List.of("354 Go ahead"), f.proxyReply(SmtpReply.of(354, "Go ahead")));
        assertEquals(List.of(), f.data("Subject: hi\r\n\r\n..dot\r\n.\r\n"));
        ProxyRequest.RelayContent content = assertInstanceOf(ProxyRequest.RelayContent.class, f.proxyRequest());
        assertArrayEquals("Subject: hi\r\n\r\n.dot\r\n".getBytes(StandardCharsets.US_ASCII), content.content());
        assertEquals(List.of("250 2.0.0 Ok: queued as 4F2"), f.proxyReply(SmtpReply.of(250, "2.0.0", "Ok: queued as 4F2")));
        // The transaction is over: a new one starts with MAIL.
        f.send("MAIL FROM:<>");
        assertInstanceOf(ProxyRequest.Relay.class, f.proxyRequest());
    }

    @Test
    void pipelinedCommandsWaitForEachReplyInTurn() {
        SessionFixture f = proxied();
        assertEquals(List.of(), f.send("MAIL FROM:<kate@contoso.test>\r\nRCPT TO:<chris@fabrikam.example>\r\nDATA"));
        assertEquals(new ProxyRequest.Relay("MAIL FROM:<kate@contoso.test>"), f.proxyRequest());
        assertEquals(List.of("250 2.1.0 Sender OK"), f.proxyReply(SmtpReply.of(250, "2.1.0", "Sender OK")));
        assertEquals(new ProxyRequest.Relay("RCPT TO:<chris@fabrikam.example>"), f.outputs.get(f.outputs.size() - 1)
            .proxy().orElseThrow());
    }

    @Test
    void outOfSequenceCommandsAreAnsweredHereAndNeverRelayed() {
        SessionFixture f = proxied();
        assertEquals(List.of("503 5.5.2 Need mail command"), f.send("RCPT TO:<chris@fabrikam.example>"));
        assertEquals(List.of("503 5.5.2 Need mail command"), f.send("DATA"));
        f.send("MAIL FROM:<kate@contoso.test>");
        f.proxyReply(SmtpReply.of(250, "2.1.0", "Sender OK"));
        f.send("RCPT TO:<nobody@fabrikam.example>");
        f.proxyReply(SmtpReply.of(550, "5.1.1", "User unknown"));
        assertEquals(List.of("503 5.5.2 Need rcpt command"), f.send("DATA"));
        assertEquals(List.of("503 5.5.1 Bad sequence of commands"), f.send("EHLO again.contoso.test"));
        assertEquals(List.of("503 5.5.1 Bad sequence of commands"),
            f.send("XMAILFLOWPROXYTO DOMAIN=fabrikam.example PORT=25"));
    }

    @Test
    void badArgumentsAndWrongMomentsAreProtocolErrors() {
        SessionFixture f = SessionFixture.on(OUTBOUND_PROXY, b -> b);
        f.connect();
        assertEquals(List.of("503 5.5.2 Send hello first"), f.send("XMAILFLOWPROXYTO DOMAIN=fabrikam.example PORT=25"));
        f.send("EHLO ex01.contoso.test");
        assertEquals(List.of("501 5.5.4 Invalid arguments"), f.send("XMAILFLOWPROXYTO DOMAIN=fabrikam.example"));
        assertEquals(List.of("501 5.5.4 Invalid arguments"),
            f.send("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.1] DOMAIN=fabrikam.example PORT=25"));
    }

    @Test
    void noInactivityTimeoutWhileTheDestinationOwesAReply() {
        SessionFixture f = SessionFixture.on(OUTBOUND_PROXY, b -> b.connectionTimeout(Duration.ofHours(1))).greeted();
        f.send("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.25] PORT=25");
        f.proxyReply(DESTINATION_EHLO);
        f.send("MAIL FROM:<kate@contoso.test>");
        f.advance(f.connector.connectionInactivityTimeout().plus(Duration.ofSeconds(1)));
        assertEquals(List.of(), f.tick());
        assertEquals(List.of("250 2.1.0 Sender OK"), f.proxyReply(SmtpReply.of(250, "2.1.0", "Sender OK")));
        f.advance(f.connector.connectionInactivityTimeout());
        assertEquals(List.of("451 4.7.0 Timeout waiting for client input"), f.tick());
    }

    @Test
    void aMessageOverMaxMessageSizeDropsTheLegInsteadOfSendingIt() {
        SessionFixture f = SessionFixture.on(OUTBOUND_PROXY, b -> b.maxMessageSize(
            io.mailflow.core.params.ByteSize.ofBytes(10))).greeted();
        f.send("XMAILFLOWPROXYTO SMARTHOSTS=[192.0.2.25] PORT=25");
        f.proxyReply(DESTINATION_EHLO);
        f.send("MAIL FROM:<kate@contoso.test>");
        f.proxyReply(SmtpReply.of(250, "2.1.0", "Sender OK"));
        f.send("RCPT TO:<chris@fabrikam.example>");
        f.proxyReply(SmtpReply.of(250, "2.1.5", "Recipient OK"));
        f.send("DATA");
        f.proxyReply(SmtpReply.of(354, "Go ahead"));
        assertEquals(List.of("552 5.3.4 Message size exceeds fixed maximum message size"),
            f.data("Subject: far too long for ten octets\r\n\r\nbody\r\n.\r\n"));
        assertInstanceOf(ProxyRequest.Close.class, f.proxyRequest());
    }
}
