package io.nexchange.ews.internal;

import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.source.Owner;
import io.nexchange.auth.entra.EwsServiceAccount;
import io.nexchange.graph.calendar.internal.store.CalendarSettings;
import io.nexchange.graph.calendar.internal.store.GraphCalendarStore;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.internal.GraphClientsImpl;
import io.nexchange.graph.client.testing.SandboxGraph;
import io.nexchange.graph.contacts.internal.store.GraphContactsStore;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox serving the same mailboxes over Graph and EWS, and the stores of both backends wired as the runtime
 * wires them: one throttling policy, the Graph side of {@link SandboxGraph} (its msal4j TokenProvider also gives the
 * EWS tokens), the sandbox's CA trusted.
 */
final class SandboxExchange implements AutoCloseable {
    static final String REGISTRATION = SandboxGraph.REGISTRATION;
    static final String SERVICE_ACCOUNT = "onprem";

    final SandboxServer sandbox;
    final SandboxGraph graph;
    final ThrottleController policy;
    final GraphClientsImpl graphClients;
    final WindowsZones zones = WindowsZones.load();
    final Clock clock;
    final Map<String, EwsCredentials> credentials = new ConcurrentHashMap<>();
    final HttpClient http;

    SandboxExchange(SandboxServer sandbox, ThrottleLimits limits, Clock clock) throws Exception {
        this.sandbox = sandbox;
        this.clock = clock;
        this.graph = new SandboxGraph(sandbox, limits);
        this.policy = graph.policy;
        this.graphClients = graph.clients;
        TokenProvider tokens = graph.tokenProvider(REGISTRATION);
        this.http = HttpClient.newBuilder().sslContext(EwsHttp.sslContext(sandbox.truststorePath(),
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

    /** A hybrid organisation's store: {@code registration} for Exchange Online, {@code onPremises} for the rest. */
    EwsStore hybridEws(EwsSettings settings, String registration, String onPremises) {
        return new EwsStore(new EwsClient(http, policy, settings), name -> Optional.ofNullable(credentials.get(name)),
                RegistrationAssignment.of(registration), Optional.of(RegistrationAssignment.of(onPremises)), settings, zones, clock);
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
        return SandboxGraph.owner(smtp);
    }

    @Override
    public void close() {
        graph.close();
    }

    static EwsSettings settings() {
        return EwsSettings.defaults().withZone(ZoneId.of("Europe/Berlin"));
    }
}
