package io.mailflow.server.admin.shell;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin shell end to end over Get-Widget / Set-Widget, running the lines of seeds 000 and 002
 * with Widget in place of ReceiveConnector.
 */
class ShellSessionTest {
    private final Widgets widgets = new Widgets();
    private final ShellSession shell = widgets.session();

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

    @Test
    void seed000FormatListWithAWildcard() {
        assertEquals("""

            MaxInboundConnection                    : 5000
            MaxInboundConnectionPerSource           : 20
            MaxInboundConnectionPercentagePerSource : 2

            """, ok("get-widget 'Default Frontend EX01' | fl *maxin*").output());
    }

    @Test
    void seed000PipeIntoSetReachesEveryObject() {
        widgets.find("AppRelay").maxInboundConnection = "5000";
        assertEquals("", ok("Get-Widget | Set-Widget -MaxInboundConnectionPerSource 100").output());
        for (Widgets.Widget w : widgets.all) assertEquals("100", w.maxInboundConnectionPerSource);
        assertTrue(ok("Get-Widget | fl *maxin*").output().contains("MaxInboundConnectionPerSource           : 100\n"));
    }

    @Test
    void oneFailingPipedObjectDoesNotStopTheOthers() {
        ShellResult result = failing("Get-Widget | Set-Widget -MaxInboundConnectionPerSource 100");
        assertEquals(1, result.errors().size());
        assertEquals("""
            Set-Widget : MaxInboundConnectionPerSource (100) can't be larger than MaxInboundConnection on 'EX01\\AppRelay'.
            At line:1 char:14
            + Get-Widget | Set-Widget -MaxInboundConnectionPerSource 100
            +              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                + CategoryInfo          : InvalidOperation: (EX01\\AppRelay:Widget) [Set-Widget], InvalidOperationException
                + FullyQualifiedErrorId : InvalidOperationException,Set-Widget
            """, result.output());
        assertEquals("20", widgets.find("AppRelay").maxInboundConnectionPerSource);
        assertEquals("100", widgets.find("Default EX01").maxInboundConnectionPerSource);
        assertEquals("100", widgets.find("Client Frontend EX01").maxInboundConnectionPerSource);
    }

    @Test
    void aBadValueIsRefusedOnceBeforeAnythingChanges() {
        ShellResult result = failing("Get-Widget | Set-Widget -MaxInboundConnectionPerSource 0");
        assertEquals("""
            Set-Widget : Cannot bind parameter 'MaxInboundConnectionPerSource'. The value 0 is outside the range 1-10000 or unlimited.
            At line:1 char:25
            + Get-Widget | Set-Widget -MaxInboundConnectionPerSource 0
            +                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                + CategoryInfo          : InvalidArgument: (:) [Set-Widget], ParameterBindingException
                + FullyQualifiedErrorId : ParameterArgumentValidationError,Set-Widget
            """, result.output());
        assertEquals(ErrorCategory.InvalidArgument, result.errors().get(0).category());
        for (Widgets.Widget w : widgets.all) assertEquals("20", w.maxInboundConnectionPerSource);
    }

    @Test
    void seed002ColonFormWithEnDashes() {
        ok("Set-Widget \"EX01\\AppRelay\" \u2013MaxRecipientsPerMessage:100 \u2013MaxMessageSize:5MB");
        assertEquals("100", widgets.find("AppRelay").maxRecipientsPerMessage);
        assertEquals("5MB", widgets.find("AppRelay").maxMessageSize);
    }

    @Test
    void seed002BannerInCurlyQuotesAndEmDash() {
        ok("Set-Widget AppRelay \u2014Banner \u201C220 Mail Server\u201D");
        assertEquals("220 Mail Server", widgets.find("AppRelay").banner);
        ok("Set-Widget AppRelay -Banner $null");
        assertEquals(null, widgets.find("AppRelay").banner);
    }

    @Test
    void seed002MistypedParametersGetASuggestion() {
        ShellResult result = failing("Set-Widget AppRelay -MaxInboundConnection 10 -MaxInboundConnectionsperSource 5");
        assertEquals("A parameter cannot be found that matches parameter name 'MaxInboundConnectionsperSource'.", result.errors().get(0).message());
        assertEquals("Did you mean MaxInboundConnectionPerSource?", result.errors().get(0).recommendedAction());
        assertTrue(result.output().startsWith("Set-Widget : A parameter cannot be found that matches parameter name 'MaxInboundConnectionsperSource'.\n"
            + "Did you mean MaxInboundConnectionPerSource?\nAt line:1 char:46\n"), result.output());
        assertEquals("50", widgets.find("AppRelay").maxInboundConnection, "nothing runs when binding fails");
        assertEquals("Did you mean MessageRateLimit?",
            failing("Set-Widget AppRelay \u2013MaxRecipientsPerMessage:100 \u2013MaxRateLimit:200").errors().get(0).recommendedAction());
        assertEquals("200", widgets.find("AppRelay").maxRecipientsPerMessage, "nothing runs when binding fails");
        assertEquals(null, failing("Set-Widget AppRelay -Colour blue").errors().get(0).recommendedAction());
    }

