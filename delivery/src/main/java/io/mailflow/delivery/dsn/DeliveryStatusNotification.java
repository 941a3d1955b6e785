package io.mailflow.delivery.dsn;

import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * DSN generation: delivery stage, called by a delivery queue when recipients fail (NDR), when a
 * message's DelayNotificationTimeout passes (delay DSN, see RetrySchedule) and when recipients
 * are delivered or relayed; the categorizer calls it for recipients its resolver refuses. Emits
 * complete RFC 5322 messages for the Submission queue, each sent {@code MAIL FROM:<>} to the
 * original sender.
 *
 * <p>Each DSN is a {@code multipart/report; report-type=delivery-status} (RFC 6522) of three
 * parts in order: the human-readable {@code text/plain} in Exchange's NDR layout
 * ({@link HumanReadablePart}), the {@code message/delivery-status} report of RFC 3464
 * ({@link DeliveryStatusReport}), and what RET asks to return of the original (RFC 3461 §4.3):
 * its header as {@code text/rfc822-headers} (RET=HDRS, the default) or the whole message as
 * {@code message/rfc822} (RET=FULL). The original header is read with Apache Mime4j; the MIME
 * text around it is written here, with one boundary per DSN that no part contains.
 *
 * <p>Rules (RFC 3461 §6, RFC 5321 §4.5.5):
 * <ul>
 *   <li>A message whose envelope sender is the null reverse-path {@code <>}, a DSN among them,
 *       never gets a DSN: that is what stops DSN loops. {@link Builder#build()} returns nothing.</li>
 *   <li>A recipient gets into a DSN only if its NOTIFY asks for that action: FAILURE for failed,
 *       DELAY for delayed, SUCCESS for delivered and relayed; NEVER for none. Without NOTIFY the
 *       default is FAILURE,DELAY, so a success DSN is sent only on NOTIFY=SUCCESS.</li>
 *   <li>One DSN per action: recipients that failed and recipients that were delivered in the same
 *       attempt give an NDR and a delivery DSN, in the order failed, delayed, delivered, relayed.</li>
 * </ul>
 *
 * <p>The DSN's header: {@code From: Mailflow Delivery System <postmaster@DOMAIN>}, DOMAIN being
 * the organization's default accepted domain (Exchange sends NDRs from the postmaster of that
 * domain; Mailflow names itself instead of Exchange's "Microsoft Outlook"), {@code To:} the
 * original sender, {@code Subject:} Exchange's prefix (Undeliverable:, Delivery delayed:,
 * Delivered:, Relayed:) and the original subject, {@code Date}, a fresh {@code Message-ID}
 * {@code <uuid@reporting-mta>} (a name-based UUID of the DSN's inputs, so the same report is the
 * same message however often it is built), {@code In-Reply-To} and {@code References} naming the
 * original, {@code Auto-Submitted: auto-replied} (RFC 3834), {@code MIME-Version: 1.0},
 * {@code Content-Language: en-US}, and on an NDR the empty {@code X-MS-Exchange-Message-Is-Ndr:}
 * that Exchange sets. Every line ends in CRLF and none passes 998 octets; an original whose
 * lines are longer is returned as headers only, even with RET=FULL.
 *
 * <pre>{@code
 * List<DsnMessage> dsns = DeliveryStatusNotification.builder()
 *     .reportingMta("ex01.contoso.com")
 *     .postmasterDomain("contoso.com")
 *     .original(OriginalMessage.of(envelope, content, DsnReturn.HDRS))
 *     .recipient(RecipientNotice.failed(SmtpAddress.of("bob@contoso.com"),
 *         SmtpReply.of(550, "5.1.1", "RESOLVER.ADR.ExRecipNotFound; not found"), clock.now()))
 *     .date(clock.now())
 *     .build();
 * }</pre>
 */
public final class DeliveryStatusNotification {

    /** The display name of the DSN's From. */
    public static final String FROM_DISPLAY_NAME = "Mailflow Delivery System";

    /** The local part of the DSN's From: the postmaster of the default accepted domain (RFC 5321 §4.5.1). */
    public static final String FROM_LOCAL_PART = "postmaster";

    private DeliveryStatusNotification() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The inputs of one or more DSNs about one message. */
    public static final class Builder {
        private String reportingMta;
        private String postmasterDomain;
        private OriginalMessage original;
        private final List<RecipientNotice> recipients = new ArrayList<>();
        private Instant date;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        /** The FQDN of the server writing the DSN (Reporting-MTA, "Generating server"). Required. */
        public Builder reportingMta(String fqdn) {
            this.reportingMta = Objects.requireNonNull(fqdn);
            return this;
        }

