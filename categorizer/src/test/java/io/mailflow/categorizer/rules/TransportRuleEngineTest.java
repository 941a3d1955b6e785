package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.Organization;
import io.mailflow.core.organization.TransportRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.mailflow.categorizer.rules.RuleTestMessages.CHRIS;
import static io.mailflow.categorizer.rules.RuleTestMessages.KATE;
import static io.mailflow.categorizer.rules.RuleTestMessages.LEGAL;
import static io.mailflow.categorizer.rules.RuleTestMessages.LISA;
import static io.mailflow.categorizer.rules.RuleTestMessages.OUTSIDE;
import static io.mailflow.categorizer.rules.RuleTestMessages.all;
import static io.mailflow.categorizer.rules.RuleTestMessages.envelope;
import static io.mailflow.categorizer.rules.RuleTestMessages.message;
import static io.mailflow.categorizer.rules.RuleTestMessages.organization;
import static io.mailflow.categorizer.rules.RuleTestMessages.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mail flow rules: {@link TransportRuleEngine} over the test organization. Each condition, on and
 * off; exceptions; priority and StopRuleProcessing; per-recipient copies; Audit; recipient actions.
 */
class TransportRuleEngineTest {

    private static RuleOutcome run(String rules, MessageView message, String mailFrom, List<SmtpAddress> recipients) {
        Organization org = organization(rules);
        TransportRuleEngine engine = new TransportRuleEngine(org.transportRules(), new OrganizationRuleDirectory(org));
        return engine.evaluate(envelope(mailFrom, recipients.toArray(SmtpAddress[]::new)), message, recipients);
    }

    /** Whether a rule that prepends "[X] " applied to every recipient. */
    private static boolean tagged(String conditions, MessageView message) {
        RuleOutcome o = run("{ Name = T, PrependSubject = \"[X] \", " + conditions + " }", message, null, List.of(KATE));
        return !o.changesNothing();
    }

    @Test
    void senderConditionsReadTheFromFieldByDefault() {
        MessageView fromBob = simple("Bob <bob@fabrikam.example>", "hi");
        assertTrue(tagged("From = \"bob@fabrikam.example\"", fromBob));
        assertFalse(tagged("From = \"eve@fabrikam.example\"", fromBob));
        assertTrue(tagged("FromAddressContainsWords = [fabrikam]", fromBob));
        assertFalse(tagged("FromAddressContainsWords = [fab]", fromBob), "a word, not a part of one");
        assertTrue(tagged("SenderDomainIs = [\"FABRIKAM.example\"]", fromBob));
        assertFalse(tagged("SenderDomainIs = [\"example\"]", fromBob), "no subdomain matching");
        assertTrue(tagged("FromScope = NotInOrganization", fromBob));
        assertFalse(tagged("FromScope = InOrganization", fromBob));
    }

    @Test
    void fromNamesARecipientByNameAliasOrProxyAddress() {
        MessageView fromProxy = simple("k.smith@contoso.test", "hi");
        assertTrue(tagged("From = [Kate]", fromProxy));
        assertTrue(tagged("From = [kate]", fromProxy));
        assertTrue(tagged("From = [\"kate@contoso.test\"]", fromProxy));
        assertFalse(tagged("From = [Chris]", fromProxy));
        assertTrue(tagged("FromMemberOf = [\"All Staff\"]", fromProxy), "nested: Kate is in Sales, Sales in All Staff");
        assertFalse(tagged("FromMemberOf = [Sales]", simple("chris@contoso.test", "hi")));
        assertTrue(tagged("FromScope = InOrganization", fromProxy));
        assertTrue(tagged("FromScope = InOrganization", simple("nobody@partner.test", "hi")), "InternalRelay domain");
        assertFalse(tagged("FromScope = InOrganization", simple("nobody@relay.test", "hi")), "ExternalRelay domain");
    }

