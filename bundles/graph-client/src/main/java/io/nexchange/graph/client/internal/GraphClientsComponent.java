package io.nexchange.graph.client.internal;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.graph.client.GraphClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The GraphClients service. TokenProviders come and go (one per configured app registration) without
 * restarting this component: they are tracked by their {@code nexchange.registration} property and looked
 * up on every token request. A change of this component's configuration (base URL, trust) re-creates it.
 */
@Component(service = GraphClients.class, configurationPid = "io.nexchange.graph.client",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GraphClientsConfiguration.class)
public final class GraphClientsComponent implements GraphClients {

    private final Map<String, TokenProvider> providers = new ConcurrentHashMap<>();
    private final GraphClientsImpl clients;

    @Activate
    public GraphClientsComponent(@Reference ThrottlePolicy policy, GraphClientsConfiguration config) {
        GraphClientSettings settings = new GraphClientSettings(config.baseUrl(),
                config.truststorePath().isBlank() ? null : Path.of(config.truststorePath()),
                truststorePassword(config), Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.readTimeoutSeconds()), Duration.ofSeconds(config.callTimeoutSeconds()),
                Duration.ofSeconds(config.throttleMaxWaitSeconds()));
        this.clients = new GraphClientsImpl(settings, policy, providers::get);
    }

    /** The truststore password from its file (read once; a rotation rewrites the config) or inline. */
    static Secret truststorePassword(GraphClientsConfiguration config) {
        String file = config.truststorePasswordFile().strip();
        if (file.isEmpty()) {
            return Secret.of(config.truststorePassword());
        }
        try {
            return Secret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("io.nexchange.graph.client: truststorePasswordFile " + file + " could not be read: "
                    + e.getMessage(), e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTokenProvider(TokenProvider provider) {
        providers.put(provider.registration(), provider);
    }

    void removeTokenProvider(TokenProvider provider) {
        providers.remove(provider.registration(), provider);
    }

    @Deactivate
    void deactivate() {
        clients.close();
    }

    @Override
    public GraphServiceClient forRegistration(String registration) throws AuthException {
        return clients.forRegistration(registration);
    }

    @Override
    public String baseUrl() {
        return clients.baseUrl();
    }
}
