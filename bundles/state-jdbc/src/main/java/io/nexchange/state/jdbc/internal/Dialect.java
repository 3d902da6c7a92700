package io.nexchange.state.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The few statements that differ between the supported databases. Everything else (schema, queries,
 * leases) is portable SQL; an upsert has no portable form: PostgreSQL's MERGE only exists since 15 and,
 * unlike {@code ON CONFLICT}, fails instead of updating when a concurrent insert wins.
 */
enum Dialect {
    H2 {
        @Override
        String upsert(String table, List<String> keyColumns, List<String> valueColumns) {
            List<String> all = Stream.concat(keyColumns.stream(), valueColumns.stream()).toList();
            return "MERGE INTO " + table + " (" + String.join(", ", all) + ") KEY (" + String.join(", ", keyColumns)
                    + ") VALUES (" + placeholders(all.size()) + ")";
        }
    },
    POSTGRESQL {
        @Override
        String upsert(String table, List<String> keyColumns, List<String> valueColumns) {
            List<String> all = Stream.concat(keyColumns.stream(), valueColumns.stream()).toList();
            return "INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES (" + placeholders(all.size())
                    + ") ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET "
                    + valueColumns.stream().map(column -> column + " = EXCLUDED." + column).collect(Collectors.joining(", "));
        }
    };

    /** Insert-or-update of one row; parameters are the key columns, then the value columns, in order. */
    abstract String upsert(String table, List<String> keyColumns, List<String> valueColumns);

    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if ("H2".equalsIgnoreCase(product)) {
            return H2;
        }
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return POSTGRESQL;
        }
        throw new SQLException("unsupported database '" + product + "': the state store runs on H2 or PostgreSQL");
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
