package io.mailflow.server.tls;

import io.mailflow.server.PrivateFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/**
 * The certificate the receive connectors offer with STARTTLS: Exchange's "Microsoft Exchange"
 * self-signed certificate, which setup creates and enables for SMTP. At start the relay reads
 * {@code DATA/tls/}: an administrator's {@value #CERTIFICATE_PEM} (the chain, leaf first) with
 * {@value #PRIVATE_KEY_PEM} wins (Exchange's {@code Enable-ExchangeCertificate -Services SMTP});
 * otherwise {@value #SELF_SIGNED} is used, and created when missing, expired, or made for another
 * FQDN: CN and dNSName the server's FQDN, EC P-256, five years. Its key store password is random,
 * in {@value #SELF_SIGNED_PASSWORD} beside it; both files are the owner's only (0600), which is
 * what protects the key, as the file mode protects the PEM key. EC P-256 rather than Exchange's
 * RSA 2048: every TLS 1.2 and 1.3 peer takes it, and it is made in milliseconds at each test's start.
 * This is also the one place that builds the SSLContext: server mode, TLSv1.2 and TLSv1.3 only,
 * no client certificates.
 */
public final class SmtpCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpCertificate.class);

    static final String CERTIFICATE_PEM = "certificate.pem";
    static final String PRIVATE_KEY_PEM = "private-key.pem";
    static final String SELF_SIGNED = "self-signed.p12";
    static final String SELF_SIGNED_PASSWORD = "self-signed.p12.password";
    private static final String ALIAS = "smtp";
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final int VALID_YEARS = 5;

    private final List<X509Certificate> chain;
    private final Path source;
    private final boolean selfSigned;
    private final SSLContext context;

    private SmtpCertificate(List<X509Certificate> chain, PrivateKey key, Path source, boolean selfSigned)
        throws GeneralSecurityException, IOException {
        this.chain = List.copyOf(chain);
        this.source = source;
        this.selfSigned = selfSigned;
        char[] password = randomPassword().toCharArray(); // in memory only: the key manager wants one
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        this.context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
    }

    /**
     * The certificate in {@code directory} (DATA/tls), created there when there is none usable.
     *
     * @throws IllegalStateException when the administrator's PEM files cannot be used, with why
     */
    public static SmtpCertificate loadOrCreate(Path directory, String fqdn, Instant now) {
        Path pem = directory.resolve(CERTIFICATE_PEM);
        Path key = directory.resolve(PRIVATE_KEY_PEM);
        try {
            if (Files.exists(pem) || Files.exists(key)) {
                return fromPem(pem, key);
            }
            Path store = directory.resolve(SELF_SIGNED);
            if (Files.exists(store)) {
                SmtpCertificate existing = fromSelfSigned(store, directory.resolve(SELF_SIGNED_PASSWORD));
                X509Certificate leaf = existing.certificate();
                if (leaf.getNotAfter().toInstant().isAfter(now) && commonName(leaf).equalsIgnoreCase(fqdn)) {
                    return existing;
                }
                LOG.info("the self-signed SMTP certificate in {} is expired or for another FQDN; creating a new one",
                    store);
            }
            return createSelfSigned(directory, fqdn, now);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the SMTP certificate in " + directory + " cannot be used: " + e.getMessage(),
                e);
        }
    }

    /** Server-mode engines for STARTTLS. */
    public Supplier<SSLEngine> engines() {
        return () -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setNeedClientAuth(false);
            engine.setEnabledProtocols(PROTOCOLS);
            return engine;
        };
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** For the start-up banner: which certificate, for whom, until when, from where. */
    public String describe() {
        return (selfSigned ? "self-signed" : "administrator's") + " certificate for " + commonName(certificate())
            + ", valid until " + certificate().getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate()
            + " (" + source + ")";
    }

    private static SmtpCertificate createSelfSigned(Path directory, String fqdn, Instant now)
        throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, fqdn).build();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
            new BigInteger(127, new SecureRandom()), Date.from(now),
            Date.from(now.atOffset(ZoneOffset.UTC).plusYears(VALID_YEARS).toInstant()), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, fqdn)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));

        String password = randomPassword();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, pair.getPrivate(), password.toCharArray(), new X509Certificate[]{certificate});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, password.toCharArray());
        Files.createDirectories(directory);
        Path file = directory.resolve(SELF_SIGNED);
        PrivateFiles.write(directory.resolve(SELF_SIGNED_PASSWORD), password.getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.write(file, bytes.toByteArray());
        LOG.info("created a self-signed SMTP certificate for {} in {}", fqdn, file);
        return new SmtpCertificate(List.of(certificate), pair.getPrivate(), file, true);
    }

    private static SmtpCertificate fromSelfSigned(Path file, Path passwordFile)
        throws GeneralSecurityException, IOException {
        if (!Files.exists(passwordFile)) {
            throw new IOException(passwordFile + " is missing; delete " + file + " to have a new certificate made");
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        PrivateKey key = (PrivateKey) store.getKey(ALIAS, password);
        X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
        if (key == null || certificate == null) {
            throw new IOException(file + " holds no '" + ALIAS + "' key entry");
        }
        return new SmtpCertificate(List.of(certificate), key, file, true);
    }

    private static SmtpCertificate fromPem(Path pem, Path keyFile) throws GeneralSecurityException, IOException {
        if (!Files.exists(pem) || !Files.exists(keyFile)) {
            throw new IOException("both " + CERTIFICATE_PEM + " and " + PRIVATE_KEY_PEM + " are needed, "
                + (Files.exists(pem) ? keyFile : pem) + " is missing");
        }
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new CertificateException(pem + " holds no CERTIFICATE block");
        }
        PrivateKey key = readKey(keyFile);
        requireMatch(chain.get(0), key, pem, keyFile);
        return new SmtpCertificate(chain, key, pem, false);
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}) or the traditional RSA/EC forms; not encrypted. */
    private static PrivateKey readKey(Path file) throws IOException {
        Object o;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            o = parser.readObject();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        throw new IOException(file + " holds no unencrypted private key (" + (o == null ? "nothing" : o.getClass()
            .getSimpleName()) + "); `openssl pkey -in KEY -out " + PRIVATE_KEY_PEM + "` writes one");
    }

    /** A key that is not the certificate's would only show as failed handshakes later: refuse it now. */
    private static void requireMatch(X509Certificate certificate, PrivateKey key, Path pem, Path keyFile)
        throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // EdDSA names its own signature
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(keyFile + " is not the private key of the first certificate in " + pem);
        }
    }

    private static String commonName(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        var cn = name.getRDNs(BCStyle.CN);
        return cn.length == 0 ? certificate.getSubjectX500Principal().getName()
            : cn[0].getFirst().getValue().toString();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
