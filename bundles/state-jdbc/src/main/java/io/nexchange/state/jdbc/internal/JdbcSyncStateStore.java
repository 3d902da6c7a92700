package io.nexchange.state.jdbc.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.FleetMember;
import io.nexchange.api.state.FleetView;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.LeaseLostException;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.StatusUpdate;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import io.nexchange.state.overview.LeaseInfo;
import io.nexchange.state.overview.MailboxSummary;
import io.nexchange.state.overview.PairSummary;
import io.nexchange.state.overview.StateOverview;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync state on JDBC, modelled on vdirsyncer's status database: per pair, one row per item with what
 * sync last saw on both sides, plus one cursor per side. {@link #commit} writes rows and cursors in one
 * transaction, so after a crash the state is exactly that of the last commit.
 *
 * <p>Leases use a portable conditional UPDATE-then-INSERT on a row per mailbox, timed by the database's
 * clock (one clock for all instances, whatever their own clocks say): the UPDATE takes a row only if it
 * has expired, and concurrent UPDATEs of the same row are serialised by its row lock and re-check the
 * condition, so exactly one wins; the INSERT of a missing row is decided by the primary key.
 *
 * <p>The schema must be current ({@link SchemaMigrator}) before use. Thread-safe.
 */
@Component(service = {SyncStateStore.class, StateOverview.class})
public final class JdbcSyncStateStore implements SyncStateStore, StateOverview {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSyncStateStore.class);
    private static final int MAX_CURSOR_LENGTH = 1_000_000; // cursors.cursor_value
    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Clock clock;
    /**
     * Leases of this store whose release failed (the database was away when their run ended), by mailbox: their token.
     * Released at the mailbox's next {@link #tryLease}, else the mailbox would wait for them to run out (15 minutes by
     * default) although no run of this instance holds them.
     */
    private final java.util.Map<String, String> unreleased = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public JdbcSyncStateStore(@Reference StateDatabase database) throws StateException {
        this(database.dataSource(), Clock.systemUTC());
    }

    /**
     * A store on a pool whose schema is current, wired by hand (tests, the sync benchmark). Not a constructor: DS
     * would find two public one-argument constructors.
     */
    public static JdbcSyncStateStore over(DataSource dataSource) throws StateException {
        return new JdbcSyncStateStore(dataSource, Clock.systemUTC());
    }

    JdbcSyncStateStore(DataSource dataSource, Clock clock) throws StateException {
        this.dataSource = dataSource;
        this.clock = clock;
        try (Connection connection = dataSource.getConnection()) {
            this.dialect = Dialect.of(connection);
        } catch (SQLException e) {
            throw new StateException("cannot open the state database: " + Sql.reason(e), e);
        }
    }

    // ---- SyncStateStore -------------------------------------------------------------------------------

    @Override
    public Cursor cursor(SyncPair pair, Side side) throws StateException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT c.cursor_value FROM cursors c"
                        + " JOIN pairs p ON p.id = c.pair_id WHERE p.pair_key = ? AND c.side = ?")) {
            query.setString(1, pairKey(pair));
            query.setString(2, side.name());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? new Cursor(row.getString(1)) : Cursor.INITIAL;
            }
        } catch (SQLException e) {
            throw failure("read the " + side + " cursor of", pair, e);
        }
    }

    @Override
    public Map<ItemKey, ItemStatus> status(SyncPair pair) throws StateException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT s.item_kind, s.item_key,"
                        + " s.exchange_ref, s.exchange_version, s.exchange_hash, s.exchange_outside_window, s.nextcloud_ref,"
                        + " s.nextcloud_version, s.nextcloud_hash, s.nextcloud_outside_window FROM item_status s"
                        + " JOIN pairs p ON p.id = s.pair_id WHERE p.pair_key = ?")) {
            query.setFetchSize(1000);
            query.setString(1, pairKey(pair));
            Map<ItemKey, ItemStatus> status = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ItemKey key = new ItemKey(CollectionKind.valueOf(rows.getString(1)), rows.getString(2));
                    status.put(key, new ItemStatus(key, side(rows, 3), side(rows, 7)));
                }
            }
            return status;
        } catch (SQLException e) {
            throw failure("read the status of", pair, e);
        }
    }

    /** One transaction: the pair row if new, then removals, then upserts (so a key in both ends up stored), then cursors. */
    @Override
    public void commit(SyncPair pair, StatusUpdate update) throws StateException {
        write(pair, update, null);
    }

    @Override
    public void commit(SyncPair pair, StatusUpdate update, Lease lease) throws StateException {
        if (!(lease instanceof JdbcLease own) || own.store() != this) {
            throw new IllegalArgumentException("a fenced commit needs a lease of this state store, was " + lease);
        }
        if (!own.mailbox.equals(pair.mailbox())) {
            throw new IllegalArgumentException("the lease of " + own.mailbox + " does not fence a commit of " + describe(pair));
        }
        write(pair, update, own);
    }

    /**
     * The commit; with a {@code fence}, its first statement checks the lease's token and keeps the lease row locked
     * until the transaction ends, so a takeover (an UPDATE of that row) waits for this commit, and a lease taken over
     * before refuses it. Only the token counts, not the expiry: a lease that ran out but nobody took over has no other
     * writer yet, and whoever takes it next reads the state after this commit.
     */
    private void write(SyncPair pair, StatusUpdate update, JdbcLease fence) throws StateException {
        if (update.isEmpty()) {
            return;
        }
        for (Map.Entry<Side, Cursor> cursor : update.cursors().entrySet()) {
            // checked here, not by the database: its error message would quote the value, which is as good
            // as a credential for the mailbox's changes
            if (cursor.getValue().value().length() > MAX_CURSOR_LENGTH) {
                throw new StateException("the " + cursor.getKey() + " cursor of " + describe(pair) + " is "
                        + cursor.getValue().value().length() + " characters, more than the " + MAX_CURSOR_LENGTH
                        + " the state database keeps; nothing was committed", null);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (fence != null && !holds(connection, fence)) {
                    connection.rollback();
                    throw new LeaseLostException("the lease of mailbox " + pair.mailbox() + " was taken over by another "
                            + "instance or released; nothing of " + describe(pair) + " was committed");
                }
                Instant now = clock.instant();
                long pairId = ensurePair(connection, pair, now);
                if (!update.removals().isEmpty()) {
                    try (PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM item_status WHERE pair_id = ? AND item_kind = ? AND item_key = ?")) {
                        int pending = 0;
                        for (ItemKey key : update.removals()) {
                            delete.setLong(1, pairId);
                            delete.setString(2, key.kind().name());
                            delete.setString(3, key.value());
                            delete.addBatch();
                            if (++pending == BATCH) {
                                delete.executeBatch();
                                pending = 0;
                            }
                        }
                        if (pending > 0) {
                            delete.executeBatch();
                        }
                    }
                }
                if (!update.upserts().isEmpty()) {
                    try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert("item_status",
                            List.of("pair_id", "item_kind", "item_key"),
                            List.of("exchange_ref", "exchange_version", "exchange_hash", "exchange_outside_window",
                                    "nextcloud_ref", "nextcloud_version", "nextcloud_hash", "nextcloud_outside_window",
                                    "updated_at")))) {
                        int pending = 0;
                        for (ItemStatus status : update.upserts()) {
                            upsert.setLong(1, pairId);
                            upsert.setString(2, status.key().kind().name());
                            upsert.setString(3, status.key().value());
                            bindSide(upsert, 4, status.exchange());
                            bindSide(upsert, 8, status.nextcloud());
                            upsert.setObject(12, Sql.timestamp(now));
                            upsert.addBatch();
                            if (++pending == BATCH) {
                                upsert.executeBatch();
                                pending = 0;
                            }
                        }
                        if (pending > 0) {
                            upsert.executeBatch();
                        }
                    }
                }
                if (!update.cursors().isEmpty()) {
                    try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert("cursors",
                            List.of("pair_id", "side"), List.of("cursor_value", "updated_at")))) {
                        for (Map.Entry<Side, Cursor> cursor : update.cursors().entrySet()) {
                            upsert.setLong(1, pairId);
                            upsert.setString(2, cursor.getKey().name());
                            upsert.setString(3, cursor.getValue().value());
                            upsert.setObject(4, Sql.timestamp(now));
                            upsert.addBatch();
                        }
                        upsert.executeBatch();
                    }
                }
                writeQuarantine(connection, pairId, update);
                ConflictTable.insert(connection, pairId, update.conflicts());
                ConflictTable.markRestored(connection, pairId, update.restored(), now);
                try (PreparedStatement touch = connection.prepareStatement("UPDATE pairs SET last_commit_at = ? WHERE id = ?")) {
                    touch.setObject(1, Sql.timestamp(now));
                    touch.setLong(2, pairId);
                    touch.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("commit the state of", pair, e);
        }
    }

    @Override
    public void forget(SyncPair pair) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement find = connection.prepareStatement("SELECT id FROM pairs WHERE pair_key = ?")) {
                find.setString(1, pairKey(pair));
                Long id = null;
                try (ResultSet row = find.executeQuery()) {
                    if (row.next()) {
                        id = row.getLong(1);
                    }
                }
                if (id != null) {
                    // the schema has no foreign keys (see V1__initial.sql): children go first, in this transaction
                    for (String sql : List.of("DELETE FROM item_status WHERE pair_id = ?", "DELETE FROM cursors WHERE pair_id = ?",
                            "DELETE FROM quarantine WHERE pair_id = ?", "DELETE FROM conflicts WHERE pair_id = ?",
                            "DELETE FROM pairs WHERE id = ?")) {
                        try (PreparedStatement delete = connection.prepareStatement(sql)) {
                            delete.setLong(1, id);
                            delete.executeUpdate();
                        }
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("forget", pair, e);
        }
    }

    @Override
    public Optional<Lease> tryLease(String mailbox, String holder, Duration ttl) throws StateException {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lease ttl must be positive: " + ttl);
        }
        String token = UUID.randomUUID().toString();
        String stale = unreleased.remove(mailbox);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (stale != null) {
                delete(connection, mailbox, stale);
                stale = null;
            }
            Instant now = databaseNow(connection);
            Instant expiresAt = now.plus(ttl);
            if (dialect == Dialect.POSTGRESQL) {
                // one statement and no error in the server's log when another instance holds the lease
                try (PreparedStatement take = connection.prepareStatement("INSERT INTO leases (mailbox, holder, token,"
                        + " acquired_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (mailbox) DO UPDATE SET"
                        + " holder = EXCLUDED.holder, token = EXCLUDED.token, acquired_at = EXCLUDED.acquired_at,"
                        + " expires_at = EXCLUDED.expires_at WHERE leases.expires_at <= ?")) {
                    take.setString(1, mailbox);
                    take.setString(2, holder);
                    take.setString(3, token);
                    take.setObject(4, Sql.timestamp(now));
                    take.setObject(5, Sql.timestamp(expiresAt));
                    take.setObject(6, Sql.timestamp(now));
                    return take.executeUpdate() == 1
                            ? Optional.of(new JdbcLease(mailbox, token, ttl, Sql.timestamp(expiresAt).toInstant()))
                            : Optional.empty();
                }
            }
            // H2: the insert first, so a mailbox whose last run released its lease (the usual case) costs one statement
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO leases (mailbox, holder, token,"
                    + " acquired_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, mailbox);
                insert.setString(2, holder);
                insert.setString(3, token);
                insert.setObject(4, Sql.timestamp(now));
                insert.setObject(5, Sql.timestamp(expiresAt));
                insert.executeUpdate();
                return Optional.of(new JdbcLease(mailbox, token, ttl, Sql.timestamp(expiresAt).toInstant()));
            } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                    throw e;
                }
            }
            // a row is there: take it over if it ran out (a holder killed with -9), else it is another holder's
            try (PreparedStatement takeOver = connection.prepareStatement("UPDATE leases SET holder = ?, token = ?,"
                    + " acquired_at = ?, expires_at = ? WHERE mailbox = ? AND expires_at <= ?")) {
                takeOver.setString(1, holder);
                takeOver.setString(2, token);
                takeOver.setObject(3, Sql.timestamp(now));
                takeOver.setObject(4, Sql.timestamp(expiresAt));
                takeOver.setString(5, mailbox);
                takeOver.setObject(6, Sql.timestamp(now));
                if (takeOver.executeUpdate() == 1) {
                    return Optional.of(new JdbcLease(mailbox, token, ttl, Sql.timestamp(expiresAt).toInstant()));
                }
                return Optional.empty(); // a live lease of another holder
            }
        } catch (SQLException e) {
            if (Sql.isLockTimeout(e)) {
                return Optional.empty(); // another instance is taking it over right now
            }
            throw new StateException("cannot take the lease of mailbox " + mailbox + ": " + Sql.reason(e), e);
        } finally {
            if (stale != null) {
                unreleased.putIfAbsent(mailbox, stale); // still not released: next time
            }
        }
    }

    @Override
    public int releaseLeases(String holder) throws StateException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement("DELETE FROM leases WHERE holder = ?")) {
            connection.setAutoCommit(true);
            release.setString(1, holder);
            return release.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot release the leases of instance " + holder + ": " + Sql.reason(e), e);
        }
    }

    /** Instance records that ran out longer ago than this are deleted by the next heartbeat of any instance. */
    static final Duration GONE_KEPT = Duration.ofHours(1);

    @Override
    public FleetView heartbeat(String instance, String about, Instant startedAt, Duration ttl, Collection<Lease> held)
            throws StateException {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("heartbeat ttl must be positive: " + ttl);
        }
        List<JdbcLease> leases = new ArrayList<>();
        for (Lease lease : held) {
            if (!(lease instanceof JdbcLease own) || own.store() != this) {
                throw new IllegalArgumentException("a heartbeat renews leases of this state store, was " + lease);
            }
            if (!own.closed) {
                leases.add(own);
            }
        }
        String clipped = clip(about == null ? "" : about, 1000);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            Instant now = databaseNow(connection);
            Instant expiresAt = now.plus(ttl);
            try (PreparedStatement update = connection.prepareStatement("UPDATE instances SET about = ?, started_at = ?,"
                    + " last_beat = ?, expires_at = ? WHERE instance_id = ?")) {
                update.setString(1, clipped);
                update.setObject(2, Sql.timestamp(startedAt));
                update.setObject(3, Sql.timestamp(now));
                update.setObject(4, Sql.timestamp(expiresAt));
                update.setString(5, instance);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO instances (instance_id, about,"
                            + " started_at, last_beat, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setString(1, instance);
                        insert.setString(2, clipped);
                        insert.setObject(3, Sql.timestamp(startedAt));
                        insert.setObject(4, Sql.timestamp(now));
                        insert.setObject(5, Sql.timestamp(expiresAt));
                        insert.executeUpdate();
                    }
                }
            }
            Set<String> lost = renew(connection, leases, expiresAt);
            try (PreparedStatement purge = connection.prepareStatement("DELETE FROM instances WHERE expires_at < ?")) {
                purge.setObject(1, Sql.timestamp(now.minus(GONE_KEPT)));
                purge.executeUpdate();
            }
            Map<String, Integer> counts = new HashMap<>();
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT holder, COUNT(*) FROM leases WHERE expires_at > ? GROUP BY holder")) {
                count.setObject(1, Sql.timestamp(now));
                try (ResultSet rows = count.executeQuery()) {
                    while (rows.next()) {
                        counts.put(rows.getString(1), rows.getInt(2));
                    }
                }
            }
            List<FleetMember> members = new ArrayList<>();
            try (Statement select = connection.createStatement();
                    ResultSet rows = select.executeQuery("SELECT instance_id, about, started_at, last_beat, expires_at"
                            + " FROM instances ORDER BY instance_id")) {
                while (rows.next()) {
                    Instant until = Sql.instant(rows.getObject(5));
                    members.add(new FleetMember(rows.getString(1), rows.getString(2), Sql.instant(rows.getObject(3)),
                            Sql.instant(rows.getObject(4)), until, until.isAfter(now), counts.getOrDefault(rows.getString(1), 0)));
                }
            }
            return new FleetView(now, members, lost);
        } catch (SQLException e) {
            throw new StateException("cannot record the heartbeat of instance " + instance + ": " + Sql.reason(e), e);
        }
    }

    /**
     * Renews the leases still held until {@code until}, {@value #BATCH} per statement (by mailbox, the primary key, and
     * token: a token names one acquisition); returns the mailboxes of those not renewed, which are lost.
     */
    private Set<String> renew(Connection connection, List<JdbcLease> leases, Instant until) throws SQLException {
        Set<String> lost = new TreeSet<>();
        for (int from = 0; from < leases.size(); from += BATCH) {
            List<JdbcLease> chunk = leases.subList(from, Math.min(leases.size(), from + BATCH));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            int renewed;
            try (PreparedStatement renew = connection.prepareStatement("UPDATE leases SET expires_at = ? WHERE mailbox IN ("
                    + marks + ") AND token IN (" + marks + ")")) {
                renew.setObject(1, Sql.timestamp(until));
                for (int i = 0; i < chunk.size(); i++) {
                    renew.setString(2 + i, chunk.get(i).mailbox);
                    renew.setString(2 + chunk.size() + i, chunk.get(i).token);
                }
                renewed = renew.executeUpdate();
            }
            if (renewed == chunk.size()) {
                chunk.forEach(lease -> lease.expiresAt = Sql.timestamp(until).toInstant());
                continue;
            }
            Map<String, String> tokens = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT mailbox, token FROM leases WHERE mailbox IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(1 + i, chunk.get(i).mailbox);
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tokens.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            for (JdbcLease lease : chunk) {
                if (lease.token.equals(tokens.get(lease.mailbox))) {
                    lease.expiresAt = Sql.timestamp(until).toInstant();
                } else {
                    lost.add(lease.mailbox);
                }
            }
        }
        return lost;
    }

    @Override
    public void leave(String instance) throws StateException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM instances WHERE instance_id = ?")) {
            connection.setAutoCommit(true);
            delete.setString(1, instance);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot remove the record of instance " + instance + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public Map<String, String> leaseHolders() throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            Instant now = databaseNow(connection);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT mailbox, holder FROM leases WHERE expires_at > ? ORDER BY mailbox")) {
                select.setObject(1, Sql.timestamp(now));
                Map<String, String> holders = new LinkedHashMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        holders.put(rows.getString(1), rows.getString(2));
                    }
                }
                return holders;
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the mailbox leases: " + Sql.reason(e), e);
        }
    }

    /** Whether {@code lease} is still held; locks its row until the caller's transaction ends. */
    private static boolean holds(Connection connection, JdbcLease lease) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "UPDATE leases SET expires_at = expires_at WHERE mailbox = ? AND token = ?")) {
            lock.setString(1, lease.mailbox);
            lock.setString(2, lease.token);
            return lock.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<String> setting(String name) throws StateException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT setting_value FROM settings WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the setting " + name + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public void putSetting(String name, String value) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (value == null) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM settings WHERE name = ?")) {
                    delete.setString(1, name);
                    delete.executeUpdate();
                }
                return;
            }
            try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert("settings", List.of("name"),
                    List.of("setting_value", "updated_at")))) {
                upsert.setString(1, name);
                upsert.setString(2, value);
                upsert.setObject(3, Sql.timestamp(clock.instant()));
                upsert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StateException("cannot store the setting " + name + ": " + Sql.reason(e), e);
        }
    }

    private static final String QUARANTINE_COLUMNS = "p.mailbox, p.kind, p.exchange_collection, p.nextcloud_collection,"
            + " q.side, q.item_ref, q.item_kind, q.item_key, q.item_version, q.summary, q.reason, q.first_failed,"
            + " q.last_failed, q.attempts, q.held FROM quarantine q JOIN pairs p ON p.id = q.pair_id";

    @Override
    public List<QuarantinedItem> quarantined(SyncPair pair) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            return quarantined(connection, " WHERE p.pair_key = ?", pairKey(pair));
        } catch (SQLException e) {
            throw failure("read the quarantined items of", pair, e);
        }
    }

    @Override
    public List<QuarantinedItem> quarantined() throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            return quarantined(connection, "", null);
        } catch (SQLException e) {
            throw new StateException("cannot read the quarantined items: " + Sql.reason(e), e);
        }
    }

    @Override
    public List<QuarantinedItem> retryQuarantined(String mailbox, String item) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<QuarantinedItem> released = new ArrayList<>();
                for (QuarantinedItem q : quarantined(connection, " WHERE p.mailbox = ?", mailbox)) {
                    if (item == null || item.equals(q.ref()) || q.itemKey().map(k -> k.value().equals(item)).orElse(false)) {
                        released.add(q);
                    }
                }
                for (QuarantinedItem q : released) {
                    Long pairId = findPair(connection, pairKey(q.pair()));
                    try (PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM quarantine WHERE pair_id = ? AND side = ? AND ref_hash = ?")) {
                        delete.setLong(1, pairId);
                        delete.setString(2, q.side().name());
                        delete.setString(3, sha256(q.ref()));
                        delete.executeUpdate();
                    }
                    // the side is listed in full next time, so the item is read again although it did not change
                    try (PreparedStatement reset = connection.prepareStatement("DELETE FROM cursors WHERE pair_id = ? AND side = ?")) {
                        reset.setLong(1, pairId);
                        reset.setString(2, q.side().name());
                        reset.executeUpdate();
                    }
                }
                connection.commit();
                return released;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StateException("cannot release the quarantined items of " + mailbox + ": " + Sql.reason(e), e);
        }
    }

    private static List<QuarantinedItem> quarantined(Connection connection, String where, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + QUARANTINE_COLUMNS + where
                + " ORDER BY p.mailbox, p.id, q.first_failed")) {
            bindOptional(query, value);
            List<QuarantinedItem> items = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String kind = rows.getString(7);
                    ItemKey key = kind == null ? null : new ItemKey(CollectionKind.valueOf(kind), rows.getString(8));
                    items.add(new QuarantinedItem(pair(rows, 1), Side.valueOf(rows.getString(5)), rows.getString(6), key,
                            rows.getString(9), rows.getString(10), rows.getString(11), Sql.instant(rows.getObject(12)),
                            Sql.instant(rows.getObject(13)), rows.getInt(14), rows.getBoolean(15)));
                }
            }
            return items;
        }
    }

    /** The quarantine part of a commit: releases first, then records (so an item in both ends up recorded). */
    private void writeQuarantine(Connection connection, long pairId, StatusUpdate update) throws SQLException {
        if (!update.released().isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM quarantine WHERE pair_id = ? AND side = ? AND ref_hash = ?")) {
                for (StatusUpdate.Released r : update.released()) {
                    delete.setLong(1, pairId);
                    delete.setString(2, r.side().name());
                    delete.setString(3, sha256(r.ref()));
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (!update.quarantined().isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert("quarantine",
                    List.of("pair_id", "side", "ref_hash"), List.of("item_ref", "item_kind", "item_key", "item_version",
                            "summary", "reason", "first_failed", "last_failed", "attempts", "held")))) {
                for (QuarantinedItem q : update.quarantined()) {
                    upsert.setLong(1, pairId);
                    upsert.setString(2, q.side().name());
                    upsert.setString(3, sha256(q.ref()));
                    upsert.setString(4, q.ref());
                    upsert.setString(5, q.itemKey().map(k -> k.kind().name()).orElse(null));
                    upsert.setString(6, q.itemKey().map(ItemKey::value).orElse(null));
                    upsert.setString(7, q.version());
                    upsert.setString(8, clip(q.summary(), 1000));
                    upsert.setString(9, clip(q.reason(), 4000));
                    upsert.setObject(10, Sql.timestamp(q.firstFailed()));
                    upsert.setObject(11, Sql.timestamp(q.lastFailed()));
                    upsert.setInt(12, q.attempts());
                    upsert.setBoolean(13, q.held());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    @Override
    public List<ConflictRecord> conflicts(String mailbox, int limit) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            return ConflictTable.list(connection, mailbox, limit);
        } catch (SQLException e) {
            throw new StateException("cannot read the conflicts" + (mailbox == null ? "" : " of " + mailbox) + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public Optional<ConflictRecord> conflict(long id) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            return ConflictTable.byId(connection, id).stream().findFirst();
        } catch (SQLException e) {
            throw new StateException("cannot read conflict " + id + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public List<ConflictRecord> restoresDue(SyncPair pair) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            return ConflictTable.restoresDue(connection, pairKey(pair));
        } catch (SQLException e) {
            throw failure("read the restores due of", pair, e);
        }
    }

    @Override
    public Optional<ConflictRecord> requestRestore(long id, String by) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            ConflictTable.requestRestore(connection, id, by, clock.instant());
            return ConflictTable.byId(connection, id).stream().findFirst();
        } catch (SQLException e) {
            throw new StateException("cannot record the restore of conflict " + id + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public int pruneConflicts(Instant olderThan, int keepPerPair) throws StateException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int removed = ConflictTable.prune(connection, olderThan, keepPerPair);
                connection.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StateException("cannot remove old conflicts: " + Sql.reason(e), e);
        }
    }

    // ---- StateOverview --------------------------------------------------------------------------------

    @Override
    public List<SyncPair> pairs() throws StateException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT mailbox, kind, exchange_collection, nextcloud_collection"
                        + " FROM pairs ORDER BY mailbox, kind, id")) {
            List<SyncPair> pairs = new ArrayList<>();
            while (rows.next()) {
                pairs.add(pair(rows, 1));
            }
            return pairs;
        } catch (SQLException e) {
            throw new StateException("cannot list the sync pairs: " + Sql.reason(e), e);
        }
    }

    @Override
    public MailboxSummary summary(String mailbox) throws StateException {
        List<MailboxSummary> summaries = summaries(mailbox);
        return summaries.isEmpty() ? new MailboxSummary(mailbox, List.of(), null) : summaries.get(0);
    }

    @Override
    public List<MailboxSummary> summaries() throws StateException {
        return summaries(null);
    }

    private List<MailboxSummary> summaries(String onlyMailbox) throws StateException {
        String where = onlyMailbox == null ? "" : " WHERE p.mailbox = ?";
        try (Connection connection = dataSource.getConnection()) {
            Map<Long, EnumSet<Side>> cursors = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT c.pair_id, c.side FROM cursors c JOIN pairs p ON p.id = c.pair_id" + where)) {
                bindOptional(query, onlyMailbox);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        cursors.computeIfAbsent(rows.getLong(1), id -> EnumSet.noneOf(Side.class)).add(Side.valueOf(rows.getString(2)));
                    }
                }
            }
            Map<String, List<PairSummary>> pairs = new TreeMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT p.id, p.mailbox, p.kind, p.exchange_collection,"
                    + " p.nextcloud_collection, p.last_commit_at, (SELECT COUNT(*) FROM item_status s WHERE s.pair_id = p.id)"
                    + " FROM pairs p" + where + " ORDER BY p.mailbox, p.id")) {
                bindOptional(query, onlyMailbox);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        long id = rows.getLong(1);
                        SyncPair pair = pair(rows, 2);
                        pairs.computeIfAbsent(pair.mailbox(), m -> new ArrayList<>()).add(new PairSummary(pair, rows.getLong(7),
                                cursors.getOrDefault(id, EnumSet.noneOf(Side.class)), Sql.instant(rows.getObject(6))));
                    }
                }
            }
            Map<String, LeaseInfo> leases = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT mailbox, holder, expires_at FROM leases"
                    + (onlyMailbox == null ? "" : " WHERE mailbox = ?"))) {
                bindOptional(query, onlyMailbox);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        leases.put(rows.getString(1), new LeaseInfo(rows.getString(2), Sql.instant(rows.getObject(3))));
                    }
                }
            }
            Set<String> mailboxes = new TreeSet<>(pairs.keySet());
            mailboxes.addAll(leases.keySet());
            List<MailboxSummary> summaries = new ArrayList<>();
            for (String mailbox : mailboxes) {
                summaries.add(new MailboxSummary(mailbox, pairs.getOrDefault(mailbox, List.of()), leases.get(mailbox)));
            }
            return summaries;
        } catch (SQLException e) {
            throw new StateException("cannot summarise the sync state" + (onlyMailbox == null ? "" : " of " + onlyMailbox)
                    + ": " + Sql.reason(e), e);
        }
    }

    // ---- internals ------------------------------------------------------------------------------------

    /** The pair's row id, inserting the row in the caller's transaction if it is new. */
    private long ensurePair(Connection connection, SyncPair pair, Instant now) throws SQLException {
        String key = pairKey(pair);
        Long id = findPair(connection, key);
        if (id != null) {
            return id;
        }
        // a savepoint, because a lost insert race aborts the whole transaction on PostgreSQL
        Savepoint beforeInsert = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pairs (pair_key, mailbox, kind,"
                + " exchange_collection, nextcloud_collection, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, pair.mailbox());
            insert.setString(3, pair.kind().name());
            insert.setString(4, pair.exchangeCollection());
            insert.setString(5, pair.nextcloudCollection());
            insert.setObject(6, Sql.timestamp(now));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!Sql.isUniqueViolation(e)) {
                throw e;
            }
            connection.rollback(beforeInsert);
        }
        id = findPair(connection, key);
        if (id == null) {
            throw new SQLException("pair row of " + describe(pair) + " vanished right after it was written");
        }
        return id;
    }

    private static Long findPair(Connection connection, String key) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement("SELECT id FROM pairs WHERE pair_key = ?")) {
            find.setString(1, key);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static Instant databaseNow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            row.next();
            return Sql.instant(row.getObject(1, java.time.OffsetDateTime.class));
        }
    }

    /** SHA-256 over the four identifying fields, each length-prefixed so no two pairs can collide by concatenation. */
    static String pairKey(SyncPair pair) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of(pair.mailbox(), pair.kind().name(), pair.exchangeCollection(), pair.nextcloudCollection())) {
            text.append(field.length()).append(':').append(field).append('\n');
        }
        return sha256(text.toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SyncPair pair(ResultSet rows, int first) throws SQLException {
        return new SyncPair(rows.getString(first), CollectionKind.valueOf(rows.getString(first + 1)),
                rows.getString(first + 2), rows.getString(first + 3));
    }

    private static SideStatus side(ResultSet rows, int first) throws SQLException {
        String ref = rows.getString(first);
        return ref == null ? null
                : new SideStatus(ref, rows.getString(first + 1), rows.getString(first + 2), rows.getBoolean(first + 3));
    }

    private static void bindSide(PreparedStatement statement, int first, SideStatus side) throws SQLException {
        statement.setString(first, side == null ? null : side.ref());
        statement.setString(first + 1, side == null ? null : side.version());
        statement.setString(first + 2, side == null ? null : side.hash());
        statement.setBoolean(first + 3, side != null && side.outsideWindow());
    }

    private static void bindOptional(PreparedStatement statement, String value) throws SQLException {
        if (value != null) {
            statement.setString(1, value);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static StateException failure(String action, SyncPair pair, SQLException e) {
        return new StateException("cannot " + action + " " + describe(pair) + ": " + Sql.reason(e), e);
    }

    static String describe(SyncPair pair) {
        return "pair " + pair.mailbox() + " " + pair.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " (exchange " + pair.exchangeCollection() + ", nextcloud " + pair.nextcloudCollection() + ")";
    }

    /** Ends one acquisition of a lease, by its token (never another holder's, nor a later one of this holder). */
    private static void delete(Connection connection, String mailbox, String token) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("DELETE FROM leases WHERE mailbox = ? AND token = ?")) {
            release.setString(1, mailbox);
            release.setString(2, token);
            release.executeUpdate();
        }
    }

    /** One acquisition of a mailbox's lease, identified by its token. */
    private final class JdbcLease implements Lease {
        private final String mailbox;
        private final String token;
        private final Duration ttl;
        private volatile Instant expiresAt;
        private volatile boolean closed;

        JdbcLease(String mailbox, String token, Duration ttl, Instant expiresAt) {
            this.mailbox = mailbox;
            this.token = token;
            this.ttl = ttl;
            this.expiresAt = expiresAt;
        }

        @Override
        public String mailbox() {
            return mailbox;
        }

        JdbcSyncStateStore store() {
            return JdbcSyncStateStore.this;
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public boolean renew() {
            if (closed) {
                return false;
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                Instant next = databaseNow(connection).plus(ttl);
                // the token still being ours means nobody took the lease over, even if it ran out meanwhile
                try (PreparedStatement renew = connection.prepareStatement(
                        "UPDATE leases SET expires_at = ? WHERE mailbox = ? AND token = ?")) {
                    renew.setObject(1, Sql.timestamp(next));
                    renew.setString(2, mailbox);
                    renew.setString(3, token);
                    if (renew.executeUpdate() == 1) {
                        expiresAt = Sql.timestamp(next).toInstant();
                        return true;
                    }
                    return false;
                }
            } catch (SQLException e) {
                // unconfirmed is as good as lost: the holder must stop rather than risk a second writer
                LOG.warn("Cannot renew the lease of mailbox {}: {}", mailbox, Sql.reason(e));
                return false;
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                delete(connection, mailbox, token);
            } catch (SQLException e) {
                unreleased.put(mailbox, token);
                LOG.warn("Cannot release the lease of mailbox {} now ({}); it is released when this instance syncs the"
                        + " mailbox next, or runs out at {}", mailbox, Sql.reason(e), expiresAt);
            }
        }

        @Override
        public String toString() {
            return "Lease[" + mailbox + " until " + expiresAt + (closed ? ", closed" : "") + "]";
        }
    }
}
