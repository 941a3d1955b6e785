package io.mailflow.core.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The XMAILFLOWPROXYTO arguments: what the Transport service writes, the FET reads back. */
class ProxyDestinationTest {

    @Test
    void smartHostsAndDomainsRoundTrip() {
        ProxyDestination hosts = ProxyDestination.smartHosts(List.of("relay.fabrikam.com", "[192.0.2.7]"), 2525);
        assertEquals("XMAILFLOWPROXYTO SMARTHOSTS=relay.fabrikam.com,[192.0.2.7] PORT=2525", hosts.toCommand());
        assertEquals(Optional.of(hosts), ProxyDestination.parse("SMARTHOSTS=relay.fabrikam.com,[192.0.2.7] PORT=2525"));
        ProxyDestination mx = ProxyDestination.domain("fabrikam.com", 25);
        assertEquals("XMAILFLOWPROXYTO DOMAIN=fabrikam.com PORT=25", mx.toCommand());
        assertEquals(Optional.of(mx), ProxyDestination.parse("port=25 domain=fabrikam.com"));
        assertEquals("192.0.2.7", ProxyDestination.hostOf("[192.0.2.7]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "DOMAIN=fabrikam.com", "PORT=25", "DOMAIN=fabrikam.com PORT=0",
        "DOMAIN=fabrikam.com PORT=99999", "DOMAIN=fabrikam.com SMARTHOSTS=[192.0.2.7] PORT=25",
        "SMARTHOSTS= PORT=25", "SMARTHOSTS=a,,b PORT=25", "DOMAIN=fab\r\nrikam.com PORT=25",
        "DOMAIN=[192.0.2.7] PORT=25", "DOMAIN=a.com PORT=25 PORT=26", "DOMAIN=a.com PORT=25 HELO=x", "garbage"})
    void anythingElseIsRefused(String argument) {
        assertEquals(Optional.empty(), ProxyDestination.parse(argument));
    }

    @Test
    void aDestinationIsSmartHostsOrADomain() {
        assertThrows(IllegalArgumentException.class, () -> new ProxyDestination(List.of("a.com"), "b.com", 25));
        assertThrows(IllegalArgumentException.class, () -> new ProxyDestination(List.of(), null, 25));
    }
}
