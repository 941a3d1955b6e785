package io.mailflow.frontend.receive;

import io.mailflow.core.organization.IpRange;
import io.mailflow.core.organization.ReceiveConnector;
import io.mailflow.core.organization.ReceiveConnectorBuilder;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which connector of a shared binding answers a client. */
class ReceiveConnectorSelectorTest {

    private static final ReceiveConnector DEFAULT_FRONTEND = SessionFixture.connector(SessionFixture.DEFAULT_FRONTEND);

    private static ReceiveConnector connector(String name, String... ranges) {
        return ReceiveConnectorBuilder.from(DEFAULT_FRONTEND).name(name)
            .remoteIPRanges(Arrays.stream(ranges).map(IpRange::parse).toList()).build();
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static Optional<String> select(List<ReceiveConnector> connectors, String client) throws UnknownHostException {
        return ReceiveConnectorSelector.select(connectors, ip(client)).map(ReceiveConnector::name);
    }

    @Test
    void mostSpecificRemoteIpRangeWins() throws UnknownHostException {
        List<ReceiveConnector> shared = List.of(
            DEFAULT_FRONTEND,
            connector("Subnet", "192.0.2.0/24"),
            connector("Range", "192.0.2.8-192.0.2.15"),
            connector("Host", "192.0.2.10"));
        assertEquals(Optional.of("Host"), select(shared, "192.0.2.10"));
        assertEquals(Optional.of("Range"), select(shared, "192.0.2.9"));
        assertEquals(Optional.of("Subnet"), select(shared, "192.0.2.200"));
        assertEquals(Optional.of(SessionFixture.DEFAULT_FRONTEND), select(shared, "198.51.100.1"));
        assertEquals(Optional.of(SessionFixture.DEFAULT_FRONTEND), select(shared, "2001:db8::1"));
    }

    @Test
    void orderOfTheConnectorsDoesNotMatter() throws UnknownHostException {
        List<ReceiveConnector> shared = List.of(connector("Host", "192.0.2.10"), connector("Subnet", "192.0.2.0/24"),
            DEFAULT_FRONTEND);
        assertEquals(Optional.of("Host"), select(shared, "192.0.2.10"));
    }

    @Test
    void theSmallestOfAConnectorsSeveralRangesCounts() throws UnknownHostException {
        List<ReceiveConnector> shared = List.of(
            connector("Wide and narrow", "10.0.0.0/8", "192.0.2.10"),
            connector("Subnet", "192.0.2.0/24"));
        assertEquals(Optional.of("Wide and narrow"), select(shared, "192.0.2.10"));
        assertEquals(Optional.of("Subnet"), select(shared, "192.0.2.11"));
    }

    @Test
    void disabledConnectorsAreNeverSelected() throws UnknownHostException {
        List<ReceiveConnector> shared = List.of(
            DEFAULT_FRONTEND,
            ReceiveConnectorBuilder.from(connector("Host", "192.0.2.10")).enabled(false).build());
        assertEquals(Optional.of(SessionFixture.DEFAULT_FRONTEND), select(shared, "192.0.2.10"));

        List<ReceiveConnector> allDisabled = List.of(ReceiveConnectorBuilder.from(DEFAULT_FRONTEND).enabled(false).build());
        assertEquals(Optional.empty(), select(allDisabled, "192.0.2.10"));
    }

    @Test
    void noMatchingRangeSelectsNothing() throws UnknownHostException {
        List<ReceiveConnector> shared = List.of(connector("Subnet", "192.0.2.0/24"), connector("V6", "2001:db8::/32"));
        assertEquals(Optional.empty(), select(shared, "198.51.100.1"));
        assertEquals(Optional.empty(), select(shared, "2001:db9::1"));
        assertEquals(Optional.empty(), select(List.of(), "192.0.2.1"));
    }
}
