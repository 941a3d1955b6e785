package io.mailflow.core.logging;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Logging: the CSV quoting every log writes and every reader parses. */
class CsvTest {

    @Test
    void plainValuesAreWrittenAsTheyAre() {
        assertEquals("a,b,,d", Csv.line(List.of("a", "b", "", "d")));
    }

    @Test
    void commaOrQuoteWrapsTheValueInQuotesWithInnerQuotesDoubled() {
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"\"\"\"", Csv.field("\""));
    }

    @Test
    void lineBreaksInsideAValueBecomeSpaces() {
        assertEquals("one two three", Csv.field("one\r\ntwo\nthree"));
        assertEquals("\"one, two\"", Csv.field("one,\ntwo"));
    }

    @Test
    void parseReadsBackWhatLineWrote() {
        List<String> values = List.of("", "plain", "with,comma", "with \"quotes\"", "\"", ",", "\",\"", "", "end");
        assertEquals(values, Csv.parse(Csv.line(values)));
    }

    @Test
    void parseKeepsEmptyFieldsAtBothEnds() {
        assertEquals(List.of("", "a", ""), Csv.parse(",a,"));
        assertEquals(List.of(""), Csv.parse(""));
    }

    @Test
    void parseIsLenientAboutQuotesAWriterShouldNotHaveLeft() {
        assertEquals(List.of("ab\"c", "d"), Csv.parse("ab\"c,d"));
        assertEquals(List.of("unterminated, to the end"), Csv.parse("\"unterminated, to the end"));
        assertEquals(List.of("quotedtail", "x"), Csv.parse("\"quoted\"tail,x"));
    }
}
