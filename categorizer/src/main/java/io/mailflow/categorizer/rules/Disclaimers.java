package io.mailflow.categorizer.rules;

import io.mailflow.core.organization.TransportRule;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail flow rules: ApplyHtmlDisclaimerText on a message parsed raw by {@link MimeMessages}. The
 * disclaimer goes into the body's text/plain and text/html parts (both of a
 * multipart/alternative; the first part of a multipart/mixed or /related): each part is decoded
 * from its transfer encoding and charset, changed, and encoded back the same way (UTF-8 when its
 * charset cannot hold the disclaimer, quoted-printable when a 7bit part gains 8-bit text).
 * Signed or encrypted messages, and messages without a text body, take the fallback action.
 */
final class Disclaimers {
    private static final Pattern BODY_OPEN = Pattern.compile("(?i)<body\\b[^>]*>");
    private static final Pattern BODY_CLOSE = Pattern.compile("(?i)</body\\s*>");
    private static final String CRLF = "\r\n";
    /** What the wrapper message keeps of the original's header. */
    private static final List<String> WRAPPER_FIELDS = List.of("Date", "From", "Sender", "Reply-To", "To", "Cc",
        "Subject", "Message-ID");

    private Disclaimers() {
    }

    /** The message with the disclaimer, the wrapper (Wrap) or the message unchanged (Ignore, Reject). */
    static Message apply(Message message, ContentEdits.ApplyDisclaimer disclaimer) {
        List<Entity> parts = isProtected(message) ? List.of() : textParts(message);
        List<byte[]> bodies = new ArrayList<>();
        for (Entity part : parts) {
            byte[] changed = withDisclaimer(part, disclaimer);
            if (changed == null) {
                parts = List.of();
                break;
            }
            bodies.add(changed);
        }
        if (parts.isEmpty()) {
            return disclaimer.fallback() == TransportRule.DisclaimerFallbackAction.Wrap ? wrap(message, disclaimer) : message;
        }
        for (int i = 0; i < parts.size(); i++) {
            Entity part = parts.get(i);
            part.removeBody();
            part.setBody(BasicBodyFactory.INSTANCE.binaryBody(bodies.get(i)));
        }
        return message;
    }

    static boolean isProtected(Entity entity) {
        String type = entity.getMimeType().toLowerCase(Locale.ROOT);
        return type.equals("multipart/signed") || type.equals("multipart/encrypted")
            || type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime");
    }

