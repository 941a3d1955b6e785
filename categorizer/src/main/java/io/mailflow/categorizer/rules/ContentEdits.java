package io.mailflow.categorizer.rules;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.organization.TransportRule;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.stream.Field;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Mail flow rules: the content changes the rules decided for one bifurcated copy, in the order
 * the rules ran (PrependSubject, SetHeaderName/SetHeaderValue, RemoveHeader, AddToRecipients,
 * ApplyHtmlDisclaimerText). A value: copies with equal edits share one delivery. Delivery calls
 * {@link #apply} on the spooled content; what no edit touches keeps its bytes (Mime4j rewrites
 * only the changed header fields and body parts).
 *
 * @param edits the operations, applied in order
 */
public record ContentEdits(List<Edit> edits) {

    /** One content operation. */
    public sealed interface Edit permits PrependSubject, SetHeader, RemoveHeader, AddToRecipients, ApplyDisclaimer {
    }

    /** PrependSubject: {@code prefix} goes before the decoded Subject (a Subject is created when there is none). */
    public record PrependSubject(String prefix) implements Edit {
        public PrependSubject {
            Objects.requireNonNull(prefix);
        }
    }

    /** SetHeaderName/SetHeaderValue: replaces the field in place, or adds it at the end of the header. */
    public record SetHeader(String name, String value) implements Edit {
        public SetHeader {
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }
    }

    /** RemoveHeader: removes every field of that name. */
    public record RemoveHeader(String name) implements Edit {
        public RemoveHeader {
            Objects.requireNonNull(name);
        }
    }

    /** AddToRecipients: the addresses are added to the To field (the engine adds them as recipients). */
    public record AddToRecipients(List<SmtpAddress> addresses) implements Edit {
        public AddToRecipients {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * ApplyHtmlDisclaimerText with its location and fallback. Text parts get the disclaimer
     * without tags, HTML parts as written. When the body cannot be changed (signed or encrypted)
     * Wrap puts the original in a new message whose body is the disclaimer, and Ignore leaves
     * the message as it is; Reject never reaches here (the engine rejects instead).
     */
    public record ApplyDisclaimer(String text, TransportRule.DisclaimerLocation location,
                                  TransportRule.DisclaimerFallbackAction fallback) implements Edit {
        public ApplyDisclaimer {
            Objects.requireNonNull(text);
            Objects.requireNonNull(location);
            Objects.requireNonNull(fallback);
        }
    }

    /** No change: the content is delivered as received. */
    public static final ContentEdits NONE = new ContentEdits(List.of());

    public ContentEdits {
        edits = List.copyOf(edits);
    }

    public boolean isEmpty() {
        return edits.isEmpty();
    }

    /** These edits followed by {@code more}. */
    public ContentEdits plus(List<Edit> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Edit> all = new ArrayList<>(edits);
        all.addAll(more);
        return new ContentEdits(all);
    }

    /**
     * The content with every edit applied, in order.
     *
     * @param content RFC 5322 with CRLF line endings, as spooled
     * @return new content; {@code content} itself is not changed
     */
    public byte[] apply(byte[] content) {
        if (edits.isEmpty()) {
            return content.clone();
        }
        Message message = MimeMessages.parse(content, false);
        for (Edit edit : edits) {
            message = apply(message, edit);
        }
        return MimeMessages.writeRaw(message);
    }

    private static Message apply(Message message, Edit edit) {
        var header = message.getHeader();
        if (edit instanceof PrependSubject p) {
            Field subject = header.getField("Subject");
            String current = subject == null ? "" : MimeMessages.decoded(subject);
            header.setField(MimeMessages.field("Subject", p.prefix() + current));
        } else if (edit instanceof SetHeader s) {
            Field field = MimeMessages.field(s.name(), s.value());
            if (header.getField(s.name()) != null) {
                header.setField(field);
            } else {
                header.addField(field);
            }
        } else if (edit instanceof RemoveHeader r) {
            header.removeFields(r.name());
        } else if (edit instanceof AddToRecipients a) {
            addTo(message, a.addresses());
        } else if (edit instanceof ApplyDisclaimer d) {
            return Disclaimers.apply(message, d);
        }
        return message;
    }

    private static void addTo(Message message, List<SmtpAddress> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>();
        Field to = message.getHeader().getField("To");
        if (to != null && to.getBody() != null && !to.getBody().isBlank()) {
            all.add(org.apache.james.mime4j.util.MimeUtil.unfold(to.getBody()).strip());
        }
        addresses.forEach(a -> all.add(a.toString()));
        Field field = MimeMessages.structuredField("To", String.join(", ", all));
        if (to != null) {
            message.getHeader().setField(field);
        } else {
            message.getHeader().addField(field);
        }
    }
}
