package io.mailflow.core.smtp;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class XtextTest {
    @Test
    void decodesHexEscapesAndRefusesMalformedXtext() {
        assertEquals(Optional.of("kate+tag@contoso.test"), Xtext.decode("kate+2Btag@contoso.test"));
        assertEquals(Optional.of("a b"), Xtext.decode("a+20b"));
        assertEquals(Optional.empty(), Xtext.decode("a+2"));
        assertEquals(Optional.empty(), Xtext.decode("a+zz"));
        assertEquals(Optional.empty(), Xtext.decode("a=b"));
    }

    @Test
    void encodeIsTheInverseOfDecode() {
        String text = "user+tag=1 x@example.com";
        assertEquals(Optional.of(text), Xtext.decode(Xtext.encode(text)));
    }
}
