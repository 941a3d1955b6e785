package io.mailflow.server.admin.queues;

import io.mailflow.server.admin.shell.CmdletRegistry;
import io.mailflow.server.admin.shell.ErrorCategory;
import io.mailflow.server.admin.shell.ShellResult;
import io.mailflow.server.admin.shell.ShellSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue viewer cmdlets end to end in the shell, over {@link FakeQueueViewer}. */
class QueueCmdletsTest {
    private final FakeQueueViewer viewer = new FakeQueueViewer();
    private final ShellSession shell = session(viewer);

    private static ShellSession session(QueueViewer viewer) {
        CmdletRegistry registry = CmdletRegistry.withBuiltins();
        new QueueCmdlets(viewer).cmdlets().forEach(registry::register);
        return new ShellSession(registry);
    }

    private ShellResult ok(String line) {
        ShellResult result = shell.execute(line);
        assertTrue(result.success(), result.output());
        return result;
    }

    private ShellResult failing(String line) {
        ShellResult result = shell.execute(line);
        assertFalse(result.success(), result.output());
        return result;
    }

    /** The identities in the first column of a table. */
    private static List<String> identities(String output) {
        return Arrays.stream(output.split("\n")).filter(l -> l.startsWith("EX01\\")).map(l -> l.split(" ")[0]).toList();
    }

    private MessageInfo.Status status(String message) {
        return viewer.find(message).status();
    }

    private QueueInfo.Status queueStatus(String queue) {
        return viewer.queues().stream().filter(q -> q.identity().equals(queue)).findFirst().orElseThrow().status();
    }

    // ---- Get-Queue ---------------------------------------------------------------------------------

    @Test
    void getQueueShowsExchangesDefaultTable() {
        assertEquals("""

            Identity         DeliveryType            Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain
            --------         ------------            ------ ------------ -------- --------- -------------- -------------
            EX01\\3           SmtpDeliveryToMailbox   Active 2            0.5      Normal    0              mailbox database 0471...
            EX01\\4           DnsConnectorDelivery    Retry  6            -0.25    Normal    0              contoso.com
            EX01\\5           SmartHostConnectorDe... Ready  0            0        Normal    0              smarthost01.fabrikam.com
            EX01\\Submission  Undefined               Ready  0            0        Normal    0              Submission
            EX01\\Unreachable Unreachable             Ready  1            0        Normal    0              Unreachable Domain

            """, ok("Get-Queue").output());
    }

    @Test
    void getQueueFormatListShowsEveryProperty() {
        assertEquals("""

            DeliveryType         : DnsConnectorDelivery
            NextHopDomain        : contoso.com
            NextHopConnector     : 5d0c2a7e-1b44-4c3a-8a66-2e9f0b7d4c12
            Status               : Retry
            MessageCount         : 6
            LastError            : 451 4.4.0 DNS query failed. The error was: DNS query failed with error ErrorRetry
            RetryCount           : 7
            LastRetryTime        : 1/15/2026 9:23:12 AM
            NextRetryTime        : 1/15/2026 9:33:12 AM
            FirstRetryTime       : 1/15/2026 9:04:12 AM
            DeferredMessageCount : 0
            RiskLevel            : Normal
            OutboundIPPool       : 0
            NextHopCategory      : External
            IncomingRate         : 0.25
            OutgoingRate         : 0
            Velocity             : -0.25
            Identity             : EX01\\4

            """, ok("Get-Queue EX01\\4 | fl").output());
    }

    @Test
    void queuesAreFoundByIntegerNameOrNextHopDomainWithOrWithoutTheServer() {
        assertEquals(List.of("EX01\\4"), identities(ok("Get-Queue 4").output()));
        assertEquals(List.of("EX01\\4"), identities(ok("Get-Queue EX01\\contoso.com").output()));
        assertEquals(List.of("EX01\\Submission"), identities(ok("Get-Queue -Identity submission").output()));
    }