    @Test
    void senderAddressLocationChoosesHeaderOrEnvelope() {
        MessageView fromBob = simple("bob@fabrikam.example", "hi");
        String rule = "{ Name = T, PrependSubject = x, SenderDomainIs = [\"contoso.test\"], SenderAddressLocation = %s }";
        assertTrue(run(rule.formatted("Envelope"), fromBob, "kate@contoso.test", List.of(KATE)).copies().get(0)
            .rulesApplied().contains("T"));
        assertFalse(run(rule.formatted("Header"), fromBob, "kate@contoso.test", List.of(KATE)).copies().get(0)
            .rulesApplied().contains("T"));
        assertTrue(run(rule.formatted("HeaderOrEnvelope"), fromBob, "kate@contoso.test", List.of(KATE)).copies().get(0)
            .rulesApplied().contains("T"));
    }

    @Test
    void contentConditions() {
        MessageView m = message("""
            From: bob@fabrikam.example
            Subject: =?UTF-8?Q?Quarterly_r=C3=A9sultats?=
            X-Project: Falcon-7 launch
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/plain

            plain words
            --b
            Content-Type: text/html

            <html><body><p>Top <b>secret</b> plan</p></body></html>
            --b--
            """);
        assertTrue(tagged("SubjectContainsWords = [\"résultats\"]", m), "the Subject is decoded first");
        assertFalse(tagged("SubjectContainsWords = [secret]", m));
        assertTrue(tagged("SubjectOrBodyContainsWords = [\"secret plan\"]", m), "HTML matched without its tags");
        assertFalse(tagged("SubjectOrBodyContainsWords = [nothing]", m));
        assertTrue(tagged("HeaderContainsMessageHeader = X-Project, HeaderContainsWords = [launch]", m));
        assertFalse(tagged("HeaderContainsMessageHeader = X-Other, HeaderContainsWords = [launch]", m));
        assertTrue(tagged("HeaderMatchesMessageHeader = x-project, HeaderMatchesPatterns = [\"falcon-[0-9]+\"]", m),
            "patterns ignore case, as Exchange's do");
        assertFalse(tagged("HeaderMatchesMessageHeader = X-Project, HeaderMatchesPatterns = [\"^launch\"]", m));
    }

    @Test
    void sizeConditionsAreGreaterThanOrEqual() {
        MessageView m = message("""
            From: bob@fabrikam.example
            Subject: report
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            see attached
            --b
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename="data.bin"
            Content-Transfer-Encoding: base64

            AAECAwQFBgcICQ==
            --b--
            """);
        assertTrue(tagged("AttachmentSizeOver = 10B", m), "the decoded attachment is exactly 10 bytes");
        assertFalse(tagged("AttachmentSizeOver = 11B", m));
        assertTrue(tagged("AttachmentSizeOver = 0", m), "0: any attachment at all");
        assertFalse(tagged("AttachmentSizeOver = 0", simple("bob@fabrikam.example", "no attachment")));
        assertTrue(tagged("MessageSizeOver = " + m.size() + "B", m));
        assertFalse(tagged("MessageSizeOver = 1MB", m));
    }

    @Test
    void aMultiValuedConditionMatchesAnyValueAndAllConditionsMustMatch() {
        MessageView m = simple("bob@fabrikam.example", "Invoice due");
        assertTrue(tagged("SubjectContainsWords = [receipt, invoice]", m));
        assertFalse(tagged("SubjectContainsWords = [invoice], FromScope = InOrganization", m));
    }

    @Test
    void anyExceptionStopsTheRule() {
        MessageView m = simple("bob@fabrikam.example", "Press release");
        assertFalse(tagged("FromScope = NotInOrganization, ExceptIfSubjectContainsWords = [press]", m));
        assertFalse(tagged("ExceptIfFrom = [\"bob@fabrikam.example\"], ExceptIfSubjectContainsWords = [nothing]", m));
        assertTrue(tagged("FromScope = NotInOrganization, ExceptIfFrom = [kate]", m));
    }

