package io.mailflow.server.admin.shell;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin shell's reading of lines as administrators type them for Exchange. */
class ParserTest {
    private static Pipeline.CommandCall only(String line) {
        List<Pipeline> statements = Parser.parse(line);
        assertEquals(1, statements.size());
        assertEquals(1, statements.get(0).commands().size());
        return statements.get(0).commands().get(0);
    }

    private static Value argument(Pipeline.CommandCall call, int index) {
        return ((Pipeline.Argument) call.elements().get(index)).value();
    }

    private static String text(Pipeline.CommandCall call, int index) {
        return argument(call, index).display();
    }

    @Test
    void pipelinesSplitOnBarsAndStatementsOnSemicolons() {
        List<Pipeline> statements = Parser.parse("Get-ReceiveConnector | fl *maxin* ; get-receiveconnector|ft");
        assertEquals(2, statements.size());
        assertEquals(List.of("Get-ReceiveConnector", "fl"), statements.get(0).commands().stream().map(Pipeline.CommandCall::name).toList());
        assertEquals("get-receiveconnector", statements.get(1).commands().get(0).name());
        assertEquals("ft", statements.get(1).commands().get(1).name());
    }

    @Test
    void identitiesInDoubleSingleAndNoQuotes() {
        Pipeline.CommandCall call = only("Get-ReceiveConnector \"EX01\\Default Frontend EX01\" 'AppRelay' EX01\\Relay");
        assertEquals("EX01\\Default Frontend EX01", text(call, 0));
        assertEquals("AppRelay", text(call, 1));
        assertEquals("EX01\\Relay", text(call, 2));
    }

    @Test
    void dashesColonsAndSwitches() {
        Pipeline.CommandCall call = only("Set-ReceiveConnector X \u2013MaxRecipientsPerMessage:100 \u2014MaxMessageSize:5MB -Confirm:$false -WhatIf -Banner: x");
        Pipeline.ParameterName recipients = (Pipeline.ParameterName) call.elements().get(1);
        assertEquals("MaxRecipientsPerMessage", recipients.name());
        assertTrue(recipients.colon());
        assertEquals("100", recipients.value().display());
        assertEquals("5MB", ((Pipeline.ParameterName) call.elements().get(2)).value().display());
        assertEquals(new Value.Bool(false), ((Pipeline.ParameterName) call.elements().get(3)).value());
        Pipeline.ParameterName whatIf = (Pipeline.ParameterName) call.elements().get(4);
        assertEquals("WhatIf", whatIf.name());
        assertEquals(null, whatIf.value());
        assertEquals("x", ((Pipeline.ParameterName) call.elements().get(5)).value().display());
    }

    @Test
    void negativeNumbersAndDoubleDashAreArguments() {
        Pipeline.CommandCall call = only("Foo -5 -- -Name");
        assertEquals(2, call.elements().size());
        assertEquals("-5", text(call, 0));
        assertEquals("-Name", text(call, 1));
    }

    @Test
    void powerShellQuoting() {
        Pipeline.CommandCall call = only("Foo 'it''s' \"say \"\"hi\"\"\" \"a`tb`n`\"c`$\" \u201C220 Mail Server\u201D \u2018x\u2019 ab\"c d\"e");
        assertEquals("it's", text(call, 0));
        assertEquals("say \"hi\"", text(call, 1));
        assertEquals("a\tb\n\"c$", text(call, 2));
        assertEquals("220 Mail Server", text(call, 3));
        assertEquals("x", text(call, 4));
        assertEquals("abc de", text(call, 5));
        assertTrue(((Value.Text) argument(call, 1)).quoted());
    }

    @Test
    void dollarIsLiteralInsideStrings() {
        assertEquals("Pa$$w0rd", text(only("Foo \"Pa$$w0rd\""), 0));
    }