    @Test
    void theFilterPicksQueues() {
        assertEquals(List.of("EX01\\4"), identities(ok("Get-Queue -Filter \"MessageCount -gt 5\"").output()));
        assertEquals(List.of("EX01\\5"), identities(ok("Get-Queue -Filter \"NextHopDomain -like '*.fabrikam.com'\"").output()));
        assertEquals(List.of("EX01\\3", "EX01\\4"),
            identities(ok("Get-Queue -Filter {Status -eq 'Active' -or Status -eq 'Retry'}").output()));
        assertEquals(List.of("EX01\\4"),
            identities(ok("Get-Queue -Server EX01 -Filter \"Status -eq 'Retry' -and LastError -ne $null\"").output()));
    }

    @Test
    void includeAndExcludeTakeCategoriesAndDeliveryTypes() {
        assertEquals(List.of("EX01\\4", "EX01\\5"), identities(ok("Get-Queue -Exclude Internal").output()));
        assertEquals(List.of("EX01\\4", "EX01\\5"), identities(ok("Get-Queue -Include External").output()));
        assertEquals(List.of("EX01\\3", "EX01\\4"),
            identities(ok("Get-Queue -Include SmtpDeliveryToMailbox,DnsConnectorDelivery").output()));
        assertTrue(failing("Get-Queue -Include Mailboxes").output().startsWith("Get-Queue : Cannot bind parameter "
            + "'Include'. Cannot convert value \"Mailboxes\" to type \"Microsoft.Exchange.Data.QueueViewer."
            + "QueueViewerIncludesAndExcludes\"."));
    }

    @Test
    void sortOrderAndResultSize() {
        assertEquals(List.of("EX01\\4", "EX01\\3", "EX01\\Unreachable", "EX01\\5", "EX01\\Submission"),
            identities(ok("Get-Queue -SortOrder:-MessageCount").output()));
        assertEquals(List.of("EX01\\Submission", "EX01\\5", "EX01\\Unreachable", "EX01\\3", "EX01\\4"),
            identities(ok("Get-Queue -SortOrder +MessageCount,-Identity").output()));
        ShellResult limited = ok("Get-Queue -ResultSize 2");
        assertEquals(List.of("EX01\\3", "EX01\\4"), identities(limited.output()));
        assertTrue(limited.output().startsWith("WARNING: There are more results available than are currently displayed. "
            + "To view them, increase the value for the ResultSize parameter.\n"), limited.output());
        assertEquals(5, identities(ok("Get-Queue -ResultSize Unlimited").output()).size());
        assertTrue(failing("Get-Queue -ResultSize lots").output().contains("Cannot convert value \"lots\""));
    }

    @Test
    void thePoisonQueueShowsOnlyWhileItHoldsMessages() {
        assertFalse(ok("Get-Queue").output().contains("Poison"));
        viewer.messages.add(FakeQueueViewer.message("EX01\\Poison\\40", "mallory@contoso.com",
            MessageInfo.Status.Suspended, "Crashes the categorizer", 512, null, List.of()));
        assertTrue(identities(ok("Get-Queue").output()).contains("EX01\\Poison"));
        assertEquals("Suspend-Message : The message \"EX01\\Poison\\40\" is already suspended.",
            failing("Suspend-Message EX01\\Poison\\40").output().lines().findFirst().orElseThrow());
    }

    @Test
    void unknownIdentitiesAreReportedAsExchangeDoes() {
        assertEquals("""
            Get-Queue : The operation couldn't be performed because object 'EX01\\9' couldn't be found on 'EX01'.
            At line:1 char:1
            + Get-Queue EX01\\9
            + ~~~~~~~~~~~~~~~~
                + CategoryInfo          : ObjectNotFound: (:) [Get-Queue], ManagementObjectNotFoundException
                + FullyQualifiedErrorId : ManagementObjectNotFoundException,Get-Queue
            """, failing("Get-Queue EX01\\9").output());
        assertEquals("Suspend-Message : The operation couldn't be performed because object 'EX01\\3\\99' couldn't be "
                + "found on 'EX01'.",
            failing("Suspend-Message EX01\\3\\99").output().lines().findFirst().orElseThrow());
        assertEquals("Get-Message : The operation couldn't be performed because object 'EX01\\9' couldn't be found on 'EX01'.",
            failing("Get-Message -Queue EX01\\9").output().lines().findFirst().orElseThrow());
        ShellResult otherServer = failing("Get-Queue -Server EX02");
        assertEquals(ErrorCategory.ObjectNotFound, otherServer.errors().get(0).category());
        assertTrue(otherServer.output().startsWith("Get-Queue : The operation couldn't be performed because object 'EX02' "
            + "couldn't be found on 'EX01'."));
    }

