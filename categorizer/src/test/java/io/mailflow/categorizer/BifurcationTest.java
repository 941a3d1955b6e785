package io.mailflow.categorizer;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.routing.NextHopSolutionKey;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bifurcation: chipping at ExpansionSizeLimit per next hop, with a TRANSFER for each further copy. */
class BifurcationTest {

    private static List<Categorization.Routed> recipients(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Categorization.Routed(SmtpAddress.of("u" + i + "@x.test"), null))
            .toList();
    }

    @Test
    void eachNextHopIsChippedIntoCopiesOfAtMostTheLimit() {
        NextHopSolutionKey big = NextHopSolutionKey.dnsConnector("x.test", "Out");
        NextHopSolutionKey small = NextHopSolutionKey.mailboxDatabase("DB01");
        Map<NextHopSolutionKey, List<Categorization.Routed>> routes = new LinkedHashMap<>();
        routes.put(big, recipients(2500));
        routes.put(small, recipients(3));
        Bifurcation.Copies copies = new Bifurcation().chip(routes);
        assertEquals(List.of(1000L, 1000L, 500L), IntStream.range(0, 3).mapToObj(n -> copies.routes().get(big).stream()
            .filter(r -> r.copy().number() == n).count()).toList());
        assertEquals(List.of(MessageCopy.ORIGINAL), copies.routes().get(small).stream().map(Categorization.Routed::copy)
            .distinct().toList());
        assertEquals(List.of("TRANSFER", "TRANSFER"), copies.steps().stream().map(Categorization.Step::eventId).toList());
        assertEquals("u1000@x.test", copies.steps().get(0).recipient().toString());
    }

    @Test
    void theLimitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Bifurcation(0));
    }
}
