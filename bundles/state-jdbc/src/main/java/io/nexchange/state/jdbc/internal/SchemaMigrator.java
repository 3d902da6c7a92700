package io.nexchange.state.jdbc.internal;

import io.nexchange.api.state.StateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the version this bundle needs, applying the versioned scripts of
 * {@code migration/} in order and recording each in {@code schema_version} with its checksum.
 *
 * <p>Hand-written instead of Flyway on purpose: Flyway finds scripts by scanning the class path, which in
 * OSGi needs its bundle-aware scanner, and since version 10 loads its database support through
 * ServiceLoader, which does not cross bundle class loaders without an extra SPI-Fly bundle; what is needed
 * here (an ordered list of scripts, a version table, a lock) is some 150 lines.
 *
 * <p>Concurrency: instances starting at once serialise on a row lock ({@code SELECT ... FOR UPDATE} on the
 * single row of {@code schema_lock}), held on a connection of its own for the whole run, so exactly one
 * applies each script and the others then find it recorded. Creating {@code schema_lock} itself may race;
 * the loser's error is ignored once the table is seen to exist. PostgreSQL runs each script in one
 * transaction (DDL is transactional there); H2 commits DDL at once, so a crash in the middle of a script
 * can leave part of it applied there, which an operator fixes by deleting the embedded database file.
 */
public final class SchemaMigrator {
    /** The scripts, oldest first; the number after V is the schema version. Append, never edit. */
    static final List<String> SCRIPTS = List.of("V1__initial.sql", "V2__quarantine.sql", "V3__settings.sql", "V4__conflicts.sql",
            "V5__fleet.sql", "V6__outside_window.sql");

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);

    private final DataSource dataSource;
    private final String appliedBy;

    public SchemaMigrator(DataSource dataSource, String appliedBy) {
        this.dataSource = dataSource;
        this.appliedBy = appliedBy;
    }

    /** The schema version this bundle needs. */
    public static int latestVersion() {
        return version(SCRIPTS.get(SCRIPTS.size() - 1));
    }

    /**
     * Applies the scripts that the database lacks.
     *
     * @return the names of the scripts applied by this call (empty if the schema was current)
     */
    public List<String> migrate() throws StateException {
        try {
            ensureLockTable();
            try (Connection lock = dataSource.getConnection()) {
                lock.setAutoCommit(false);
                acquire(lock);
                try (Connection work = dataSource.getConnection()) {
                    return applyMissing(work);
                } finally {
                    lock.rollback(); // releases the row lock; nothing was written on this connection
                }
            }
        } catch (SQLException e) {
            throw new StateException("could not bring the state database schema to version " + latestVersion()
                    + ": " + Sql.reason(e), e);
        }
    }

    private void ensureLockTable() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!tableExists(connection, "schema_lock")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE schema_lock (id INT NOT NULL PRIMARY KEY)");
                } catch (SQLException e) {
                    if (!tableExists(connection, "schema_lock")) {
                        throw e; // not the race with another instance: a real failure
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO schema_lock (id) VALUES (1)");
            } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static void acquire(Connection lock) throws SQLException {
        Instant deadline = Instant.now().plus(LOCK_WAIT);
        while (true) {
            try (Statement statement = lock.createStatement();
                    ResultSet row = statement.executeQuery("SELECT id FROM schema_lock WHERE id = 1 FOR UPDATE")) {
                row.next();
                return;
            } catch (SQLException e) {
                // H2 gives up after its LOCK_TIMEOUT (1 s by default) while another instance migrates
                if (!Sql.isLockTimeout(e) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                lock.rollback();
            }
        }
    }

    private List<String> applyMissing(Connection work) throws SQLException, StateException {
        work.setAutoCommit(true);
        if (!tableExists(work, "schema_version")) {
            try (Statement statement = work.createStatement()) {
                statement.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, script VARCHAR(200) NOT NULL,"
                        + " checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " applied_by VARCHAR(255) NOT NULL)");
            }
        }
        TreeMap<Integer, String> applied = new TreeMap<>();
        try (Statement statement = work.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        int latest = latestVersion();
        if (!applied.isEmpty() && applied.lastKey() > latest) {
            throw new StateException("the state database has schema version " + applied.lastKey()
                    + ", newer than this bundle (io.nexchange.state.jdbc) knows (" + latest
                    + "): update the bundle, or point io.nexchange.state.jdbc 'url' at another database", null);
        }
        List<String> done = new ArrayList<>();
        for (String script : SCRIPTS) {
            String text = read(script);
            String checksum = checksum(text);
            Integer version = version(script);
            String recorded = applied.get(version);
            if (recorded != null) {
                if (!recorded.equals(checksum)) {
                    throw new StateException("migration " + script + " was changed after it was applied to this database"
                            + " (checksum " + recorded.substring(0, 12) + " recorded, " + checksum.substring(0, 12)
                            + " now): ship the original script and add changes as a new version", null);
                }
                continue;
            }
            apply(work, script, version, text, checksum);
            done.add(script);
        }
        return done;
    }

    private void apply(Connection work, String script, int version, String text, String checksum) throws SQLException {
        LOG.info("Applying state schema migration {}", script);
        work.setAutoCommit(false);
        try {
            try (Statement statement = work.createStatement()) {
                for (String sql : statements(text)) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement insert = work.prepareStatement(
                    "INSERT INTO schema_version (version, script, checksum, applied_at, applied_by) VALUES (?, ?, ?, ?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, script);
                insert.setString(3, checksum);
                insert.setObject(4, Sql.timestamp(Clock.systemUTC().instant()));
                insert.setString(5, appliedBy);
                insert.executeUpdate();
            }
            work.commit();
        } catch (SQLException e) {
            work.rollback();
            SQLException named = new SQLException("migration " + script + " failed: " + e.getMessage(), e.getSQLState(), e);
            throw named;
        } finally {
            work.setAutoCommit(true);
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        // a probe query instead of DatabaseMetaData: H2 folds unquoted names to upper case, PostgreSQL to lower
        boolean autoCommit = connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            if (!autoCommit) {
                connection.rollback(); // PostgreSQL aborts the transaction on any error
            }
            return false;
        }
    }

    /** Splits a script into statements: each ends with ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("script ends without ';': " + current.toString().strip());
        }
        return statements;
    }

    static int version(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + script, e);
        }
    }

    private static String checksum(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
