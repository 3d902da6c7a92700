package io.nexchange.state.jdbc.internal;

import io.nexchange.testing.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real PostgreSQL 15 started for this class, a database per test. */
class PostgresSyncStateStoreTest extends SyncStateStoreContract {
    static PostgresServer server;
    static TestDatabase databases;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
        databases = new PostgresDatabases(server);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    TestDatabase database() {
        return databases;
    }

    /** Databases created on the test server. */
    record PostgresDatabases(PostgresServer server) implements TestDatabase {
        @Override
        public Target fresh(String name) {
            return new Target(server.createDatabase(name), server.user(), server.password());
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