    @Test
    void unknownCmdletReadsLikePowerShell() {
        ShellResult result = failing("Get-Widgets | fl");
        assertEquals("""
            Get-Widgets : The term 'Get-Widgets' is not recognized as the name of a cmdlet, function, script file, or operable program. \
            Check the spelling of the name, or if a path was included, verify that the path is correct and try again.
            Did you mean Get-Widget?
            At line:1 char:1
            + Get-Widgets | fl
            + ~~~~~~~~~~~
                + CategoryInfo          : ObjectNotFound: (Get-Widgets:String) [], CommandNotFoundException
                + FullyQualifiedErrorId : CommandNotFoundException
            """, result.output());
    }

    @Test
    void namesAndAliasesAreCaseInsensitiveAndParametersTakePrefixes() {
        ok("SET-WIDGET apprelay -maxmess 7MB -BANNER:x");
        assertEquals("7MB", widgets.find("AppRelay").maxMessageSize);
        assertEquals("x", widgets.find("AppRelay").banner);
        assertEquals("Parameter cannot be processed because the parameter name 'MaxIn' is ambiguous. Possible matches include: "
            + "-MaxInboundConnectionPerSource -MaxInboundConnection -MaxInboundConnectionPercentagePerSource.",
            failing("Set-Widget AppRelay -MaxIn 3").errors().get(0).message());
    }

    @Test
    void mandatoryPositionalAndNullBinding() {
        assertEquals("Cannot process command because of one or more missing mandatory parameters: Identity.",
            failing("Set-Widget -Banner x").errors().get(0).message());
        assertEquals("Cannot bind argument to parameter 'Identity' because it is null.", failing("Set-Widget $null -Banner x").errors().get(0).message());
        assertEquals("Cannot bind argument to parameter 'Identity' because it is an empty string.", failing("Set-Widget '' -Banner x").errors().get(0).message());
        assertEquals("A positional parameter cannot be found that accepts argument 'extra'.",
            failing("Set-Widget AppRelay extra").errors().get(0).message());
        assertEquals("Missing an argument for parameter 'Banner'. Specify a parameter of type 'System.String' and try again.",
            failing("Set-Widget AppRelay -Banner").errors().get(0).message());
        assertEquals("Missing an argument for parameter 'Banner'. Specify a parameter of type 'System.String' and try again.",
            failing("Set-Widget AppRelay -Banner -WhatIf").errors().get(0).message());
        assertTrue(failing("Set-Widget AppRelay -Banner a -Banner b").errors().get(0).message()
            .startsWith("Cannot bind parameter because parameter 'Banner' is specified more than once."));
        assertTrue(failing("Set-Widget AppRelay -Banner a,b").errors().get(0).message()
            .startsWith("Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Banner'."));
        ok("Set-Widget -Banner y -Identity AppRelay");
        assertEquals("y", widgets.find("AppRelay").banner);
    }

    @Test
    void pipedObjectsThatCannotBindAreReportedOneByOne() {
        ShellResult result = failing("Get-Widget *Frontend* | Get-Widget");
        assertEquals(2, result.errors().size());
        assertTrue(result.errors().get(0).message().startsWith("The input object cannot be bound to any parameters for the command"));
        assertEquals("EX01\\Default Frontend EX01", result.errors().get(0).targetName());
    }

    @Test
    void anObjectNotFoundIsAnErrorAndTheNextStatementStillRuns() {
        ShellResult result = failing("Set-Widget Nowhere -Banner x; Set-Widget AppRelay -Banner y");
        assertEquals(ErrorCategory.ObjectNotFound, result.errors().get(0).category());
        assertTrue(result.output().startsWith("Set-Widget : The operation couldn't be performed because object 'Nowhere' couldn't be found"));
        assertEquals("y", widgets.find("AppRelay").banner);
    }

