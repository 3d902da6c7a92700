package io.nexchange.auth.entra.internal;

import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.SandboxServer;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Registrations of the sandbox tenant as configurations, with every secret remembered for the leak check. */
final class SandboxFixture {
    /** Every secret and token value handed out in this JVM's tests; none may show up in logs or outputs. */
    static final List<String> SECRETS = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Every text the tests produced for operators (exception messages, auth-check reports). */
    static final List<String> OUTPUTS = java.util.Collections.synchronizedList(new ArrayList<>());

    final SandboxServer sandbox;

    SandboxFixture(SandboxServer sandbox) {
        this.sandbox = sandbox;
    }

    /**
     * Greps the tests' whole log (slf4j-simple at debug, msal4j's and the sandbox's lines included) and every
     * collected output for every secret and token handed out so far; returns the log.
     */
    static String assertNoLeak() throws IOException {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/test-log.txt"));
        String text = Files.exists(log) ? Files.readString(log) : "";
        org.junit.jupiter.api.Assertions.assertFalse(text.isEmpty(), "the tests' log was captured in " + log);
        List<String> outputs = new ArrayList<>(OUTPUTS);
        List<String> secrets = new ArrayList<>(SECRETS);
        for (String secret : secrets) {
            org.junit.jupiter.api.Assertions.assertFalse(text.contains(secret), "a secret or token is in " + log);
            for (String out : outputs) {
                org.junit.jupiter.api.Assertions.assertFalse(out.contains(secret), "a secret or token is in an output: " + out);
            }
        }
        System.out.printf("FIGURE leak check: %d secrets/tokens against %d KB of log and %d outputs%n", secrets.size(),
                text.length() / 1024, outputs.size());
        return text;
    }

    static String newSecret() {
        String secret = "Sx8Q~" + UUID.randomUUID().toString().replace("-", "") + "~leakcheck";
        SECRETS.add(secret);
        return secret;
    }

    AppRegistration app(String name, String secret) {
        return sandbox.registerApp(AppRegistration.builder(name).clientSecret(secret).build());
    }

    /** A custom-authority configuration of the sandbox, secret inline in the dotted key. */
    Map<String, Object> config(String registration, String clientId, String secret) {
        Map<String, Object> p = new HashMap<>();
        p.put("registration", registration);
        p.put("tenantId", sandbox.tenantId());
        p.put("clientId", clientId);
        if (secret != null) {
            p.put(".clientSecret", secret);
        }
        p.put("cloud", "custom");
        p.put("authority", sandbox.baseUrl() + "/{tenant}/");
        p.put("graphBaseUrl", sandbox.graphBaseUrl());
        p.put("truststore", sandbox.truststorePath().toString());
        p.put(".truststorePassword", new String(sandbox.truststorePassword()));
        return p;
    }

    EntraTokenProvider provider(Map<String, Object> config) {
        return provider(config, name -> null);
    }

    static EntraTokenProvider provider(Map<String, Object> config, java.util.function.UnaryOperator<String> environment) {
        return new EntraTokenProvider(entra(config), undeclared(config), environment, Clock.systemUTC());
    }

    static EntraRegistrationConfiguration entra(Map<String, ?> config) {
        return TypedConfig.of(EntraRegistrationConfiguration.class, config);
    }

    static UndeclaredKeys undeclared(Map<String, ?> config) {
        return TypedConfig.of(UndeclaredKeys.class, config);
    }

    /** A self-signed certificate with its key, as PKCS#12 (with password) and as PEM. */
    record CertificateFiles(X509Certificate certificate, Path pkcs12, String password, Path pem) {
    }

    static CertificateFiles certificate(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=nexchange-test");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400)), subject,
                pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        String password = newSecret();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("app", pair.getPrivate(), password.toCharArray(), new Certificate[] {cert});
        Path p12 = dir.resolve("app.p12");
        try (var out = Files.newOutputStream(p12)) {
            store.store(out, password.toCharArray());
        }
        Path pem = dir.resolve("app.pem");
        Files.writeString(pem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("CERTIFICATE", cert.getEncoded()));
        return new CertificateFiles(cert, p12, password, pem);
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        out.write("-----BEGIN " + type + "-----\n");
        out.write(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der));
        out.write("\n-----END " + type + "-----\n");
        return out.toString();
    }
}