        /** The default accepted domain, whose postmaster sends the DSN; the reporting MTA's FQDN when not set. */
        public Builder postmasterDomain(String domain) {
            this.postmasterDomain = Objects.requireNonNull(domain);
            return this;
        }

        /** The message reported on. Required. */
        public Builder original(OriginalMessage message) {
            this.original = Objects.requireNonNull(message);
            return this;
        }

        public Builder recipient(RecipientNotice notice) {
            recipients.add(Objects.requireNonNull(notice));
            return this;
        }

        public Builder recipients(List<RecipientNotice> notices) {
            notices.forEach(this::recipient);
            return this;
        }

        /** When the DSN is written (its Date), from the injected Clock. Required. */
        public Builder date(Instant now) {
            this.date = Objects.requireNonNull(now);
            return this;
        }

        /** The zone dates are written in; UTC unless set. */
        public Builder zone(ZoneId zoneId) {
            this.zone = Objects.requireNonNull(zoneId);
            return this;
        }

        /**
         * The DSNs owed: none for a null sender or when no recipient's NOTIFY asks for one,
         * otherwise one per action present, in the order failed, delayed, delivered, relayed.
         */
        public List<DsnMessage> build() {
            Objects.requireNonNull(reportingMta, "reportingMta");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(date, "date");
            if (original.envelopeSender().isEmpty()) {
                return List.of();
            }
            List<RecipientNotice> wanted = recipients.stream().filter(RecipientNotice::wantsNotice).toList();
            if (wanted.isEmpty()) {
                return List.of();
            }
            OriginalHeaders headers = OriginalHeaders.parse(original.content());
            List<DsnMessage> out = new ArrayList<>();
            for (DsnAction action : DsnAction.values()) {
                List<RecipientNotice> these = wanted.stream().filter(r -> r.action() == action).toList();
                if (!these.isEmpty()) {
                    out.add(write(action, these, headers));
                }
            }
            return List.copyOf(out);
        }

