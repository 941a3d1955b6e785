package io.mailflow.server.admin.queues;

import io.mailflow.server.admin.shell.WildcardPattern;

import io.mailflow.server.admin.shell.ShellObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Queue viewer: the OPath -Filter of Get-Queue, Get-Message and the queue and message actions
 * (exchange.md §5.4), evaluated against the properties as the cmdlets print them.
 *
 * <pre>
 * Status -eq 'Retry' -and MessageCount -gt 10
 * -not (NextHopDomain -like '*.contoso.com') -or LastError -ne $null
 * </pre>
 *
 * <p>A comparison is {@code Property -op value}: -eq -ne -gt -ge -lt -le -like -notlike
 * -contains. Property names are case-insensitive and checked against the object's. Values are
 * quoted ({@code 'a b'}, {@code "a b"}; a doubled quote stands for one) or bare words
 * ({@code 10}, {@code Retry}, {@code EX01\3}), or {@code $null}, {@code $true}, {@code $false}.
 * Comparisons go through {@link DisplayValues#compare}: numbers as numbers, sizes as bytes,
 * dates as dates, text ignoring case. -like and -notlike take the wildcards {@code *}, {@code ?}
 * and {@code [a-c]}. -contains tests the items of a multi-valued property ({@code {a, b}}; a
 * Recipients item matches on its address too) and is a substring test on a single value.
 *
 * <p>-and and -or have equal precedence and bind left to right, as in PowerShell, so
 * {@code A -or B -and C} is {@code (A -or B) -and C}; -not binds to the comparison or
 * parenthesised group after it. Errors read as Exchange's do:
 * {@code Invalid filter syntax. For a description of the filter parameter syntax see the command
 * help. "Status -eqq 'Retry'" at position 8.}
 */
public final class OPathFilter {
    private static final String HELP = " For a description of the filter parameter syntax see the command help.";

    private final String text;
    private final Node root;

    private OPathFilter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses {@code text}, allowing only {@code properties} (any case).
     *
     * @throws IllegalArgumentException with Exchange's text when the filter is malformed or names
     *                                  a property the objects don't have
     */
    public static OPathFilter parse(String text, Collection<String> properties) {
        Reader reader = new Reader(text, properties);
        Node root = reader.expression();
        if (reader.peek() != null) throw reader.invalid(reader.peek());
        return new OPathFilter(text, root);
    }

    public boolean matches(ShellObject object) {
        return root.test(object);
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The comparison operators, by their OPath spelling. */
    enum Operator {
        EQ, NE, GT, GE, LT, LE, LIKE, NOTLIKE, CONTAINS;

        static Operator named(String word) {
            for (Operator op : values()) if (op.name().equalsIgnoreCase(word)) return op;
            return null;
        }
    }

    private sealed interface Node {
        boolean test(ShellObject object);
    }

    private record And(Node left, Node right) implements Node {
        public boolean test(ShellObject o) { return left.test(o) && right.test(o); }
    }

    private record Or(Node left, Node right) implements Node {
        public boolean test(ShellObject o) { return left.test(o) || right.test(o); }
    }

    private record Not(Node operand) implements Node {
        public boolean test(ShellObject o) { return !operand.test(o); }
    }

    /** @param value null for $null */
    private record Comparison(String property, Operator operator, String value) implements Node {
        public boolean test(ShellObject o) {
            String actual = o.get(property);
            if (actual != null && actual.isEmpty()) actual = null;
            if (value == null || actual == null) {
                boolean same = value == null && actual == null;
                return switch (operator) {
                    case EQ, LIKE -> same;
                    case NE, NOTLIKE -> !same;
                    default -> false;
                };
            }
            return switch (operator) {
                case EQ -> DisplayValues.compare(actual, value) == 0;
                case NE -> DisplayValues.compare(actual, value) != 0;
                case GT -> DisplayValues.compare(actual, value) > 0;
                case GE -> DisplayValues.compare(actual, value) >= 0;
                case LT -> DisplayValues.compare(actual, value) < 0;
                case LE -> DisplayValues.compare(actual, value) <= 0;
                case LIKE -> WildcardPattern.matches(value, actual, true);
                case NOTLIKE -> !WildcardPattern.matches(value, actual, true);
                case CONTAINS -> contains(actual, value);
            };
        }

        private static boolean contains(String actual, String value) {
            List<String> items = DisplayValues.items(actual);
            if (items.size() == 1 && items.get(0).equals(actual)) {
                return actual.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
            }
            for (String item : items) {
                String first = item.contains(";") ? item.substring(0, item.indexOf(';')) : item;
                if (item.equalsIgnoreCase(value) || first.equalsIgnoreCase(value)) return true;
            }
            return false;
        }
    }


    /** One token: its text, where it starts (0-based), and whether it was quoted. */
    private record Token(String text, int start, Kind kind) {
        enum Kind { OPEN, CLOSE, OPERATOR, QUOTED, WORD }

        boolean isOperator(String name) {
            return kind == Kind.OPERATOR && text.equalsIgnoreCase("-" + name);
        }
    }

    /** Recursive descent over the tokens, reporting positions as Exchange does (1-based). */
    private static final class Reader {
        private final String text;
        private final Collection<String> properties;
        private final List<Token> tokens;
        private int next;

        Reader(String text, Collection<String> properties) {
            this.text = text;
            this.properties = properties;
            this.tokens = tokenize();
        }

        /** comparison-or-group { (-and | -or) comparison-or-group } */
        Node expression() {
            Node left = unary();
            while (peek() != null && (peek().isOperator("and") || peek().isOperator("or"))) {
                boolean and = take().isOperator("and");
                Node right = unary();
                left = and ? new And(left, right) : new Or(left, right);
            }
            return left;
        }

        private Node unary() {
            Token t = peek();
            if (t == null) throw invalidAtEnd();
            if (t.isOperator("not")) {
                take();
                return new Not(unary());
            }
            if (t.kind() == Token.Kind.OPEN) {
                take();
                Node inner = expression();
                Token close = peek();
                if (close == null) throw invalidAtEnd();
                if (close.kind() != Token.Kind.CLOSE) throw invalid(close);
                take();
                return inner;
            }
            return comparison();
        }

        private Node comparison() {
            Token name = take();
            if (name.kind() != Token.Kind.WORD || !Character.isLetter(name.text().charAt(0))) throw invalid(name);
            String property = properties.stream().filter(p -> p.equalsIgnoreCase(name.text())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("\"" + name.text() + "\" is not a recognized filterable "
                    + "property." + HELP + " \"" + text + "\" at position " + (name.start() + 1) + "."));
            Token op = peek();
            if (op == null) throw invalidAtEnd();
            Operator operator = op.kind() == Token.Kind.OPERATOR ? Operator.named(op.text().substring(1)) : null;
            if (operator == null) throw invalid(op);
            take();
            Token value = peek();
            if (value == null) throw invalidAtEnd();
            if (value.kind() != Token.Kind.QUOTED && value.kind() != Token.Kind.WORD) throw invalid(value);
            take();
            return new Comparison(property, operator, valueOf(value));
        }

        private static String valueOf(Token token) {
            if (token.kind() == Token.Kind.QUOTED) return token.text();
            return switch (token.text().toLowerCase(Locale.ROOT)) {
                case "$null" -> null;
                case "$true" -> "True";
                case "$false" -> "False";
                default -> token.text();
            };
        }

        Token peek() {
            return next < tokens.size() ? tokens.get(next) : null;
        }

        private Token take() {
            return tokens.get(next++);
        }

        IllegalArgumentException invalid(Token at) {
            return invalidAt(at.start());
        }

        private IllegalArgumentException invalidAtEnd() {
            return invalidAt(text.length());
        }

        private IllegalArgumentException invalidAt(int index) {
            return new IllegalArgumentException("Invalid filter syntax." + HELP + " \"" + text + "\" at position "
                + (index + 1) + ".");
        }

        private List<Token> tokenize() {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')') {
                    out.add(new Token(String.valueOf(c), i, c == '(' ? Token.Kind.OPEN : Token.Kind.CLOSE));
                    i++;
                } else if (c == '\'' || c == '"') {
                    StringBuilder value = new StringBuilder();
                    int j = i + 1;
                    while (true) {
                        if (j >= text.length()) throw invalidAt(i);
                        char d = text.charAt(j);
                        if (d == c && j + 1 < text.length() && text.charAt(j + 1) == c) {
                            value.append(c);
                            j += 2;
                        } else if (d == c) {
                            break;
                        } else {
                            value.append(d);
                            j++;
                        }
                    }
                    out.add(new Token(value.toString(), i, Token.Kind.QUOTED));
                    i = j + 1;
                } else {
                    int j = i;
                    while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && "()'\"".indexOf(text.charAt(j)) < 0) j++;
                    String word = text.substring(i, j);
                    boolean operator = c == '-' && word.length() > 1 && Character.isLetter(word.charAt(1));
                    out.add(new Token(word, i, operator ? Token.Kind.OPERATOR : Token.Kind.WORD));
                    i = j;
                }
            }
            return out;
        }
    }
}
