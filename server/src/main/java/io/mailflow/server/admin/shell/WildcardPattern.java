package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Admin shell: PowerShell's wildcards ({@code *}, {@code ?}, {@code [a-c]}, backtick to escape),
 * used by {@code -like} and by property selection ({@code fl *maxin*}, {@code select Name,Max*}).
 */
public final class WildcardPattern {
    private WildcardPattern() {}

    public static boolean hasWildcards(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /** Whole-string match, as -like does. */
    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        return compile(pattern, ignoreCase).matcher(text).matches();
    }

    public static Pattern compile(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '`' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[' && pattern.indexOf(']', i + 1) > i + 1) {
                int close = pattern.indexOf(']', i + 1);
                regex.append('[');
                for (char member : pattern.substring(i + 1, close).toCharArray()) {
                    if ("\\[]^&".indexOf(member) >= 0) regex.append('\\');
                    regex.append(member);
                }
                regex.append(']');
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags);
    }

    /**
     * The object's properties named by {@code patterns}, in pattern order and, within one
     * wildcard, in the object's order; each once, spelled as the object spells it. A plain name
     * the object lacks is kept as typed only when {@code keepMissing} (Select-Object and
     * Format-Table show it empty; Format-List leaves it out).
     */
    static List<String> selectProperties(ShellObject object, List<String> patterns, boolean keepMissing) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String pattern : patterns) {
            if (hasWildcards(pattern)) {
                Pattern compiled = compile(pattern, true);
                for (String name : object.propertyNames()) if (compiled.matcher(name).matches()) chosen.add(name);
            } else if (object.canonicalName(pattern) != null) {
                chosen.add(object.canonicalName(pattern));
            } else if (keepMissing) {
                chosen.add(pattern);
            }
        }
        return new ArrayList<>(chosen);
    }
}
