/**
 * Durable sync state on JDBC (H2 embedded or a shared PostgreSQL): status rows, cursors and mailbox
 * leases behind io.nexchange.api.state.SyncStateStore, an operator overview, and the encrypted store of
 * Nextcloud app passwords.
 */
module io.nexchange.state.jdbc {
    requires transitive io.nexchange.api;
    requires java.sql;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires static osgi.core;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    // only the driver that the configured URL names must be present at run time
    requires static com.h2database;
    requires static org.postgresql.jdbc;

    exports io.nexchange.state.credentials;
    exports io.nexchange.state.overview;
}
