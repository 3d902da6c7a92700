package io.nexchange.state.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.state.StateException;
import javax.sql.DataSource;

/**
 * Builds the pool. The driver's own DataSource class is instantiated directly and handed to HikariCP, so
 * no driver is looked up through DriverManager or by class name (neither sees other bundles' classes in
 * OSGi); this bundle imports org.h2.jdbcx and org.postgresql.ds optionally, and each driver is touched
 * only in its own nested class, loaded when the URL names it.
 */
public final class DataSources {
    private DataSources() {}

    /**
     * A HikariCP pool over the database the URL names.
     *
     * @throws StateException if the URL names no supported database or its driver bundle is missing
     */
    public static HikariDataSource pool(String url, String user, Secret password, int poolSize, long connectionTimeoutMillis)
            throws StateException {
        DataSource driver = driverDataSource(url, user, password);
        HikariConfig config = new HikariConfig();
        config.setPoolName("nexchange-state");
        config.setDataSource(driver);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setAutoCommit(true);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // HikariCP's PoolInitializationException wraps the driver's SQLException
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StateException("cannot connect to the state database " + redact(url) + " as user '" + user + "': "
                    + cause.getMessage() + " (check io.nexchange.state.jdbc 'url', 'user' and the password)", cause);
        }
    }

    /** The driver's unpooled DataSource for the URL. */
    public static DataSource driverDataSource(String url, String user, Secret password) throws StateException {
        try {
            if (url.startsWith("jdbc:h2:")) {
                return H2.dataSource(url, user, password);
            }
            if (url.startsWith("jdbc:postgresql:")) {
                return Postgres.dataSource(url, user, password);
            }
        } catch (NoClassDefFoundError e) {
            String bundle = url.startsWith("jdbc:h2:") ? "com.h2database (Maven com.h2database:h2)"
                    : "org.postgresql.jdbc (Maven org.postgresql:postgresql)";
            throw new StateException("the JDBC driver for " + redact(url) + " is not installed: install the bundle " + bundle, null);
        }
        throw new StateException("unsupported state database URL " + redact(url)
                + ": io.nexchange.state.jdbc 'url' must start with jdbc:h2: or jdbc:postgresql:", null);
    }

    /** The URL without password parameters, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password|PASSWORD)=[^;&]*", "$1=********");
    }

    private static final class H2 {
        static DataSource dataSource(String url, String user, Secret password) {
            org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
            dataSource.setURL(h2Url(url));
            dataSource.setUser(user);
            dataSource.setPassword(password.reveal());
            return H2DurableWrites.over(dataSource);
        }
    }

    /**
     * H2 closes the database from a JVM shutdown hook of its own (DB_CLOSE_ON_EXIT); on SIGTERM that hook ran next to the
     * one stopping the framework and closed the database under the engine's last actions and lease releases ("Database is
     * already closed"). DB_CLOSE_ON_EXIT=FALSE leaves closing to the pool, which the state component closes after the
     * engine, its dependent, has stopped. An explicit setting in the URL is kept.
     *
     * <p>Commits are made durable by {@link H2DurableWrites}, not by {@code WRITE_DELAY=0} (which stops H2's housekeeping
     * and let the file grow without bound); an explicit WRITE_DELAY in the URL is passed on as it is.
     */
    static String h2Url(String url) {
        return url.toUpperCase(java.util.Locale.ROOT).contains(";DB_CLOSE_ON_EXIT=") ? url : url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private static final class Postgres {
        static DataSource dataSource(String url, String user, Secret password) {
            org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
            dataSource.setURL(url);
            dataSource.setUser(user);
            dataSource.setPassword(password.reveal());
            return dataSource;
        }
    }
}
