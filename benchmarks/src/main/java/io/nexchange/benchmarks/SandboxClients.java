package io.nexchange.benchmarks;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.graph.client.internal.throttling.ThrottlingInterceptor;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Graph SDK clients against the sandbox, set up as the product would against a real tenant (msal4j client
 * credentials, the SDK's default middleware), except for the base URL, the authority and the truststore.
 */
final class SandboxClients {
    private static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    private final SandboxServer sandbox;
    private final SSLContext ssl;
    private final X509TrustManager trustManager;

    SandboxClients(SandboxServer sandbox) throws Exception {
        this.sandbox = sandbox;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(sandbox.truststorePath())) {
            ks.load(in, sandbox.truststorePassword());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        this.ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        this.trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
    }

    /** The stock client: {@code GraphClientFactory}'s default interceptors, RetryHandler included. */
    GraphServiceClient sdkDefault(AppRegistration app, int connections) throws Exception {
        return client(app, sdkDefaultInterceptors(), connections);
    }

    static List<Interceptor> sdkDefaultInterceptors() {
        return List.of(GraphClientFactory.createDefaultGraphInterceptors(new com.microsoft.kiota.RequestOption[0]));
    }

    static List<Interceptor> policyInterceptors(ThrottlePolicy policy, String registration, Duration maxWait) {
        List<Interceptor> interceptors = new ArrayList<>();
        for (Interceptor i : sdkDefaultInterceptors()) {
            if (!(i instanceof RetryHandler)) {
                interceptors.add(i);
            }
        }
        interceptors.add(new ThrottlingInterceptor(policy, registration, maxWait));
        return interceptors;
    }

    /**
     * The default interceptors without the RetryHandler, plus the throttling interceptor innermost. The
     * RetryHandler goes because it would sleep the worker thread for Retry-After (the point of the ReadyQueue is
     * that a worker serves another mailbox instead); the policy already pauses the key on a 429 and the scheduler
     * re-offers the step when the key admits again.
     */
    GraphServiceClient withPolicy(AppRegistration app, ThrottlePolicy policy, String registration, Duration maxWait,
            int connections) throws Exception {
        return client(app, policyInterceptors(policy, registration, maxWait), connections);
    }

    private GraphServiceClient client(AppRegistration app, List<Interceptor> interceptors, int connections) throws Exception {
        ConfidentialClientApplication msal = ConfidentialClientApplication
                .builder(app.clientId(), ClientCredentialFactory.createFromSecret(app.clientSecret()))
                .authority(sandbox.authority())
                .instanceDiscovery(false)
                .sslSocketFactory(ssl.getSocketFactory())
                .build();
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(new CachingTokens(msal));
        OkHttpClient http = GraphClientFactory.create(interceptors)
                .sslSocketFactory(ssl.getSocketFactory(), trustManager)
                // one keep-alive connection per worker, so no request pays a TLS handshake
                .connectionPool(new ConnectionPool(connections, 5, java.util.concurrent.TimeUnit.MINUTES))
                .build();
        GraphServiceClient client = new GraphServiceClient(auth, http);
        client.getRequestAdapter().setBaseUrl(sandbox.graphBaseUrl());
        return client;
    }

    static String describe(List<Interceptor> interceptors) {
        return Arrays.toString(interceptors.stream().map(i -> i.getClass().getSimpleName()).toArray());
    }

    /**
     * msal4j's own cache misses against an authority with an explicit port (see the sandbox README, "Known
     * gaps"), so every request would also cost a token request; this keeps the token until 5 minutes before
     * it expires, as msal4j does against real Entra.
     */
    private static final class CachingTokens implements AccessTokenProvider {
        private final ConfidentialClientApplication msal;
        private volatile String token;
        private volatile Instant renewAt = Instant.MIN;

        CachingTokens(ConfidentialClientApplication msal) {
            this.msal = msal;
        }

        @Override
        public String getAuthorizationToken(URI uri, Map<String, Object> additionalContext) {
            if (Instant.now().isBefore(renewAt)) {
                return token;
            }
            synchronized (this) {
                if (Instant.now().isBefore(renewAt)) {
                    return token;
                }
                try {
                    IAuthenticationResult result = msal.acquireToken(ClientCredentialParameters.builder(Set.of(GRAPH_SCOPE)).build()).get();
                    token = result.accessToken();
                    renewAt = result.expiresOnDate().toInstant().minusSeconds(300);
                    return token;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("token request to the sandbox failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while requesting a token", e);
                }
            }
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return new AllowedHostsValidator();
        }
    }
}
