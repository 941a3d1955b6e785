package io.mailflow.categorizer.rules;

import java.util.List;
import java.util.Locale;

/**
 * Mail flow rules: Exchange's {@code Words} matching. A word (or phrase) matches in any case when
 * no letter or digit touches it: "contoso" matches " Contoso." and "user@contoso.com" but not
 * "Acontoso" or "contosob". No wildcards: an asterisk is a literal character.
 */
final class Words {
    private Words() {
    }

    /** True when {@code text} contains any of {@code words}. */
    static boolean containsAny(String text, List<String> words) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        String haystack = text.toLowerCase(Locale.ROOT);
        for (String word : words) {
            if (contains(haystack, word.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String haystack, String word) {
        if (word.isEmpty()) {
            return false;
        }
        for (int at = haystack.indexOf(word); at >= 0; at = haystack.indexOf(word, at + 1)) {
            int end = at + word.length();
            boolean openBefore = at == 0 || !Character.isLetterOrDigit(haystack.charAt(at - 1));
            boolean openAfter = end == haystack.length() || !Character.isLetterOrDigit(haystack.charAt(end));
            if (openBefore && openAfter) {
                return true;
            }
        }
        return false;
    }
}
