package io.nexchange.state.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.postgres.PostgresServer;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The built bundle in a real Felix with SCR and Configuration Admin: it resolves against the HikariCP,
 * H2 and pgjdbc bundles, activates without configuration on embedded H2 under nexchange.base/data, and
 * moves to PostgreSQL when its configuration changes, loading each driver without DriverManager. The
 * services live in the framework's class loaders, so they are called by reflection.
 */
class OsgiSmokeIT {
    private static final List<String> BUNDLES = List.of("slf4j-api-", "slf4j-simple-", "org.osgi.util.function-",
            "org.osgi.util.promise-", "org.osgi.service.component-", "org.apache.felix.scr-", "org.apache.felix.configadmin-",
            "HikariCP-", "h2-", "postgresql-", "nexchange-api-");

    @TempDir
    Path home;

    @Test
    void activatesOnH2ByDefaultAndSwitchesToPostgresByConfiguration() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("nexchange.base", home.toString());
        config.put("ds.loglevel", "warn"); // SCR reports component failures on the console
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try (PostgresServer postgres = PostgresServer.start()) {
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (String jar : jars()) {
                installed.add(context.installBundle(new File(jar).toURI().toString()));
            }
            Bundle state = context.installBundle(Path.of(System.getProperty("nexchange.bundle")).toUri().toString());
            installed.add(state);
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            assertEquals("io.nexchange.state.jdbc", state.getSymbolicName());
            assertEquals(Bundle.ACTIVE, state.getState());

            // 1. no configuration: embedded H2 at ${nexchange.base}/data/state
            Object store = await(context, "io.nexchange.api.state.SyncStateStore", null);
            roundTrip(state, store, "h2-cursor");
            assertTrue(Files.exists(home.resolve("data/state.mv.db")), "H2 file under nexchange.base/data");
            Object credentials = await(context, "io.nexchange.state.credentials.CredentialStore", null);
            Class<?> credentialType = state.loadClass("io.nexchange.state.credentials.NextcloudCredential");
            Class<?> secretType = state.loadClass("io.nexchange.api.auth.Secret");
            Object credential = credentialType.getConstructors()[0].newInstance("alice@example.org", "alice",
                    secretType.getMethod("of", String.class).invoke(null, "app-password-1"));
            invoke(state, credentials, "io.nexchange.state.credentials.CredentialStore", "put", credential);
            assertTrue(Files.exists(home.resolve("data/credentials.key")), "key file under nexchange.base/data");

            // 2. configured for PostgreSQL, password from a file: the component is re-created on it
            String url = postgres.createDatabase("osgi");
            Path passwordFile = home.resolve("db-password");
            Files.writeString(passwordFile, postgres.password() + "\n");
            Bundle configAdmin = Arrays.stream(context.getBundles())
                    .filter(b -> "org.apache.felix.configadmin".equals(b.getSymbolicName())).findFirst().orElseThrow();
            String cmType = "org.osgi.service.cm.ConfigurationAdmin";
            Object admin = await(context, cmType, null);
            Object configuration = configAdmin.loadClass(cmType).getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, "io.nexchange.state.jdbc", null);
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("url", url);
            properties.put("user", postgres.user());
            properties.put("password.file", passwordFile.toString());
            properties.put("pool.size", 3);
            configAdmin.loadClass("org.osgi.service.cm.Configuration").getMethod("update", java.util.Dictionary.class)
                    .invoke(configuration, properties);
            Object postgresStore = await(context, "io.nexchange.api.state.SyncStateStore", store);
            roundTrip(state, postgresStore, "postgres-cursor");
            try (Connection connection = DriverManager.getConnection(url, postgres.user(), postgres.password());
                    ResultSet row = connection.createStatement().executeQuery("SELECT cursor_value FROM cursors")) {
                assertTrue(row.next());
                assertEquals("postgres-cursor", row.getString(1), "written to PostgreSQL");
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Commits a cursor for a pair and reads it back, through the bundle's own API classes. */
    private static void roundTrip(Bundle state, Object store, String cursorValue) throws Exception {
        String storeType = "io.nexchange.api.state.SyncStateStore";
        Class<?> kind = state.loadClass("io.nexchange.api.CollectionKind");
        Class<?> pairType = state.loadClass("io.nexchange.api.state.SyncPair");
        Class<?> sideType = state.loadClass("io.nexchange.api.state.Side");
        Class<?> cursorType = state.loadClass("io.nexchange.api.source.Cursor");
        Class<?> updateType = state.loadClass("io.nexchange.api.state.StatusUpdate");
        Object pair = pairType.getConstructors()[0].newInstance("alice@example.org", kind.getField("CALENDAR").get(null),
                "exchange-calendar", "https://cloud/alice/personal/");
        Object exchange = sideType.getField("EXCHANGE").get(null);
        Object cursor = cursorType.getConstructor(String.class).newInstance(cursorValue);
        Object update = updateType.getConstructor().newInstance();
        updateType.getMethod("cursor", sideType, cursorType).invoke(update, exchange, cursor);
        invoke(state, store, storeType, "commit", pair, update);
        assertEquals(cursor, invoke(state, store, storeType, "cursor", pair, exchange));
        Optional<?> lease = (Optional<?>) invoke(state, store, storeType, "tryLease", "alice@example.org", "osgi-test",
                Duration.ofSeconds(5));
        assertTrue(lease.isPresent());
    }

    private static Object invoke(Bundle state, Object target, String type, String name, Object... args) throws Exception {
        for (Method method : state.loadClass(type).getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                return method.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(type + "." + name);
    }

    /** Waits for a service of the type other than {@code not} (the instance before a reconfiguration). */
    private static Object await(BundleContext context, String type, Object not) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            // "All": the test class path has its own copy of the API classes, which the framework would count as incompatible
            ServiceReference<?>[] references = context.getAllServiceReferences(type, null);
            if (references != null) {
                Object service = context.getService(references[0]);
                if (service != null && service != not) {
                    return service;
                }
            }
            Thread.sleep(50);
        }
        StringBuilder states = new StringBuilder();
        for (Bundle bundle : context.getBundles()) {
            states.append("\n  ").append(bundle.getSymbolicName()).append(" state ").append(bundle.getState());
        }
        throw new AssertionError("no " + type + " service within 30 s (see the log for the component's error); bundles:" + states);
    }

    private static List<String> jars() {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> jars = new ArrayList<>();
        for (String prefix : BUNDLES) {
            String jar = classPath.stream().filter(entry -> new File(entry).getName().startsWith(prefix)
                    && entry.endsWith(".jar")).findFirst().orElse(null);
            assertNotNull(jar, "no " + prefix + "*.jar on the test class path");
            jars.add(jar);
        }
        return jars;
    }
}
