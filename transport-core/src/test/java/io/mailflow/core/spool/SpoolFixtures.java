package io.mailflow.core.spool;

import io.mailflow.core.address.SmtpAddress;
import io.mailflow.core.envelope.BodyType;
import io.mailflow.core.envelope.Envelope;
import io.mailflow.core.envelope.EnvelopeRecipient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Test fixtures for the spool: envelopes and content derived from the InternalId alone, so a
 * test (or a killed child process) can check what was recovered without keeping what it wrote.
 */
final class SpoolFixtures {

    private SpoolFixtures() {
    }

    static Envelope envelope(long internalId) {
        SmtpAddress to = SmtpAddress.of("user" + internalId + "@contoso.com");
        return new Envelope(internalId, "<" + internalId + "@mail.fabrikam.com>",
            Optional.of(SmtpAddress.of("sender@fabrikam.com")),
            List.of(EnvelopeRecipient.ready(to)),
            Instant.ofEpochSecond(1_700_000_000L + internalId, 123_000_000),
            "192.0.2.10", "mail.fabrikam.com", "EX01\\Default Frontend EX01", "ex01.contoso.com",
            1024, "Message " + internalId, BodyType.SevenBit, false, null);
    }

    /** {@code size} bytes that name their id, so a mixed-up key shows in the failure. */
    static byte[] content(long internalId, int size) {
        byte[] header = ("Message-ID: <" + internalId + "@mail.fabrikam.com>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[Math.max(size, header.length)];
        Arrays.fill(content, (byte) ('a' + internalId % 26));
        System.arraycopy(header, 0, content, 0, header.length);
        return content;
    }
}
