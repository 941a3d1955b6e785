package io.mailflow.categorizer.rules;

import java.util.regex.Pattern;

/**
 * Mail flow rules: HTML as text. Words in an HTML body are matched without its markup, and a
 * disclaimer written in HTML goes into text/plain parts without its tags, its line-breaking
 * elements turned into line breaks.
 */
final class HtmlText {
    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</(p|div|tr|li|h[1-6])\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

    private HtmlText() {
    }

    /** The visible text of {@code html}: markup removed, common entities decoded, line breaks kept. */
    static String toText(String html) {
        String text = INVISIBLE.matcher(html).replaceAll(" ");
        text = COMMENT.matcher(text).replaceAll("");
        text = BREAK.matcher(text).replaceAll("\n");
        text = TAG.matcher(text).replaceAll("");
        return entities(text);
    }

    private static String entities(String text) {
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&#39;", "'").replace("&amp;", "&");
    }
}
