package io.nexchange.graph.client.internal;

import io.nexchange.api.auth.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How Graph clients are built.
 *
 * @param baseUrl Graph's base URL with version, e.g. {@code https://graph.microsoft.com/v1.0}
 * @param truststore a PKCS#12 truststore to trust instead of the JVM's (the sandbox's), or null
 * @param truststorePassword its password
 * @param connectTimeout TCP + TLS connect
 * @param readTimeout between bytes of a response; Graph answers a large delta page within ~30 s
 * @param callTimeout a whole call, including the wait for a throttling permit
 * @param throttleMaxWait how long a request may wait for a throttling permit before it is answered locally
 *     with 429 (the worker then serves another mailbox)
 */
public record GraphClientSettings(String baseUrl, Path truststore, Secret truststorePassword, Duration connectTimeout,
        Duration readTimeout, Duration callTimeout, Duration throttleMaxWait) {

    public static final String GRAPH_V1 = "https://graph.microsoft.com/v1.0";

    public GraphClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        truststorePassword = truststorePassword == null ? Secret.of("") : truststorePassword;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(throttleMaxWait, "throttleMaxWait");
        if (!callTimeout.isZero() && callTimeout.compareTo(throttleMaxWait.plus(readTimeout)) < 0) {
            throw new IllegalArgumentException("callTimeoutSeconds must be at least throttleMaxWaitSeconds + readTimeoutSeconds,"
                    + " or a request waiting for its permit would be cut off");
        }
    }

    public static GraphClientSettings defaults() {
        return new GraphClientSettings(GRAPH_V1, null, null, Duration.ofSeconds(10), Duration.ofSeconds(100),
                Duration.ofSeconds(180), Duration.ofSeconds(30));
    }

    public GraphClientSettings withBaseUrl(String url) {
        return new GraphClientSettings(url, truststore, truststorePassword, connectTimeout, readTimeout, callTimeout, throttleMaxWait);
    }

    public GraphClientSettings withTruststore(Path file, Secret password) {
        return new GraphClientSettings(baseUrl, file, password, connectTimeout, readTimeout, callTimeout, throttleMaxWait);
    }

    public GraphClientSettings withThrottleMaxWait(Duration wait) {
        return new GraphClientSettings(baseUrl, truststore, truststorePassword, connectTimeout, readTimeout, callTimeout, wait);
    }
}