    @Test
    void errorActionControlsNonTerminatingErrors() {
        ShellResult silent = failing("Set-Widget Nowhere -Banner x -ErrorAction SilentlyContinue");
        assertEquals("", silent.output());
        assertEquals(1, silent.errors().size());
        ShellResult ignored = shell.execute("Set-Widget Nowhere -Banner x -ea Ignore");
        assertEquals(0, ignored.errors().size());
        assertTrue(ignored.success());
        ShellResult stopped = failing("Get-Widget | Sort-Object Name | Set-Widget -MaxInboundConnectionPerSource 100 -ErrorAction Stop");
        assertEquals(1, stopped.errors().size());
        assertEquals("20", widgets.find("Client Frontend EX01").maxInboundConnectionPerSource, "AppRelay sorts first and stops the rest");
        assertTrue(failing("Get-Widget -ErrorAction Sometimes").errors().get(0).message()
            .startsWith("Cannot bind parameter 'ErrorAction'. Cannot convert value \"Sometimes\""));
    }

    @Test
    void switchesWarningsVerboseAndWhatIf() {
        assertEquals("""
            What if: Configuring Widget "EX01\\Default EX01".
            What if: Configuring Widget "EX01\\Default Frontend EX01".
            What if: Configuring Widget "EX01\\Client Frontend EX01".
            What if: Configuring Widget "EX01\\AppRelay".
            """, ok("Get-Widget | Set-Widget -Enabled $false -WhatIf").output());
        assertTrue(widgets.find("Default EX01").enabled);
        assertEquals("WARNING: Widget 'EX01\\Default EX01' no longer accepts connections.\nVERBOSE: Saved EX01\\Default EX01.\n",
            ok("Set-Widget 'Default EX01' -Enabled:$false -Confirm:$false -Verbose -WhatIf:$false").output());
        assertFalse(widgets.find("Default EX01").enabled);
        assertEquals("", ok("Set-Widget 'Default EX01' -Enabled 1 -WarningAction SilentlyContinue").output());
        assertTrue(widgets.find("Default EX01").enabled);
        assertTrue(failing("Set-Widget AppRelay -Enabled maybe").errors().get(0).message()
            .startsWith("Cannot process argument transformation on parameter 'Enabled'. Cannot convert value \"maybe\" to type \"System.Boolean\"."));
        assertTrue(failing("Set-Widget AppRelay -WhatIf:maybe").errors().get(0).message()
            .startsWith("Cannot process argument transformation on parameter 'WhatIf'."));
    }

    @Test
    void listsArraysAndHashtableEdits() {
        ok("Set-Widget AppRelay -Bindings 0.0.0.0:25,[::]:25");
        assertEquals(List.of("0.0.0.0:25", "[::]:25"), widgets.find("AppRelay").bindings);
        ok("Set-Widget AppRelay -Bindings @(\"10.0.0.1:25\", '10.0.0.2:25')");
        assertEquals(List.of("10.0.0.1:25", "10.0.0.2:25"), widgets.find("AppRelay").bindings);
        ok("Set-Widget AppRelay -Bindings @{Add=\"10.0.0.3:25\"; Remove=\"10.0.0.1:25\"}");
        assertEquals(List.of("10.0.0.2:25", "10.0.0.3:25"), widgets.find("AppRelay").bindings);
    }

    @Test
    void defaultOutputIsTheRegisteredView() {
        assertEquals("""

            Identity                   Bindings                  Enabled
            --------                   --------                  -------
            EX01\\Default EX01          {0.0.0.0:2525, [::]:2525} True
            EX01\\Default Frontend EX01 {0.0.0.0:25, [::]:25}     True
            EX01\\Client Frontend EX01  {0.0.0.0:587, [::]:587}   True
            EX01\\AppRelay              {10.0.0.5:25}             False

            """, ok("Get-Widget").output());
    }

