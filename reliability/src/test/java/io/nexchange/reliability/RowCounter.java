package io.nexchange.reliability;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Counts what the state store writes through a DataSource: rows by statement kind and table ({@code UPDATE leases}),
 * from the counts the driver returns, and the write transactions (commits, and autocommit statements that wrote a row).
 * A benchmark's instrument, wrapped around the pool the store is given.
 */
final class RowCounter {
    private static final Pattern WRITE = Pattern.compile("^\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+(\\w+)",
            Pattern.CASE_INSENSITIVE);

    private final Map<String, LongAdder> rows = new ConcurrentHashMap<>();
    private final LongAdder transactions = new LongAdder();

    /** The DataSource whose connections count. */
    DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(RowCounter.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    /** Rows written so far, by "VERB table"; and the total under "transactions". */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        rows.forEach((k, v) -> copy.put(k, v.sum()));
        copy.put("transactions", transactions.sum());
        return copy;
    }

    /** What was written between two snapshots, without the zero entries. */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                delta.put(k, d);
            }
        });
        return delta;
    }

    /** The rows of a delta (everything but the transactions). */
    static long rows(Map<String, Long> delta) {
        return delta.entrySet().stream().filter(e -> !e.getKey().equals("transactions")).mapToLong(Map.Entry::getValue).sum();
    }

    private Connection connection(Connection target) {
        boolean[] wrote = new boolean[1];
        return (Connection) Proxy.newProxyInstance(RowCounter.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && wrote[0]) {
                        transactions.increment();
                        wrote[0] = false;
                    } else if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                        wrote[0] = false;
                    }
                    Object result = invoke(target, method, args);
                    if (result instanceof PreparedStatement ps && args != null && args.length > 0 && args[0] instanceof String sql) {
                        return statement(ps, PreparedStatement.class, sql, target, wrote);
                    }
                    if (result instanceof Statement st && !(result instanceof PreparedStatement)) {
                        return statement(st, Statement.class, null, target, wrote);
                    }
                    return result;
                });
    }

    private Object statement(Statement target, Class<?> type, String preparedSql, Connection connection, boolean[] wrote) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            long count = 0;
            if (result instanceof Integer n && method.getName().equals("executeUpdate")) {
                count = n;
            } else if (result instanceof Long n && method.getName().equals("executeLargeUpdate")) {
                count = n;
            } else if (result instanceof int[] counts && method.getName().equals("executeBatch")) {
                for (int n : counts) {
                    count += Math.max(0, n);
                }
            }
            if (count > 0 && sql != null) {
                Matcher m = WRITE.matcher(sql);
                if (m.find()) {
                    rows.computeIfAbsent(m.group(1).split("\\s+")[0].toUpperCase(Locale.ROOT) + " " + m.group(2).toLowerCase(Locale.ROOT),
                            k -> new LongAdder()).add(count);
                    if (connection.getAutoCommit()) {
                        transactions.increment();
                    } else {
                        wrote[0] = true;
                    }
                }
            }
            return result;
        };
        return Proxy.newProxyInstance(RowCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
