package io.mailflow.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLEngine;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP certificate in DATA/tls: made once for the FQDN, reused, or the administrator's PEM files. */
class SmtpCertificateTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final String FQDN = "ex01.contoso.test";

    @TempDir
    Path tls;

    @Test
    void aSelfSignedCertificateForTheFqdnIsMadeOnceKeptPrivateAndReused() throws Exception {
        X509Certificate made = SmtpCertificate.loadOrCreate(tls, FQDN, NOW).certificate();
        assertEquals("CN=" + FQDN, made.getSubjectX500Principal().getName());
        assertEquals(made.getSubjectX500Principal(), made.getIssuerX500Principal());
        assertEquals(List.of(List.of(2, FQDN)), made.getSubjectAlternativeNames().stream().toList());
        assertEquals("EC", made.getPublicKey().getAlgorithm());
        assertEquals(NOW, made.getNotBefore().toInstant());
        assertEquals(NOW.atOffset(ZoneOffset.UTC).plusYears(5).toInstant(), made.getNotAfter().toInstant());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), made.getExtendedKeyUsage(), "serverAuth");
        for (String file : List.of(SmtpCertificate.SELF_SIGNED, SmtpCertificate.SELF_SIGNED_PASSWORD)) {
            assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(tls.resolve(file)), file);
        }

        X509Certificate reused = SmtpCertificate.loadOrCreate(tls, FQDN, NOW.plus(Duration.ofDays(400))).certificate();
        assertEquals(made.getSerialNumber(), reused.getSerialNumber());
    }

    @Test
    void anExpiredSelfSignedCertificateOrOneForAnotherFqdnIsReplaced() {
        BigInteger first = SmtpCertificate.loadOrCreate(tls, FQDN, NOW).certificate().getSerialNumber();
        X509Certificate renamed = SmtpCertificate.loadOrCreate(tls, "mail.contoso.test", NOW).certificate();
        assertNotEquals(first, renamed.getSerialNumber());
        assertEquals("CN=mail.contoso.test", renamed.getSubjectX500Principal().getName());
        Instant later = NOW.atOffset(ZoneOffset.UTC).plusYears(6).toInstant();
        X509Certificate renewed = SmtpCertificate.loadOrCreate(tls, "mail.contoso.test", later).certificate();
        assertEquals(later, renewed.getNotBefore().toInstant());
    }

    @Test
    void theAdministratorsPemChainAndKeyWinOverTheSelfSignedOne() throws Exception {
        SmtpCertificate.loadOrCreate(tls, FQDN, NOW);
        KeyPair pair = rsaKeyPair();
        X509Certificate own = certificate("mail.contoso.test", pair);
        writePem(tls.resolve(SmtpCertificate.CERTIFICATE_PEM), own);
        writePem(tls.resolve(SmtpCertificate.PRIVATE_KEY_PEM), new JcaPKCS8Generator(pair.getPrivate(), null));

        SmtpCertificate loaded = SmtpCertificate.loadOrCreate(tls, FQDN, NOW);
        assertArrayEquals(own.getEncoded(), loaded.certificate().getEncoded());
        assertTrue(loaded.describe().startsWith("administrator's certificate for mail.contoso.test"), loaded.describe());
    }

    @Test
    void aTraditionalRsaKeyFileIsReadToo() throws Exception {
        KeyPair pair = rsaKeyPair();
        writePem(tls.resolve(SmtpCertificate.CERTIFICATE_PEM), certificate(FQDN, pair));
        writePem(tls.resolve(SmtpCertificate.PRIVATE_KEY_PEM), pair); // BEGIN RSA PRIVATE KEY
        assertEquals("CN=" + FQDN,
            SmtpCertificate.loadOrCreate(tls, FQDN, NOW).certificate().getSubjectX500Principal().getName());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtStart() throws Exception {
        writePem(tls.resolve(SmtpCertificate.CERTIFICATE_PEM), certificate(FQDN, rsaKeyPair()));
        writePem(tls.resolve(SmtpCertificate.PRIVATE_KEY_PEM), new JcaPKCS8Generator(rsaKeyPair().getPrivate(), null));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> SmtpCertificate.loadOrCreate(tls, FQDN, NOW));
        assertTrue(refused.getMessage().contains("is not the private key of the first certificate"), refused.getMessage());
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedAtStart() throws Exception {
        writePem(tls.resolve(SmtpCertificate.CERTIFICATE_PEM), certificate(FQDN, rsaKeyPair()));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> SmtpCertificate.loadOrCreate(tls, FQDN, NOW));
        assertTrue(refused.getMessage().contains(SmtpCertificate.PRIVATE_KEY_PEM + " is missing"), refused.getMessage());
    }

    @Test
    void enginesAreServerModeWithTls12And13AndNoClientCertificates() {
        SSLEngine engine = SmtpCertificate.loadOrCreate(tls, FQDN, NOW).engines().get();
        assertFalse(engine.getUseClientMode());
        assertEquals(Set.of("TLSv1.2", "TLSv1.3"), Set.of(engine.getEnabledProtocols()));
        assertFalse(engine.getNeedClientAuth());
        assertFalse(engine.getWantClientAuth());
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A certificate as an administrator would bring (here self-signed; only the files' shape matters). */
    private static X509Certificate certificate(String name, KeyPair pair) throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
            Date.from(NOW), Date.from(NOW.plus(Duration.ofDays(90))), subject, pair.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }

    private static void writePem(Path file, Object object) throws Exception {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }
}
