package io.mailflow.categorizer.rules;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.Base64OutputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.field.DefaultFieldParser;
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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Mail flow rules: the Mime4j settings the rules read and rewrite messages with. Messages are
 * parsed permissively (a rule never refuses mail for its MIME), and rewritten "raw": bodies stay
 * in their transfer encoding and untouched header fields keep their original bytes, so a rewrite
 * changes only what an action changed. Header fields an action writes are RFC 2047-encoded when
 * not ASCII and folded at 78 columns.
 */
final class MimeMessages {
    static final int FOLD_COLUMNS = 78;

    private MimeMessages() {
    }

    /** The message; {@code decode} false keeps each body in its transfer encoding, for rewriting. */
    static Message parse(byte[] content, boolean decode) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        builder.setContentDecoding(decode);
        try {
            return builder.parseMessage(new ByteArrayInputStream(content));
        } catch (IOException e) {
            // In memory, so only Mime4j's MimeIOException: the permissive config makes it rare.
            throw new IllegalArgumentException("unreadable message: " + e.getMessage(), e);
        }
    }

    /** A message parsed with {@code decode} false, written back with its bodies as they are. */
    static byte[] writeRaw(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new RawWriter().writeMessage(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A header field's value with its encoded words decoded (RFC 2047), unfolded. */
    static String decoded(Field field) {
        String body = field.getBody() == null ? "" : MimeUtil.unfold(field.getBody());
        return DecoderUtil.decodeEncodedWords(body, DecodeMonitor.SILENT).strip();
    }

    /** {@code name: value} as a field: RFC 2047 encoded words when not ASCII, folded at 78 columns. */
    static Field field(String name, String value) {
        String encoded = EncoderUtil.encodeIfNecessary(value, EncoderUtil.Usage.TEXT_TOKEN, name.length() + 2);
        return structuredField(name, encoded);
    }

    /** {@code name: value} for a value that is already in header syntax (an address list), folded. */
    static Field structuredField(String name, String value) {
        String folded = MimeUtil.fold(name + ": " + value, 0, FOLD_COLUMNS);
        try {
            return DefaultFieldParser.parse(folded);
        } catch (MimeException e) {
            throw new IllegalArgumentException("cannot write header field " + name + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a body from its Content-Transfer-Encoding (7bit, 8bit and binary pass through). */
    static byte[] decodeTransfer(InputStream raw, String transferEncoding) throws IOException {
        InputStream in = raw;
        if (MimeUtil.isBase64Encoding(transferEncoding)) {
            in = new Base64InputStream(raw, DecodeMonitor.SILENT);
        } else if (MimeUtil.isQuotedPrintableEncoded(transferEncoding)) {
            in = new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
        }
        return in.readAllBytes();
    }

    /** Encodes a body for {@code transferEncoding}, lines ending in CRLF. */
    static byte[] encodeTransfer(byte[] decoded, String transferEncoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (MimeUtil.isBase64Encoding(transferEncoding)) {
                try (OutputStream b64 = new Base64OutputStream(out)) {
                    b64.write(decoded);
                }
            } else if (MimeUtil.isQuotedPrintableEncoded(transferEncoding)) {
                try (OutputStream qp = new QuotedPrintableOutputStream(out, false)) {
                    qp.write(decoded);
                }
            } else {
                out.write(decoded);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static boolean isAscii(String text) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(text);
    }

    /** Writes bodies as stored: with content decoding off they are still in their transfer encoding. */
    private static final class RawWriter extends DefaultMessageWriter {
        @Override
        protected OutputStream encodeStream(OutputStream out, String encoding, boolean binaryBody) {
            return out;
        }
    }
}
