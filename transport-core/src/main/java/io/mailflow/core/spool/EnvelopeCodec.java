package io.mailflow.core.spool;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.DsnNotify;
import io.mailflow.core.envelope.DsnReturn;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * EnvelopeCodec: the spool's record format for {@link Envelope}, used by {@link RocksDbSpool} on
 * every store and update and on recovery at start. A record is one format version byte followed
 * by the envelope written field by field with Kryo (DESIGN.md "Durability": registered classes,
 * versioned records). A record written by an older build stays readable: a new format gets a new
 * version number and its own reader here; the old reader stays.
 */
public final class EnvelopeCodec {

    /** The format this build writes. */
    static final byte FORMAT_V1 = 1;

    // Fixed registration ids: the format must not depend on the order classes were registered in.
    private static final int ID_SMTP_ADDRESS = 20;
    private static final int ID_RECIPIENT = 21;
    private static final int ID_ENVELOPE = 22;

    // Kryo instances are not thread-safe; sessions, queues and recovery encode concurrently.
    private static final Pool<Kryo> KRYOS = new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
            Kryo kryo = new Kryo();
            kryo.setRegistrationRequired(true);
            kryo.setReferences(false);
            kryo.register(SmtpAddress.class, new SmtpAddressSerializer(), ID_SMTP_ADDRESS);
            kryo.register(EnvelopeRecipient.class, new RecipientSerializer(), ID_RECIPIENT);
            kryo.register(Envelope.class, new EnvelopeSerializer(), ID_ENVELOPE);
            return kryo;
        }
    };

    private EnvelopeCodec() {
    }

    public static byte[] encode(Envelope envelope) {
        Kryo kryo = KRYOS.obtain();
        try {
            // 256 bytes covers a typical envelope; Output grows for large recipient lists.
            Output output = new Output(256, -1);
            output.writeByte(FORMAT_V1);
            kryo.writeObject(output, envelope);
            return output.toBytes();
        } catch (KryoException | IllegalArgumentException | NullPointerException e) {
            // A required field is null (receivedAt, bodyType, a recipient's address).
            throw new SpoolException("cannot encode envelope of InternalId " + envelope.internalId()
                + ": " + e.getMessage(), e);
        } finally {
            KRYOS.free(kryo);
        }
    }

    public static Envelope decode(byte[] record) {
        if (record.length == 0) {
            throw new SpoolException("corrupt envelope record: empty");
        }
        byte version = record[0];
        if (version != FORMAT_V1) {
            throw new SpoolException("envelope record has format version " + version
                + "; this build reads version " + FORMAT_V1);
        }
        Kryo kryo = KRYOS.obtain();
        try {
            Input input = new Input(record, 1, record.length - 1);
            return kryo.readObject(input, Envelope.class);
        } catch (KryoException | IllegalArgumentException e) {
            // IllegalArgumentException: a record that decodes to an impossible value (empty address part).
            throw new SpoolException("corrupt envelope record: " + e.getMessage(), e);
        } finally {
            KRYOS.free(kryo);
        }
    }

    /** Format v1 of an envelope. Strings go through Kryo's writeString, which encodes null. */
    private static final class EnvelopeSerializer extends Serializer<Envelope> {
        @Override
        public void write(Kryo kryo, Output out, Envelope e) {
            out.writeVarLong(e.internalId(), true);
            out.writeString(e.messageId());
            // A null Optional is treated as the null reverse-path, the only meaning it could have.
            SmtpAddress sender = e.sender() == null ? null : e.sender().orElse(null);
            kryo.writeObjectOrNull(out, sender, SmtpAddress.class);
            out.writeVarInt(e.recipients().size(), true);
            for (EnvelopeRecipient recipient : e.recipients()) {
                kryo.writeObject(out, recipient);
            }
            out.writeVarLong(e.receivedAt().getEpochSecond(), false);
            out.writeVarInt(e.receivedAt().getNano(), true);
            out.writeString(e.clientIp());
            out.writeString(e.clientHostname());
            out.writeString(e.connectorId());
            out.writeString(e.serverHostname());
            out.writeVarLong(e.size(), true);
            out.writeString(e.subject());
            out.writeByte(bodyTypeCode(e.bodyType()));
            out.writeBoolean(e.smtpUtf8());
            out.writeString(e.envelopeId());
            out.writeByte(e.dsnReturn() == null ? 0 : e.dsnReturn() == DsnReturn.HDRS ? 1 : 2);
            out.writeBoolean(e.delayNotified());
        }

        @Override
        public Envelope read(Kryo kryo, Input in, Class<? extends Envelope> type) {
            long internalId = in.readVarLong(true);
            String messageId = in.readString();
            Optional<SmtpAddress> sender = Optional.ofNullable(kryo.readObjectOrNull(in, SmtpAddress.class));
            int count = in.readVarInt(true);
            List<EnvelopeRecipient> recipients = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                recipients.add(kryo.readObject(in, EnvelopeRecipient.class));
            }
            Instant receivedAt = Instant.ofEpochSecond(in.readVarLong(false), in.readVarInt(true));
            String clientIp = in.readString();
            String clientHostname = in.readString();
            String connectorId = in.readString();
            String serverHostname = in.readString();
            long size = in.readVarLong(true);
            String subject = in.readString();
            BodyType bodyType = bodyType(in.readByte());
            boolean smtpUtf8 = in.readBoolean();
            String envelopeId = in.readString();
            byte ret = in.readByte();
            DsnReturn dsnReturn = switch (ret) {
                case 0 -> null;
                case 1 -> DsnReturn.HDRS;
                case 2 -> DsnReturn.FULL;
                default -> throw new SpoolException("unknown RET code " + ret + " in envelope record");
            };
            boolean delayNotified = in.readBoolean();
            return new Envelope(internalId, messageId, sender, recipients, receivedAt, clientIp, clientHostname,
                connectorId, serverHostname, size, subject, bodyType, smtpUtf8, envelopeId, dsnReturn, delayNotified);
        }
    }

    private static final class RecipientSerializer extends Serializer<EnvelopeRecipient> {
        @Override
        public void write(Kryo kryo, Output out, EnvelopeRecipient r) {
            kryo.writeObject(out, r.address());
            kryo.writeObjectOrNull(out, r.originalRecipient(), SmtpAddress.class);
            out.writeByte(statusCode(r.status()));
            out.writeString(r.lastResponse());
            int notify = 0;
            for (DsnNotify n : r.dsnNotify()) {
                notify |= 1 << n.ordinal();
            }
            out.writeByte(notify);
        }

        @Override
        public EnvelopeRecipient read(Kryo kryo, Input in, Class<? extends EnvelopeRecipient> type) {
            SmtpAddress address = kryo.readObject(in, SmtpAddress.class);
            SmtpAddress original = kryo.readObjectOrNull(in, SmtpAddress.class);
            RecipientStatus status = status(in.readByte());
            String lastResponse = in.readString();
            int bits = in.readByte();
            java.util.EnumSet<DsnNotify> notify = java.util.EnumSet.noneOf(DsnNotify.class);
            for (DsnNotify n : DsnNotify.values()) {
                if ((bits & (1 << n.ordinal())) != 0) {
                    notify.add(n);
                }
            }
            return new EnvelopeRecipient(address, original, status, lastResponse, notify);
        }
    }

    private static final class SmtpAddressSerializer extends Serializer<SmtpAddress> {
        @Override
        public void write(Kryo kryo, Output out, SmtpAddress a) {
            out.writeString(a.localPart());
            out.writeString(a.domain());
        }

        @Override
        public SmtpAddress read(Kryo kryo, Input in, Class<? extends SmtpAddress> type) {
            String localPart = in.readString();
            String domain = in.readString();
            if (localPart == null || domain == null) {
                throw new KryoException("address without local part or domain");
            }
            return new SmtpAddress(localPart, domain);
        }
    }

    // Enum codes are spelled out, not ordinals, so reordering an enum cannot change stored records.

    private static byte statusCode(RecipientStatus status) {
        return switch (status) {
            case Ready -> 0;
            case Delivered -> 1;
            case Failed -> 2;
        };
    }

    private static RecipientStatus status(byte code) {
        return switch (code) {
            case 0 -> RecipientStatus.Ready;
            case 1 -> RecipientStatus.Delivered;
            case 2 -> RecipientStatus.Failed;
            default -> throw new KryoException("unknown recipient status code " + code);
        };
    }

    private static byte bodyTypeCode(BodyType bodyType) {
        return switch (bodyType) {
            case SevenBit -> 0;
            case EightBitMime -> 1;
        };
    }

    private static BodyType bodyType(byte code) {
        return switch (code) {
            case 0 -> BodyType.SevenBit;
            case 1 -> BodyType.EightBitMime;
            default -> throw new KryoException("unknown body type code " + code);
        };
    }
}