        private DsnMessage write(DsnAction action, List<RecipientNotice> notices, OriginalHeaders headers) {
            SmtpAddress sender = original.envelopeSender().orElseThrow();
            Part text = textPart(HumanReadablePart.render(action, notices, headers.subject(), reportingMta, date, zone));
            Part status = statusPart(DeliveryStatusReport.render(reportingMta, original, notices, zone));
            Part returned = returnedPart(headers);
            List<Part> parts = List.of(text, status, returned);

            byte[] digest = digest(action, notices);
            String messageId = "<" + UUID.nameUUIDFromBytes(digest) + "@" + reportingMta + ">";
            String boundary = boundary(digest, parts);
            String reportType = status.contentType().startsWith("message/global") ? "global-delivery-status"
                : "delivery-status";

            StringBuilder header = new StringBuilder();
            String domain = postmasterDomain != null ? postmasterDomain : reportingMta;
            header.append(MimeText.field("From", FROM_DISPLAY_NAME + " <" + FROM_LOCAL_PART + "@" + domain + ">"));
            header.append(MimeText.field("To", "<" + sender + ">"));
            header.append(MimeText.field("Subject", EncoderUtil.encodeIfNecessary(
                action.subjectPrefix() + headers.subject().orElse(""), EncoderUtil.Usage.TEXT_TOKEN, 9)));
            header.append(MimeText.field("Date", MimeText.date(date, zone)));
            header.append(MimeText.field("Message-ID", messageId));
            headers.messageId().ifPresent(id -> {
                header.append(MimeText.field("In-Reply-To", id));
                header.append(MimeText.field("References", id));
            });
            header.append(MimeText.field("Auto-Submitted", "auto-replied"));
            header.append(MimeText.field("MIME-Version", "1.0"));
            header.append(MimeText.field("Content-Language", "en-US"));
            if (action == DsnAction.FAILED) {
                header.append(MimeText.field("X-MS-Exchange-Message-Is-Ndr", ""));
            }
            header.append(MimeText.field("Content-Type", "multipart/report; report-type=" + reportType
                + "; boundary=\"" + boundary + "\""));
            header.append(MimeText.CRLF);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
            for (Part part : parts) {
                out.writeBytes(("--" + boundary + MimeText.CRLF).getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(MimeText.field("Content-Type", part.contentType()).getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(MimeText.field("Content-Transfer-Encoding", part.encoding())
                    .getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(MimeText.CRLF.getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(part.body());
                // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1): the part keeps its own.
                out.writeBytes(MimeText.CRLF.getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes(("--" + boundary + "--" + MimeText.CRLF).getBytes(StandardCharsets.US_ASCII));
            byte[] content = out.toByteArray();
            boolean utf8Header = !MimeText.isAscii(sender.toString());
            return new DsnMessage(sender.toString(), content, messageId, action,
                MimeText.isAscii(content) ? BodyType.SevenBit : BodyType.EightBitMime, utf8Header);
        }

        /** US-ASCII as 7bit; other text as UTF-8 in quoted-printable (Mime4j's encoder), so the part stays 7-bit. */
        private static Part textPart(String text) {
            if (MimeText.isAscii(text)) {
                return new Part("text/plain; charset=us-ascii", "7bit", text.getBytes(StandardCharsets.US_ASCII));
            }
            ByteArrayOutputStream qp = new ByteArrayOutputStream();
            try (QuotedPrintableOutputStream encoder = new QuotedPrintableOutputStream(qp, false)) {
                encoder.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Part("text/plain; charset=utf-8", "quoted-printable", MimeText.crlf(qp.toByteArray()));
        }

        private static Part statusPart(String report) {
            return MimeText.isAscii(report)
                ? new Part("message/delivery-status", "7bit", report.getBytes(StandardCharsets.US_ASCII))
                : new Part("message/global-delivery-status", "8bit", report.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * RET=FULL: the whole message as {@code message/rfc822} ({@code message/global} when its
         * header is UTF-8, RFC 6532), unless a line is too long to travel; otherwise the header as
         * {@code text/rfc822-headers} ({@code message/global-headers} when UTF-8, RFC 6533).
         */
        private Part returnedPart(OriginalHeaders headers) {
            boolean asciiHeader = MimeText.isAscii(headers.fields());
            if (original.ret() == DsnReturn.FULL) {
                byte[] full = MimeText.crlf(original.content());
                if (MimeText.longestLine(full) <= MimeText.MAX_LINE) {
                    return new Part(asciiHeader ? "message/rfc822" : "message/global",
                        MimeText.isAscii(full) ? "7bit" : "8bit", full);
                }
            }
            StringBuilder lines = new StringBuilder();
            String fields = new String(headers.fields(), StandardCharsets.UTF_8);
            for (String line : fields.split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                for (String piece : MimeText.limit(line, true)) {
                    lines.append(piece).append(MimeText.CRLF);
                }
            }
            return asciiHeader
                ? new Part("text/rfc822-headers", "7bit", lines.toString().getBytes(StandardCharsets.US_ASCII))
                : new Part("message/global-headers", "8bit", lines.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** A digest of everything the DSN says, so that equal reports get equal Message-IDs and boundaries. */
        private byte[] digest(DsnAction action, List<RecipientNotice> notices) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                StringBuilder s = new StringBuilder()
                    .append(reportingMta).append('\n').append(date).append('\n').append(action).append('\n')
                    .append(original.envelopeSender().map(SmtpAddress::toString).orElse("")).append('\n')
                    .append(original.envelopeId().orElse("")).append('\n').append(original.arrival()).append('\n');
                for (RecipientNotice r : notices) {
                    s.append(r.finalRecipient()).append(' ').append(r.reply().toLogString()).append(' ')
                        .append(r.lastAttempt()).append('\n');
                }
                sha.update(s.toString().getBytes(StandardCharsets.UTF_8));
                sha.update(original.content());
                return sha.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** {@code =_Mailflow_} and hex of the digest, lengthened until no part contains it (RFC 2046 §5.1.1). */
        private static String boundary(byte[] digest, List<Part> parts) {
            String hex = HexFormat.of().formatHex(digest);
            String candidate = "=_Mailflow_" + hex.substring(0, 32);
            for (int extra = 0; anyContains(parts, candidate); extra++) {
                candidate = "=_Mailflow_" + hex.substring(0, 32) + "_" + extra;
            }
            return candidate;
        }

        private static boolean anyContains(List<Part> parts, String boundary) {
            byte[] needle = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
            for (Part part : parts) {
                if (indexOf(part.body(), needle) >= 0) {
                    return true;
                }
            }
            return false;
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** One body part: its Content-Type, Content-Transfer-Encoding and CRLF-ended body. */
    private record Part(String contentType, String encoding, byte[] body) {
    }
}
