package io.mailflow.server.admin.queues;

import io.mailflow.server.admin.shell.ShellObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OPath -Filter parser and its comparisons, over objects shaped like Get-Queue's and Get-Message's. */
class OPathFilterTest {
    private static final List<String> PROPERTIES = List.of("Identity", "Status", "MessageCount", "NextHopDomain",
        "LastError", "DateReceived", "Size", "Recipients", "Velocity");

    private static final ShellObject RETRY_QUEUE = ShellObject.builder("Queue")
        .property("Identity", "EX01\\4").property("Status", "Retry").property("MessageCount", 12)
        .property("NextHopDomain", "contoso.com").property("LastError", "451 4.4.0 DNS query failed")
        .property("DateReceived", "1/15/2026 9:03:12 AM").property("Size", "6.5 KB (6,656 bytes)")
        .property("Recipients", List.of("erin@contoso.com;Retry;", "frank@contoso.com;Ready;"))
        .property("Velocity", "-0.25")
        .build();

    private static final ShellObject READY_QUEUE = ShellObject.builder("Queue")
        .property("Identity", "EX01\\5").property("Status", "Ready").property("MessageCount", 9)
        .property("NextHopDomain", "smarthost01.fabrikam.com").property("LastError", null)
        .property("DateReceived", "1/16/2026 10:00:00 PM").property("Size", "1.5 MB (1,572,864 bytes)")
        .property("Recipients", List.of()).property("Velocity", "0")
        .build();

    private static boolean matches(String filter, ShellObject object) {
        return OPathFilter.parse(filter, PROPERTIES).matches(object);
    }

    private static String error(String filter) {
        return assertThrows(IllegalArgumentException.class, () -> OPathFilter.parse(filter, PROPERTIES)).getMessage();
    }

    @Test
    void equalityIgnoresCaseOfNamesAndValues() {
        assertTrue(matches("status -eq 'retry'", RETRY_QUEUE));
        assertTrue(matches("Status -EQ Retry", RETRY_QUEUE));
        assertFalse(matches("Status -eq 'Retry'", READY_QUEUE));
        assertTrue(matches("Status -ne \"Retry\"", READY_QUEUE));
    }

    @Test
    void numbersCompareAsNumbersNotText() {
        assertTrue(matches("MessageCount -gt 10", RETRY_QUEUE));
        assertFalse(matches("MessageCount -gt 10", READY_QUEUE));
        assertTrue(matches("MessageCount -ge 12", RETRY_QUEUE));
        assertTrue(matches("MessageCount -le 9", READY_QUEUE));
        assertTrue(matches("Velocity -lt 0", RETRY_QUEUE));
        assertTrue(matches("MessageCount -eq 12.0", RETRY_QUEUE));
    }

    @Test
    void datesCompareAsDatesInEitherForm() {
        assertTrue(matches("DateReceived -lt '1/16/2026'", RETRY_QUEUE));
        assertFalse(matches("DateReceived -lt '1/16/2026'", READY_QUEUE));
        assertTrue(matches("DateReceived -gt '2026-01-16 12:00'", READY_QUEUE));
        assertTrue(matches("DateReceived -eq '2026-01-15T09:03:12Z'", RETRY_QUEUE));
    }

    @Test
    void sizesCompareAsBytes() {
        assertTrue(matches("Size -gt 1MB", READY_QUEUE));
        assertFalse(matches("Size -gt 1MB", RETRY_QUEUE));
        assertTrue(matches("Size -eq 6656", RETRY_QUEUE));
    }

    @Test
    void likeTakesPowerShellWildcards() {
        assertTrue(matches("NextHopDomain -like '*.FABRIKAM.com'", READY_QUEUE));
        assertTrue(matches("NextHopDomain -like 'contos?.com'", RETRY_QUEUE));
        assertTrue(matches("Identity -like 'EX01\\[3-5]'", RETRY_QUEUE));
        assertTrue(matches("NextHopDomain -notlike '*.fabrikam.com'", RETRY_QUEUE));
        assertFalse(matches("NextHopDomain -like 'contoso'", RETRY_QUEUE));
    }

