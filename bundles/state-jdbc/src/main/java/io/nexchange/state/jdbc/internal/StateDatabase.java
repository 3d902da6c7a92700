package io.nexchange.state.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.state.StateException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database: opens the HikariCP pool and brings the schema up to date, for the components that work on it
 * ({@link JdbcSyncStateStore}, {@link JdbcCredentialStore}), which DS deactivates before the pool is closed. Works
 * without a configuration (embedded H2 under the runtime's data/ directory). A service of this bundle only: its type
 * is not exported.
 */
@Component(configurationPid = StateDatabase.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = StateDatabase.class)
@Designate(ocd = JdbcStateConfiguration.class)
public final class StateDatabase {
    static final String PID = "io.nexchange.state.jdbc";
    static final String HOME_PROPERTY = "nexchange.base";
    static final String DEFAULT_URL = "jdbc:h2:file:${nexchange.base}/data/state";
    static final String DEFAULT_KEY_FILE = "${nexchange.base}/data/credentials.key";

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);

    private final HikariDataSource pool;
    private final Path credentialKeyFile;

    @Activate
    public StateDatabase(BundleContext context, JdbcStateConfiguration config) throws StateException {
        String home = home(context.getProperty(HOME_PROPERTY));
        String url = expandHome(config.url(), home);
        Path keyFile = Path.of(expandHome(config.credentials_key_file(), home));
        var password = SecretSource.resolve("password", config._password(), config.password_file(), config.password_env(), System::getenv);
        HikariDataSource opened = DataSources.pool(url, config.user(), password, config.pool_size(), config.connection_timeout_ms());
        try {
            List<String> applied = new SchemaMigrator(opened, instanceName()).migrate();
            LOG.info("State database {} ready (schema version {}{}), credential key file {}", DataSources.redact(url),
                    SchemaMigrator.latestVersion(), applied.isEmpty() ? "" : ", applied " + applied, keyFile);
        } catch (StateException | RuntimeException e) {
            opened.close();
            throw e;
        }
        this.pool = opened;
        this.credentialKeyFile = keyFile;
    }

    DataSource dataSource() {
        return pool;
    }

    /** The AES key of the credential store (created on first use). */
    Path credentialKeyFile() {
        return credentialKeyFile;
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
}