    @Test
    void recipientConditionsSplitTheRecipientsIntoCopies() {
        RuleOutcome o = run("""
            { Name = "Tag Sales", SentToMemberOf = [Sales], PrependSubject = "[Sales] " }
            { Name = "Tag all", PrependSubject = "[All] " }
            { Name = "Header outside", SentToScope = NotInOrganization, SetHeaderName = X-Outside, SetHeaderValue = yes }
            """, simple("chris@contoso.test", "hi"), null, List.of(KATE, CHRIS, OUTSIDE, LISA));
        assertEquals(3, o.copies().size());
        RuleOutcome.Copy sales = o.copies().get(0);
        assertEquals(List.of(KATE), sales.recipients());
        assertEquals(List.of(new ContentEdits.PrependSubject("[Sales] "), new ContentEdits.PrependSubject("[All] ")),
            sales.edits().edits());
        assertEquals(List.of("Tag Sales", "Tag all"), sales.rulesApplied());
        assertEquals(List.of(CHRIS, LISA), o.copies().get(1).recipients(), "same actions, one copy");
        assertEquals(List.of(OUTSIDE), o.copies().get(2).recipients());
        assertEquals(new ContentEdits.SetHeader("X-Outside", "yes"), o.copies().get(2).edits().edits().get(1));
    }

    @Test
    void sentToAndRecipientDomainIsMatchPerRecipient() {
        RuleOutcome o = run("""
            { Name = A, SentTo = [kate, "bob@fabrikam.example"], PrependSubject = "a " }
            { Name = B, RecipientDomainIs = ["contoso.test"], ExceptIfSentTo = [lisa], PrependSubject = "b " }
            { Name = C, SentToScope = ExternalPartner, PrependSubject = "c " }
            """, simple("chris@contoso.test", "hi"), null, List.of(KATE, LISA, OUTSIDE));
        assertEquals(List.of("A", "B"), o.copies().get(0).rulesApplied());
        assertEquals(List.of(LISA), o.copies().get(1).recipients());
        assertTrue(o.copies().get(1).isUnchanged());
        assertEquals(List.of("A", "C"), o.copies().get(2).rulesApplied(), "ExternalPartner counts as outside");
    }

    @Test
    void priorityOrdersTheRulesAndStopRuleProcessingEndsThemForThoseRecipients() {
        RuleOutcome o = run("""
            { Name = Second, Priority = 1, PrependSubject = "2 " }
            { Name = First, Priority = 0, SentTo = [kate], PrependSubject = "1 ", StopRuleProcessing = true }
            { Name = Disabled, State = Disabled, PrependSubject = "never " }
            """, simple("chris@contoso.test", "hi"), null, List.of(KATE, CHRIS));
        assertEquals(List.of("First"), o.copies().get(0).rulesApplied());
        assertEquals(List.of(KATE), o.copies().get(0).recipients());
        assertEquals(List.of("Second"), o.copies().get(1).rulesApplied());
    }

    @Test
    void auditModesReportButDoNotAct() {
        RuleOutcome o = run("""
            { Name = Watch, Mode = Audit, SubjectContainsWords = [hi], RejectMessageReasonText = "No", StopRuleProcessing = true }
            { Name = Notify, Mode = AuditAndNotify, PrependSubject = "[A] " }
            { Name = Real, PrependSubject = "[E] " }
            """, simple("chris@contoso.test", "hi"), null, List.of(KATE));
        RuleOutcome.Copy copy = o.copies().get(0);
        assertFalse(copy.isRejected());
        assertEquals(List.of("Real"), copy.rulesApplied(), "Audit's StopRuleProcessing is not taken either");
        assertEquals(List.of(new ContentEdits.PrependSubject("[E] ")), copy.edits().edits());
        assertEquals(List.of(
                new RuleOutcome.AgentInfo("Watch", TransportRule.Mode.Audit, "RejectMessage", List.of(KATE)),
                new RuleOutcome.AgentInfo("Watch", TransportRule.Mode.Audit, "StopRuleProcessing", List.of(KATE)),
                new RuleOutcome.AgentInfo("Notify", TransportRule.Mode.AuditAndNotify, "PrependSubject", List.of(KATE)),
                new RuleOutcome.AgentInfo("Real", TransportRule.Mode.Enforce, "PrependSubject", List.of(KATE))),
            o.agentInfo());
        assertEquals("TRA=ETR|ruleName=Real|action=PrependSubject|mode=Enforce", o.agentInfo().get(3).sourceContext());
    }