    @Test
    void identityGoesWithNeitherFilterNorServer() {
        assertTrue(failing("Get-Queue EX01\\3 -Filter \"Status -eq 'Active'\"").output()
            .startsWith("Get-Queue : Parameter set cannot be resolved using the specified named parameters."));
        assertTrue(failing("Suspend-Queue EX01\\3 -Server EX01").output()
            .startsWith("Suspend-Queue : Parameter set cannot be resolved using the specified named parameters."));
        assertTrue(failing("Suspend-Message").output().startsWith("Suspend-Message : Cannot process command because of "
            + "one or more missing mandatory parameters: Identity or Filter."));
    }

    @Test
    void filterSyntaxErrorsStopTheCommandBeforeAnythingRuns() {
        assertEquals("""
            Get-Queue : Cannot bind parameter 'Filter'. Invalid filter syntax. For a description of the filter parameter syntax see the command help. "Status -eqq 'Retry'" at position 8.
            At line:1 char:11
            + Get-Queue -Filter "Status -eqq 'Retry'"
            +           ~~~~~~~
                + CategoryInfo          : InvalidArgument: (:) [Get-Queue], ParameterBindingException
                + FullyQualifiedErrorId : ParameterArgumentValidationError,Get-Queue
            """, failing("Get-Queue -Filter \"Status -eqq 'Retry'\"").output());
        assertTrue(failing("Get-Message -Filter \"MessageCount -gt 5\"").output().contains(
            "\"MessageCount\" is not a recognized filterable property."));
        failing("Remove-Message -Filter \"Status -eq\" -Confirm:$false");
        assertEquals(9, viewer.messages.size());
        assertEquals(List.of(), viewer.calls);
    }

    // ---- Get-Message -------------------------------------------------------------------------------

    @Test
    void getMessageShowsExchangesDefaultTable() {
        assertEquals("""

            Identity  FromAddress        Status Queue  Subject
            --------  -----------        ------ -----  -------
            EX01\\3\\12 alice@contoso.com  Ready  EX01\\3 Quarterly report
            EX01\\3\\13 carol@fabrikam.com Active EX01\\3 Lunch on Friday?

            """, ok("Get-Message -Queue EX01\\3").output());
    }

    @Test
    void getMessageFormatListAndRecipientInfo() {
        assertEquals("""

            Identity          : EX01\\3\\12
            Subject           : Quarterly report
            InternetMessageId : <12.msg@mailflow.test>
            FromAddress       : alice@contoso.com
            Status            : Ready
            Size              : 6.5 KB (6,656 bytes)
            MessageSourceName : SMTP:Default Frontend EX01
            SourceIP          : 192.0.2.10
            DateReceived      : 1/15/2026 9:03:24 AM
            ExpirationTime    : 1/17/2026 9:03:12 AM
            LastError         :
            RetryCount        : 0
            Recipients        : {bob@mailflow.test;Ready;}
            Directionality    : Incoming
            Queue             : EX01\\3

            """, ok("Get-Message EX01\\3\\12 -IncludeRecipientInfo | fl").output());
        assertTrue(ok("Get-Message EX01\\3\\12 | fl").output().contains("\nRecipients        : {}\n"));
        assertTrue(ok("Get-Message EX01\\4\\12 -IncludeRecipientInfo | fl Recipients").output().contains(
            "{erin@contoso.com;Retry;451 4.4.0 DNS query failed, frank@contoso.com;Retry;451 4.4.0 DNS query failed}"));
    }

