package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.api.state.SyncStateStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The built engine bundle in Felix with SCR and Config Admin, next to the built vdir bundle: the components activate
 * from configuration (mailbox list, CSV account mapping, engine), the engine finds the stores by their service
 * properties, and {@code nexchange:sync} (called as Gogo would, by method name on the command service) syncs an
 * in-memory "Exchange" store registered by the test into vdir files.
 */
class EngineBundleIT {

    @Test
    void theBundleRunsInFelixAndSyncsOnCommand() throws Exception {
        Path work = Files.createTempDirectory("engine-it-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, work.resolve("felix").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, 
                io.nexchange.testing.osgi.ClassPathExports.of(io.nexchange.api.CollectionKind.class) + ",org.slf4j;version=1.7.36");
        Framework felix = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        felix.start();
        try {
            BundleContext context = felix.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (String name : List.of("org.osgi.util.function-", "org.osgi.util.promise-", "org.osgi.service.component-",
                    "org.apache.felix.scr-", "org.apache.felix.configadmin-", "org.apache.felix.gogo.runtime-", "nexchange-vdir-")) {
                bundles.add(context.installBundle(new File(onClassPath(name)).toURI().toString()));
            }
            bundles.add(context.installBundle(new File(System.getProperty("engine.bundle")).toURI().toString()));
            for (Bundle bundle : bundles) {
                bundle.start();
            }
            for (Bundle bundle : bundles) {
                assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName());
            }

            // what other bundles would provide: an Exchange-side store and the state store
            MemoryStore graph = new MemoryStore("graph");
            Mailbox alice = new Mailbox("alice@example.org", "alice@example.org", "");
            CollectionRef ref = graph.ensureCollection(new Owner(alice, new Account("alice", "alice@example.org", "")),
                    CollectionKind.CALENDAR, "");
            for (int i = 0; i < 25; i++) {
                graph.collections.get(ref.id()).put("ev-" + i, ics("ev-" + i, "Event " + i));
            }
            Hashtable<String, Object> storeProps = new Hashtable<>();
            storeProps.put(ItemStore.BACKEND, "graph");
            storeProps.put(ItemStore.SIDE, "exchange");
            context.registerService(ItemStore.class, graph, storeProps);
            context.registerService(SyncStateStore.class, new MemoryStateStore(), null);

            Path mapping = work.resolve("account-mapping.csv");
            Files.writeString(mapping, "primary_smtp,nextcloud_user_id\nalice@example.org,alice\n");
            Path vdir = work.resolve("vdir");
            configure(context, "io.nexchange.vdir", Map.of("root", vdir.toString()));
            configure(context, "io.nexchange.engine.mailboxes", Map.of("mailboxes", new String[] {"alice@example.org"}));
            configure(context, "io.nexchange.engine.accounts.csv", Map.of("mappingFile", mapping.toString()));
            configure(context, "io.nexchange.engine", Map.of("nextcloudBackend", "vdir", "scheduled", "false",
                    "calendarName", "Exchange"));

            ServiceTracker<Object, Object> commands = new ServiceTracker<>(context,
                    context.createFilter("(&(osgi.command.scope=nexchange)(osgi.command.function=sync))"), null);
            commands.open(true);
            Object sync = commands.waitForService(15_000);
            assertNotNull(sync, "nexchange:sync is registered once the engine is configured");
            ServiceTracker<Object, Object> status = new ServiceTracker<>(context,
                    context.createFilter("(osgi.command.function=sync-status)"), null);
            status.open(true);
            assertNotNull(status.waitForService(5_000), "nexchange:sync-status is registered");

            String out = (String) sync.getClass().getMethod("sync", String[].class)
                    .invoke(sync, (Object) new String[] {"alice@example.org"});
            assertTrue(out.startsWith("alice@example.org: OK"), out);
            try (Stream<Path> files = Files.walk(vdir)) {
                assertEquals(25, files.filter(p -> p.toString().endsWith(".ics")).count(), out);
            }
            String table = (String) status.getService().getClass().getMethod("_main", String[].class)
                    .invoke(status.getService(), (Object) new String[0]);
            assertTrue(table.contains("alice@example.org") && table.contains("OK"), table);
            commands.close();
            status.close();
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Config Admin through reflection: the bundle's cm API classes are not the test's. */
    private static void configure(BundleContext context, String pid, Map<String, Object> values) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, "org.osgi.service.cm.ConfigurationAdmin", null);
        tracker.open(true);
        Object admin = tracker.waitForService(10_000);
        assertNotNull(admin, "Config Admin runs");
        Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>(values);
        configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, properties);
    }

    private static String onClassPath(String artifactPrefix) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith(artifactPrefix)) {
                return entry;
            }
        }
        throw new IllegalStateException(artifactPrefix + "*.jar is not on the test class path");
    }
}
