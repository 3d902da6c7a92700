package io.nexchange.graph.client.internal;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.graph.client.internal.throttling.ThrottlingInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Builds and caches one GraphServiceClient per app registration. All clients share one connection pool and
 * dispatcher; each has its own OkHttp chain (the throttling key carries the registration).
 *
 * <p>The OkHttp chain is graph-core's default middleware (redirect, parameters, user agent, headers inspection,
 * compression...) with two changes:
 * <ul>
 *   <li>Kiota's RetryHandler is switched off (0 retries). It would sleep the worker thread for Retry-After (up to
 *       180 s) on every 429/503/504, retry requests the policy refused locally, and — from its source — cannot
 *       parse Graph's fractional Retry-After values. The throttling policy already pauses the mailbox's key by
 *       the server's hint; the item stores retry a throttled request a bounded number of times, each attempt
 *       waiting in the policy (not in a sleep), and otherwise report a transient failure so that the engine
 *       serves another mailbox. One place decides when to try again: the policy.</li>
 *   <li>The {@link ThrottlingInterceptor} is the last application interceptor, so every request actually sent
 *       (redirects included) holds a permit of its (registration, mailbox) key.</li>
 * </ul>
 */
public final class GraphClientsImpl implements GraphClients {

    private final GraphClientSettings settings;
    private final ThrottlePolicy policy;
    private final Function<String, TokenProvider> providers;
    private final OkHttpClient base;
    private final Map<String, GraphServiceClient> clients = new ConcurrentHashMap<>();

    /**
     * @param providers the TokenProvider of a registration name, or null when none is registered (looked up on
     *     every token request)
     */
    public GraphClientsImpl(GraphClientSettings settings, ThrottlePolicy policy, Function<String, TokenProvider> providers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.base = baseClient(settings);
    }

    private static OkHttpClient baseClient(GraphClientSettings settings) {
        RetryHandlerOption noRetries = new RetryHandlerOption((delay, executionCount, request, response) -> false, 0, 0);
        OkHttpClient.Builder builder = GraphClientFactory.create(new RequestOption[] {noRetries})
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                .connectionPool(new ConnectionPool(32, 5, java.util.concurrent.TimeUnit.MINUTES))
                .dispatcher(new Dispatcher());
        if (settings.truststore() != null) {
            TrustMaterial trust = trust(settings);
            builder.sslSocketFactory(trust.context().getSocketFactory(), trust.manager());
        }
        return builder.build();
    }

    private record TrustMaterial(SSLContext context, X509TrustManager manager) {
    }

    private static TrustMaterial trust(GraphClientSettings settings) {
        try (InputStream in = Files.newInputStream(settings.truststore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, settings.truststorePassword().revealChars());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager manager = (X509TrustManager) factory.getTrustManagers()[0];
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {manager}, null);
            return new TrustMaterial(context, manager);
        } catch (IOException e) {
            throw new UncheckedIOException("truststore " + settings.truststore() + " could not be read (setting truststorePath,"
                    + " truststorePassword): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("truststore " + settings.truststore() + " is not a usable PKCS#12 truststore"
                    + " (setting truststorePath): " + e.getMessage(), e);
        }
    }

    @Override
    public GraphServiceClient forRegistration(String registration) throws AuthException {
        Objects.requireNonNull(registration, "registration");
        if (providers.apply(registration) == null) {
            throw new AuthException(registration, AuthProblem.CONFIGURATION_INVALID,
                    "no TokenProvider service with nexchange.registration=" + registration + " is active");
        }
        return clients.computeIfAbsent(registration, this::build);
    }

    private GraphServiceClient build(String registration) {
        String host = URI.create(settings.baseUrl()).getHost();
        var auth = new BaseBearerTokenAuthenticationProvider(new TokenProviderAccessTokens(registration, providers, host));
        OkHttpClient http = base.newBuilder()
                .addInterceptor(new ThrottlingInterceptor(policy, registration, settings.throttleMaxWait()))
                .build();
        // the client's own adapter: JSON read leniently (LenientJson), not through the SDK's process-wide registry
        GraphServiceClient client = new GraphServiceClient(new RetrySafeGraphRequestAdapter(auth, LenientJson.parseNodeFactory(),
                http, settings.baseUrl()));
        client.getRequestAdapter().setBaseUrl(settings.baseUrl());
        return client;
    }

    @Override
    public String baseUrl() {
        return settings.baseUrl();
    }

    /** Drops the cached client of a registration (its TokenProvider went away). */
    public void forget(String registration) {
        clients.remove(registration);
    }

    /** Closes idle connections and the dispatcher's threads. */
    public void close() {
        clients.clear();
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }
}