    @Test
    void theFilterPicksMessages() {
        assertEquals(List.of("EX01\\4\\12", "EX01\\4\\20", "EX01\\4\\21", "EX01\\4\\22", "EX01\\4\\23", "EX01\\4\\24"),
            identities(ok("Get-Message -Filter \"Status -eq 'Retry'\"").output()));
        assertEquals(List.of("EX01\\4\\20", "EX01\\4\\21"),
            identities(ok("Get-Message -Filter \"Subject -like 'Newsletter #2[01]'\"").output()));
        assertEquals(List.of("EX01\\Unreachable\\30"), identities(ok("Get-Message -Filter \"Size -gt 1MB\"").output()));
        assertEquals(List.of("EX01\\4\\12"),
            identities(ok("Get-Message -Filter \"Recipients -contains 'frank@contoso.com'\"").output()));
        assertEquals(List.of("EX01\\3\\13"),
            identities(ok("Get-Message -Queue 3 -Filter \"FromAddress -notlike '*@contoso.com'\"").output()));
    }

    @Test
    void aMessageIntegerNamesEveryCopy() {
        assertEquals(List.of("EX01\\3\\12", "EX01\\4\\12"), identities(ok("Get-Message 12").output()));
        assertEquals(List.of("EX01\\4\\12"), identities(ok("Get-Message 4\\12").output()));
        assertEquals(List.of("EX01\\4\\12"), identities(ok("Get-Message EX01\\contoso.com\\12").output()));
        ok("Suspend-Message 12");
        assertEquals(MessageInfo.Status.Suspended, status("EX01\\3\\12"));
        assertEquals(MessageInfo.Status.Suspended, status("EX01\\4\\12"));
    }

    @Test
    void queuesPipeIntoGetMessage() {
        assertEquals(List.of("EX01\\4\\12", "EX01\\4\\20", "EX01\\4\\21", "EX01\\4\\22", "EX01\\4\\23", "EX01\\4\\24"),
            identities(ok("Get-Queue -Filter \"Status -eq 'Retry'\" | Get-Message").output()));
    }

    // ---- Queue actions -----------------------------------------------------------------------------

    @Test
    void retryQueueRefusesAQueueNotInRetry() {
        assertEquals("""
            Retry-Queue : The queue "EX01\\3" can't be retried because its status is Active. Only a queue in Retry status can be retried; use -Resubmit $true to route its messages again.
            At line:1 char:1
            + Retry-Queue EX01\\3
            + ~~~~~~~~~~~~~~~~~~
                + CategoryInfo          : InvalidOperation: (EX01\\3:QueueIdentity) [Retry-Queue], InvalidOperationException
                + FullyQualifiedErrorId : InvalidOperationException,Retry-Queue
            """, failing("Retry-Queue EX01\\3").output());
        assertEquals(List.of(), viewer.calls);
    }

    @Test
    void retryQueueConnectsAQueueInRetry() {
        assertEquals("", ok("Retry-Queue -Identity EX01\\4").output());
        assertEquals(List.of("retryQueue EX01\\4 resubmit=false"), viewer.calls);
        assertEquals(QueueInfo.Status.Active, queueStatus("EX01\\4"));
    }

    @Test
    void theUnreachableQueueIsRetriedOnlyWithResubmit() {
        assertTrue(failing("Retry-Queue Unreachable").output().startsWith("Retry-Queue : The Unreachable queue "
            + "\"EX01\\Unreachable\" can only be retried with the Resubmit parameter: Retry-Queue -Identity "
            + "EX01\\Unreachable -Resubmit $true."));
        ok("Retry-Queue Unreachable -Resubmit $true");
        assertEquals(List.of("retryQueue EX01\\Unreachable resubmit=true"), viewer.calls);
        assertNull(viewer.find("EX01\\Unreachable\\30"));
        assertEquals(MessageInfo.Status.Ready, status("EX01\\Submission\\30"));
    }

    @Test
    void resubmitRetriesAQueueInAnyStatus() {
        ok("Retry-Queue EX01\\3 -Resubmit $true -Confirm:$false");
        assertEquals(List.of("retryQueue EX01\\3 resubmit=true"), viewer.calls);
        assertTrue(failing("Retry-Queue EX01\\Submission -Resubmit $true").output()
            .contains("can't be resubmitted: its messages haven't been categorized yet."));
    }