    @Test
    void containsLooksInsideListsAndStrings() {
        assertTrue(matches("Recipients -contains 'frank@contoso.com'", RETRY_QUEUE));
        assertFalse(matches("Recipients -contains 'frank@contoso.com'", READY_QUEUE));
        assertTrue(matches("LastError -contains 'dns query'", RETRY_QUEUE));
    }

    @Test
    void nullMeansEmpty() {
        assertTrue(matches("LastError -eq $null", READY_QUEUE));
        assertTrue(matches("LastError -ne $null", RETRY_QUEUE));
        assertFalse(matches("LastError -gt 'a'", READY_QUEUE));
    }

    @Test
    void andOrNotAndParentheses() {
        assertTrue(matches("Status -eq 'Retry' -and MessageCount -gt 10", RETRY_QUEUE));
        assertFalse(matches("Status -eq 'Retry' -and MessageCount -gt 20", RETRY_QUEUE));
        assertTrue(matches("Status -eq 'Ready' -or MessageCount -gt 10", RETRY_QUEUE));
        assertTrue(matches("-not Status -eq 'Ready'", RETRY_QUEUE));
        assertTrue(matches("-not (Status -eq 'Ready' -or MessageCount -lt 5)", RETRY_QUEUE));
        assertTrue(matches("(Status -eq 'Ready') -or ((MessageCount -gt 10) -and (Velocity -lt 0))", RETRY_QUEUE));
    }

    @Test
    void andAndOrBindLeftToRightAsInPowerShell() {
        // (Ready -or Retry) -and MessageCount -gt 10: false for the Ready queue with 9 messages.
        assertFalse(matches("Status -eq 'Ready' -or Status -eq 'Retry' -and MessageCount -gt 10", READY_QUEUE));
        assertTrue(matches("Status -eq 'Ready' -or (Status -eq 'Retry' -and MessageCount -gt 10)", READY_QUEUE));
    }

    @Test
    void doubledQuotesStandForOne() {
        ShellObject o = ShellObject.builder("Queue").property("NextHopDomain", "it's").build();
        assertTrue(OPathFilter.parse("NextHopDomain -eq 'it''s'", PROPERTIES).matches(o));
    }

    @Test
    void syntaxErrorsSayWhere() {
        String help = " For a description of the filter parameter syntax see the command help.";
        assertEquals("Invalid filter syntax." + help + " \"Status -eqq 'Retry'\" at position 8.", error("Status -eqq 'Retry'"));
        assertEquals("Invalid filter syntax." + help + " \"Status -eq\" at position 11.", error("Status -eq"));
        assertEquals("Invalid filter syntax." + help + " \"Status -eq 'Retry\" at position 12.", error("Status -eq 'Retry"));
        assertEquals("Invalid filter syntax." + help + " \"(Status -eq Retry\" at position 18.", error("(Status -eq Retry"));
        assertEquals("Invalid filter syntax." + help + " \"Status -eq Retry)\" at position 17.", error("Status -eq Retry)"));
        assertEquals("Invalid filter syntax." + help + " \"Status -eq Retry -and\" at position 22.", error("Status -eq Retry -and"));
        assertEquals("Invalid filter syntax." + help + " \"Status Retry\" at position 8.", error("Status Retry"));
        assertEquals("Invalid filter syntax." + help + " \"'Retry' -eq Status\" at position 1.", error("'Retry' -eq Status"));
        assertEquals("Invalid filter syntax." + help + " \"\" at position 1.", error(""));
    }

    @Test
    void unknownPropertiesAreNamed() {
        assertEquals("\"Colour\" is not a recognized filterable property. For a description of the filter parameter "
            + "syntax see the command help. \"Status -eq 'Retry' -and Colour -eq 'Red'\" at position 25.",
            error("Status -eq 'Retry' -and Colour -eq 'Red'"));
    }
}
