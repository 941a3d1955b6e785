package io.mailflow.delivery.smtp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The flags a spooled message gets from its content and envelope, whatever the client declared. */
class OutboundMessageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "7-bit                     | b@fabrikam.com  | Subject: hi\\r\\n\\r\\nhello\\r\\n          | US-ASCII   | false | false",
        "8-bit body only           | b@fabrikam.com  | Subject: hi\\r\\n\\r\\ncaf\u00e9\\r\\n      | UTF-8      | true  | false",
        "UTF-8 in the header       | b@fabrikam.com  | Subject: caf\u00e9\\r\\n\\r\\nhello\\r\\n   | UTF-8      | true  | true",
        "raw Latin-1 in the header | b@fabrikam.com  | Subject: caf\u00e9\\r\\n\\r\\nhello\\r\\n   | ISO-8859-1 | true  | false",
        "non-ASCII recipient       | bj\u00f8rn@fabrikam.com | Subject: hi\\r\\n\\r\\nhello\\r\\n   | US-ASCII   | false | true",
    })
    void flagsComeFromTheContentAndTheEnvelope(String what, String recipient, String content, String charset,
                                              boolean eightBitMime, boolean smtpUtf8) {
        byte[] bytes = content.strip().replace("\\r\\n", "\r\n").getBytes(Charset.forName(charset));

        OutboundMessage m = OutboundMessage.detect("m", "kate@contoso.com", List.of(recipient), bytes, false, false);

        assertEquals(eightBitMime, m.eightBitMime(), "8BITMIME");
        assertEquals(smtpUtf8, m.smtpUtf8(), "SMTPUTF8");
    }
}
