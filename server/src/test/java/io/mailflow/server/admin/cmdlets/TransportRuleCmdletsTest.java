package io.mailflow.server.admin.cmdlets;

import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.OrganizationLoader;
import io.mailflow.core.organization.TransportRule;
import io.mailflow.core.time.ManualClock;
import io.mailflow.server.admin.AdminApi;
import io.mailflow.server.admin.ManagementShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport rule cmdlets through the Exchange Management Shell, with the journal and its replay. */
class TransportRuleCmdletsTest {
    private static final Organization ORG = OrganizationLoader.parse("""
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test" } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [ { Name = "Kate Smith", Alias = kate, Database = DB01 } ]
        DistributionGroups = [ { Name = Sales, Alias = sales, Members = [kate] } ]
        ReceiveConnectors { DefaultConnectors = false }
        """, "org.conf");

    @TempDir
    Path data;

    private final ManualClock clock = ManualClock.atEpoch();
    private final OrganizationStore store = OrganizationStore.inMemory(ORG, "EX01");

    private ManagementShell shell() {
        return new ManagementShell(store, new ConfigurationJournal(data), null, clock);
    }

    private static String ok(ManagementShell shell, String line) {
        AdminApi.CommandRunner.Result result = shell.run(line);
        assertTrue(result.success(), line + "\n" + result.text());
        return result.text();
    }

    private static String failing(ManagementShell shell, String line) {
        AdminApi.CommandRunner.Result result = shell.run(line);
        assertFalse(result.success(), line + "\n" + result.text());
        return result.text();
    }

    private List<String> names() {
        return store.organization().transportRules().stream().map(TransportRule::name).toList();
    }

    @Test
    void newGetSetRemoveAndTheListView() {
        ManagementShell shell = shell();
        ok(shell, "New-TransportRule \"Tag external\" -FromScope NotInOrganization -PrependSubject '[EXT] ' "
            + "-Comments 'Subject tag' -Enabled $false");
        ok(shell, "New-TransportRule Stop -SentToMemberOf Sales -SubjectContainsWords \"Press Release\",Urgent "
            + "-RejectMessageReasonText 'Not today' -Priority 0 -Mode Audit");
        assertEquals(List.of("Stop", "Tag external"), names());
        String table = ok(shell, "Get-TransportRule");
        assertEquals("""

            Name         State    Mode    Priority Comments
            ----         -----    ----    -------- --------
            Stop         Enabled  Audit   0
            Tag external Disabled Enforce 1        Subject tag

            """, table);
        String list = ok(shell, "Get-TransportRule Stop | fl SubjectContainsWords,RejectMessageReasonText,SentToMemberOf");
        assertTrue(list.contains("SubjectContainsWords    : {Press Release, Urgent}"), list);
        assertTrue(list.contains("SentToMemberOf          : {Sales}"), list);

        ok(shell, "Set-TransportRule 'Tag external' -Priority 0 -Name 'Tag outside' -ExceptIfFrom kate");
        assertEquals(List.of("Tag outside", "Stop"), names());
        TransportRule tag = store.organization().transportRules().get(0);
        assertEquals(List.of("kate"), tag.exceptions().from());
        assertEquals(0, tag.priority());
        ok(shell, "Enable-TransportRule 'Tag outside'");
        assertTrue(store.organization().transportRules().get(0).isEnabled());
        ok(shell, "Disable-TransportRule 'Tag outside'");
        assertFalse(store.organization().transportRules().get(0).isEnabled());
        ok(shell, "Set-TransportRule Stop -RejectMessageReasonText $null -PrependSubject 'x'");
        assertEquals("x", store.organization().transportRules().get(1).actions().prependSubject());
        ok(shell, "Get-TransportRule Stop | Remove-TransportRule -Confirm:$false");
        assertEquals(List.of("Tag outside"), names());
    }

    @Test
    void mistakesAreRefusedInExchangesWords() {
        ManagementShell shell = shell();
        ok(shell, "New-TransportRule A -PrependSubject x");
        assertTrue(failing(shell, "Get-TransportRule Nope").contains(
            "The operation couldn't be performed because object 'Nope' couldn't be found."));
        assertTrue(failing(shell, "New-TransportRule a -PrependSubject y").contains("Transport rule 'a' already exists."));
        assertTrue(failing(shell, "New-TransportRule B -SentToMemberOf Marketing").contains(
            "Couldn't find object \"Marketing\". Please make sure that it was spelled correctly or specify a different object."));
        assertTrue(failing(shell, "New-TransportRule B -RejectMessageEnhancedStatusCode 5.7.2").contains(
            "'5.7.2' is not 5.7.1 or a code from 5.7.900 through 5.7.999"));
        assertTrue(failing(shell, "New-TransportRule B -MessageSizeOvr 10MB").contains("MessageSizeOver"));
        assertTrue(failing(shell, "New-TransportRule B -PrependSubject y -Priority 5").contains(
            "The priority must be between 0 and 1."));
        assertTrue(failing(shell, "Set-TransportRule A -SetHeaderName X-Tag").contains(
            "SetHeaderName and SetHeaderValue are used together"));
        assertEquals(List.of("A"), names());
    }

    @Test
    void theJournalReplaysOntoTheOrganizationFile() {
        ManagementShell shell = shell();
        ok(shell, "New-TransportRule 'Large mail' -MessageSizeOver 10MB -SetHeaderName X-Large -SetHeaderValue 'yes, big'");
        ok(shell, "New-TransportRule Disclaimer -ApplyHtmlDisclaimerText '<p>It''s confidential</p>' "
            + "-ApplyHtmlDisclaimerLocation Prepend -SubjectContainsWords 'a,b',c -Enabled $false");
        ok(shell, "Set-TransportRule Disclaimer -Priority 0 -Comments 'first'");
        ok(shell, "Enable-TransportRule Disclaimer");
        ok(shell, "New-TransportRule Gone -PrependSubject z");
        ok(shell, "Remove-TransportRule Gone -Confirm:$false");
        List<TransportRule> live = store.organization().transportRules();

        OrganizationStore fresh = OrganizationStore.inMemory(ORG, "EX01");
        List<String> failures = ManagementShell.replay(fresh, new ConfigurationJournal(data), clock);
        assertEquals(List.of(), failures);
        assertEquals(live, fresh.organization().transportRules());
        TransportRule disclaimer = live.get(0);
        assertEquals("<p>It's confidential</p>", disclaimer.actions().applyHtmlDisclaimerText());
        assertEquals(List.of("a,b", "c"), disclaimer.conditions().subjectContainsWords());
        assertEquals("yes, big", live.get(1).actions().setHeaderValue());
    }
}
