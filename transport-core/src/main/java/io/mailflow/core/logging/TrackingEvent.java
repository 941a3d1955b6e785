package io.mailflow.core.logging;

import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Message tracking: one line of the message tracking log, every stage of the pipeline writes
 * these (RECEIVE at the end of DATA, RESOLVE and EXPAND in the categorizer, SEND and DELIVER at
 * delivery...). The components are Exchange's {@code #Fields:} in order (exchange.md §7.1); a
 * string field not known is empty, never null. Build one with {@link #builder}:
 *
 * <pre>{@code
 * TrackingEvent.builder(TrackingEventId.RECEIVE, TrackingSource.SMTP)
 *     .envelope(envelope)
 *     .sourceContext("08DE2A1B3C4D5E6F;2026-11-22T10:00:00.000Z;0")
 *     .build();
 * }</pre>
 *
 * @param dateTime          when it happened; null until the log stamps it from its Clock
 * @param recipientAddress  multi-valued, written joined with {@code ;}
 * @param recipientStatus   multi-valued, one per recipient where known, written joined with {@code ;}
 */
public record TrackingEvent(Instant dateTime,
                            String clientIp,
                            String clientHostname,
                            String serverIp,
                            String serverHostname,
                            String sourceContext,
                            String connectorId,
                            TrackingSource source,
                            TrackingEventId eventId,
                            String internalMessageId,
                            String messageId,
                            String networkMessageId,
                            List<String> recipientAddress,
                            List<String> recipientStatus,
                            OptionalLong totalBytes,
                            OptionalInt recipientCount,
                            String relatedRecipientAddress,
                            String reference,
                            String messageSubject,
                            String senderAddress,
                            String returnPath,
                            String messageInfo,
                            String directionality,
                            String tenantId,
                            String originalClientIp,
                            String originalServerIp,
                            String customData,
                            String transportTrafficType,
                            String logId,
                            String schemaVersion) {

    public TrackingEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventId, "eventId");
        clientIp = orEmpty(clientIp);
        clientHostname = orEmpty(clientHostname);
        serverIp = orEmpty(serverIp);
        serverHostname = orEmpty(serverHostname);
        sourceContext = orEmpty(sourceContext);
        connectorId = orEmpty(connectorId);
        internalMessageId = orEmpty(internalMessageId);
        messageId = orEmpty(messageId);
        networkMessageId = orEmpty(networkMessageId);
        recipientAddress = recipientAddress == null ? List.of() : List.copyOf(recipientAddress);
        recipientStatus = recipientStatus == null ? List.of() : List.copyOf(recipientStatus);
        totalBytes = totalBytes == null ? OptionalLong.empty() : totalBytes;
        recipientCount = recipientCount == null ? OptionalInt.empty() : recipientCount;
        relatedRecipientAddress = orEmpty(relatedRecipientAddress);
        reference = orEmpty(reference);
        messageSubject = orEmpty(messageSubject);
        senderAddress = orEmpty(senderAddress);
        returnPath = orEmpty(returnPath);
        messageInfo = orEmpty(messageInfo);
        directionality = orEmpty(directionality);
        tenantId = orEmpty(tenantId);
        originalClientIp = orEmpty(originalClientIp);
        originalServerIp = orEmpty(originalServerIp);
        customData = orEmpty(customData);
        transportTrafficType = orEmpty(transportTrafficType);
        logId = orEmpty(logId);
        schemaVersion = orEmpty(schemaVersion);
    }

    public static Builder builder(TrackingEventId eventId, TrackingSource source) {
        return new Builder(eventId, source);
    }

    /** A builder holding this event's values, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder(eventId, source);
        b.dateTime = dateTime;
        b.clientIp = clientIp;
        b.clientHostname = clientHostname;
        b.serverIp = serverIp;
        b.serverHostname = serverHostname;
        b.sourceContext = sourceContext;
        b.connectorId = connectorId;
        b.internalMessageId = internalMessageId;
        b.messageId = messageId;
        b.networkMessageId = networkMessageId;
        b.recipientAddress = recipientAddress;
        b.recipientStatus = recipientStatus;
        b.totalBytes = totalBytes;
        b.recipientCount = recipientCount;
        b.relatedRecipientAddress = relatedRecipientAddress;
        b.reference = reference;
        b.messageSubject = messageSubject;
        b.senderAddress = senderAddress;
        b.returnPath = returnPath;
        b.messageInfo = messageInfo;
        b.directionality = directionality;
        b.tenantId = tenantId;
        b.originalClientIp = originalClientIp;
        b.originalServerIp = originalServerIp;
        b.customData = customData;
        b.transportTrafficType = transportTrafficType;
        b.logId = logId;
        b.schemaVersion = schemaVersion;
        return b;
    }

    /** The same event with its date-time set (the log stamps events that have none). */
    public TrackingEvent at(Instant when) {
        return toBuilder().dateTime(when).build();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Fills a {@link TrackingEvent}; every field but event-id and source is optional. */
    public static final class Builder {
        private final TrackingEventId eventId;
        private final TrackingSource source;
        private Instant dateTime;
        private String clientIp;
        private String clientHostname;
        private String serverIp;
        private String serverHostname;
        private String sourceContext;
        private String connectorId;
        private String internalMessageId;
        private String messageId;
        private String networkMessageId;
        private List<String> recipientAddress = List.of();
        private List<String> recipientStatus = List.of();
        private OptionalLong totalBytes = OptionalLong.empty();
        private OptionalInt recipientCount = OptionalInt.empty();
        private String relatedRecipientAddress;
        private String reference;
        private String messageSubject;
        private String senderAddress;
        private String returnPath;
        private String messageInfo;
        private String directionality;
        private String tenantId;
        private String originalClientIp;
        private String originalServerIp;
        private String customData;
        private String transportTrafficType;
        private String logId;
        private String schemaVersion;

        private Builder(TrackingEventId eventId, TrackingSource source) {
            this.eventId = Objects.requireNonNull(eventId);
            this.source = Objects.requireNonNull(source);
        }

        /**
         * Copies what the envelope knows: client IP and hostname, server hostname, connector,
         * internal and Message-ID, every recipient, size, recipient count, subject, sender and
         * return path.
         */
        public Builder envelope(Envelope envelope) {
            clientIp = envelope.clientIp();
            clientHostname = envelope.clientHostname();
            serverHostname = envelope.serverHostname();
            connectorId = envelope.connectorId();
            internalMessageId = Long.toString(envelope.internalId());
            messageId = envelope.messageId();
            recipientAddress = envelope.recipients().stream()
                .map(EnvelopeRecipient::address).map(Object::toString).toList();
            recipientCount = OptionalInt.of(envelope.recipients().size());
            totalBytes = OptionalLong.of(envelope.size());
            messageSubject = envelope.subject();
            senderAddress = envelope.senderText();
            returnPath = envelope.senderText();
            return this;
        }

        public Builder dateTime(Instant v) { dateTime = v; return this; }
        public Builder clientIp(String v) { clientIp = v; return this; }
        public Builder clientHostname(String v) { clientHostname = v; return this; }
        public Builder serverIp(String v) { serverIp = v; return this; }
        public Builder serverHostname(String v) { serverHostname = v; return this; }
        public Builder sourceContext(String v) { sourceContext = v; return this; }
        public Builder connectorId(String v) { connectorId = v; return this; }
        public Builder internalMessageId(String v) { internalMessageId = v; return this; }
        public Builder internalMessageId(long v) { internalMessageId = Long.toString(v); return this; }
        public Builder messageId(String v) { messageId = v; return this; }
        public Builder networkMessageId(String v) { networkMessageId = v; return this; }
        public Builder recipientAddress(List<String> v) { recipientAddress = v; return this; }
        public Builder recipientAddress(String... v) { recipientAddress = List.of(v); return this; }
        public Builder recipientStatus(List<String> v) { recipientStatus = v; return this; }
        public Builder recipientStatus(String... v) { recipientStatus = List.of(v); return this; }
        public Builder totalBytes(long v) { totalBytes = OptionalLong.of(v); return this; }
        public Builder recipientCount(int v) { recipientCount = OptionalInt.of(v); return this; }
        public Builder relatedRecipientAddress(String v) { relatedRecipientAddress = v; return this; }
        public Builder reference(String v) { reference = v; return this; }
        public Builder messageSubject(String v) { messageSubject = v; return this; }
        public Builder senderAddress(String v) { senderAddress = v; return this; }
        public Builder returnPath(String v) { returnPath = v; return this; }
        public Builder messageInfo(String v) { messageInfo = v; return this; }
        public Builder directionality(String v) { directionality = v; return this; }
        public Builder tenantId(String v) { tenantId = v; return this; }
        public Builder originalClientIp(String v) { originalClientIp = v; return this; }
        public Builder originalServerIp(String v) { originalServerIp = v; return this; }
        public Builder customData(String v) { customData = v; return this; }
        public Builder transportTrafficType(String v) { transportTrafficType = v; return this; }
        public Builder logId(String v) { logId = v; return this; }
        public Builder schemaVersion(String v) { schemaVersion = v; return this; }

        public TrackingEvent build() {
            return new TrackingEvent(dateTime, clientIp, clientHostname, serverIp, serverHostname, sourceContext,
                connectorId, source, eventId, internalMessageId, messageId, networkMessageId, recipientAddress,
                recipientStatus, totalBytes, recipientCount, relatedRecipientAddress, reference, messageSubject,
                senderAddress, returnPath, messageInfo, directionality, tenantId, originalClientIp,
                originalServerIp, customData, transportTrafficType, logId, schemaVersion);
        }
    }
}
