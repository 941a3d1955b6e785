package io.mailflow.core.organization;

import io.mailflow.core.params.ByteSize;
import io.mailflow.core.params.ParamException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TransportRule: the TransportRules list in HOCON, its problems, the parameter table, priorities. */
class TransportRuleTest {

    private static final String BASE = """
        Organization { Name = "Contoso" }
        AcceptedDomains = [ { DomainName = "contoso.test" } ]
        Servers = [ { Name = EX01, Fqdn = "ex01.contoso.test" } ]
        MailboxDatabases = [ { Name = DB01, Server = EX01 } ]
        Mailboxes = [ { Name = "Kate Smith", Alias = kate, Database = DB01 } ]
        DistributionGroups = [ { Name = Sales, Alias = sales, Members = [kate] } ]
        """;

    private static List<String> problems(String rules) {
        OrganizationConfigException e = assertThrows(OrganizationConfigException.class,
            () -> OrganizationLoader.parse(BASE + rules, "org.conf"));
        return List.of(e.getMessage().split("\n"));
    }

    @Test
    void rulesLoadInPriorityOrderNumberedFromZero() {
        Organization org = OrganizationLoader.parse(BASE + """
            TransportRules = [
              { Name = "Tag external", FromScope = NotInOrganization, PrependSubject = "[EXT] ", State = Disabled,
                Comments = "Tags mail from outside" }
              { Name = "Large to Sales", Priority = 5, SentToMemberOf = [Sales], MessageSizeOver = 10MB,
                ExceptIfSubjectContainsWords = ["press release", urgent], SetHeaderName = X-Large, SetHeaderValue = yes }
              { Name = "First", Priority = 0, RejectMessageReasonText = "No", Mode = Audit }
            ]
            """, "org.conf");
        assertEquals(List.of("First", "Large to Sales", "Tag external"),
            org.transportRules().stream().map(TransportRule::name).toList());
        assertEquals(List.of(0, 1, 2), org.transportRules().stream().map(TransportRule::priority).toList());
        TransportRule large = org.transportRules().get(1);
        assertEquals(ByteSize.ofMegabytes(10), large.conditions().messageSizeOver());
        assertEquals(List.of("press release", "urgent"), large.exceptions().subjectContainsWords());
        assertTrue(large.conditions().hasRecipientPredicates());
        TransportRule tag = org.transportRules().get(2);
        assertEquals(TransportRule.State.Disabled, tag.state());
        assertEquals("[EXT]", tag.actions().prependSubject(), "values are trimmed; the engine adds the space back");
        assertEquals(TransportRule.Mode.Audit, org.transportRules().get(0).mode());
        assertEquals("550 5.7.1 No", org.transportRules().get(0).actions().rejectStatusLine());
    }

    @Test
    void theDemoOrganizationsRulesAreHarmless() {
        List<TransportRule> demo = OrganizationLoader.loadResource("mailflow/demo-organization.conf").transportRules();
        assertEquals(List.of("Tag external mail", "Large mail to all staff"), demo.stream().map(TransportRule::name).toList());
        assertTrue(demo.stream().noneMatch(r -> r.isEnabled() && r.enforces()), "disabled or audit only");
    }

    @Test
    void withoutTheListThereAreNoRules() {
        assertEquals(List.of(), OrganizationLoader.parse(BASE, "org.conf").transportRules());
    }

