package io.mailflow.core.organization;

import io.mailflow.core.organization.AccessMap.Action;
import io.mailflow.core.smtp.SmtpReplies;
import io.mailflow.core.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sendmail's access map, Connect: entries: parsing and the most-specific-first lookup. */
class AccessMapTest {

    private static final AccessMap MAP = AccessMap.parse(List.of(
        "# Connect: entries, as /etc/mail/access holds them",
        "",
        "Connect:trusted.host.example   RELAY",
        "Connect:192.0.2                OK",
        "Connect:192.0.2.7              REJECT",
        "Connect:bad.example            REJECT",
        "Connect:ok.bad.example         OK",
        "Connect:.sub.example           DISCARD",
        "Connect:[IPv6:2001:db8::1]     OK",
        "Connect:IPv6:2001:db8:0:0:0:0:0:2  REJECT",
        "Connect:IPv6:2001:db8:ff       REJECT",
        "Connect:spam.example           ERROR:\"550 5.7.1 go away\"",
        "   Connect:198.51.100.9\tERROR:4.7.1:\"421 come back later\""));

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static Optional<Action> lookup(String ip, String host) throws UnknownHostException {
        return MAP.lookup(ip(ip), Optional.ofNullable(host));
    }

    @Test
    void hostNameMatchesItselfAndItsSubdomainsButNotOtherNamesEndingAlike() throws UnknownHostException {
        assertEquals(Optional.of(Action.REJECT), lookup("203.0.113.1", "bad.example"));
        assertEquals(Optional.of(Action.REJECT), lookup("203.0.113.1", "mx1.relay.BAD.example."));
        assertEquals(Optional.empty(), lookup("203.0.113.1", "notbad.example"));
        assertEquals(Optional.of(Action.RELAY), lookup("203.0.113.1", "trusted.host.example"));
    }

    @Test
    void mostSpecificHostNameWins() throws UnknownHostException {
        assertEquals(Optional.of(Action.OK), lookup("203.0.113.1", "ok.bad.example"));
        assertEquals(Optional.of(Action.OK), lookup("203.0.113.1", "mx.ok.bad.example"));
    }

    @Test
    void leadingDotMatchesSubdomainsOnly() throws UnknownHostException {
        assertEquals(Optional.of(Action.DISCARD), lookup("203.0.113.1", "a.sub.example"));
        assertEquals(Optional.empty(), lookup("203.0.113.1", "sub.example"));
    }

    @Test
    void ipv4PrefixesAreWholeOctetsAndTheFullAddressWins() throws UnknownHostException {
        assertEquals(Optional.of(Action.OK), lookup("192.0.2.99", null));
        assertEquals(Optional.of(Action.REJECT), lookup("192.0.2.7", null));
        assertEquals(Optional.empty(), lookup("192.0.20.1", null));
        assertEquals(Optional.empty(), lookup("192.0.3.1", null));
    }

    @Test
    void hostNameEntryIsLookedUpBeforeTheAddress() throws UnknownHostException {
        // Basic_check_relay: {client_name} first, {client_addr} only if the name found nothing.
        assertEquals(Optional.of(Action.OK), lookup("192.0.2.7", "ok.bad.example"));
        assertEquals(Optional.of(Action.REJECT), lookup("192.0.2.7", "unlisted.example"));
        assertEquals(Optional.of(Action.REJECT), lookup("192.0.2.7", "[192.0.2.7]"));
    }

    @Test
    void ipv6AddressesAndGroupPrefixes() throws UnknownHostException {
        assertEquals(Optional.of(Action.OK), lookup("2001:db8::1", null));
        assertEquals(Optional.of(Action.OK), lookup("2001:0db8:0:0:0:0:0:0001", null));
        assertEquals(Optional.of(Action.REJECT), lookup("2001:db8::2", null));
        assertEquals(Optional.of(Action.REJECT), lookup("2001:db8:ff::9", null));
        assertEquals(Optional.empty(), lookup("2001:db8::3", null));
    }

