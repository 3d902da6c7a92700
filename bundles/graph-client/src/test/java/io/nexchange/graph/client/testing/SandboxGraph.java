package io.nexchange.graph.client.testing;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.source.Owner;
import io.nexchange.graph.client.internal.GraphClientSettings;
import io.nexchange.graph.client.internal.GraphClientsImpl;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The sandbox, a TokenProvider over msal4j, the throttling policy and GraphClients, as the runtime wires them. */
public final class SandboxGraph implements AutoCloseable {

    public static final String REGISTRATION = "default";

    public final SandboxServer sandbox;
    public final ThrottleController policy;
    public final GraphClientsImpl clients;

    private final java.util.Map<String, TokenProvider> providers = new java.util.concurrent.ConcurrentHashMap<>();

    public SandboxGraph(SandboxServer sandbox, ThrottleLimits limits) throws Exception {
        this.sandbox = sandbox;
        this.policy = new ThrottleController(limits);
        providers.put(REGISTRATION, new MsalTokenProvider(sandbox, REGISTRATION, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()));
        GraphClientSettings settings = GraphClientSettings.defaults().withBaseUrl(sandbox.graphBaseUrl())
                .withTruststore(sandbox.truststorePath(), Secret.of(sandbox.truststorePassword()))
                .withThrottleMaxWait(Duration.ofSeconds(20));
        this.clients = new GraphClientsImpl(settings, policy, providers::get);
    }

    /** Adds a registration of another app (e.g. one without admin consent). */
    public void addRegistration(String name, io.nexchange.sandbox.AppRegistration app) throws Exception {
        providers.put(name, new MsalTokenProvider(sandbox, name, app.clientId(), app.clientSecret()));
    }

    /** The TokenProvider of a registration (also for other resources, e.g. EWS's scope). */
    public TokenProvider tokenProvider(String registration) {
        return providers.get(registration);
    }

    public static Owner owner(String smtp) {
        return new Owner(new Mailbox(smtp, smtp, ""), new Account(smtp, smtp, ""));
    }

    @Override
    public void close() {
        clients.close();
    }

    /**
     * A TokenProvider over msal4j (test code: auth-entra is the product's). Caches the token itself because
     * msal4j's cache misses for an authority with a port (see the sandbox README); one token per scope (Graph's and
     * EWS's tokens have different audiences).
     */
    public static final class MsalTokenProvider implements TokenProvider {
        private final ConfidentialClientApplication msal;
        private final String name;
        private final java.util.Map<String, AccessToken> cached = new java.util.HashMap<>();

        public MsalTokenProvider(SandboxServer sandbox, String name, String clientId, String secret) throws Exception {
            this.name = name;
            this.msal = ConfidentialClientApplication.builder(clientId, ClientCredentialFactory.createFromSecret(secret))
                    .authority(sandbox.authority()).instanceDiscovery(false)
                    .sslSocketFactory(sandbox.clientSslContext().getSocketFactory()).build();
        }

        @Override
        public String registration() {
            return name;
        }

        @Override
        public synchronized AccessToken token(String scope) throws AuthException {
            AccessToken token = cached.get(scope);
            if (token != null && token.expiresOn().isAfter(Instant.now().plusSeconds(300))) {
                return token;
            }
            try {
                IAuthenticationResult result = msal.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build()).get();
                token = new AccessToken(Secret.of(result.accessToken()), result.expiresOnDate().toInstant(), Set.of());
                cached.put(scope, token);
                return token;
            } catch (Exception e) {
                throw new AuthException(name, AuthProblem.SERVICE_UNAVAILABLE, e.getMessage(), e);
            }
        }
    }
}
