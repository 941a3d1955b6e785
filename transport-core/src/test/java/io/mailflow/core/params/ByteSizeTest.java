package io.mailflow.core.params;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ByteSize: Exchange's ByteQuantifiedSize forms, read and printed. */
class ByteSizeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10MB                     | 10485760",
        "10 MB                    | 10485760",
        "10 mb                    | 10485760",
        "36 MB (37,748,736 bytes) | 37748736",
        "256KB                    | 262144",
        "65536                    | 65536",
        "37748736B                | 37748736",
        "1.5 KB                   | 1536",
        "2GB                      | 2147483648",
    })
    void parsesExchangeForms(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text).bytes());
    }

    @Test
    void printsAsExchangeDoes() {
        assertEquals("36 MB (37,748,736 bytes)", ByteSize.ofMegabytes(36).toString());
        assertEquals("256 KB (262,144 bytes)", ByteSize.ofKilobytes(256).toString());
        assertEquals("9.766 MB (10,240,000 bytes)", ByteSize.ofBytes(10_240_000).toString());
        assertEquals("512 B (512 bytes)", ByteSize.ofBytes(512).toString());
    }

    @Test
    void printsLargeFractionsWithoutExponent() {
        assertEquals("1000.5 KB (1,024,512 bytes)", ByteSize.ofBytes(1_024_512).toString());
    }

    @Test
    void printedFormParsesBack() {
        ByteSize size = ByteSize.ofMegabytes(36);
        assertEquals(size, ByteSize.parse(size.toString()));
    }

    @Test
    void rejectsWhatIsNotASize() {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("ten megabytes"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-5MB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("10 XB"));
    }
}
