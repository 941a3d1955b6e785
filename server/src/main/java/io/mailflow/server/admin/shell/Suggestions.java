package io.mailflow.server.admin.shell;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Admin shell: the "Did you mean ...?" line under unknown cmdlet and parameter errors. Published
 * Exchange articles mistype parameters (seed 002 writes -MaxInboundConnectionsperSource and
 * -MaxRateLimit), and an administrator pasting them deserves the right name.
 */
final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate nearest to {@code typed} by edit distance, case-insensitive, if it is near
     * enough: within a third of the longer name, and never less than 3 edits allowed, so that
     * one missing letter or a short misremembered word still finds its match.
     */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String t = typed.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int d = distance(t, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null) return Optional.empty();
        int allowed = Math.max(3, Math.max(typed.length(), best.length()) / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