    @Test
    void whereObjectScriptBlockAndSimpleForms() {
        assertEquals(List.of("Default EX01", "Default Frontend EX01"), names("Get-Widget | Where-Object {$_.Name -like \"Default*\"}"));
        assertEquals(List.of("AppRelay"), names("Get-Widget | where Name -eq 'apprelay'"));
        assertEquals(List.of(), names("Get-Widget | where Name -ceq 'apprelay'"));
        assertEquals(List.of("AppRelay"), names("Get-Widget | ? {-not $_.Enabled}"));
        assertEquals(List.of("AppRelay"), names("Get-Widget | ? Enabled -eq $false"));
        assertEquals(List.of("Default EX01", "Default Frontend EX01", "Client Frontend EX01"), names("Get-Widget | ? Enabled"));
        assertEquals(List.of("AppRelay"), names("Get-Widget | ? {$_.MaxMessageSize -lt 36MB}"));
        assertEquals(List.of("Client Frontend EX01", "AppRelay"),
            names("Get-Widget | ? {$_.Name -match '^(client|app)' -or $_.Banner -ne $null}"));
        assertEquals(List.of("Default Frontend EX01"),
            names("Get-Widget | ? {$_.Bindings -contains '[::]:25' -and ($_.Name -notlike '*Client*')}"));
        assertEquals(List.of("Default EX01", "AppRelay"), names("Get-Widget | ? Name -in 'Default EX01','AppRelay'"));
        assertEquals(List.of("AppRelay"), names("Get-Widget | ? {$_.MaxInboundConnection -le 50}"));
        ShellResult bad = failing("Get-Widget | ? {$_.Name.Length -gt 3}");
        assertEquals(ErrorCategory.ParserError, bad.errors().get(0).category());
    }

    @Test
    void selectAndSort() {
        assertEquals("""

            Name                 MaxInboundConnection
            ----                 --------------------
            AppRelay             50
            Client Frontend EX01 5000

            """, ok("Get-Widget | Sort-Object MaxInboundConnection, Name | Select-Object -Property Name,maxinboundconnection -First 2").output());
        assertEquals(List.of("Default Frontend EX01", "Default EX01", "Client Frontend EX01", "AppRelay"), names("Get-Widget | sort Name -Descending"));
        assertEquals(List.of("AppRelay"), names("Get-Widget | select -Last 1"));
        assertEquals(List.of("Default Frontend EX01", "Client Frontend EX01"), names("Get-Widget | select -Skip 1 -First 2"));
        assertEquals("Default EX01\nDefault Frontend EX01\n", ok("Get-Widget | select -ExpandProperty Name -First 2").output());
        assertEquals("""

            Name     MaxInboundConnection MaxInboundConnectionPerSource MaxInboundConnectionPercentagePerSource
            ----     -------------------- ----------------------------- ---------------------------------------
            AppRelay 50                   20                            2

            """, ok("Get-Widget AppRelay | select Name,MaxIn*").output());
        assertTrue(failing("Get-Widget | select -First many").errors().get(0).message()
            .startsWith("Cannot bind parameter 'First'. Cannot convert value \"many\" to type \"System.Int32\"."));
    }

    @Test
    void selectedObjectsStillCarryTheirSourceIntoSet() {
        ok("Get-Widget *Frontend* | select Identity | Set-Widget -Banner \"220 Hi\"");
        assertEquals("220 Hi", widgets.find("Client Frontend EX01").banner);
        assertEquals(null, widgets.find("AppRelay").banner);
    }

    @Test
    void formattedOutputIsTextAndChangesNothing() {
        ShellResult result = failing("Get-Widget | fl | Set-Widget -Banner x");
        assertEquals(ErrorCategory.ObjectNotFound, result.errors().get(0).category());
        for (Widgets.Widget w : widgets.all) assertEquals(null, w.banner);
    }

    @Test
    void getCommandListsCmdletsAndAliases() {
        assertEquals("""

            CommandType     Name
            -----------     ----
            Cmdlet          Format-List
            Alias           fl -> Format-List

            """, ok("gcm f*-list,fl").output());
    }

    @Test
    void oddInputsAllGetAnAnswer() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String line : List.of("", "   ", ";", "|", "Get-Widget -", "Get-Widget ,", "Get-Widget )", "Get-Widget -Identity:",
                "`", "Get-Widget }", "\"", "@{", "Get-Widget @{a=", "Get-Widget (", "? {", "Get-Widget & x", "Get-Widget > out.txt",
                "Get-Widget | ? {$_.Name -like}", "Get-Widget | ? {$_.Name -bogus 3}", "Get-Widget | ? {(}", "Get-Widget | ? {}")) {
                ShellResult result = shell.execute(line);
                assertTrue(result.success() == result.errors().isEmpty(), line);
            }
        });
        assertTrue(ok("").output().isEmpty());
        assertTrue(failing("Get-Widget > out.txt").errors().get(0).message().contains("not supported"));
        assertTrue(failing("\"Get-Widget\"").errors().get(0).message().startsWith("Mailflow's shell runs cmdlets only"));
    }

    private List<String> names(String line) {
        String output = ok(line + " | select -ExpandProperty Name").output();
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
    }
}
