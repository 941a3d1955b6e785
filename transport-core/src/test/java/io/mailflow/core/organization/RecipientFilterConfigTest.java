package io.mailflow.core.organization;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.params.ParamException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RecipientFilterConfig: the HOCON section, its defaults, Set-/Get-RecipientFilterConfig, Organization copies. */
class RecipientFilterConfigTest {

    private static final String BASE = """
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test" } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
        """;

    @Test
    void sectionLoads() {
        Organization org = OrganizationLoader.parse(BASE + """
            RecipientFilterConfig { Enabled = true, RecipientValidationEnabled = true, BlockListEnabled = "$true",
              BlockedRecipients = ["ceo@contoso.test"] }
            """, "org.conf");
        RecipientFilterConfig rfc = org.recipientFilterConfig();
        assertEquals(new RecipientFilterConfig(true, true, true, List.of("ceo@contoso.test")), rfc);
        assertTrue(rfc.blocks(SmtpAddress.of("CEO@contoso.test")));
        assertFalse(rfc.blocks(SmtpAddress.of("kate@contoso.test")));
        assertTrue(rfc.validatesRecipients());
    }

    @Test
    void withoutTheSectionEverythingIsOff() {
        Organization org = OrganizationLoader.parse(BASE, "org.conf");
        assertSame(RecipientFilterConfig.DEFAULT, org.recipientFilterConfig());
        assertEquals(new RecipientFilterConfig(false, false, false, List.of()), org.recipientFilterConfig());
        RecipientFilterConfig listOnly = new RecipientFilterConfig(false, false, true, List.of("ceo@contoso.test"));
        assertFalse(listOnly.blocks(SmtpAddress.of("ceo@contoso.test")), "the agent itself must be enabled");
    }

    @Test
    void sectionProblemsUseTheLoaderFormat() {
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class, () -> OrganizationLoader.parse(
            BASE + """
            RecipientFilterConfig { Enabled = maybe, BlockedRecipients = ["ceo@contoso.test", "not an address"], Colour = red }
            """, "org.conf"));
        assertEquals(List.of(
            "org.conf:4: RecipientFilterConfig.Colour: unknown key Colour; did you mean Enabled?",
            "org.conf:4: RecipientFilterConfig.BlockedRecipients[1]: 'not an address' is not an SMTP address such as ceo@contoso.test",
            "org.conf:4: RecipientFilterConfig.Enabled: 'maybe' is not $true or $false"),
            List.of(e.getMessage().split("\n")));
    }

    @Test
    void setAndFormatList() {
        RecipientFilterConfig rfc = RecipientFilterConfigParameters.set(RecipientFilterConfig.DEFAULT,
            Map.of("Enabled", "$true", "BlockListEnabled", "$true", "BlockedRecipients", "ceo@contoso.test,cfo@contoso.test"));
        assertEquals(List.of("BlockedRecipients", "RecipientValidationEnabled", "BlockListEnabled", "Enabled"),
            List.copyOf(RecipientFilterConfigParameters.toDisplay(rfc).keySet()));
        assertEquals("{ceo@contoso.test, cfo@contoso.test}", RecipientFilterConfigParameters.toDisplay(rfc).get("BlockedRecipients"));
        assertEquals("True", RecipientFilterConfigParameters.toDisplay(rfc).get("Enabled"));
        assertEquals("False", RecipientFilterConfigParameters.toDisplay(rfc).get("RecipientValidationEnabled"));
        ParamException e = assertThrows(ParamException.class, () -> RecipientFilterConfigParameters.set(rfc,
            Map.of("BlockedRecipients", "ceo", "ExternalMailEnabled", "$true")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("BlockedRecipients: 'ceo' is not an SMTP address such as ceo@contoso.test"));
        assertTrue(e.getMessage().contains("ExternalMailEnabled: ExternalMailEnabled is an Exchange parameter that Mailflow does not implement"));
    }

    @Test
    void organizationCopiesKeepEverythingElse() {
        Organization org = OrganizationLoader.parse(BASE, "org.conf");
        RecipientFilterConfig on = new RecipientFilterConfig(true, true, false, List.of());
        Organization filtered = org.withRecipientFilterConfig(on);
        assertEquals(on, filtered.recipientFilterConfig());
        assertEquals(org.receiveConnectors(), filtered.receiveConnectors());
        assertSame(org.directory(), filtered.directory());

        ReceiveConnector frontend = org.receiveConnectors().get(0);
        ReceiveConnector changed = ReceiveConnectorParameters.set(frontend,
            Map.of("MaxInboundConnectionPerSource", "100"), org.receiveConnectors());
        List<ReceiveConnector> connectors = org.receiveConnectors().stream()
            .map(c -> c.identity().equals(changed.identity()) ? changed : c).toList();
        Organization live = filtered.withReceiveConnectors(connectors);
        assertEquals("100", ReceiveConnectorParameters.toDisplay(live.receiveConnectors().get(0))
            .get("MaxInboundConnectionPerSource"));
        assertEquals(on, live.recipientFilterConfig());
        assertEquals(org.receiveConnectors().size(), live.receiveConnectors().size());
        assertEquals(org.name(), live.name());
    }
}