    @Test
    void arraysAndHashtables() {
        Pipeline.CommandCall call = only("Foo a,b, c @(\"x\", 'y'; 3) @() (\"p\",\"q\") @{Add=\"10.0.0.1\",\"10.0.0.2\"; Remove='10.0.0.3'}");
        assertEquals(List.of("a", "b", "c"), argument(call, 0).items().stream().map(Value::display).toList());
        assertEquals(List.of("x", "y", "3"), argument(call, 1).items().stream().map(Value::display).toList());
        assertEquals(List.of(), ((Value.Array) argument(call, 2)).items());
        assertEquals(List.of("p", "q"), argument(call, 3).items().stream().map(Value::display).toList());
        Value.Hashtable table = assertInstanceOf(Value.Hashtable.class, argument(call, 4));
        assertEquals(2, table.entries().get("add").items().size());
        assertEquals("10.0.0.3", table.entries().get("Remove").display());
    }

    @Test
    void constantsNumbersAndSizes() {
        Pipeline.CommandCall call = only("Foo $true $FALSE $null 100 10MB 00:05:00 [::]:25");
        assertEquals(new Value.Bool(true), argument(call, 0));
        assertEquals(new Value.Bool(false), argument(call, 1));
        assertEquals(new Value.Null(), argument(call, 2));
        assertEquals(new Value.Text("100", false), argument(call, 3));
        assertEquals("10MB", text(call, 4));
        assertEquals("00:05:00", text(call, 5));
        assertEquals("[::]:25", text(call, 6));
    }

    @Test
    void commentsAndContinuations() {
        Pipeline.CommandCall call = only("Foo a # the rest is ignored | Bar");
        assertEquals(1, call.elements().size());
        assertEquals(2, only("Foo a `\n b").elements().size());
        assertEquals(2, only("Foo <# inline #> a b#c").elements().size());
        assertEquals("b#c", text(only("Foo b#c"), 0));
        assertEquals(0, Parser.parse("# only a comment").size());
    }

    @Test
    void scriptBlocksAreKeptAsText() {
        Pipeline.CommandCall call = only("Where-Object {$_.Name -like \"Default*\"}");
        assertEquals("$_.Name -like \"Default*\"", assertInstanceOf(Value.ScriptBlock.class, argument(call, 0)).text());
        assertEquals("x -eq '}'", ((Value.ScriptBlock) argument(only("? { x -eq '}' }"), 0)).text());
    }

    @Test
    void parseErrorsReadLikePowerShell() {
        ShellException e = assertThrows(ShellException.class, () -> Parser.parse("Set-ReceiveConnector \"abc"));
        assertEquals("""
            At line:1 char:22
            + Set-ReceiveConnector "abc
            +                      ~~~~
            The string is missing the terminator: ".
                + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException
                + FullyQualifiedErrorId : TerminatorExpectedAtEndOfString
            """, e.record().render());
        assertEquals("An empty pipe element is not allowed.", assertThrows(ShellException.class, () -> Parser.parse("Foo | | Bar")).getMessage());
        assertEquals("An empty pipe element is not allowed.", assertThrows(ShellException.class, () -> Parser.parse("Foo |")).getMessage());
        assertEquals("Missing closing '}' in statement block or type definition.",
            assertThrows(ShellException.class, () -> Parser.parse("? {$_.Name")).getMessage());
        assertEquals("Missing closing ')' in subexpression.", assertThrows(ShellException.class, () -> Parser.parse("Foo @(\"a\"")).getMessage());
        assertEquals("Missing expression after ','.", assertThrows(ShellException.class, () -> Parser.parse("Foo a,")).getMessage());
        assertEquals("Missing '=' operator after key in hash literal.", assertThrows(ShellException.class, () -> Parser.parse("Foo @{Add}")).getMessage());
        assertEquals("The variable '$x' cannot be retrieved because it has not been set.",
            assertThrows(ShellException.class, () -> Parser.parse("Foo $x")).getMessage());
        assertEquals("The string is missing the terminator: '.", assertThrows(ShellException.class, () -> Parser.parse("Foo 'it''s")).getMessage());
    }

    @Test
    void longLinesAreShortenedAroundTheError() {
        String line = "Get-ReceiveConnector | Set-ReceiveConnector " + "-Banner x ".repeat(12) + "\"unterminated";
        String rendered = assertThrows(ShellException.class, () -> Parser.parse(line)).record().render();
        String shown = rendered.lines().skip(1).findFirst().orElseThrow();
        assertTrue(shown.startsWith("+ ... "), shown);
        assertTrue(shown.endsWith("\"unterminated"), shown);
    }
}
