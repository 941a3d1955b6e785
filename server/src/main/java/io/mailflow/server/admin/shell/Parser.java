package io.mailflow.server.admin.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Admin shell: reads one line as an Exchange administrator types it into the Exchange Management
 * Shell, in PowerShell's command mode, into {@link Pipeline}s.
 *
 * <p>Accepted: {@code |} pipelines, {@code ;} and newlines between statements, {@code #} and
 * {@code <# #>} comments, backtick line continuation; parameters written with {@code -}, the
 * en-dash {@code –} or the em-dash {@code —} that word processors put into published cmdlets
 * (seed 002), as {@code -Name value} or {@code -Name:value}; {@code --} ending parameters;
 * single-quoted strings ({@code ''} for a quote), double-quoted strings ({@code ""} and backtick
 * escapes), including the curly quotes of copied articles; {@code a,b,c}, {@code @("a","b")},
 * {@code ("a","b")}, {@code @{Add="x"}}; {@code $true}, {@code $false}, {@code $null};
 * {@code { script blocks }} kept as text.
 *
 * <p>Not accepted, with an error rather than a guess: other variables, expressions as a
 * pipeline's first element, {@code &}, redirection. Double-quoted strings do not expand
 * {@code $name}: this shell has no variables, and a literal {@code $} in a password or banner is
 * more useful than PowerShell's silent empty string.
 */
final class Parser {
    private final String src;
    private int pos;

    private Parser(String src) {
        this.src = src;
    }

    /** All statements of a line; throws a ParserError ShellException on bad syntax. */
    static List<Pipeline> parse(String line) {
        return new Parser(line).statements();
    }

    /** A parser positioned on {@code text}, for Where-Object's script blocks. */
    static Parser over(String text) {
        return new Parser(text);
    }

    static boolean isDash(char c) {
        return c == '-' || c == '\u2013' || c == '\u2014' || c == '\u2015';
    }

    static boolean isDoubleQuote(char c) {
        return c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
    }

    static boolean isSingleQuote(char c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }

    private List<Pipeline> statements() {
        List<Pipeline> out = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (atEnd()) return out;
            char c = peek();
            if (c == ';' || c == '\n' || c == '\r') {
                pos++;
                continue;
            }
            out.add(pipeline());
        }
    }

    private Pipeline pipeline() {
        List<Pipeline.CommandCall> commands = new ArrayList<>();
        commands.add(command());
        while (!atEnd() && peek() == '|') {
            int bar = pos++;
            skipBlanksAndNewlines();
            if (atEnd() || peek() == '|' || peek() == ';') {
                throw error("An empty pipe element is not allowed.", "EmptyPipeElement", bar, bar + 1);
            }
            commands.add(command());
        }
        return new Pipeline(commands);
    }

    private Pipeline.CommandCall command() {
        skipBlanks();
        int start = pos;
        char c = peek();
        if (c == '|') throw error("An empty pipe element is not allowed.", "EmptyPipeElement", pos, pos + 1);
        if (c == '&' || c == '>' || c == '<') {
            throw error("The '" + c + "' operator is not supported in Mailflow's shell.", "OperatorNotSupported", pos, pos + 1);
        }
        if (isDoubleQuote(c) || isSingleQuote(c) || c == '$' || c == '@' || c == '(' || c == '{' || Character.isDigit(c)) {
            throw error("Mailflow's shell runs cmdlets only: a pipeline element must be a cmdlet such as Get-ReceiveConnector, not an expression.",
                "ExpressionsNotSupported", pos, wordEnd());
        }
        String name = src.substring(start, wordEnd());
        pos = wordEnd();
        List<Pipeline.Element> elements = new ArrayList<>();
        boolean parametersEnded = false;
        while (true) {
            skipBlanks();
            if (atEnd()) break;
            c = peek();
            if (c == '|' || c == ';' || c == '\n' || c == '\r') break;
            if (c == ')' || c == '}') throw error("Unexpected token '" + c + "' in expression or statement.", "UnexpectedToken", pos, pos + 1);
            if (c == '&' || c == '>' || c == '<') {
                throw error("The '" + c + "' operator is not supported in Mailflow's shell.", "OperatorNotSupported", pos, pos + 1);
            }
            if (!parametersEnded && isDash(c) && pos + 1 < src.length() && isDash(src.charAt(pos + 1)) && isBoundary(pos + 2)) {
                parametersEnded = true;
                pos += 2;
            } else if (!parametersEnded && isDash(c) && pos + 1 < src.length() && startsParameterName(src.charAt(pos + 1))) {
                elements.add(parameter());
            } else {
                int at = pos;
                Value value = argument();
                elements.add(new Pipeline.Argument(value, new ScriptPosition(src, at, pos)));
            }
        }
        int end = elements.isEmpty() ? start + name.length() : elements.get(elements.size() - 1).position().end();
        return new Pipeline.CommandCall(name, elements, new ScriptPosition(src, start, start + name.length()),
            new ScriptPosition(src, start, end));
    }

    private static boolean startsParameterName(char c) {
        return Character.isLetter(c) || c == '_' || c == '?';
    }

    private boolean isBoundary(int at) {
        return at >= src.length() || isTerminator(src.charAt(at));
    }

    private Pipeline.ParameterName parameter() {
        int start = pos++;
        int nameStart = pos;
        while (!atEnd() && !isTerminator(peek()) && peek() != ':' && !isDoubleQuote(peek()) && !isSingleQuote(peek())) pos++;
        String name = src.substring(nameStart, pos);
        int nameEnd = pos;
        if (!atEnd() && peek() == ':') {
            pos++;
            skipBlanks();
            if (atEnd() || isTerminator(peek())) {
                return new Pipeline.ParameterName(name, true, null, new ScriptPosition(src, start, nameEnd + 1));
            }
            Value value = argument();
            return new Pipeline.ParameterName(name, true, value, new ScriptPosition(src, start, nameEnd));
        }
        return new Pipeline.ParameterName(name, false, null, new ScriptPosition(src, start, nameEnd));
    }

    /** One argument: an element, or a comma list of them. */
    Value argument() {
        Value first = element();
        int save = pos;
        skipBlanks();
        if (atEnd() || peek() != ',') {
            pos = save;
            return first;
        }
        List<Value> items = new ArrayList<>(first.items());
        while (!atEnd() && peek() == ',') {
            int comma = pos++;
            skipBlanksAndNewlines();
            if (atEnd() || isTerminator(peek())) {
                throw error("Missing expression after ','.", "MissingExpressionAfterToken", comma, comma + 1);
            }
            items.add(element());
            save = pos;
            skipBlanks();
        }
        pos = save;
        return new Value.Array(items);
    }

    /** One value with no blank inside: a word, string, variable, array, hashtable or block. */
    Value element() {
        char c = peek();
        if (c == '@' && pos + 1 < src.length() && src.charAt(pos + 1) == '(') {
            pos += 2;
            return new Value.Array(listUntilParen("Missing closing ')' in subexpression.", pos - 2));
        }
        if (c == '@' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') return hashtable();
        if (c == '(') {
            pos++;
            List<Value> items = listUntilParen("Missing closing ')' in expression.", pos - 1);
            return items.size() == 1 ? items.get(0) : new Value.Array(items);
        }
        if (c == '{') return scriptBlock();
        if (c == '$') return variable();
        StringBuilder text = new StringBuilder();
        boolean quoted = false;
        while (!atEnd() && !isTerminator(peek())) {
            c = peek();
            if (isDoubleQuote(c)) {
                text.append(doubleQuoted());
                quoted = true;
            } else if (isSingleQuote(c)) {
                text.append(singleQuoted());
                quoted = true;
            } else if (c == '`') {
                pos++;
                if (!atEnd()) text.append(src.charAt(pos++));
            } else {
                text.append(c);
                pos++;
            }
        }
        return new Value.Text(text.toString(), quoted);
    }

    private Value variable() {
        int start = pos++;
        while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == ':')) pos++;
        String name = src.substring(start + 1, pos);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "true": return new Value.Bool(true);
            case "false": return new Value.Bool(false);
            case "null": return new Value.Null();
            case "": return new Value.Text("$", false);
            default:
                throw error("The variable '$" + name + "' cannot be retrieved because it has not been set.",
                    "VariableIsUndefined", start, pos);
        }
    }

    private List<Value> listUntilParen(String missing, int open) {
        List<Value> items = new ArrayList<>();
        while (true) {
            skipBlanksAndNewlines();
            if (atEnd()) throw error(missing, "MissingEndParenthesisInExpression", open, src.length());
            char c = peek();
            if (c == ')') {
                pos++;
                return items;
            }
            if (c == ',' || c == ';') {
                pos++;
                continue;
            }
            if (c == '|' || c == '}') throw error("Unexpected token '" + c + "' in expression or statement.", "UnexpectedToken", pos, pos + 1);
            items.addAll(element().items());
        }
    }

    private Value hashtable() {
        int open = pos;
        pos += 2;
        Map<String, Value> entries = new LinkedHashMap<>();
        while (true) {
            skipBlanksAndNewlines();
            if (atEnd()) throw error("Missing closing '}' in hash literal.", "MissingEndCurlyBrace", open, src.length());
            char c = peek();
            if (c == '}') {
                pos++;
                return new Value.Hashtable(entries);
            }
            if (c == ';') {
                pos++;
                continue;
            }
            int keyStart = pos;
            String key;
            if (isDoubleQuote(c)) key = doubleQuoted();
            else if (isSingleQuote(c)) key = singleQuoted();
            else {
                while (!atEnd() && !Character.isWhitespace(peek()) && "=;}".indexOf(peek()) < 0) pos++;
                key = src.substring(keyStart, pos);
            }
            skipBlanks();
            if (atEnd() || peek() != '=') {
                throw error("Missing '=' operator after key in hash literal.", "MissingEqualsInHashLiteral", keyStart, pos);
            }
            pos++;
            skipBlanks();
            if (atEnd() || peek() == ';' || peek() == '}' || peek() == '\n') {
                throw error("Missing statement after '=' in hash literal.", "MissingStatementInHashLiteral", pos - 1, pos);
            }
            entries.put(key, argument());
        }
    }

    private Value scriptBlock() {
        int open = pos++;
        int depth = 1;
        while (!atEnd()) {
            char c = peek();
            if (isDoubleQuote(c)) doubleQuoted();
            else if (isSingleQuote(c)) singleQuoted();
            else if (c == '`') pos += 2;
            else {
                pos++;
                if (c == '{') depth++;
                if (c == '}' && --depth == 0) {
                    return new Value.ScriptBlock(src.substring(open + 1, pos - 1).strip(), new ScriptPosition(src, open, pos));
                }
            }
        }
        throw error("Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace", open, src.length());
    }

    /** A double-quoted string at the cursor, unescaped. */
    String doubleQuoted() {
        int open = pos++;
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = src.charAt(pos++);
            if (isDoubleQuote(c)) {
                if (!atEnd() && isDoubleQuote(peek())) {
                    out.append(src.charAt(pos++));
                    continue;
                }
                return out.toString();
            }
            if (c == '`' && !atEnd()) {
                out.append(escape(src.charAt(pos++)));
                continue;
            }
            out.append(c);
        }
        throw error("The string is missing the terminator: \".", "TerminatorExpectedAtEndOfString", open, src.length());
    }

    /** A single-quoted string at the cursor: only a doubled quote is special. */
    String singleQuoted() {
        int open = pos++;
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = src.charAt(pos++);
            if (isSingleQuote(c)) {
                if (!atEnd() && isSingleQuote(peek())) {
                    out.append(src.charAt(pos++));
                    continue;
                }
                return out.toString();
            }
            out.append(c);
        }
        throw error("The string is missing the terminator: '.", "TerminatorExpectedAtEndOfString", open, src.length());
    }

    private static char escape(char c) {
        return switch (c) {
            case '0' -> '\0';
            case 'a' -> '\u0007';
            case 'b' -> '\b';
            case 'e' -> '\u001B';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> '\u000B';
            default -> c;
        };
    }

    /** Characters that end a bare word in command mode. */
    private static boolean isTerminator(char c) {
        return Character.isWhitespace(c) || c == '|' || c == ';' || c == ',' || c == ')' || c == '}';
    }

    private int wordEnd() {
        int end = pos;
        while (end < src.length() && !isTerminator(src.charAt(end)) && src.charAt(end) != '(' && src.charAt(end) != '{') end++;
        return end;
    }

    /** Spaces, tabs, comments and backtick-newline continuations; not statement-ending newlines. */
    void skipBlanks() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\u00A0' || c == '\f') {
                pos++;
            } else if (c == '`' && pos + 1 < src.length() && (src.charAt(pos + 1) == '\n' || src.charAt(pos + 1) == '\r')) {
                pos += 2;
                if (pos < src.length() && src.charAt(pos - 1) == '\r' && src.charAt(pos) == '\n') pos++;
            } else if (c == '`' && pos + 1 == src.length()) {
                pos++;
            } else if (c == '<' && pos + 1 < src.length() && src.charAt(pos + 1) == '#') {
                int close = src.indexOf("#>", pos + 2);
                if (close < 0) throw error("Missing closing '#>' in comment.", "MissingEndOfComment", pos, src.length());
                pos = close + 2;
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') pos++;
            } else {
                return;
            }
        }
    }

    private void skipBlanksAndNewlines() {
        while (true) {
            skipBlanks();
            if (!atEnd() && (peek() == '\n' || peek() == '\r')) pos++;
            else return;
        }
    }

    boolean atEnd() {
        return pos >= src.length();
    }

    char peek() {
        return src.charAt(pos);
    }

    int position() {
        return pos;
    }

    void advance(int n) {
        pos += n;
    }

    String source() {
        return src;
    }

    ShellException error(String message, String id, int start, int end) {
        return new ShellException(ErrorRecord.of(ErrorCategory.ParserError, message)
            .withExceptionType("ParentContainsErrorRecordException").withErrorId(id)
            .withPosition(new ScriptPosition(src, start, end)), true);
    }
}
