package io.mailflow.server.admin.shell;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format-List, Format-Table and the wildcards and comparisons under them. */
class FormattingTest {
    private final Widgets widgets = new Widgets();

    @Test
    void formatTableAutoSizeAlignsColumnsToContent() {
        assertEquals("""

            Name                  Bindings                  Enabled
            ----                  --------                  -------
            Default EX01          {0.0.0.0:2525, [::]:2525} True
            Default Frontend EX01 {0.0.0.0:25, [::]:25}     True
            Client Frontend EX01  {0.0.0.0:587, [::]:587}   True
            AppRelay              {10.0.0.5:25}             False

            """, widgets.session().execute("Get-Widget | ft Name,Bindings,Enabled -AutoSize").output());
    }

    @Test
    void formatTableTruncatesToTheConsoleWidth() {
        String output = widgets.session(50).execute("Get-Widget | ft Identity,Bindings,Enabled,MaxMessageSize").output();
        assertEquals("""

            Identity      Bindings      Enabled MaxMessage...
            --------      --------      ------- -------------
            EX01\\Defau... {0.0.0.0:2... True    36 MB (37,...
            EX01\\Defau... {0.0.0.0:2... True    36 MB (37,...
            EX01\\Clien... {0.0.0.0:5... True    36 MB (37,...
            EX01\\AppRelay {10.0.0.5:25} False   10 MB (10,...

            """, output);
        for (String line : output.split("\n")) assertTrue(line.length() < 50, line);
    }

    @Test
    void formatTableAutoSizeDropsColumnsThatDoNotFit() {
        assertEquals("""
            WARNING: 3 columns do not fit into the display and were removed.

            Identity
            --------
            EX01\\Default EX01
            EX01\\Default Frontend EX01
            EX01\\Client Frontend EX01
            EX01\\AppRelay

            """, widgets.session(50).execute("Get-Widget | ft Identity,Bindings,Enabled,MaxMessageSize -AutoSize").output());
    }

    @Test
    void viewWidthsAreKeptAndHeadersCanBeHidden() {
        ShellObject o = ShellObject.builder("T").property("A", "abcdefghij").property("B", "x").build();
        assertEquals("\nabc... x\n\n", TableFormatter.render(List.of(o),
            List.of(DefaultView.column("A", 6), DefaultView.column("B", 0)), false, true, 120, w -> { }));
    }

    @Test
    void formatListSelectsByWildcardAndWrapsLongValues() {
        ShellObject o = ShellObject.builder("T").property("Name", "x").property("Banner", "0123456789".repeat(4))
            .property("Note", "line one\nline two").build();
        assertEquals("""

            Banner : 0123456789012345678901
                     234567890123456789
            Note   : line one
                     line two
            Name   : x

            """, ListFormatter.render(List.of(o), List.of("b*", "N?te", "name", "Missing"), 32));
    }

    @Test
    void formatListWithoutPropertiesShowsAllOfThem() {
        String output = widgets.session().execute("Get-Widget AppRelay | fl").output();
        assertTrue(output.startsWith("\nIdentity                                : EX01\\AppRelay\nName                                    : AppRelay\n"), output);
        assertTrue(output.contains("\nBanner                                  :\n"), output);
    }

    @Test
    void objectsWithoutAViewFollowPowerShellsFourPropertyRule() {
        List<ShellObject> few = List.of(ShellObject.builder("T").property("A", 1).property("B", true).build());
        CmdletRegistry registry = CmdletRegistry.withBuiltins()
            .register(Cmdlet.named("Get-Few").runs(inv -> few))
            .register(Cmdlet.named("Get-Many").runs(inv -> List.of(ShellObject.builder("T").property("A", 1).property("B", 2)
                .property("C", 3).property("D", 4).property("E", List.of("x", "y")).build())));
        ShellSession shell = new ShellSession(registry);
        assertEquals("\nA B\n- -\n1 True\n\n", shell.execute("Get-Few").output());
        assertEquals("\nA : 1\nB : 2\nC : 3\nD : 4\nE : {x, y}\n\n", shell.execute("Get-Many").output());
    }

    @Test
    void propertySelectionKeepsPatternOrderAndObjectSpelling() {
        ShellObject o = ShellObject.builder("T").property("Name", "n").property("MaxA", 1).property("MaxB", 2).property("Other", 3).build();
        assertEquals(List.of("Other", "MaxA", "MaxB", "Name"), WildcardPattern.selectProperties(o, List.of("other", "max*", "*"), false));
        assertEquals(List.of("Name", "Nope"), WildcardPattern.selectProperties(o, List.of("NAME", "Nope"), true));
        assertEquals(List.of("MaxA"), WildcardPattern.selectProperties(o, List.of("Max[a]"), false));
    }

    @Test
    void wildcards() {
        assertTrue(WildcardPattern.matches("Default*", "default frontend EX01", true));
        assertFalse(WildcardPattern.matches("Default*", "default frontend EX01", false));
        assertTrue(WildcardPattern.matches("EX0?\\*", "EX01\\Relay", true));
        assertTrue(WildcardPattern.matches("[a-c]x", "bx", true));
        assertTrue(WildcardPattern.matches("a`*b", "a*b", true));
        assertFalse(WildcardPattern.matches("a`*b", "axb", true));
        assertTrue(WildcardPattern.matches("(x).+", "(x).+", true), "regex characters are literal");
    }

    @Test
    void quantitiesCompareAsExchangePrintsThem() {
        assertTrue(Comparison.compare("5 MB (5,242,880 bytes)", "36 MB (37,748,736 bytes)", false) < 0);
        assertTrue(Comparison.compare("36 MB (37,748,736 bytes)", "10MB", false) > 0);
        assertTrue(Comparison.compare("Unlimited", "5000", false) > 0);
        assertTrue(Comparison.compare("00:05:00", "1.00:00:00", false) < 0);
        assertTrue(Comparison.compare("9", "10", false) < 0);
        assertTrue(Comparison.compare(null, "a", false) < 0);
        assertTrue(Comparison.compare("b", "A", false) > 0);
        assertTrue(Comparison.apply("eq", new Value.Text("10 MB (10,485,760 bytes)", false), new Value.Text("10MB", false)));
        assertTrue(Comparison.apply("eq", new Value.Null(), new Value.Null()));
        assertTrue(Comparison.apply("notcontains", new Value.Text("{a, b}", false), new Value.Text("c", false)));
        assertNull(Comparison.baseOperator("foo"));
        assertEquals("like", Comparison.baseOperator("CLike"));
    }

    @Test
    void suggestionsFindTheNearestName() {
        List<String> names = new ArrayList<>(List.of("MaxInboundConnection", "MaxInboundConnectionPerSource", "MessageRateLimit", "Banner"));
        assertEquals("MaxInboundConnectionPerSource", Suggestions.closest("MaxInboundConnectionsPerSource", names).orElseThrow());
        assertEquals("MessageRateLimit", Suggestions.closest("MaxRateLimit", names).orElseThrow());
        assertEquals("Banner", Suggestions.closest("Baner", names).orElseThrow());
        assertTrue(Suggestions.closest("Colour", names).isEmpty());
    }
}
