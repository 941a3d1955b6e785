package io.mailflow.delivery.conversion;

import io.mailflow.delivery.conversion.HeaderDowngrade.CannotDowngrade;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Content conversion for the next hop: the SMTP client calls it after EHLO, when the message needs
 * an extension the next hop did not announce. Two depths:
 * <ul>
 * <li>{@link #toSevenBit}: RFC 6152 §3, a server without 8BITMIME. Each leaf body with 8-bit
 * octets is re-encoded ({@link BodyEncoding}: quoted-printable or base64) and its
 * Content-Transfer-Encoding set; a text part without a charset gets the guessed one
 * ({@link Octets}); message/rfc822 and multipart parts are recursed, never encoded (RFC 2045
 * §6.4), and an {@code 8bit} label on them becomes {@code 7bit}; a message without MIME-Version
 * gets {@code MIME-Version: 1.0} once its body is encoded. Header fields as below.</li>
 * <li>{@link #asciiHeaders}: RFC 6531 §3.2 / RFC 6532, a server without SMTPUTF8: only header
 * fields with raw 8-bit text change, at every level ({@link HeaderDowngrade}).</li>
 * </ul>
 * Parsed with Mime4j's permissive parser without decoding, so every part that needs nothing keeps
 * its header fields and body octet for octet; a message with no 8-bit octet at all comes back as
 * the same array. Only multipart delimiter lines are rewritten by Mime4j (transport padding after
 * a boundary is dropped). 8-bit text in a multipart preamble or epilogue, which no reader shows,
 * is left as it is.
 */
public final class SevenBitDowngrade {

    /** What a conversion gave. */
    public sealed interface Outcome permits Converted, Impossible {
    }

    /**
     * The converted content; {@code content} is the input itself when nothing needed converting.
     *
     * @param headerFields header fields rewritten (at every level)
     * @param bodyParts    leaf bodies re-encoded
     */
    public record Converted(byte[] content, int headerFields, int bodyParts) implements Outcome {
        public Converted {
            Objects.requireNonNull(content, "content");
        }

        public boolean changed() {
            return headerFields + bodyParts > 0;
        }

        /** For the protocol log, e.g. "2 body parts re-encoded, 1 header field encoded". */
        public String summary() {
            return bodyParts + (bodyParts == 1 ? " body part" : " body parts") + " re-encoded, " + headerFields
                + (headerFields == 1 ? " header field" : " header fields") + " encoded";
        }
    }

    /** The message has 8-bit text no 7-bit form can carry (a non-ASCII local part in From:, …). */
    public record Impossible(String reason) implements Outcome {
    }

    private SevenBitDowngrade() {
    }

    /** Headers and bodies to 7 bit, for a next hop without 8BITMIME. */
    public static Outcome toSevenBit(byte[] content) {
        return convert(content, true);
    }

    /** Header fields only to ASCII, for a next hop without SMTPUTF8; bodies stay as they are. */
    public static Outcome asciiHeaders(byte[] content) {
        return convert(content, false);
    }

    private static Outcome convert(byte[] content, boolean bodies) {
        if (!Octets.hasEightBit(content)) {
            return new Converted(content, 0, 0);
        }
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        builder.setContentDecoding(false); // bodies stay as they arrived, so untouched parts are identical
        Walk walk = new Walk(bodies);
        try {
            Message message = builder.parseMessage(new ByteArrayInputStream(content));
            walk.entity(message, List.of());
            if (walk.bodyParts > 0 && message.getHeader().getField("MIME-Version") == null) {
                // RFC 2045 §4: the encoded body is MIME now, and only MIME-Version says so.
                message.getHeader().addField(HeaderDowngrade.field("MIME-Version: 1.0"));
            }
            if (walk.headerFields + walk.bodyParts == 0) {
                return new Converted(content, 0, 0);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 3);
            new AsHeldWriter().writeMessage(message, out);
            return new Converted(out.toByteArray(), walk.headerFields, walk.bodyParts);
        } catch (CannotDowngrade e) {
            return new Impossible(e.getMessage());
        } catch (IOException e) {
            return new Impossible("the content could not be read as MIME: " + e.getMessage());
        }
    }

    /** One conversion's walk over the parsed tree, counting what it changed. */
    private static final class Walk {
        private final boolean bodies;
        private int headerFields;
        private int bodyParts;

        Walk(boolean bodies) {
            this.bodies = bodies;
        }

        void entity(Entity entity, List<String> boundaries) throws CannotDowngrade, IOException {
            header(entity.getHeader());
            Body body = entity.getBody();
            if (body instanceof Multipart multipart) {
                List<String> inner = new ArrayList<>(boundaries);
                String boundary = contentType(entity) == null ? null : contentType(entity).getBoundary();
                if (boundary != null) {
                    inner.add(boundary);
                }
                for (Entity part : multipart.getBodyParts()) {
                    entity(part, inner);
                }
                relabelComposite(entity);
            } else if (body instanceof Message message) {
                entity(message, boundaries);
                relabelComposite(entity);
            } else if (bodies && body instanceof SingleBody single) {
                leaf(entity, single, boundaries);
            }
        }

        private void header(Header header) throws CannotDowngrade {
            List<Field> fields = new ArrayList<>(header.getFields());
            boolean changed = false;
            for (int i = 0; i < fields.size(); i++) {
                Field downgraded = HeaderDowngrade.downgrade(fields.get(i));
                if (downgraded != fields.get(i)) {
                    fields.set(i, downgraded);
                    headerFields++;
                    changed = true;
                }
            }
            if (changed) {
                // Rebuilt in order: Received and other repeated fields keep their places.
                for (Field f : List.copyOf(header.getFields())) {
                    header.removeFields(f.getName());
                }
                fields.forEach(header::addField);
            }
        }

        private void leaf(Entity entity, SingleBody body, List<String> boundaries) throws CannotDowngrade, IOException {
            byte[] raw;
            try (InputStream in = body.getInputStream()) {
                raw = in.readAllBytes();
            }
            if (!Octets.hasEightBit(raw)) {
                return;
            }
            byte[] decoded = decoded(raw, entity.getContentTransferEncoding());
            String type = entity.getMimeType().toLowerCase(Locale.ROOT);
            // message/* leaves (delivery-status, global…) are text to a reader, as RFC 6532 §3.5 treats message/global.
            boolean text = type.startsWith("text/") || type.startsWith("message/");
            ContentTypeField contentType = contentType(entity);
            if (type.startsWith("text/") && (contentType == null || contentType.getCharset() == null)) {
                // Unlabelled 8-bit text would read as US-ASCII once encoded (RFC 2045 §5.2).
                Charset charset = Octets.guessCharset(decoded);
                String value = contentType == null ? "text/plain" : MimeUtil.unfold(contentType.getBody()).strip();
                entity.getHeader().setField(HeaderDowngrade.field(MimeUtil.fold("Content-Type: " + value
                    + "; charset=" + charset.name().toLowerCase(Locale.ROOT), 0)));
            }
            BodyEncoding.Encoded encoded = BodyEncoding.encode(decoded, text, boundaries);
            entity.getHeader().setField(HeaderDowngrade.field("Content-Transfer-Encoding: "
                + encoded.transferEncoding()));
            entity.removeBody();
            entity.setBody(BasicBodyFactory.INSTANCE.binaryBody(encoded.body()));
            bodyParts++;
        }

        /** An {@code 8bit} or {@code binary} label on a multipart or message part is stale once its insides are 7-bit. */
        private void relabelComposite(Entity entity) throws CannotDowngrade {
            String cte = entity.getContentTransferEncoding();
            if (bodies && (MimeUtil.ENC_8BIT.equalsIgnoreCase(cte) || MimeUtil.ENC_BINARY.equalsIgnoreCase(cte))) {
                entity.getHeader().setField(HeaderDowngrade.field("Content-Transfer-Encoding: 7bit"));
            }
        }
    }

    private static ContentTypeField contentType(Entity entity) {
        return entity.getHeader().getField("Content-Type") instanceof ContentTypeField f ? f : null;
    }

    /** The body's octets before any transfer encoding; a mislabelled 7bit/8bit/binary body is taken as is. */
    private static byte[] decoded(byte[] raw, String transferEncoding) throws IOException {
        InputStream in;
        if (MimeUtil.isQuotedPrintableEncoded(transferEncoding)) {
            in = new QuotedPrintableInputStream(new ByteArrayInputStream(raw), DecodeMonitor.SILENT);
        } else if (MimeUtil.isBase64Encoding(transferEncoding)) {
            in = new Base64InputStream(new ByteArrayInputStream(raw), DecodeMonitor.SILENT);
        } else {
            return raw;
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    /**
     * Writes every body as the tree holds it: raw as parsed, or already encoded by the walk. The
     * exception is a message/rfc822 part that arrived base64 or quoted-printable (RFC 2045 §6.4
     * forbids it, yet it happens): Mime4j parsed it decoded, so it must be encoded again.
     */
    private static final class AsHeldWriter extends DefaultMessageWriter {
        private boolean encodeBody;

        @Override
        public void writeEntity(Entity entity, OutputStream out) throws IOException {
            encodeBody = entity.getBody() instanceof Message; // read by encodeStream before the body is written
            super.writeEntity(entity, out);
        }

        @Override
        protected OutputStream encodeStream(OutputStream out, String encoding, boolean binaryBody) throws IOException {
            return encodeBody ? super.encodeStream(out, encoding, binaryBody) : out;
        }
    }
}
