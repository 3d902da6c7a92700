package io.nexchange.state.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import io.nexchange.state.credentials.CredentialException;
import io.nexchange.state.credentials.CredentialInfo;
import io.nexchange.state.credentials.CredentialStore;
import io.nexchange.state.credentials.CsvImportResult;
import io.nexchange.state.credentials.NextcloudCredential;
import io.nexchange.state.overview.MailboxSummary;
import io.nexchange.state.overview.StateOverview;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database as services: opens the pool, brings the schema up to date, and hands every call to
 * {@link JdbcSyncStateStore} and {@link JdbcCredentialStore}. Works without a configuration (embedded H2
 * under the runtime's data/ directory).
 */
@Component(configurationPid = JdbcStateComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {SyncStateStore.class, StateOverview.class, CredentialStore.class})
@Designate(ocd = JdbcStateConfiguration.class)
public final class JdbcStateComponent implements SyncStateStore, StateOverview, CredentialStore {
    static final String PID = "io.nexchange.state.jdbc";
    static final String HOME_PROPERTY = "nexchange.base";
    static final String DEFAULT_URL = "jdbc:h2:file:${nexchange.base}/data/state";
    static final String DEFAULT_KEY_FILE = "${nexchange.base}/data/credentials.key";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateComponent.class);

    private final HikariDataSource pool;
    private final JdbcSyncStateStore state;
    private final JdbcCredentialStore credentials;

    @Activate
    public JdbcStateComponent(BundleContext context, JdbcStateConfiguration config) throws StateException, CredentialException {
        String home = home(context.getProperty(HOME_PROPERTY));
        String url = expandHome(config.url(), home);
        Path keyFile = Path.of(expandHome(config.credentials_key_file(), home));
        var password = SecretSource.resolve("password", config._password(), config.password_file(), config.password_env(), System::getenv);
        HikariDataSource opened = DataSources.pool(url, config.user(), password, config.pool_size(), config.connection_timeout_ms());
        try {
            List<String> applied = new SchemaMigrator(opened, instanceName()).migrate();
            this.state = new JdbcSyncStateStore(opened);
            this.credentials = new JdbcCredentialStore(opened, keyFile);
            LOG.info("State database {} ready (schema version {}{}), credential key file {}", DataSources.redact(url),
                    SchemaMigrator.latestVersion(), applied.isEmpty() ? "" : ", applied " + applied, keyFile);
        } catch (StateException | CredentialException | RuntimeException e) {
            opened.close();
            throw e;
        }
        this.pool = opened;
    }

    @Deactivate
    void deactivate() {
        pool.close();
    }

    /** The runtime home from the framework property, else the working directory (as a relative path). */
    static String home(String property) {
        if (property == null || property.isBlank()) {
            return ".";
        }
        String home = property.strip().replace('\\', '/');
        return home.endsWith("/") && home.length() > 1 ? home.substring(0, home.length() - 1) : home;
    }

    static String expandHome(String value, String home) {
        return value.replace("${" + HOME_PROPERTY + "}", home);
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return "pid " + ProcessHandle.current().pid() + "@" + host;
    }

    // ---- delegation -----------------------------------------------------------------------------------

    @Override
    public Cursor cursor(SyncPair pair, Side side) throws StateException {
        return state.cursor(pair, side);
    }

    @Override
    public Map<ItemKey, ItemStatus> status(SyncPair pair) throws StateException {
        return state.status(pair);
    }

    @Override
    public void commit(SyncPair pair, StatusUpdate update) throws StateException {
        state.commit(pair, update);
    }

    @Override
    public void forget(SyncPair pair) throws StateException {
        state.forget(pair);
    }

    @Override
    public Optional<Lease> tryLease(String mailbox, String holder, Duration ttl) throws StateException {
        return state.tryLease(mailbox, holder, ttl);
    }

    @Override
    public int releaseLeases(String holder) throws StateException {
        return state.releaseLeases(holder);
    }

    @Override
    public List<SyncPair> pairs() throws StateException {
        return state.pairs();
    }

    @Override
    public MailboxSummary summary(String mailbox) throws StateException {
        return state.summary(mailbox);
    }

    @Override
    public List<MailboxSummary> summaries() throws StateException {
        return state.summaries();
    }

    @Override
    public Optional<NextcloudCredential> find(String email) throws CredentialException {
        return credentials.find(email);
    }

    @Override
    public void put(NextcloudCredential credential) throws CredentialException {
        credentials.put(credential);
    }

    @Override
    public boolean remove(String email) throws CredentialException {
        return credentials.remove(email);
    }

    @Override
    public List<String> emails() throws CredentialException {
        return credentials.emails();
    }

    @Override
    public List<CredentialInfo> list() throws CredentialException {
        return credentials.list();
    }

    @Override
    public CsvImportResult importCsv(Reader csv) throws CredentialException {
        return credentials.importCsv(csv);
    }
}