    @Test
    void redirectReplacesTheRecipientAndBlindCopyAdds() {
        RuleOutcome o = run("""
            { Name = Redirect, SentTo = [kate], RedirectMessageTo = [Legal] }
            { Name = Copy, BlindCopyTo = ["audit@fabrikam.example"], AddToRecipients = [lisa] }
            """, simple("chris@contoso.test", "hi"), null, List.of(KATE, CHRIS));
        RuleOutcome.Copy kate = o.copies().get(0);
        assertEquals(List.of(LEGAL), kate.redirectTo());
        assertEquals(List.of(LEGAL, LISA, SmtpAddress.of("audit@fabrikam.example")), kate.deliverTo());
        RuleOutcome.Copy chris = o.copies().get(1);
        assertEquals(List.of(CHRIS, LISA, SmtpAddress.of("audit@fabrikam.example")), chris.deliverTo());
        assertEquals(List.of(new ContentEdits.AddToRecipients(List.of(LISA))), chris.edits().edits());
    }

    @Test
    void rejectionGivesTheStatusLineAndEndsRuleProcessing() {
        RuleOutcome o = run("""
            { Name = Block, FromScope = NotInOrganization, SentTo = [kate], RejectMessageReasonText = "Not from outside", RejectMessageEnhancedStatusCode = "5.7.901" }
            { Name = Default, SentTo = [chris], RejectMessageEnhancedStatusCode = "5.7.1" }
            { Name = Later, PrependSubject = "x " }
            """, simple("bob@fabrikam.example", "hi"), null, List.of(KATE, CHRIS, LISA));
        assertEquals(Optional.of("550 5.7.901 Not from outside"), o.copies().get(0).rejection());
        assertEquals(List.of("Block"), o.copies().get(0).rulesApplied());
        assertEquals(Optional.of("550 5.7.1 Delivery not authorized, message refused"), o.copies().get(1).rejection());
        assertEquals(List.of(), o.copies().get(1).deliverTo());
        assertEquals(List.of(LISA), o.delivered().get(0).recipients());
    }

    @Test
    void aSignedMessageTakesTheDisclaimerFallback() {
        MessageView signed = message("""
            From: chris@contoso.test
            Subject: signed
            MIME-Version: 1.0
            Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary=s

            --s
            Content-Type: text/plain

            body
            --s
            Content-Type: application/pkcs7-signature

            AAAA
            --s--
            """);
        String rule = "{ Name = D, ApplyHtmlDisclaimerText = \"<p>Confidential</p>\", ApplyHtmlDisclaimerFallbackAction = %s }";
        assertEquals(Optional.of("550 5.7.1 Delivery not authorized, message refused"),
            run(rule.formatted("Reject"), signed, null, List.of(KATE)).copies().get(0).rejection());
        RuleOutcome ignored = run(rule.formatted("Ignore"), signed, null, List.of(KATE));
        assertTrue(ignored.copies().get(0).edits().isEmpty());
        assertEquals("ApplyHtmlDisclaimer:Ignore", ignored.agentInfo().get(0).action());
        RuleOutcome wrapped = run(rule.formatted("Wrap"), signed, null, List.of(KATE));
        assertEquals(List.of(new ContentEdits.ApplyDisclaimer("<p>Confidential</p>", TransportRule.DisclaimerLocation.Append,
            TransportRule.DisclaimerFallbackAction.Wrap)), wrapped.copies().get(0).edits().edits());
    }

    @Test
    void noRulesMeansOneUnchangedCopy() {
        RuleOutcome o = run("", simple("chris@contoso.test", "hi"), null, all());
        assertEquals(1, o.copies().size());
        assertEquals(all(), o.copies().get(0).recipients());
        assertEquals(ContentEdits.NONE, o.copies().get(0).edits());
        assertTrue(o.changesNothing());
    }
}
