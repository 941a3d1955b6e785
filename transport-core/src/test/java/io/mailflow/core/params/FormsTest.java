package io.mailflow.core.params;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Forms: Exchange's value forms both ways, and the list splitting the shell relies on. */
class FormsTest {

    @Test
    void listsSplitOnCommasOutsideQuotes() {
        assertEquals(List.of("AnonymousUsers", "ExchangeServers"), Forms.splitList("AnonymousUsers,ExchangeServers"));
        assertEquals(List.of("[::]:25", "0.0.0.0:25"), Forms.splitList("{[::]:25, 0.0.0.0:25}"));
        assertEquals(List.of("[::]:25", "0.0.0.0:25"), Forms.splitList("\"[::]:25\",\"0.0.0.0:25\""));
        assertEquals(List.of("Connect:a.example ERROR:\"550 no, never\"", "Connect:192.0.2 OK"),
            Forms.splitList("Connect:a.example ERROR:\"550 no, never\", Connect:192.0.2 OK"));
        assertEquals(List.of(), Forms.splitList(" , "));
        assertEquals(List.of(), Forms.splitList("{}"));
    }

    @Test
    void unquoteRemovesOnePairOnly() {
        assertEquals("36 MB (37,748,736 bytes)", Forms.unquote(" \"36 MB (37,748,736 bytes)\" "));
        assertEquals("a,b", Forms.unquote("'a,b'"));
        assertEquals("\"[::]:25\",\"0.0.0.0:25\"", Forms.unquote("\"[::]:25\",\"0.0.0.0:25\""));
    }

    @Test
    void timeSpansTakeExchangeAndHoconForms() {
        Form<Duration> f = Forms.timeSpan(Duration.ZERO, Duration.ofDays(1));
        assertEquals(Duration.ofSeconds(5), f.parse("00:00:05"));
        assertEquals(Duration.ofMinutes(2), f.parse("2m"));
        assertEquals(Duration.ofSeconds(30), f.parse("30 seconds"));
        assertEquals("1.00:00:00", f.display(Duration.ofDays(1)));
        assertEquals("'-5s' is outside the range 00:00:00-1.00:00:00",
            assertThrows(IllegalArgumentException.class, () -> f.parse("-5s")).getMessage());
    }

    @Test
    void scalarsPrintAsFormatList() {
        assertEquals("True", Forms.bool().display(Forms.bool().parse("$TRUE")));
        assertEquals("False", Forms.bool().display(Forms.bool().parse("false")));
        assertEquals("Unlimited", Forms.unlimited(1, 10).display(Forms.unlimited(1, 10).parse("UNLIMITED")));
        assertEquals("36 MB (37,748,736 bytes)", Forms.byteSize(1, Long.MAX_VALUE).display(ByteSize.ofMegabytes(36)));
        assertEquals(1000, Forms.integer(0, 5000).parse("1,000"));
        assertEquals("", Forms.text().display(null));
    }

    @Test
    void checkAddsARule() {
        Form<String> banner = Forms.text().check(b -> b.startsWith("220"), b -> "a banner must start with 220");
        assertEquals("220 hi", banner.parse(" 220 hi "));
        assertEquals("a banner must start with 220",
            assertThrows(IllegalArgumentException.class, () -> banner.parse("hi")).getMessage());
    }

    @Test
    void listFormReportsEveryBadElement() {
        ListForm<Integer, List<Integer>> numbers = Forms.list(t -> Forms.integer(1, 9).parse(t), String::valueOf, "empty");
        assertEquals(List.of(1, 2), numbers.parse("1, 2"));
        assertEquals("{1, 2}", numbers.display(List.of(1, 2)));
        assertEquals("0 is outside the range 1-9; 'x' is not a whole number",
            assertThrows(IllegalArgumentException.class, () -> numbers.parse("0,3,x")).getMessage());
        assertEquals("empty", assertThrows(IllegalArgumentException.class, () -> numbers.parse("")).getMessage());
    }

    @Test
    void closestNameIgnoresCase() {
        assertEquals("MaxMessageSize", Forms.closest(List.of("MaxHopCount", "MaxMessageSize"), "maxmesagesize"));
    }
}