    @Test
    void errorEntriesCarryTheirOwnReply() throws UnknownHostException {
        Action spam = lookup("203.0.113.1", "spam.example").orElseThrow();
        assertEquals(Action.Kind.ERROR, spam.kind());
        assertEquals(Optional.of(SmtpReply.of(550, "5.7.1", "go away")), spam.refusal());
        assertEquals("550 5.7.1 go away\r\n", spam.refusal().orElseThrow().render());
        Action later = lookup("198.51.100.9", null).orElseThrow();
        assertEquals(Optional.of(SmtpReply.of(421, "4.7.1", "come back later")), later.refusal());
        Action bare = AccessMap.parse(List.of("Connect:x.example ERROR:550 Go away")).lookup(ip("203.0.113.1"),
            Optional.of("x.example")).orElseThrow();
        assertEquals("550 Go away\r\n", bare.refusal().orElseThrow().render());
    }

    @Test
    void rejectAndDiscardRefuseWithSendmailsAccessDeniedAndOkRelayExempt() {
        assertEquals(Optional.of(SmtpReplies.ACCESS_DENIED), Action.REJECT.refusal());
        assertEquals(Optional.of(SmtpReplies.ACCESS_DENIED), Action.DISCARD.refusal());
        assertEquals("550 5.7.1 Access denied\r\n", SmtpReplies.ACCESS_DENIED.render());
        assertTrue(Action.OK.exempts());
        assertTrue(Action.RELAY.exempts());
        assertFalse(Action.REJECT.exempts());
        assertFalse(Action.DISCARD.exempts());
        assertEquals(Optional.empty(), Action.OK.refusal());
    }

    @Test
    void keysAndActionsAreCaseInsensitive() throws UnknownHostException {
        AccessMap map = AccessMap.parse(List.of("connect:Mixed.Example relay", "CONNECT:10.1 ok"));
        assertEquals(Optional.of(Action.RELAY), map.lookup(ip("203.0.113.1"), Optional.of("mx.mixed.EXAMPLE")));
        assertEquals(Optional.of(Action.OK), map.lookup(ip("10.1.2.3"), Optional.empty()));
    }

    @Test
    void linesKeepTheEntriesWithoutCommentsAndBlankLines() {
        assertEquals(11, MAP.lines().size());
        assertEquals("Connect:trusted.host.example   RELAY", MAP.lines().get(0));
        assertEquals("Connect:198.51.100.9\tERROR:4.7.1:\"421 come back later\"", MAP.lines().get(10));
        assertEquals(MAP.lines(), AccessMap.parse(MAP.lines()).lines());
        assertTrue(AccessMap.parse(List.of("# nothing", " ")).isEmpty());
    }

    @Test
    void emptyMapMatchesNothing() throws UnknownHostException {
        assertEquals(Optional.empty(), AccessMap.EMPTY.lookup(ip("192.0.2.7"), Optional.of("bad.example")));
    }

    @Test
    void badLinesAreRefusedNamingTheLine() {
        assertBad(List.of("Connect:a.example OK", "Connect:b.example MAYBE"), "line 2 'Connect:b.example MAYBE'");
        assertBad(List.of("From:spammer@example REJECT"), "only Connect: entries");
        assertBad(List.of("Connect:a.example"), "a key and an action are needed");
        assertBad(List.of("Connect:192.0.256 OK"), "octet 256");
        assertBad(List.of("Connect:a.example OK", "Connect:A.example. REJECT"), "duplicate key");
        assertBad(List.of("Connect:a.example ERROR:\"250 fine\""), "4xx or 5xx");
        assertBad(List.of("Connect:a.example ERROR:\"550 4.7.1 mixed\""), "does not match");
        assertBad(List.of("Connect:[192.0.2] OK"), "whole IPv4 or IPv6 address");
        assertBad(List.of("Connect:bad_host!.example OK"), "not a host name");
    }

    private static void assertBad(List<String> lines, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessMap.parse(lines));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
