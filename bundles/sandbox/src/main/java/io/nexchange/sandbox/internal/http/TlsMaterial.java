package io.nexchange.sandbox.internal.http;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server certificate, made at start for localhost / 127.0.0.1 / ::1, and the PKCS#12 truststore
 * (holding only that certificate) that clients are pointed at. Clients verify TLS as usual; nothing
 * trusts everything.
 */
public final class TlsMaterial {
    private final SSLContext serverContext;
    private final X509Certificate certificate;
    private final Path truststore;
    private final char[] truststorePassword;

    private TlsMaterial(SSLContext serverContext, X509Certificate certificate, Path truststore, char[] password) {
        this.serverContext = serverContext;
        this.certificate = certificate;
        this.truststore = truststore;
        this.truststorePassword = password;
    }

    public static TlsMaterial generate(Path truststoreFile, SecureRandom random) throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048, random);
            KeyPair pair = gen.generateKeyPair();
            X509Certificate cert = selfSigned(pair, random);

            char[] keyPassword = randomPassword(random);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("sandbox", pair.getPrivate(), keyPassword, new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, random);

            char[] trustPassword = randomPassword(random);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("nexchange-sandbox", cert);
            Files.createDirectories(truststoreFile.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(truststoreFile.toAbsolutePath().getParent(), "truststore", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                trust.store(out, trustPassword);
            }
            Files.move(tmp, truststoreFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new TlsMaterial(context, cert, truststoreFile, trustPassword);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Cannot create the sandbox TLS certificate: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=localhost, O=Nexchange sandbox");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, random),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress()),
        }));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }

    private static char[] randomPassword(SecureRandom random) {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        char[] out = new char[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return out;
    }

    public SSLContext serverContext() {
        return serverContext;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Path truststore() {
        return truststore;
    }

    public char[] truststorePassword() {
        return truststorePassword.clone();
    }

    /** An SSLContext that trusts exactly the sandbox certificate (what a test client uses). */
    public SSLContext clientContext() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(truststore)) {
            trust.load(in, truststorePassword);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
