package io.mailflow.categorizer;

import io.mailflow.core.routing.NextHopSolutionKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bifurcation: the categorizer's last step before the delivery queues (exchange.md §6.2). The
 * router already split the recipients by next hop, one delivery queue each; here each next hop's
 * recipients are split by the content the Transport Rule agent gives them and by MAIL FROM (a
 * group with ReportToOriginatorEnabled $false forks a copy sent from &lt;&gt;), and chipped into copies
 * of at most ExpansionSizeLimit recipients, so no copy carries an envelope larger than Exchange's. Every copy after the first is a TRANSFER in the message
 * tracking log. Reads: ExpansionSizeLimit.
 */
public final class Bifurcation {
    /** Exchange's ExpansionSizeLimit: envelope recipients per copy. */
    public static final int EXPANSION_SIZE_LIMIT = 1000;

    private final int expansionSizeLimit;

    public Bifurcation() {
        this(EXPANSION_SIZE_LIMIT);
    }

    public Bifurcation(int expansionSizeLimit) {
        if (expansionSizeLimit < 1) {
            throw new IllegalArgumentException("ExpansionSizeLimit must be at least 1");
        }
        this.expansionSizeLimit = expansionSizeLimit;
    }

    /** The routes with each next hop's copies numbered from 0, and the TRANSFER steps that made the others. */
    public record Copies(Map<NextHopSolutionKey, List<Categorization.Routed>> routes, List<Categorization.Step> steps) {
    }

    public Copies chip(Map<NextHopSolutionKey, List<Categorization.Routed>> routes) {
        Map<NextHopSolutionKey, List<Categorization.Routed>> result = new LinkedHashMap<>();
        List<Categorization.Step> steps = new ArrayList<>();
        for (Map.Entry<NextHopSolutionKey, List<Categorization.Routed>> route : routes.entrySet()) {
            // Recipients with the same content edits and the same MAIL FROM share a copy.
            Map<MessageCopy, List<Categorization.Routed>> byCopy = new LinkedHashMap<>();
            byCopy.put(MessageCopy.ORIGINAL, new ArrayList<>()); // the unchanged message is copy 0, forks follow
            route.getValue().forEach(r -> byCopy.computeIfAbsent(r.copy(), e -> new ArrayList<>()).add(r));
            List<Categorization.Routed> numbered = new ArrayList<>(route.getValue().size());
            int copies = 0;
            for (Map.Entry<MessageCopy, List<Categorization.Routed>> group : byCopy.entrySet()) {
                List<Categorization.Routed> recipients = group.getValue();
                MessageCopy kind = group.getKey();
                if (recipients.isEmpty()) {
                    continue;
                }
                for (int from = 0; from < recipients.size(); from += expansionSizeLimit) {
                    MessageCopy copy = new MessageCopy(copies++, kind.edits(), kind.nullReversePath());
                    List<Categorization.Routed> chip = recipients.subList(from, Math.min(recipients.size(),
                        from + expansionSizeLimit));
                    if (copy.number() > 0) {
                        steps.add(new Categorization.Step("TRANSFER", "ROUTING", chip.get(0).recipient(), null,
                            "copy " + copy.number() + " for " + route.getKey() + ": " + chip.size() + " recipients ("
                                + (from > 0 ? "ExpansionSizeLimit" : kind.nullReversePath()
                                ? "MAIL FROM <>, ReportToOriginatorEnabled $false" : "mail flow rules") + ")"));
                    }
                    chip.forEach(r -> numbered.add(r.inCopy(copy)));
                }
            }
            result.put(route.getKey(), numbered);
        }
        return new Copies(result, steps);
    }
}
