package io.mailflow.delivery.conversion;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.DefaultFieldParser;
import org.apache.james.mime4j.field.address.AddressFormatter;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.MimeUtil;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Content conversion, one header field: the 7-bit form of a field holding raw 8-bit text, which
 * only SMTPUTF8 (RFC 6532) allows. A field that is already ASCII is returned as it is.
 * <ul>
 * <li>Address fields (From, To, Cc, Reply-To, Resent-*…): parsed with Mime4j's strict address
 * parser; display names become RFC 2047 encoded-words, a non-ASCII domain its IDNA A-label. A
 * non-ASCII local part has no 7-bit form: the field cannot be downgraded.</li>
 * <li>Content-Type and Content-Disposition: parameters with non-ASCII values (a file name)
 * become RFC 2231 extended values, {@code filename*=utf-8''r%C3%A9sum%C3%A9.pdf}.</li>
 * <li>Other structured fields (Received, Message-ID, Date…): no 7-bit form; cannot.</li>
 * <li>Every other field is unstructured text (Subject, Comments, X-…, RFC 2047 §5 (1)): its value
 * becomes UTF-8 encoded-words.</li>
 * </ul>
 * Rewritten fields are folded at whitespace so no line passes 76 characters (RFC 5322 §2.1.1's
 * 78, with the margin Mime4j keeps). Comments inside address fields are dropped.
 */
final class HeaderDowngrade {

    /** The field has non-ASCII text that no 7-bit form can carry. */
    static final class CannotDowngrade extends Exception {
        CannotDowngrade(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc",
        "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc", "disposition-notification-to");
    private static final Set<String> PARAMETER_FIELDS = Set.of("content-type", "content-disposition");
    private static final Set<String> STRUCTURED_FIELDS = Set.of("received", "return-path", "message-id",
        "in-reply-to", "references", "resent-message-id", "date", "resent-date", "mime-version",
        "content-transfer-encoding", "content-id", "dkim-signature", "authentication-results", "arc-seal",
        "arc-message-signature", "arc-authentication-results", "list-id", "list-unsubscribe", "list-post");
    /** RFC 2231 attribute-char: what an extended value may carry without %-encoding. */
    private static final String ATTRIBUTE_CHARS = "!#$&+-.^_`|~";

    private HeaderDowngrade() {
    }

    static boolean isEightBit(Field field) {
        return Octets.hasEightBit(raw(field));
    }

    /** {@code field} itself when it is ASCII, else its 7-bit form. */
    static Field downgrade(Field field) throws CannotDowngrade {
        byte[] raw = raw(field);
        if (!Octets.hasEightBit(raw)) {
            return field;
        }
        String text = Octets.decodeGuessing(raw);
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon).strip();
        if (colon < 0 || !Octets.isAscii(name)) {
            throw new CannotDowngrade("a header field name is not ASCII");
        }
        String value = MimeUtil.unfold(text.substring(colon + 1)).strip();
        String lower = name.toLowerCase(Locale.ROOT);
        String encoded;
        if (ADDRESS_FIELDS.contains(lower)) {
            encoded = addresses(name, value);
        } else if (PARAMETER_FIELDS.contains(lower)) {
            encoded = parameters(name, value);
        } else if (STRUCTURED_FIELDS.contains(lower)
            || lower.startsWith("content-") && !lower.equals("content-description")) {
            throw new CannotDowngrade("the " + name + " header field has non-ASCII text and no ASCII form");
        } else {
            encoded = EncoderUtil.encodeEncodedWord(value, EncoderUtil.Usage.TEXT_TOKEN, name.length() + 2,
                StandardCharsets.UTF_8, null);
        }
        return field(MimeUtil.fold(name + ": " + encoded, 0));
    }

    /** A field from its complete ASCII text (name, colon, folded value). */
    static Field field(String text) throws CannotDowngrade {
        try {
            return DefaultFieldParser.parse(text);
        } catch (MimeException e) {
            throw new CannotDowngrade("the rewritten field '" + text + "' does not parse: " + e.getMessage());
        }
    }

    private static String addresses(String name, String value) throws CannotDowngrade {
        AddressList list;
        try {
            list = DefaultAddressParser.DEFAULT.parseAddressList(value);
        } catch (ParseException e) {
            throw new CannotDowngrade("the " + name + " header field has non-ASCII text and is not an address list");
        }
        StringBuilder out = new StringBuilder();
        for (Address address : list) {
            if (out.length() > 0) {
                out.append(", ");
            }
            if (address instanceof Group group) {
                List<Mailbox> members = new ArrayList<>();
                for (Mailbox m : group.getMailboxes()) {
                    members.add(asciiMailbox(name, m));
                }
                AddressFormatter.DEFAULT.encode(out, new Group(group.getName(), members));
            } else {
                AddressFormatter.DEFAULT.encode(out, asciiMailbox(name, (Mailbox) address));
            }
        }
        return out.toString();
    }

    private static Mailbox asciiMailbox(String field, Mailbox m) throws CannotDowngrade {
        if (!Octets.isAscii(m.getLocalPart())) {
            throw new CannotDowngrade("the address " + m.getAddress() + " in the " + field
                + " header field has a non-ASCII local part");
        }
        String domain = m.getDomain();
        if (domain != null && !Octets.isAscii(domain)) {
            try {
                domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new CannotDowngrade("the domain " + domain + " in the " + field + " header field is not IDNA");
            }
        }
        return new Mailbox(m.getName(), m.getRoute(), m.getLocalPart(), domain);
    }

    private static String parameters(String name, String value) throws CannotDowngrade {
        // Mime4j's raw parser reads the octets as UTF-8, which they are once re-encoded here.
        byte[] utf8 = (name + ": " + value).getBytes(StandardCharsets.UTF_8);
        RawField raw;
        try {
            raw = RawFieldParser.DEFAULT.parseField(new ByteArrayBuffer(utf8, true));
        } catch (MimeException e) {
            throw new CannotDowngrade("the " + name + " header field does not parse: " + e.getMessage());
        }
        RawBody body = RawFieldParser.DEFAULT.parseRawBody(raw);
        StringBuilder out = new StringBuilder(body.getValue());
        for (NameValuePair p : body.getParams()) {
            out.append("; ");
            String v = p.getValue() == null ? "" : p.getValue();
            if (Octets.isAscii(v)) {
                out.append(EncoderUtil.encodeHeaderParameter(p.getName(), v));
            } else {
                out.append(p.getName()).append("*=utf-8''").append(percentEncoded(v));
            }
        }
        return out.toString();
    }

    /** RFC 2231 §4 extended value: UTF-8 octets, %-encoded outside attribute-char. */
    private static String percentEncoded(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || ATTRIBUTE_CHARS.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The field's octets as they arrived; a field Mime4j made itself has no raw form. */
    private static byte[] raw(Field field) {
        ByteSequence raw = field.getRaw();
        if (raw != null) {
            return raw.toByteArray();
        }
        return (field.getName() + ": " + field.getBody()).getBytes(StandardCharsets.UTF_8);
    }
}
