package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.stream.Field;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Mail flow rules: a read-only view of one message's content (RFC 5322 with CRLF, as the spool
 * keeps it) for the conditions of {@link TransportRuleEngine}: the top-level header fields with
 * encoded words decoded, the Subject, the text of the body (text/plain, and text/html without its
 * markup; attachments are not body), the attachments and the size. Parsed with Mime4j on first
 * use, once; the view is shared by every rule and recipient of one evaluation.
 */
public final class MessageView {
    /** One attachment: its file name (empty when it has none) and decoded size in octets. */
    public record Attachment(String name, long size) {
    }

    /** One top-level header field, its value decoded. */
    public record Header(String name, String value) {
    }

    private final byte[] content;
    private Parsed parsed;

    private record Parsed(List<Header> headers, String body, List<Attachment> attachments, boolean protectedContent) {
    }

    public MessageView(byte[] content) {
        this.content = content.clone();
    }

    /** The content as given. */
    public byte[] content() {
        return content.clone();
    }

    /** The total size in octets, message plus attachments, as MessageSizeOver measures it. */
    public long size() {
        return content.length;
    }

    public List<Header> headers() {
        return parsed().headers();
    }

    /** The decoded values of every field named {@code name} (any case), in order. */
    public List<String> headerValues(String name) {
        return headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    public Optional<String> header(String name) {
        return headerValues(name).stream().findFirst();
    }

    /** The decoded Subject, empty when there is none. */
    public String subject() {
        return header("Subject").orElse("");
    }

    /** The text of the body parts, HTML without its markup, parts separated by a line break. */
    public String bodyText() {
        return parsed().body();
    }

    public List<Attachment> attachments() {
        return parsed().attachments();
    }

    /**
     * True for a signed or encrypted message (multipart/signed, multipart/encrypted,
     * application/pkcs7-mime): its body cannot change without breaking it, so a disclaimer falls
     * back (ApplyHtmlDisclaimerFallbackAction).
     */
    public boolean isProtected() {
        return parsed().protectedContent();
    }

    /** The mailboxes of the From and Sender fields, as SenderAddressLocation Header reads the sender. */
    public List<SmtpAddress> headerSenders() {
        List<SmtpAddress> senders = new ArrayList<>();
        for (String name : List.of("From", "Sender")) {
            for (String value : headerValues(name)) {
                senders.addAll(addresses(value));
            }
        }
        return senders;
    }

    private static List<SmtpAddress> addresses(String value) {
        List<SmtpAddress> out = new ArrayList<>();
        AddressList list = LenientAddressParser.DEFAULT.parseAddressList(value);
        for (Address a : list) {
            List<Mailbox> boxes = a instanceof Group g ? g.getMailboxes() : a instanceof Mailbox m ? List.of(m) : List.of();
            for (Mailbox m : boxes) {
                SmtpAddress.parse(m.getAddress(), true).ifPresent(out::add);
            }
        }
        return out;
    }

    private Parsed parsed() {
        if (parsed == null) {
            parsed = parse();
        }
        return parsed;
    }

    private Parsed parse() {
        Message message = MimeMessages.parse(content, true);
        List<Header> headers = new ArrayList<>();
        for (Field f : message.getHeader().getFields()) {
            headers.add(new Header(f.getName(), MimeMessages.decoded(f)));
        }
        StringBuilder body = new StringBuilder();
        List<Attachment> attachments = new ArrayList<>();
        walk(message, true, body, attachments);
        return new Parsed(List.copyOf(headers), body.toString(), List.copyOf(attachments),
            Disclaimers.isProtected(message));
    }

    /** Text parts outside attachments are body; every other leaf, and every attached message, is an attachment. */
    private static void walk(Entity entity, boolean root, StringBuilder body, List<Attachment> attachments) {
        Body b = entity.getBody();
        if (b instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                walk(part, false, body, attachments);
            }
            return;
        }
        String type = entity.getMimeType().toLowerCase(Locale.ROOT);
        boolean attached = "attachment".equalsIgnoreCase(entity.getDispositionType()) || entity.getFilename() != null;
        if (!attached && b instanceof TextBody text && (type.equals("text/plain") || type.equals("text/html"))) {
            String t = read(text);
            body.append(type.equals("text/html") ? HtmlText.toText(t) : t).append('\n');
            return;
        }
        if (!root || attached) {
            attachments.add(new Attachment(entity.getFilename() == null ? "" : entity.getFilename(), size(b)));
        }
    }

    private static String read(TextBody text) {
        try (Reader r = text.getReader()) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Body body) {
        if (body instanceof SingleBody single) {
            try (InputStream in = single.getInputStream()) {
                return in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (body instanceof Message embedded) {
            return MimeMessages.writeRaw(embedded).length;
        }
        return 0;
    }
}
