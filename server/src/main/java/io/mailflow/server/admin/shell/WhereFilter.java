package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Admin shell: the script blocks Where-Object takes, in the forms administrators type:
 * {@code {$_.Name -like "Default*"}}, {@code {$_.Enabled}}, {@code {$_.MaxMessageSize -gt 10MB -and -not $_.RequireTLS}},
 * {@code {$_.Name -in 'a','b'}}. Operands are {@code $_.Property} (or {@code $PSItem.Property},
 * or {@code $_} for the object's identity), quoted strings, bare words and numbers,
 * {@code $true}/{@code $false}/{@code $null}, comma lists. Conditions join with -and, -or,
 * -xor, which PowerShell evaluates left to right with equal precedence, and -not / {@code !};
 * parentheses group. Anything else is refused with a parse error rather than guessed at.
 */
final class WhereFilter {
    private final Parser in;
    private final Value.ScriptBlock block;

    private WhereFilter(Value.ScriptBlock block) {
        this.block = block;
        this.in = Parser.over(block.text());
    }

    static Predicate<ShellObject> parse(Value.ScriptBlock block) {
        WhereFilter parser = new WhereFilter(block);
        Predicate<ShellObject> filter = parser.expression();
        parser.in.skipBlanks();
        if (!parser.in.atEnd()) throw parser.unsupported();
        return filter;
    }

    /** An operand: a property of the current object, or a constant. */
    private interface Operand {
        Value of(ShellObject object);
    }

    private Predicate<ShellObject> expression() {
        Predicate<ShellObject> left = unary();
        while (true) {
            String op = peekOperator();
            if (op == null || !List.of("and", "or", "xor").contains(op)) return left;
            skipOperator();
            Predicate<ShellObject> right = unary();
            Predicate<ShellObject> l = left;
            left = switch (op) {
                case "and" -> o -> l.test(o) && right.test(o);
                case "or" -> o -> l.test(o) || right.test(o);
                default -> o -> l.test(o) ^ right.test(o);
            };
        }
    }

    private Predicate<ShellObject> unary() {
        in.skipBlanks();
        if (!in.atEnd() && in.peek() == '!') {
            in.advance(1);
            return unary().negate();
        }
        if ("not".equals(peekOperator())) {
            skipOperator();
            return unary().negate();
        }
        if (!in.atEnd() && in.peek() == '(') {
            in.advance(1);
            Predicate<ShellObject> inner = expression();
            in.skipBlanks();
            if (in.atEnd() || in.peek() != ')') throw unsupported();
            in.advance(1);
            return inner;
        }
        Operand left = operand();
        String op = peekOperator();
        if (op == null || Comparison.baseOperator(op) == null) {
            return o -> Comparison.truthy(left.of(o).display());
        }
        skipOperator();
        Operand right = operand();
        return o -> Comparison.apply(op, left.of(o), right.of(o));
    }

    private Operand operand() {
        List<Operand> items = new ArrayList<>();
        items.add(atom());
        while (true) {
            in.skipBlanks();
            if (in.atEnd() || in.peek() != ',') break;
            in.advance(1);
            items.add(atom());
        }
        if (items.size() == 1) return items.get(0);
        return o -> new Value.Array(items.stream().map(i -> i.of(o)).toList());
    }

    private Operand atom() {
        in.skipBlanks();
        if (in.atEnd()) throw unsupported();
        char c = in.peek();
        if (c == '$') {
            int start = in.position();
            in.advance(1);
            while (!in.atEnd() && (Character.isLetterOrDigit(in.peek()) || in.peek() == '_')) in.advance(1);
            String name = in.source().substring(start + 1, in.position()).toLowerCase(Locale.ROOT);
            switch (name) {
                case "true": return o -> new Value.Bool(true);
                case "false": return o -> new Value.Bool(false);
                case "null": return o -> new Value.Null();
                case "_": case "psitem": break;
                default: throw unsupported();
            }
            if (in.atEnd() || in.peek() != '.') return o -> new Value.Text(o.identity(), false);
            in.advance(1);
            int nameStart = in.position();
            while (!in.atEnd() && (Character.isLetterOrDigit(in.peek()) || in.peek() == '_')) in.advance(1);
            String property = in.source().substring(nameStart, in.position());
            if (property.isEmpty() || !in.atEnd() && (in.peek() == '.' || in.peek() == '(' || in.peek() == '[')) throw unsupported();
            return o -> {
                String value = o.get(property);
                return value == null ? new Value.Null() : new Value.Text(value, false);
            };
        }
        if (Parser.isDoubleQuote(c) || Parser.isSingleQuote(c)) {
            String text = Parser.isDoubleQuote(c) ? in.doubleQuoted() : in.singleQuoted();
            return o -> new Value.Text(text, true);
        }
        if (Parser.isDash(c) && !(in.position() + 1 < in.source().length() && Character.isDigit(in.source().charAt(in.position() + 1)))) {
            throw unsupported();
        }
        if ("(){}!|;".indexOf(c) >= 0) throw unsupported();
        int start = in.position();
        while (!in.atEnd() && !Character.isWhitespace(in.peek()) && ",(){}|;".indexOf(in.peek()) < 0) in.advance(1);
        String word = in.source().substring(start, in.position());
        return o -> new Value.Text(word, false);
    }

    /** The operator at the cursor (lower case, no dash), or null; the cursor does not move. */
    private String peekOperator() {
        in.skipBlanks();
        if (in.atEnd() || !Parser.isDash(in.peek())) return null;
        String src = in.source();
        int end = in.position() + 1;
        while (end < src.length() && Character.isLetter(src.charAt(end))) end++;
        if (end == in.position() + 1) return null;
        String word = src.substring(in.position() + 1, end).toLowerCase(Locale.ROOT);
        boolean known = List.of("and", "or", "xor", "not").contains(word) || Comparison.baseOperator(word) != null;
        if (!known) throw unsupported();
        return word;
    }

    private void skipOperator() {
        in.skipBlanks();
        in.advance(1);
        while (!in.atEnd() && Character.isLetter(in.peek())) in.advance(1);
    }

    private ShellException unsupported() {
        String rest = in.atEnd() ? "the end of the block" : "'" + in.source().substring(in.position()).strip() + "'";
        return new ShellException(ErrorRecord.of(ErrorCategory.ParserError, "Mailflow's Where-Object understands $_.Property -operator value, "
                + "joined by -and, -or and -not; it cannot read " + rest + " in {" + block.text() + "}.")
            .withExceptionType("ParentContainsErrorRecordException").withErrorId("UnsupportedScriptBlock")
            .withPosition(block.position()), true);
    }
}
