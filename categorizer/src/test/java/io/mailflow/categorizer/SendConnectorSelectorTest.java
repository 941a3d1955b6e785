package io.mailflow.categorizer;

import io.mailflow.core.organization.AddressSpace;
import io.mailflow.core.organization.SendConnector;
import io.mailflow.core.params.ByteSize;
import io.mailflow.core.routing.DeliveryType;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** SendConnectorSelector: the CSEL rules one at a time, over connectors built in the test. */
class SendConnectorSelectorTest {

    private static SendConnector dns(String name, String... spaces) {
        return SendConnector.withDefaults(name, Arrays.stream(spaces).map(AddressSpace::parse).toList(),
            List.of("EX01", "EX02"));
    }

    private static SendConnectorSelector.Selection select(List<SendConnector> connectors, String domain, long size) {
        return new SendConnectorSelector(connectors, "EX01").select(domain, size);
    }

    private static String chosen(List<SendConnector> connectors, String domain) {
        return assertInstanceOf(SendConnectorSelector.Selected.class, select(connectors, domain, 1000))
            .connector().name();
    }

    @Test
    void disabledConnectorsAreLeftOutAndThoseOfOtherServersRelayToTheirSourceServers() {
        SendConnector disabled = SendConnector.Builder.from(dns("A Disabled", "contoso.com")).enabled(false).build();
        SendConnector elsewhere = SendConnector.Builder.from(dns("B Elsewhere", "contoso.com"))
            .sourceTransportServers(List.of("EX02")).build();
        SendConnector general = dns("Z General", "*");
        assertEquals("Z General", chosen(List.of(disabled, general), "contoso.com"));
        SendConnectorSelector.Selected viaEx02 = assertInstanceOf(SendConnectorSelector.Selected.class,
            select(List.of(disabled, elsewhere, general), "contoso.com", 1000));
        assertEquals("B Elsewhere", viaEx02.connector().name(), "the most specific address space wins");
        assertEquals(NextHopSolutionKey.connectorSourceServers("B Elsewhere"), viaEx02.key());
        assertEquals(DeliveryType.DnsConnectorDelivery, assertInstanceOf(SendConnectorSelector.Selected.class,
            new SendConnectorSelector(List.of(disabled, elsewhere, general), "ex02").select("contoso.com", 1))
            .key().deliveryType(), "server names compare in any case: on EX02 the connector is local");
    }

    @Test
    void noMatchingConnectorIsUnreachableWithExchangesLastError() {
        SendConnectorSelector.Unreachable u = assertInstanceOf(SendConnectorSelector.Unreachable.class,
            select(List.of(dns("Fabrikam", "*.fabrikam.com")), "Contoso.com", 1));
        assertEquals(NextHopSolutionKey.unreachable("contoso.com"), u.key());
        assertEquals("A matching connector cannot be found to route the external recipient", u.lastError());
    }

    @Test
    void aConnectorMatchesWithItsMostSpecificAddressSpace() {
        // "Mixed" matches sales.contoso.com exactly through its second space, "Wild" only with *.contoso.com.
        SendConnector mixed = dns("Mixed", "*;1", "sales.contoso.com;90");
        SendConnector wild = dns("Wild", "*.contoso.com;1");
        SendConnectorSelector.Selected s = assertInstanceOf(SendConnectorSelector.Selected.class,
            select(List.of(wild, mixed), "sales.contoso.com", 1));
        assertEquals("Mixed", s.connector().name());
        assertEquals(AddressSpace.parse("sales.contoso.com;90"), s.addressSpace());
        assertEquals("Wild", chosen(List.of(wild, mixed), "hr.contoso.com"));
    }

    @Test
    void aLongerWildcardParentIsMoreSpecific() {
        assertEquals("Sales", chosen(List.of(dns("Com", "*.com"), dns("Contoso", "*.contoso.com"),
            dns("Sales", "*.sales.contoso.com")), "eu.sales.contoso.com"));
    }

    @Test
    void costThenNameBreakTies() {
        assertEquals("Cheap", chosen(List.of(dns("A Dear", "*;5"), dns("Cheap", "*;2")), "x.com"));
        assertEquals("alpha", chosen(List.of(dns("Beta", "*;2"), dns("alpha", "*;2")), "x.com"));
    }

    @Test
    void sizeIsCheckedBeforeSpecificityAndAMessageOfExactlyTheLimitFits() {
        SendConnector small = SendConnector.Builder.from(dns("Small", "contoso.com"))
            .maxMessageSize(ByteSize.ofBytes(1000)).build();
        SendConnector big = dns("Big", "*");
        assertEquals("Small", chosen(List.of(small, big), "contoso.com"));
        assertEquals("Big", assertInstanceOf(SendConnectorSelector.Selected.class,
            select(List.of(small, big), "contoso.com", 1001)).connector().name());
        assertEquals("550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route",
            assertInstanceOf(SendConnectorSelector.TooLarge.class, select(List.of(small), "contoso.com", 1001)).status());
    }

    @Test
    void theKeyIsTheSmartHostListOrTheRecipientDomain() {
        SendConnector relay = SendConnector.Builder.from(dns("Relay", "*")).dnsRoutingEnabled(false)
            .smartHosts(List.of("[172.17.17.7]", "relay.tailspintoys.com")).build();
        assertEquals(new NextHopSolutionKey(DeliveryType.SmartHostConnectorDelivery,
                "[172.17.17.7],relay.tailspintoys.com", "Relay"),
            assertInstanceOf(SendConnectorSelector.Selected.class, select(List.of(relay), "x.com", 1)).key());
        assertEquals(NextHopSolutionKey.dnsConnector("mail.contoso.com", "Contoso"),
            assertInstanceOf(SendConnectorSelector.Selected.class,
                select(List.of(dns("Contoso", "*.contoso.com")), "Mail.Contoso.com", 1)).key());
    }
}