    /** The parts that make up the body, as a mail client shows it. */
    private static List<Entity> textParts(Entity entity) {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            List<Entity> children = multipart.getBodyParts();
            if (children.isEmpty()) {
                return List.of();
            }
            if (!multipart.getSubType().equalsIgnoreCase("alternative")) {
                return textParts(children.get(0));
            }
            List<Entity> out = new ArrayList<>();
            children.forEach(c -> out.addAll(textParts(c)));
            return out;
        }
        String type = entity.getMimeType().toLowerCase(Locale.ROOT);
        boolean attached = "attachment".equalsIgnoreCase(entity.getDispositionType());
        return !attached && body instanceof SingleBody && (type.equals("text/plain") || type.equals("text/html"))
            ? List.of(entity) : List.of();
    }

    /** The part's new raw body, or null when its charset is unknown. */
    private static byte[] withDisclaimer(Entity part, ContentEdits.ApplyDisclaimer d) {
        Charset charset;
        try {
            charset = Charset.forName(part.getCharset());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String transfer = part.getContentTransferEncoding();
        String text;
        try (InputStream raw = ((SingleBody) part.getBody()).getInputStream()) {
            text = new String(MimeMessages.decodeTransfer(raw, transfer), charset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean html = part.getMimeType().equalsIgnoreCase("text/html");
        String changed = html ? html(text, d) : plain(text, d);
        if (!charset.newEncoder().canEncode(changed)) {
            charset = StandardCharsets.UTF_8;
            setCharset(part, charset);
        }
        byte[] decoded = changed.getBytes(charset);
        boolean sevenBit = transfer.equalsIgnoreCase(MimeUtil.ENC_7BIT);
        if (sevenBit && !MimeMessages.isAscii(changed)) {
            transfer = MimeUtil.ENC_QUOTED_PRINTABLE;
            part.getHeader().setField(MimeMessages.structuredField("Content-Transfer-Encoding", transfer));
        }
        return MimeMessages.encodeTransfer(decoded, transfer);
    }

    private static String plain(String body, ContentEdits.ApplyDisclaimer d) {
        String disclaimer = HtmlText.toText(d.text()).strip().replaceAll("\r?\n", CRLF);
        if (d.location() == TransportRule.DisclaimerLocation.Prepend) {
            return disclaimer + CRLF + CRLF + body;
        }
        String base = body.isEmpty() || body.endsWith("\n") ? body : body + CRLF;
        return base + CRLF + disclaimer + CRLF;
    }

    private static String html(String body, ContentEdits.ApplyDisclaimer d) {
        String block = "<div>" + d.text() + "</div>";
        if (d.location() == TransportRule.DisclaimerLocation.Prepend) {
            Matcher open = BODY_OPEN.matcher(body);
            return open.find() ? body.substring(0, open.end()) + block + CRLF + body.substring(open.end())
                : block + CRLF + body;
        }
        Matcher close = BODY_CLOSE.matcher(body);
        int at = -1;
        while (close.find()) {
            at = close.start();
        }
        return at >= 0 ? body.substring(0, at) + block + CRLF + body.substring(at) : body + CRLF + block + CRLF;
    }

    private static void setCharset(Entity part, Charset charset) {
        ContentTypeField type = (ContentTypeField) part.getHeader().getField("Content-Type");
        StringBuilder value = new StringBuilder(part.getMimeType());
        Map<String, String> parameters = type == null ? Map.of() : type.getParameters();
        parameters.forEach((name, v) -> {
            if (!name.equalsIgnoreCase("charset")) {
                value.append("; ").append(name).append("=\"").append(v).append('"');
            }
        });
        value.append("; charset=").append(charset.name().toLowerCase(Locale.ROOT));
        part.getHeader().setField(MimeMessages.structuredField("Content-Type", value.toString()));
    }

    /**
     * Exchange's Wrap: a new message, with the original's addressing fields, whose body is the
     * disclaimer (text and HTML) and which carries the original as a message/rfc822 attachment.
     */
    private static Message wrap(Message original, ContentEdits.ApplyDisclaimer d) {
        byte[] originalBytes = MimeMessages.writeRaw(original);
        try {
            Multipart alternative = MultipartBuilder.create("alternative")
                .addBodyPart(BodyPartBuilder.create().setBody(HtmlText.toText(d.text()).strip() + CRLF, "plain",
                    StandardCharsets.UTF_8).setContentTransferEncoding(MimeUtil.ENC_QUOTED_PRINTABLE))
                .addBodyPart(BodyPartBuilder.create().setBody("<html><body><div>" + d.text() + "</div></body></html>"
                    + CRLF, "html", StandardCharsets.UTF_8).setContentTransferEncoding(MimeUtil.ENC_QUOTED_PRINTABLE))
                .build();
            String attachedEncoding = MimeMessages.isAscii(new String(originalBytes, StandardCharsets.ISO_8859_1))
                ? MimeUtil.ENC_7BIT : MimeUtil.ENC_8BIT;
            Multipart mixed = MultipartBuilder.create("mixed")
                .addBodyPart(BodyPartBuilder.create().setBody(alternative)
                    .setContentType("multipart/alternative", boundary()))
                .addBodyPart(BodyPartBuilder.create()
                    .setBody(BasicBodyFactory.INSTANCE.binaryBody(originalBytes))
                    .setContentType("message/rfc822")
                    .setContentTransferEncoding(attachedEncoding)
                    .setContentDisposition("attachment"))
                .build();
            Message.Builder wrapper = Message.Builder.of();
            for (String name : WRAPPER_FIELDS) {
                for (Field f : original.getHeader().getFields(name)) {
                    wrapper.addField(f);
                }
            }
            wrapper.setField(MimeMessages.structuredField("MIME-Version", "1.0"));
            wrapper.setBody(mixed);
            wrapper.setContentType("multipart/mixed", boundary());
            // The new text parts still need their quoted-printable encoding: the standard writer does it.
            byte[] bytes = DefaultMessageWriter.asBytes(wrapper.build());
            return MimeMessages.parse(bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NameValuePair boundary() {
        return new NameValuePair("boundary", MimeUtil.createUniqueBoundary());
    }
}
