package io.nexchange.state.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import io.nexchange.api.state.StatusUpdate;
import java.time.Duration;
import java.time.Instant;

/**
 * The victim of the crash test, run in a JVM of its own: commits batch after batch, each replacing the
 * previous batch's rows and moving both cursors to its number, and prints {@code committed N} after each
 * commit returns, until it is killed (or stops by itself after a minute).
 */
public final class CrashingCommitter {
    static final int ROWS = 200;

    public static void main(String[] args) throws Exception {
        try (HikariDataSource pool = DataSources.pool(args[0], args[1], Secret.of(args[2]), 2, 10_000)) {
            new SchemaMigrator(pool, "crash-test").migrate();
            JdbcSyncStateStore store = JdbcSyncStateStore.over(pool);
            Instant stop = Instant.now().plus(Duration.ofMinutes(1));
            for (int batch = 1; Instant.now().isBefore(stop); batch++) {
                store.commit(SyncStateStoreContract.CALENDAR, batch(batch));
                System.out.println("committed " + batch);
                System.out.flush();
            }
        }
    }

    /** Batch N: the rows of N replace those of N-1; the cursors say N. */
    static StatusUpdate batch(int batch) {
        StatusUpdate update = new StatusUpdate()
                .cursor(Side.EXCHANGE, new Cursor("exchange-" + batch))
                .cursor(Side.NEXTCLOUD, new Cursor("nextcloud-" + batch));
        for (int i = 0; i < ROWS; i++) {
            update.remove(key(batch - 1, i));
            update.put(row(batch, i));
        }
        return update;
    }

    static ItemKey key(int batch, int i) {
        return ItemKey.event("batch-" + batch + "-item-" + i);
    }

    static ItemStatus row(int batch, int i) {
        return new ItemStatus(key(batch, i), new SideStatus("AAMk-" + batch + "-" + i, "ck-" + batch, "h-" + batch),
                new SideStatus("/dav/" + batch + "-" + i + ".ics", "\"e-" + batch + "\"", "h-" + batch));
    }

    private CrashingCommitter() {}
}
