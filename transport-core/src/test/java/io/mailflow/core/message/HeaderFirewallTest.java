package io.mailflow.core.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HeaderFirewall: organization headers out, everything else byte for byte. */
class HeaderFirewallTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void removesBothOrganizationNamespacesInAnyCaseWithTheirFoldedLines() {
        byte[] in = bytes("Subject: hi\r\n"
            + "x-mailflow-organization-categorized-by: evil.example\r\n"
            + "X-MS-Exchange-Organization-AuthAs: Internal\r\n"
            + "X-MS-Exchange-Organization-Folded: first\r\n\tsecond\r\n"
            + "To: kate@contoso.test\r\n"
            + "\r\n"
            + "X-MS-Exchange-Organization-AuthAs: body text stays\r\n");
        HeaderFirewall.Filtered out = HeaderFirewall.withoutOrganizationHeaders(in);
        assertEquals("Subject: hi\r\nTo: kate@contoso.test\r\n\r\nX-MS-Exchange-Organization-AuthAs: body text stays\r\n",
            new String(out.content(), StandardCharsets.UTF_8));
        assertEquals(List.of("x-mailflow-organization-categorized-by", "X-MS-Exchange-Organization-AuthAs",
            "X-MS-Exchange-Organization-Folded"), out.removed());
    }

    @Test
    void contentWithoutOrganizationHeadersIsReturnedAsIs() {
        byte[] in = bytes("Subject: hi\r\nX-MS-Exchange-Forest-Rule: kept\r\n\r\nbody\r\n");
        HeaderFirewall.Filtered out = HeaderFirewall.withoutOrganizationHeaders(in);
        assertSame(in, out.content());
        assertTrue(out.removed().isEmpty());
    }

    @Test
    void aMessageWithoutBodyLosesOnlyTheField() {
        byte[] in = bytes("X-Mailflow-Organization-Categorized-By: ex01.contoso.test\r\nSubject: x\r\n");
        assertEquals("Subject: x\r\n",
            new String(HeaderFirewall.withoutOrganizationHeaders(in).content(), StandardCharsets.UTF_8));
    }

    @Test
    void namesAreMatchedByPrefixOnly() {
        assertTrue(OrganizationHeaders.isOrganizationHeader("X-MS-Exchange-Organization-SCL"));
        assertTrue(OrganizationHeaders.isOrganizationHeader(OrganizationHeaders.CATEGORIZED_BY));
        assertFalse(OrganizationHeaders.isOrganizationHeader("X-MS-Exchange-Organizational-Unit"));
        assertFalse(OrganizationHeaders.isOrganizationHeader("X-Mailflow-Trace"));
    }
}
