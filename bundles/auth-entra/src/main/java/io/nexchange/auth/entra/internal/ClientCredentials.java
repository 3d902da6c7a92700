package io.nexchange.auth.entra.internal;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The msal4j credential of a registration: the client secret, or a certificate with its private key from
 * PKCS#12 (msal4j reads it) or PEM. PEM is read here because msal4j only takes PKCS#12 streams or key
 * objects: a PKCS#8 key ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with the password) and the
 * certificate chain, in one file.
 */
final class ClientCredentials {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private ClientCredentials() {
    }

    static IClientCredential of(RegistrationSettings settings) throws AuthException {
        if (settings.clientSecret().isPresent()) {
            return ClientCredentialFactory.createFromSecret(settings.clientSecret().get().reveal());
        }
        Path file = settings.certificateFile().orElseThrow();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            byte[] bytes = Files.readAllBytes(file);
            String password = settings.certificatePassword().map(s -> s.reveal()).orElse("");
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".key")
                    || new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                return fromPem(settings, new String(bytes, StandardCharsets.US_ASCII), password);
            }
            try (InputStream in = new ByteArrayInputStream(bytes)) {
                return ClientCredentialFactory.createFromCertificate(in, password);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new AuthException(settings.registration(), AuthProblem.CONFIGURATION_INVALID, "certificateFile " + file
                    + " cannot be read as PKCS#12 or PEM with the configured password (" + e.getClass().getSimpleName()
                    + "): check certificateFile and .certificatePassword", null);
        }
    }

    private static IClientCredential fromPem(RegistrationSettings settings, String text, String password)
            throws GeneralSecurityException, IOException, AuthException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "CERTIFICATE":
                    chain.add((X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(der)));
                    break;
                case "PRIVATE KEY":
                    key = privateKey(new PKCS8EncodedKeySpec(der));
                    break;
                case "ENCRYPTED PRIVATE KEY":
                    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
                    SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
                    Cipher cipher = Cipher.getInstance(info.getAlgName());
                    cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())), info.getAlgParameters());
                    key = privateKey(info.getKeySpec(cipher));
                    break;
                case "RSA PRIVATE KEY":
                    throw new AuthException(settings.registration(), AuthProblem.CONFIGURATION_INVALID, "certificateFile holds a PKCS#1 "
                            + "key: convert it with 'openssl pkcs8 -topk8 -in key.pem' (or use a .p12 file)", null);
                default:
                    break;
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new AuthException(settings.registration(), AuthProblem.CONFIGURATION_INVALID, "certificateFile "
                    + settings.certificateFile().get() + " must hold both the certificate and its PKCS#8 private key", null);
        }
        return ClientCredentialFactory.createFromCertificateChain(key, chain);
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }
}
