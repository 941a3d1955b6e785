package io.mailflow.core.smtp;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailPathTest {

    @Test
    void parsesAddressAndParametersCaseInsensitively() {
        MailPath p = MailPath.parse("FROM:<chris@contoso.com> size=1024 BODY=8BITMIME SMTPUTF8", "FROM:").orElseThrow();
        assertEquals("chris@contoso.com", p.address());
        assertEquals(Map.of("SIZE", "1024", "BODY", "8BITMIME", "SMTPUTF8", ""), p.parameters());
    }

    @Test
    void acceptsTheTelnetFormsAdministratorsType() {
        assertEquals("a@b.example", MailPath.parse("from: <a@b.example>", "FROM:").orElseThrow().address());
        assertEquals("a@b.example", MailPath.parse("From:a@b.example", "FROM:").orElseThrow().address());
    }

    @Test
    void nullReversePathAndSourceRoutes() {
        assertTrue(MailPath.parse("FROM:<>", "FROM:").orElseThrow().isNullPath());
        assertEquals("u@h.example", MailPath.parse("TO:<@relay.example:u@h.example>", "TO:").orElseThrow().address());
    }

    @Test
    void rejectsMissingPrefixUnclosedBracketAndDuplicateParameters() {
        assertTrue(MailPath.parse("<a@b.example>", "FROM:").isEmpty());
        assertTrue(MailPath.parse("FROM:<a@b.example", "FROM:").isEmpty());
        assertTrue(MailPath.parse("FROM:<a@b.example> SIZE=1 SIZE=2", "FROM:").isEmpty());
        assertTrue(MailPath.parse("FROM:<a@b.example>SIZE=1", "FROM:").isEmpty());
    }
}
