package io.nexchange.ews.internal;

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
import io.nexchange.auth.entra.EwsServiceAccount;
import io.nexchange.graph.calendar.internal.store.CalendarSettings;
import io.nexchange.graph.calendar.internal.store.GraphCalendarStore;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.internal.GraphClientSettings;
import io.nexchange.graph.client.internal.GraphClientsImpl;
import io.nexchange.graph.contacts.internal.store.GraphContactsStore;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox serving the same mailboxes over Graph and EWS, and the stores of both backends wired as the runtime
 * wires them: one throttling policy, a TokenProvider over msal4j per resource, the sandbox's CA trusted.
 */
final class SandboxExchange implements AutoCloseable {
    static final String REGISTRATION = "default";
    static final String SERVICE_ACCOUNT = "onprem";

    final SandboxServer sandbox;
    final ThrottleController policy;
    final GraphClientsImpl graphClients;
    final WindowsZones zones = WindowsZones.load();
    final Clock clock;
    final Map<String, EwsCredentials> credentials = new ConcurrentHashMap<>();
    final HttpClient http;

    SandboxExchange(SandboxServer sandbox, ThrottleLimits limits, Clock clock) throws Exception {
        this.sandbox = sandbox;
        this.clock = clock;
        this.policy = new ThrottleController(limits);
        TokenProvider tokens = new MsalTokenProvider(sandbox);
        this.graphClients = new GraphClientsImpl(GraphClientSettings.defaults().withBaseUrl(sandbox.graphBaseUrl())
                .withTruststore(sandbox.truststorePath(), Secret.of(sandbox.truststorePassword()))
                .withThrottleMaxWait(Duration.ofSeconds(20)), policy, r -> REGISTRATION.equals(r) ? tokens : null);
        this.http = HttpClient.newBuilder().sslContext(EwsStoreComponent.sslContext(sandbox.truststorePath(),
                sandbox.truststorePassword())).build();
        credentials.put(REGISTRATION, new EwsCredentials.OAuth(tokens, URI.create(sandbox.ewsUrl())));
    }

    EwsStore ews(EwsSettings settings) {
        return ews(settings, REGISTRATION);
    }

    EwsStore ews(EwsSettings settings, String registration) {
        return new EwsStore(new EwsClient(http, policy, settings), name -> Optional.ofNullable(credentials.get(name)),
                RegistrationAssignment.of(registration), settings, zones, clock);
    }

    /** Adds an on-premises style service account (HTTP Basic at the sandbox's EWS URL). */
    void addServiceAccount(String name, String user, String password) {
        credentials.put(name, new EwsCredentials.ServiceAccount(new EwsServiceAccount() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public URI ewsUrl() {
                return URI.create(sandbox.ewsUrl());
            }

            @Override
            public String username() {
                return user;
            }

            @Override
            public String domain() {
                return "";
            }

            @Override
            public Secret password() {
                return Secret.of(password);
            }
        }));
    }

    GraphCalendarStore graphCalendar(EwsSettings settings) {
        return new GraphCalendarStore(graphClients, RegistrationAssignment.of(REGISTRATION), new CalendarSettings(settings.daysBack(),
                settings.daysAhead(), 100, false, settings.mailboxZone(), 7), zones, clock);
    }

    GraphContactsStore graphContacts() {
        return new GraphContactsStore(graphClients, RegistrationAssignment.of(REGISTRATION), 100, false);
    }

    static Owner owner(String smtp) {
        return new Owner(new Mailbox(smtp, smtp, ""), new Account(smtp, smtp, ""));
    }

    @Override
    public void close() {
        graphClients.close();
    }

    /** app-only tokens from the sandbox's Entra over msal4j, cached per scope (msal4j's cache misses with a port). */
    static final class MsalTokenProvider implements TokenProvider {
        private final ConfidentialClientApplication msal;
        private final Map<String, AccessToken> cached = new ConcurrentHashMap<>();

        MsalTokenProvider(SandboxServer sandbox) throws Exception {
            this.msal = ConfidentialClientApplication.builder(sandbox.demoApp().clientId(),
                    ClientCredentialFactory.createFromSecret(sandbox.demoApp().clientSecret()))
                    .authority(sandbox.authority()).instanceDiscovery(false)
                    .sslSocketFactory(sandbox.clientSslContext().getSocketFactory()).build();
        }

        @Override
        public String registration() {
            return REGISTRATION;
        }

        @Override
        public AccessToken token(String scope) throws AuthException {
            AccessToken t = cached.get(scope);
            if (t != null && t.expiresOn().isAfter(Instant.now().plusSeconds(300))) {
                return t;
            }
            try {
                IAuthenticationResult result = msal.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build()).get();
                t = new AccessToken(Secret.of(result.accessToken()), result.expiresOnDate().toInstant(), Set.of());
                cached.put(scope, t);
                return t;
            } catch (Exception e) {
                throw new AuthException(REGISTRATION, AuthProblem.SERVICE_UNAVAILABLE, e.getMessage(), e);
            }
        }
    }

    static EwsSettings settings() {
        return EwsSettings.defaults().withZone(ZoneId.of("Europe/Berlin"));
    }
}