    @Test
    void retryQueueByFilterReportsEachRefusalAndRetriesTheRest() {
        ShellResult result = failing("Retry-Queue -Filter \"NextHopCategory -eq 'External'\"");
        assertEquals(1, result.errors().size());
        assertTrue(result.errors().get(0).message().startsWith("The queue \"EX01\\5\" can't be retried because its status is Ready."));
        assertEquals("EX01\\5", result.errors().get(0).targetName());
        assertEquals(List.of("retryQueue EX01\\4 resubmit=false"), viewer.calls);
    }

    @Test
    void suspendAndResumeAQueue() {
        ok("Suspend-Queue EX01\\5");
        assertEquals(QueueInfo.Status.Suspended, queueStatus("EX01\\5"));
        assertTrue(failing("Suspend-Queue EX01\\5").output().startsWith("Suspend-Queue : The queue \"EX01\\5\" is already suspended."));
        assertEquals(List.of("EX01\\5"), identities(ok("Get-Queue -Filter \"Status -eq 'Suspended'\"").output()));
        ok("Get-Queue EX01\\5 | Resume-Queue");
        assertEquals(QueueInfo.Status.Ready, queueStatus("EX01\\5"));
        assertTrue(failing("Resume-Queue EX01\\5").output().startsWith("Resume-Queue : The queue \"EX01\\5\" isn't "
            + "suspended; its status is Ready."));
        assertEquals(List.of("suspendQueue EX01\\5", "resumeQueue EX01\\5"), viewer.calls);
    }

    @Test
    void whatIfSaysWhatWouldHappenAndChangesNothing() {
        assertEquals("What if: Suspending queue \"EX01\\3\".\nWhat if: Suspending queue \"EX01\\4\".\n",
            ok("Suspend-Queue -Filter \"MessageCount -gt 1\" -WhatIf").output());
        assertEquals("What if: Removing message \"EX01\\4\\20\" and sending a non-delivery report.\n",
            ok("Remove-Message EX01\\4\\20 -WhatIf").output());
        assertEquals(List.of(), viewer.calls);
    }

    @Test
    void verboseReportsTheNewStatus() {
        assertEquals("VERBOSE: Queue \"EX01\\3\" is now Suspended.\n", ok("Suspend-Queue EX01\\3 -Verbose").output());
    }

    // ---- Message actions ---------------------------------------------------------------------------

    @Test
    void pipedMessagesAreSuspendedOneByOne() {
        assertEquals("", ok("Get-Message -Queue EX01\\3 | Suspend-Message -Confirm:$false").output());
        assertEquals(MessageInfo.Status.Suspended, status("EX01\\3\\12"));
        assertEquals(MessageInfo.Status.PendingSuspend, status("EX01\\3\\13"));
        assertEquals(MessageInfo.Status.Retry, status("EX01\\4\\12"));
        assertEquals("""

            Identity  FromAddress        Status         Queue  Subject
            --------  -----------        ------         -----  -------
            EX01\\3\\12 alice@contoso.com  Suspended      EX01\\3 Quarterly report
            EX01\\3\\13 carol@fabrikam.com PendingSuspend EX01\\3 Lunch on Friday?

            """, ok("Get-Message -Queue EX01\\3").output());
    }

    @Test
    void suspendAndResumeAMessage() {
        ok("Suspend-Message -Identity EX01\\4\\20");
        assertEquals(MessageInfo.Status.Suspended, status("EX01\\4\\20"));
        ok("Resume-Message EX01\\4\\20");
        assertEquals(MessageInfo.Status.Ready, status("EX01\\4\\20"));
        assertTrue(failing("Resume-Message EX01\\4\\20").output().startsWith("Resume-Message : The message "
            + "\"EX01\\4\\20\" isn't suspended; its status is Ready."));
        assertEquals(List.of("suspendMessage EX01\\4\\20", "resumeMessage EX01\\4\\20"), viewer.calls);
    }

