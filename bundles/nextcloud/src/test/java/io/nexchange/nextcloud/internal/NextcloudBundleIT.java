package io.nexchange.nextcloud.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.testing.radicale.RadicaleServer;
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
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The built bundle in Felix with SCR and Config Admin: it resolves with its embedded Sardine, httpclient
 * and JAXB, its components activate from configuration, and the ItemStore service (found by
 * {@code nexchange.backend=caldav}) talks to Radicale, which exercises Sardine's JAXB inside the bundle.
 * The SPI and slf4j come from the class path through the system bundle, so the test shares their classes.
 */
class NextcloudBundleIT {

    @Test
    void theBundleRunsInFelixAndServesItemStore() throws Exception {
        Path storage = Files.createTempDirectory("felix-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the SPI comes from the class path, exported by the system bundle in the versions the API bundle declares
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports() + ",org.slf4j;version=1.7.36");
        Framework felix = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        felix.start();
        try (RadicaleServer radicale = RadicaleServer.start()) {
            radicale.addUser("pia", "pia-app-pw");
            BundleContext context = felix.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (String name : List.of("org.osgi.util.function-", "org.osgi.util.promise-", "org.osgi.service.component-",
                    "org.apache.felix.scr-", "org.apache.felix.configadmin-",
                    // the ThrottlePolicy the store reports 429s to (and its jackson-core, for the Graph hints)
                    "jackson-core-", "nexchange-throttling-")) {
                bundles.add(context.installBundle(new File(onClassPath(name)).toURI().toString()));
            }
            Bundle nextcloud = context.installBundle(new File(System.getProperty("nextcloud.bundle")).toURI().toString());
            bundles.add(nextcloud);
            for (Bundle bundle : bundles) {
                bundle.start();
            }
            for (Bundle bundle : bundles) {
                assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName());
            }

            configure(context, "io.nexchange.nextcloud.credentials", Map.of("serviceAccountUser", "pia", "serviceAccountPassword", "pia-app-pw"));
            configure(context, "io.nexchange.nextcloud", Map.of("baseUrl", radicale.baseUrl(), "syncLimit", "50"));

            ServiceTracker<ItemStore, ItemStore> tracker = new ServiceTracker<>(context,
                    context.createFilter("(&(objectClass=" + ItemStore.class.getName() + ")(nexchange.backend=caldav)(nexchange.side=nextcloud))"), null);
            tracker.open();
            ItemStore store = tracker.waitForService(10_000);
            assertNotNull(store, "the ItemStore service is registered once configured");
            ServiceReference<ItemStore> reference = tracker.getServiceReference();
            assertEquals("caldav", reference.getProperty(ItemStore.BACKEND));

            Owner pia = DavFixtures.owner("pia");
            CollectionRef calendar = store.ensureCollection(pia, CollectionKind.CALENDAR, "");
            store.target(pia, calendar).create(ItemKey.event("in-osgi"), DavFixtures.event("in-osgi", "Written from Felix"));
            ItemSource source = store.source(pia, calendar);
            ChangePage page = source.changes(Cursor.INITIAL);
            assertEquals("in-osgi", page.changes().get(0).key().value());
            Change fetched = source.fetch(List.of(page.changes().get(0).ref())).get(0);
            assertTrue(fetched.item().orElseThrow().content().text().contains("Written from Felix"));
            tracker.close();
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
            try (java.util.stream.Stream<Path> files = Files.walk(storage)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Config Admin through reflection: the bundle's cm API classes are not the test's. */
    private static void configure(BundleContext context, String pid, Map<String, String> values) throws Exception {
        // all services: the test's class path has its own copy of the cm API (inside the configadmin jar),
        // so the system bundle would otherwise not be offered the bundle's ConfigurationAdmin
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

    /** The API bundle's Export-Package clauses (package and version), from its manifest on the class path. */
    private static String apiExports() throws java.io.IOException, java.net.URISyntaxException {
        Path source = Path.of(ItemStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.util.jar.Manifest manifest;
        if (Files.isDirectory(source)) {
            try (var in = Files.newInputStream(source.resolve("META-INF/MANIFEST.MF"))) {
                manifest = new java.util.jar.Manifest(in);
            }
        } else {
            try (var jar = new java.util.jar.JarFile(source.toFile())) {
                manifest = jar.getManifest();
            }
        }
        String header = manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                String name = clause.toString().split(";")[0].strip();
                java.util.regex.Matcher version = java.util.regex.Pattern.compile("version=\"?([0-9.]+)").matcher(clause);
                clauses.add(name + (version.find() ? ";version=" + version.group(1) : ""));
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return String.join(",", clauses);
    }
}
