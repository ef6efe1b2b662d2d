package io.wmstream.app.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority made when a test starts: PKCS12 keystores for a broker, a client or an HTTP
 * server, and a truststore holding the authority, all under one random password. Nothing of it is committed; it lives
 * in the test's temporary directory and is valid for a day.
 */
public final class TestCertificates {
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path directory;
    private final String password;
    private final KeyPair authorityKeys;
    private final X509Certificate authority;
    private final SecureRandom random = new SecureRandom();

    private TestCertificates(Path directory, String password, KeyPair authorityKeys, X509Certificate authority) {
        this.directory = directory;
        this.password = password;
        this.authorityKeys = authorityKeys;
        this.authority = authority;
    }

    /** A new authority whose files go to {@code directory}. */
    public static TestCertificates create(Path directory) throws GeneralSecurityException, IOException {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        KeyPair keys = newKeys();
        X500Name name = new X500Name("CN=wmstream test authority");
        X509v3CertificateBuilder builder = builder(name, name, keys, new SecureRandom());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate authority = sign(builder, keys);
        return new TestCertificates(Files.createDirectories(directory), password, keys, authority);
    }

    /** The password of every store this authority writes. */
    public String password() {
        return password;
    }

    /** A truststore that trusts this authority (and so every certificate it issued). */
    public Path truststore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("authority", authority);
        return write(store, "truststore.p12");
    }

    /**
     * A keystore holding a key and a certificate for {@code commonName}, issued by this authority, valid for server
     * and client use on {@code localhost} and {@code 127.0.0.1}.
     */
    public Path keystore(String fileName, String commonName) throws GeneralSecurityException, IOException {
        KeyPair keys = newKeys();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=wmstream test authority"),
                new X500Name("CN=" + commonName), keys, random);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate certificate = sign(builder, authorityKeys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(commonName, keys.getPrivate(), password.toCharArray(),
                new Certificate[] {certificate, authority});
        return write(store, fileName);
    }

    /** A client-side TLS context that trusts this authority, e.g. for an HTTPS client. */
    public SSLContext trustingContext() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore())) {
            trust.load(in, password.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private Path write(KeyStore store, String fileName) throws GeneralSecurityException, IOException {
        Path file = directory.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        // EC keys: generated in milliseconds, where RSA keys would cost a second each on a busy machine.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys,
            SecureRandom random) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a test certificate", e);
        }
    }
}
