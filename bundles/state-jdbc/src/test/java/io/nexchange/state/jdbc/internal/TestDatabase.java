package io.nexchange.state.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.auth.Secret;

/** Where a contract test gets empty databases: H2 files in a temp dir, or databases on a test PostgreSQL. */
interface TestDatabase extends AutoCloseable {

    /** A new, empty database. */
    Target fresh(String name);

    /** How to reach one database. */
    record Target(String url, String user, String password) {
        HikariDataSource pool(int size) {
            try {
                return DataSources.pool(url, user, Secret.of(password), size, 10_000);
            } catch (io.nexchange.api.state.StateException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    void close();
}
