package io.nexchange.state.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Every write to an H2 database is on disk before the call that made it returns: a {@code CHECKPOINT} (H2 writes its
 * pending changes to the file) follows each commit and each write in autocommit mode, so a killed process loses no
 * acknowledged commit.
 *
 * <p>Why not H2's own {@code WRITE_DELAY=0}, which does the same: it also stops H2's background writer, and that thread
 * is what does the store's housekeeping (rewriting half-empty chunks, freeing space). Without it every write transaction
 * left a chunk of 8-30 KB that was reused only once every page in it had been replaced: the soak's state file grew by
 * megabytes per cycle (1,000 mailboxes: 64 MB to 236 MB in 22 minutes) while the data it held was a few MB. With the
 * default write delay the background writer runs, and this class keeps the commits durable.
 */
final class H2DurableWrites {
    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    private H2DurableWrites() {}

    /** The H2 DataSource whose connections write through to the file at each commit. */
    static DataSource over(DataSource h2) {
        return (DataSource) Proxy.newProxyInstance(H2DurableWrites.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(h2, method, args);
                    return result instanceof Connection connection ? connection(connection) : result;
                });
    }

    private static Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(H2DurableWrites.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    boolean endsTransaction = name.equals("commit")
                            || name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]) && !target.getAutoCommit();
                    Object result = invoke(target, method, args);
                    if (endsTransaction) {
                        checkpoint(target);
                    } else if (result instanceof CallableStatement statement) {
                        return statement(statement, CallableStatement.class, target);
                    } else if (result instanceof PreparedStatement statement) {
                        return statement(statement, PreparedStatement.class, target);
                    } else if (result instanceof Statement statement) {
                        return statement(statement, Statement.class, target);
                    }
                    return result;
                });
    }

    private static Object statement(Statement target, Class<? extends Statement> type, Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            if (WRITES.contains(method.getName()) && connection.getAutoCommit()) {
                checkpoint(connection);
            }
            return result;
        };
        return Proxy.newProxyInstance(H2DurableWrites.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static void checkpoint(Connection connection) throws SQLException {
        try (Statement checkpoint = connection.createStatement()) {
            checkpoint.execute("CHECKPOINT");
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
