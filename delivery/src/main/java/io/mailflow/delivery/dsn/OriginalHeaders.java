package io.mailflow.delivery.dsn;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * DSN: the header of the original message, read with Mime4j's permissive parser: the fields
 * exactly as they arrived (returned as {@code text/rfc822-headers}, RFC 6522 / RFC 3462), the
 * decoded Subject (for the DSN's Subject and text) and the Message-ID (for In-Reply-To and
 * References). A message without a header, or one Mime4j cannot read, gives an empty header: the
 * DSN is still owed.
 *
 * @param fields    the raw header fields, folded as they arrived, each line ending in CRLF
 * @param subject   the Subject with encoded-words decoded (RFC 2047), if there is one
 * @param messageId the Message-ID value, e.g. {@code <1@fabrikam.com>}, if there is one
 */
record OriginalHeaders(byte[] fields, Optional<String> subject, Optional<String> messageId) {

    /** Reads the header of {@code content} (header, blank line, body; CRLF or bare LF). */
    static OriginalHeaders parse(byte[] content) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Header header;
        try {
            header = builder.parseHeader(new ByteArrayInputStream(content));
        } catch (IOException e) {
            return new OriginalHeaders(new byte[0], Optional.empty(), Optional.empty());
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Field field : header.getFields()) {
            byte[] bytes = rawBytes(field);
            raw.writeBytes(bytes);
            raw.writeBytes(MimeText.CRLF.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] fields = MimeText.crlf(raw.toByteArray());
        return new OriginalHeaders(fields, text(header, "Subject").map(OriginalHeaders::decode),
            text(header, "Message-ID").map(String::trim).filter(s -> !s.isEmpty()));
    }

    /** The field as it arrived; a field Mime4j made itself has no raw form and is written name: body. */
    private static byte[] rawBytes(Field field) {
        ByteSequence raw = field.getRaw();
        if (raw != null) {
            return raw.toByteArray();
        }
        return (field.getName() + ": " + field.getBody()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The unfolded value of the first field {@code name}, read as UTF-8 from the raw octets so
     * that an SMTPUTF8 header (RFC 6532) keeps its characters.
     */
    private static Optional<String> text(Header header, String name) {
        List<Field> fields = header.getFields(name);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String whole = new String(rawBytes(fields.get(0)), StandardCharsets.UTF_8);
        int colon = whole.indexOf(':');
        String value = colon < 0 ? "" : whole.substring(colon + 1);
        return Optional.of(MimeUtil.unfold(value).trim());
    }

    private static String decode(String value) {
        return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
    }
}
