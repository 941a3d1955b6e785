package io.mailflow.core.logging;

import java.util.ArrayList;
import java.util.List;

/**
 * Logging, shared by every CSV log: the quoting Exchange's logs use, and its inverse.
 * A value containing a comma or a double quote is wrapped in double quotes, inner quotes
 * doubled; CR and LF inside a value become spaces, so one record is always one line.
 */
final class Csv {
    private Csv() {
    }

    /** One value as a CSV field. Null is written as an empty field. */
    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String flat = oneLine(value);
        if (flat.indexOf(',') < 0 && flat.indexOf('"') < 0) {
            return flat;
        }
        return '"' + flat.replace("\"", "\"\"") + '"';
    }

    /** The values as one CSV record, without a line terminator. */
    static String line(List<String> values) {
        StringBuilder out = new StringBuilder(128);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(values.get(i)));
        }
        return out.toString();
    }

    /** CR and LF become spaces (a CRLF pair becomes one space). */
    static String oneLine(String value) {
        if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * Splits one CSV record into fields. Lenient where a writer was not: a quote inside an
     * unquoted field is kept as text, text after a closing quote is kept, and an unterminated
     * quoted field runs to the end of the line.
     */
    static List<String> parse(String line) {
        List<String> fields = new ArrayList<>(32);
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
            }
            while (i < n && line.charAt(i) != ',') {
                field.append(line.charAt(i));
                i++;
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++;
        }
    }
}
