package io.nexchange.ews.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.auth.entra.EwsServiceAccount;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.throttling.RegistrationAssignment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The EWS ItemStore service ({@code nexchange.backend=ews}, {@code nexchange.side=exchange}) for calendars and
 * contacts; the work is done by {@link EwsStore}. App registrations (TokenProvider) and on-premises service accounts
 * (EwsServiceAccount) come and go without restarting it: they are looked up by name for every source and target.
 * Requires its configuration (etc/io.nexchange.ews.cfg), so that installing the bundle alone registers no store.
 */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.ews", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ItemStore.BACKEND + "=ews", ItemStore.SIDE + "=exchange"})
@Designate(ocd = EwsStoreConfiguration.class)
public final class EwsStoreComponent implements ItemStore {

    private final Map<String, TokenProvider> tokenProviders = new ConcurrentHashMap<>();
    private final Map<String, EwsServiceAccount> serviceAccounts = new ConcurrentHashMap<>();
    private final EwsStore store;

    @Activate
    public EwsStoreComponent(@Reference ThrottlePolicy policy, EwsStoreConfiguration config) {
        EwsSettings settings = new EwsSettings(config.serverVersion(), config.pageSize(), config.getItemBatch(), config.windowDaysBack(),
                config.windowDaysAhead(), ZoneId.of(config.mailboxTimeZone()), config.maxResponseBytes(),
                EwsSettings.defaults().maxElements(), Duration.ofSeconds(config.readTimeoutSeconds()),
                Duration.ofSeconds(config.throttleMaxWaitSeconds()));
        HttpClient http = httpClient(config);
        URI url = URI.create(config.url());
        this.store = new EwsStore(new EwsClient(http, policy, settings), name -> credentials(name, url),
                RegistrationAssignment.of(config.registrations()), settings, WindowsZones.load(), Clock.systemUTC());
    }

    private Optional<EwsCredentials> credentials(String name, URI url) {
        EwsServiceAccount account = serviceAccounts.get(name);
        if (account != null) {
            return Optional.of(new EwsCredentials.ServiceAccount(account));
        }
        TokenProvider tokens = tokenProviders.get(name);
        return tokens == null ? Optional.empty() : Optional.of(new EwsCredentials.OAuth(tokens, url));
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

    private static char[] truststorePassword(EwsStoreConfiguration config) {
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTokenProvider(TokenProvider provider) {
        tokenProviders.put(provider.registration(), provider);
    }

    void removeTokenProvider(TokenProvider provider) {
        tokenProviders.remove(provider.registration(), provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addServiceAccount(EwsServiceAccount account) {
        serviceAccounts.put(account.name(), account);
    }

    void removeServiceAccount(EwsServiceAccount account) {
        serviceAccounts.remove(account.name(), account);
    }

    @Override
    public Set<CollectionKind> kinds() {
        return store.kinds();
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
        return store.collections(owner, kind);
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        return store.ensureCollection(owner, kind, name);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        return store.source(owner, collection);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        return store.target(owner, collection);
    }
}
