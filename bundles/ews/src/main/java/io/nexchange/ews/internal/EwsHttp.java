package io.nexchange.ews.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The HTTP client EWS is called with: HTTP/1.1, no redirects (a redirect would carry the credentials elsewhere), the configured trust. */
final class EwsHttp {
    private EwsHttp() {
    }

    static HttpClient httpClient(EwsStoreConfiguration config) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(config.connectTimeoutSeconds()))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (!config.truststorePath().isBlank()) {
            b.sslContext(sslContext(Path.of(config.truststorePath()), truststorePassword(config)));
        }
        return b.build();
    }

    static SSLContext sslContext(Path truststore, char[] password) {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            throw new UncheckedIOException("io.nexchange.ews: truststorePath " + truststore + " could not be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("io.nexchange.ews: truststorePath " + truststore + " is not a PKCS#12 truststore "
                    + "this password opens: " + e.getMessage(), e);
        }
    }

    static char[] truststorePassword(EwsStoreConfiguration config) {
        String file = config.truststorePasswordFile().strip();
        if (file.isEmpty()) {
            return config.truststorePassword().toCharArray();
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("io.nexchange.ews: truststorePasswordFile " + file + " could not be read: " + e.getMessage(), e);
        }
    }

}
