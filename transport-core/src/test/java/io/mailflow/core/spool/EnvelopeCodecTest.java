package io.mailflow.core.spool;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;
import io.mailflow.core.envelope.RecipientStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EnvelopeCodec: the spool's envelope record survives a round trip; records it cannot read are refused. */
class EnvelopeCodecTest {

    private static Envelope fullEnvelope() {
        SmtpAddress ready = SmtpAddress.of("alice@contoso.com");
        SmtpAddress rewritten = SmtpAddress.of("Bob.Smith@contoso.com");
        SmtpAddress original = SmtpAddress.of("bob@contoso.com");
        return new Envelope(4_294_967_311L, "<CAF=x1@mail.fabrikam.com>",
            Optional.empty(),
            List.of(
                EnvelopeRecipient.ready(ready),
                new EnvelopeRecipient(rewritten, original, RecipientStatus.Delivered,
                    "250 2.6.0 <CAF=x1@mail.fabrikam.com> Queued mail for delivery"),
                EnvelopeRecipient.ready(SmtpAddress.of("gone@fabrikam.com"))
                    .failed("550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found"),
                EnvelopeRecipient.ready(SmtpAddress.of("用户@例子.广告")),
                EnvelopeRecipient.ready(SmtpAddress.of("josé.😀@bücher.de"))),
            Instant.parse("2024-03-01T12:34:56.789012345Z"),
            "2001:db8::25", "mail.fabrikam.com", "EX01\\Default Frontend EX01", "ex01.contoso.com",
            48_213, "Réunion — 会议 📅", BodyType.EightBitMime, true, "QQ314159");
    }

    @Test
    void dsnParametersRoundTrip() {
        Envelope e = fullEnvelope()
            .mapRecipients(r -> r.withNotify(java.util.Set.of(io.mailflow.core.envelope.DsnNotify.SUCCESS,
                io.mailflow.core.envelope.DsnNotify.FAILURE)))
            .withDsn("QQ314159", io.mailflow.core.envelope.DsnReturn.FULL)
            .withDelayNotified();
        assertEquals(e, EnvelopeCodec.decode(EnvelopeCodec.encode(e)));
        Envelope never = fullEnvelope().mapRecipients(r -> r.withNotify(java.util.Set.of(
            io.mailflow.core.envelope.DsnNotify.NEVER)));
        assertEquals(never, EnvelopeCodec.decode(EnvelopeCodec.encode(never)));
    }

    @Test
    void fullEnvelopeRoundTripsFieldForField() {
        Envelope envelope = fullEnvelope();
        assertEquals(envelope, EnvelopeCodec.decode(EnvelopeCodec.encode(envelope)));
    }

    @Test
    void nullableFieldsRoundTripAsNull() {
        SmtpAddress to = SmtpAddress.of("alice@contoso.com");
        Envelope envelope = new Envelope(1, null, Optional.of(SmtpAddress.of("sender@fabrikam.com")),
            List.of(new EnvelopeRecipient(to, null, RecipientStatus.Ready, null)),
            Instant.EPOCH, "192.0.2.1", null, "EX01\\Default", "ex01.contoso.com", 0, null,
            BodyType.SevenBit, false, null);
        assertEquals(envelope, EnvelopeCodec.decode(EnvelopeCodec.encode(envelope)));
    }

    @Test
    void nullSenderStaysNullReversePath() {
        Envelope decoded = EnvelopeCodec.decode(EnvelopeCodec.encode(fullEnvelope()));
        assertEquals(Optional.empty(), decoded.sender());
        assertEquals("<>", decoded.senderText());
    }

    @Test
    void recordStartsWithFormatVersion() {
        assertEquals(EnvelopeCodec.FORMAT_V1, EnvelopeCodec.encode(fullEnvelope())[0]);
    }

    @Test
    void unknownFormatVersionIsRejected() {
        byte[] record = EnvelopeCodec.encode(fullEnvelope());
        record[0] = 99;
        SpoolException e = assertThrows(SpoolException.class, () -> EnvelopeCodec.decode(record));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
    }

    @Test
    void emptyRecordIsRejected() {
        assertThrows(SpoolException.class, () -> EnvelopeCodec.decode(new byte[0]));
    }

    @Test
    void truncatedRecordIsRejected() {
        byte[] record = EnvelopeCodec.encode(fullEnvelope());
        byte[] truncated = Arrays.copyOf(record, record.length / 2);
        assertThrows(SpoolException.class, () -> EnvelopeCodec.decode(truncated));
    }

    @Test
    void envelopeMissingRequiredFieldIsRefusedAtEncode() {
        Envelope noTime = new Envelope(1, "<x@y>", Optional.empty(),
            List.of(EnvelopeRecipient.ready(SmtpAddress.of("a@b.com"))), null, "192.0.2.1", null,
            "EX01\\Default", "ex01.contoso.com", 0, null, BodyType.SevenBit, false, null);
        assertThrows(SpoolException.class, () -> EnvelopeCodec.encode(noTime));
    }

    @Test
    void codecIsSafeFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 4)
                .mapToObj(t -> pool.submit(() -> IntStream.range(0, 2_000)
                    .mapToObj(i -> SpoolFixtures.envelope(t * 10_000L + i))
                    .allMatch(e -> e.equals(EnvelopeCodec.decode(EnvelopeCodec.encode(e))))))
                .toList();
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