    @Test
    void problemsNameTheFileLineAndKey() {
        assertEquals(List.of(
                "org.conf:8: TransportRules[0].SubjectContainWords: unknown key SubjectContainWords; did you mean SubjectContainsWords?",
                "org.conf:8: TransportRules[0].MessageSizeOver: 'big' is not a size such as 10MB, 256KB or 65536",
                "org.conf:9: TransportRules[1].Name: transport rule a is given twice (line 8)",
                "org.conf:9: TransportRules[1].RejectMessageEnhancedStatusCode: '5.1.1' is not 5.7.1 or a code from 5.7.900 through 5.7.999",
                "org.conf:10: TransportRules[2].Name: Name is required",
                "org.conf:10: TransportRules[2].FromScope: 'Outside' is not one of InOrganization, NotInOrganization",
                "org.conf:11: TransportRules[3].HeaderMatchesPatterns[0]: '(' is not a regular expression: Unclosed group",
                "org.conf:12: TransportRules[4].SentToMemberOf: Couldn't find object \"Marketing\". Please make sure that it "
                    + "was spelled correctly or specify a different object.",
                "org.conf:13: TransportRules[5].SentTo: 'Sales' is a distribution group; SentTo takes mailboxes (use "
                    + "SentToMemberOf for the members of a group)",
                "org.conf:14: TransportRules[6].SetHeaderName: SetHeaderName and SetHeaderValue are used together; "
                    + "SetHeaderValue is missing",
                "org.conf:15: TransportRules[7].ApplyHtmlDisclaimerLocation: ApplyHtmlDisclaimerLocation needs "
                    + "ApplyHtmlDisclaimerText",
                "org.conf:16: TransportRules[8].BlindCopyTo[0]: 'Ann Other@contoso.test' is not an SMTP address such as kate@contoso.test"),
            problems("""
                TransportRules = [
                  { Name = A, SubjectContainWords = [x], MessageSizeOver = big }
                  { Name = a, RejectMessageEnhancedStatusCode = "5.1.1" }
                  { FromScope = Outside }
                  { Name = C, HeaderMatchesMessageHeader = X-A, HeaderMatchesPatterns = ["("] }
                  { Name = D, SentToMemberOf = [Marketing] }
                  { Name = E, SentTo = [Sales] }
                  { Name = F, SetHeaderName = X-A }
                  { Name = G, ApplyHtmlDisclaimerLocation = Prepend }
                  { Name = H, BlindCopyTo = ["Ann Other@contoso.test"] }
                ]
                """));
    }

    @Test
    void setChangesSomeParametersOrNone() {
        TransportRule rule = TransportRule.named("R", 0);
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("subjectcontainswords", "\"Press Release\",Urgent");
        changes.put("PrependSubject", "'[PR] '");
        changes.put("Mode", "AuditAndNotify");
        TransportRule changed = TransportRuleParameters.set(rule, changes);
        assertEquals(List.of("Press Release", "Urgent"), changed.conditions().subjectContainsWords());
        assertEquals(TransportRule.Mode.AuditAndNotify, changed.mode());
        ParamException e = assertThrows(ParamException.class, () -> TransportRuleParameters.set(changed,
            Map.of("Mode", "Loud", "ExceptIfFromm", "x")));
        assertEquals(List.of("ExceptIfFromm: unknown parameter ExceptIfFromm; did you mean ExceptIfFrom?",
                "Mode: 'Loud' is not one of Audit, AuditAndNotify, Enforce"),
            e.problems().stream().map(p -> p.render()).sorted().toList());
        assertEquals("ActivationDate: ActivationDate is an Exchange parameter that Mailflow does not implement",
            assertThrows(ParamException.class, () -> TransportRuleParameters.set(changed, Map.of("ActivationDate", "x")))
                .getMessage());
        assertNull(TransportRuleParameters.set(changed, Map.of("PrependSubject", "$null")).actions().prependSubject());
    }

    @Test
    void formatListPrintsExchangeForms() {
        TransportRule rule = TransportRuleParameters.set(TransportRule.named("Big", 3),
            Map.of("MessageSizeOver", "10MB", "SentTo", "kate,\"chris@contoso.test\""));
        Map<String, String> shown = TransportRuleParameters.toDisplay(rule);
        assertEquals("10 MB (10,485,760 bytes)", shown.get("MessageSizeOver"));
        assertEquals("{kate, chris@contoso.test}", shown.get("SentTo"));
        assertEquals("Enabled", shown.get("State"));
        assertEquals("Enforce", shown.get("Mode"));
        assertEquals("3", shown.get("Priority"));
        assertEquals(List.of("Name", "Priority", "State", "Mode", "Comments"),
            shown.keySet().stream().limit(5).toList());
    }

    @Test
    void placingARuleMovesTheOthersDown() {
        List<TransportRule> rules = TransportRuleParameters.normalise(List.of(
            TransportRule.named("A", 0), TransportRule.named("B", 1), TransportRule.named("C", 2)));
        List<TransportRule> placed = TransportRuleParameters.place(rules.subList(0, 2), rules.get(2).withPriority(0), 0);
        assertEquals(List.of("C", "A", "B"), placed.stream().map(TransportRule::name).toList());
        assertEquals(List.of(0, 1, 2), placed.stream().map(TransportRule::priority).toList());
    }
}
