package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS trust for Entra and Graph: the configured truststore, or the JVM's default. */
final class TlsTrust {
    private TlsTrust() {
    }

    static SSLContext sslContext(RegistrationSettings settings) throws AuthException {
        if (settings.truststore().isEmpty()) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new AuthException(settings.registration(), AuthProblem.CONFIGURATION_INVALID, "the JVM has no default TLS context", null);
            }
        }
        var path = settings.truststore().get();
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".jks") ? "JKS" : "PKCS12";
        char[] password = settings.truststorePassword().map(s -> s.revealChars()).orElse(null);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // IOException here mostly means a wrong password ("keystore password was incorrect"); no value is quoted
            throw new AuthException(settings.registration(), AuthProblem.CONFIGURATION_INVALID, "truststore " + path
                    + " cannot be opened as " + type + " (" + e.getClass().getSimpleName() + "): check truststore and .truststorePassword", null);
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }
}