    @Test
    void suspendAndResumeMessagesByFilter() {
        ok("Suspend-Message -Filter \"Subject -like 'Newsletter*'\" -Confirm:$false");
        assertEquals(5, viewer.messages.stream().filter(m -> m.status() == MessageInfo.Status.Suspended).count());
        ok("Resume-Message -Filter \"Status -eq 'Suspended'\"");
        assertEquals(0, viewer.messages.stream().filter(m -> m.status() == MessageInfo.Status.Suspended).count());
    }

    @Test
    void removeMessageWithoutAnNdr() {
        ok("Remove-Message -Identity EX01\\4\\20 -WithNDR $false -Confirm:$false");
        assertNull(viewer.find("EX01\\4\\20"));
        assertEquals(List.of("removeMessage EX01\\4\\20 ndr=false"), viewer.calls);
        assertEquals("5", ok("Get-Queue EX01\\4 | fl MessageCount").output().strip().split(": ")[1]);
    }

    @Test
    void removeMessageSendsAnNdrByDefaultAndWaitsForATransmission() {
        ok("Remove-Message EX01\\3\\13 -Confirm:$false");
        assertEquals(List.of("removeMessage EX01\\3\\13 ndr=true"), viewer.calls);
        assertEquals(MessageInfo.Status.PendingRemove, status("EX01\\3\\13"));
        assertTrue(failing("Remove-Message EX01\\3\\13").output().contains("is already being removed."));
        assertTrue(failing("Suspend-Message EX01\\3\\13").output().contains("is being removed and can't be suspended."));
    }

    @Test
    void removeMessagesByFilter() {
        ok("Remove-Message -Filter \"Queue -eq 'EX01\\4' -and Subject -like 'Newsletter*'\" -WithNDR $false -Confirm:$false");
        assertEquals(List.of("EX01\\4\\12"), identities(ok("Get-Message -Queue EX01\\4").output()));
    }

    @Test
    void exportMessageRefusesAMessageThatIsNotSuspended(@TempDir Path dir) {
        Path file = dir.resolve("message.eml");
        ShellResult result = failing("Export-Message EX01\\4\\20 -Path '" + file + "'");
        assertEquals("Export-Message : The message \"EX01\\4\\20\" can't be exported because its status is Retry. "
            + "Suspend it with Suspend-Message before exporting it.", result.output().lines().findFirst().orElseThrow());
        assertFalse(Files.exists(file));
        assertEquals(List.of(), viewer.calls);
    }

    @Test
    void exportMessageWritesTheEmlOfASuspendedMessage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("message.eml");
        ok("Suspend-Message EX01\\4\\20; Export-Message -Identity EX01\\4\\20 -Path '" + file + "'");
        assertTrue(Files.readString(file, StandardCharsets.US_ASCII).contains("Subject: Newsletter #20\r\n"));
        ok("Get-Message -Filter \"Status -eq 'Suspended'\" | Export-Message -Path '" + dir + "'");
        assertTrue(Files.exists(dir.resolve("_20.msg@mailflow.test_.eml")));
        assertEquals("What if: Exporting message \"EX01\\4\\20\" to \"" + file + "\".\n",
            ok("Export-Message EX01\\4\\20 -Path '" + file + "' -WhatIf").output());
    }

    @Test
    void exportMessageWantsOneCopy(@TempDir Path dir) {
        assertTrue(failing("Export-Message 12 -Path '" + dir + "'").output().startsWith("Export-Message : The identity "
            + "'12' matches 2 copies of the message (EX01\\3\\12, EX01\\4\\12). Export one of them."));
    }

    @Test
    void aRefusalFromTheTransportServiceIsReportedLikeARuleRefusal() {
        QueueViewer leaving = new FakeQueueViewer() {
            @Override
            public MessageInfo suspendMessage(String messageIdentity) {
                throw new QueueOperationException("The message \"" + messageIdentity + "\" has left its queue.");
            }
        };
        ShellResult result = session(leaving).execute("Get-Message -Queue EX01\\3 | Suspend-Message");
        assertEquals(2, result.errors().size());
        assertEquals("The message \"EX01\\3\\13\" has left its queue.", result.errors().get(1).message());
        assertEquals("EX01\\3\\13", result.errors().get(1).targetName());
    }
}
