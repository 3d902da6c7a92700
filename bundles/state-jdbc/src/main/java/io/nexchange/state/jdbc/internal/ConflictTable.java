package io.nexchange.state.jdbc.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code conflicts} table (V4): resolved conflicts with both versions, an operator's restore of the losing one,
 * and the retention that bounds them. Statements run in the caller's connection (and transaction).
 */
final class ConflictTable {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictTable.class);
    /** The content columns' size; a version larger than this is not kept (logged), the sync goes on. */
    static final int MAX_CONTENT = 1_000_000;

    private static final String COLUMNS = "c.id, p.mailbox, p.kind, p.exchange_collection, p.nextcloud_collection,"
            + " c.item_kind, c.item_key, c.summary, c.winner, c.policy, c.exchange_ref, c.exchange_version, c.exchange_type,"
            + " c.exchange_content, c.nextcloud_ref, c.nextcloud_version, c.nextcloud_type, c.nextcloud_content,"
            + " c.resolved_at, c.restore_by, c.restore_requested_at, c.restored_at FROM conflicts c JOIN pairs p ON p.id = c.pair_id";

    private ConflictTable() {
    }

    static void insert(Connection connection, long pairId, List<ConflictRecord> conflicts) throws SQLException {
        if (conflicts.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO conflicts (pair_id, item_kind, item_key,"
                + " summary, winner, policy, exchange_ref, exchange_version, exchange_type, exchange_content, nextcloud_ref,"
                + " nextcloud_version, nextcloud_type, nextcloud_content, resolved_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (ConflictRecord c : conflicts) {
                if (c.exchange().content().text().length() > MAX_CONTENT || c.nextcloud().content().text().length() > MAX_CONTENT) {
                    LOG.warn("{} {}: the conflict on {} is not kept: a version is over {} characters, more than the state "
                            + "database keeps ({} wins, {})", c.pair().mailbox(), c.pair().kind(), c.key(), MAX_CONTENT,
                            c.winner(), c.policy());
                    continue;
                }
                if (known(connection, pairId, c)) {
                    continue; // the same conflict met again by a rerun (its write failed): kept once
                }
                insert.setLong(1, pairId);
                insert.setString(2, c.key().kind().name());
                insert.setString(3, c.key().value());
                insert.setString(4, clip(c.summary(), 1000));
                insert.setString(5, c.winner().name());
                insert.setString(6, clip(c.policy(), 200));
                bind(insert, 7, c.exchange());
                bind(insert, 11, c.nextcloud());
                insert.setObject(15, Sql.timestamp(c.at()));
                insert.addBatch();
                pending++;
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    private static boolean known(Connection connection, long pairId, ConflictRecord c) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM conflicts WHERE pair_id = ?"
                + " AND item_kind = ? AND item_key = ? AND exchange_version = ? AND nextcloud_version = ?")) {
            query.setLong(1, pairId);
            query.setString(2, c.key().kind().name());
            query.setString(3, c.key().value());
            query.setString(4, c.exchange().version());
            query.setString(5, c.nextcloud().version());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    static void markRestored(Connection connection, long pairId, List<Long> ids, Instant now) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement done = connection.prepareStatement("UPDATE conflicts SET restored_at = ?"
                + " WHERE id = ? AND pair_id = ? AND restore_by IS NOT NULL AND restored_at IS NULL")) {
            for (long id : ids) {
                done.setObject(1, Sql.timestamp(now));
                done.setLong(2, id);
                done.setLong(3, pairId);
                done.addBatch();
            }
            done.executeBatch();
        }
    }

    /** @param mailbox null for every mailbox */
    static List<ConflictRecord> list(Connection connection, String mailbox, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                + (mailbox == null ? "" : " WHERE p.mailbox = ?") + " ORDER BY c.id DESC")) {
            if (mailbox != null) {
                query.setString(1, mailbox);
            }
            query.setMaxRows(Math.max(1, limit));
            return read(query);
        }
    }

    static List<ConflictRecord> byId(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " WHERE c.id = ?")) {
            query.setLong(1, id);
            return read(query);
        }
    }

    static List<ConflictRecord> restoresDue(Connection connection, String pairKey) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " WHERE p.pair_key = ?"
                + " AND c.restore_by IS NOT NULL AND c.restored_at IS NULL ORDER BY c.id")) {
            query.setString(1, pairKey);
            return read(query);
        }
    }

    /** @return whether a restore was recorded (false: none such, or one was asked for before) */
    static boolean requestRestore(Connection connection, long id, String by, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE conflicts SET restore_by = ?,"
                + " restore_requested_at = ? WHERE id = ? AND restore_by IS NULL")) {
            update.setString(1, clip(by, 320));
            update.setObject(2, Sql.timestamp(now));
            update.setLong(3, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Removes conflicts resolved before {@code olderThan}, then per pair all but the newest; never one waiting for its restore. */
    static int prune(Connection connection, Instant olderThan, int keepPerPair) throws SQLException {
        int removed;
        try (PreparedStatement old = connection.prepareStatement("DELETE FROM conflicts WHERE resolved_at < ?"
                + " AND (restore_by IS NULL OR restored_at IS NOT NULL)")) {
            old.setObject(1, Sql.timestamp(olderThan));
            removed = old.executeUpdate();
        }
        // portable (H2 2.x, PostgreSQL): rank each pair's conflicts newest first, drop those past the bound
        try (PreparedStatement surplus = connection.prepareStatement("DELETE FROM conflicts WHERE id IN (SELECT id FROM"
                + " (SELECT id, restore_by, restored_at, ROW_NUMBER() OVER (PARTITION BY pair_id ORDER BY id DESC) AS n"
                + " FROM conflicts) ranked WHERE n > ? AND (restore_by IS NULL OR restored_at IS NOT NULL))")) {
            surplus.setInt(1, Math.max(0, keepPerPair));
            removed += surplus.executeUpdate();
        }
        return removed;
    }

    static void forget(Connection connection, long pairId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM conflicts WHERE pair_id = ?")) {
            delete.setLong(1, pairId);
            delete.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, int first, ConflictRecord.Version version) throws SQLException {
        statement.setString(first, version.ref());
        statement.setString(first + 1, version.version());
        statement.setString(first + 2, version.content().mediaType());
        statement.setString(first + 3, version.content().text());
    }

    private static List<ConflictRecord> read(PreparedStatement query) throws SQLException {
        List<ConflictRecord> out = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                SyncPair pair = new SyncPair(rows.getString(2), CollectionKind.valueOf(rows.getString(3)), rows.getString(4),
                        rows.getString(5));
                ItemKey key = new ItemKey(CollectionKind.valueOf(rows.getString(6)), rows.getString(7));
                String by = rows.getString(20);
                ConflictRecord.Restore restore = by == null ? null
                        : new ConflictRecord.Restore(by, Sql.instant(rows.getObject(21)), Sql.instant(rows.getObject(22)));
                out.add(new ConflictRecord(rows.getLong(1), pair, key, rows.getString(8), Side.valueOf(rows.getString(9)),
                        rows.getString(10), version(rows, 11), version(rows, 15), Sql.instant(rows.getObject(19)), restore));
            }
        }
        return out;
    }

    private static ConflictRecord.Version version(ResultSet rows, int first) throws SQLException {
        return new ConflictRecord.Version(rows.getString(first), rows.getString(first + 1),
                new ItemContent(rows.getString(first + 2), rows.getString(first + 3)));
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
