package io.mailflow.core.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The argument of MAIL FROM / RCPT TO: a path in angle brackets and ESMTP parameters
 * ({@code SIZE=}, {@code BODY=}, {@code SMTPUTF8}, {@code NOTIFY=}, {@code ORCPT=}, {@code RET=},
 * {@code ENVID=}). Parameter names are upper-cased; values keep their case.
 *
 * @param address the text between the brackets; empty for the null path {@code <>}
 */
public record MailPath(String address, Map<String, String> parameters) {

    /**
     * Parses {@code FROM:<a@b> SIZE=10} after the verb (the prefix is {@code FROM:} or {@code TO:}).
     * Tolerates a space after the colon and a missing pair of brackets, as Exchange and Postfix do.
     * Empty when the syntax cannot be understood.
     */
    public static Optional<MailPath> parse(String argument, String prefix) {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.empty();
        }
        String rest = argument.substring(prefix.length()).stripLeading();
        String address;
        String params;
        if (rest.startsWith("<")) {
            int close = closingBracket(rest);
            if (close < 0) {
                return Optional.empty();
            }
            address = rest.substring(1, close);
            params = rest.substring(close + 1);
            if (!params.isEmpty() && !params.startsWith(" ")) {
                return Optional.empty();
            }
        } else {
            int space = rest.indexOf(' ');
            address = space < 0 ? rest : rest.substring(0, space);
            params = space < 0 ? "" : rest.substring(space);
            if (address.isEmpty()) {
                return Optional.empty();
            }
        }
        // A source route (@a,@b:user@host) is accepted and ignored (RFC 5321 §4.1.2, Appendix C).
        int colon = address.indexOf(':');
        if (address.startsWith("@") && colon > 0) {
            address = address.substring(colon + 1);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String token : params.strip().split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || parameters.containsKey(key)) {
                return Optional.empty();
            }
            parameters.put(key, eq < 0 ? "" : token.substring(eq + 1));
        }
        return Optional.of(new MailPath(address, parameters));
    }

    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    public boolean isNullPath() {
        return address.isEmpty();
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
