package io.nexchange.graph.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.graph.client.testing.SandboxGraph;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The Graph side as it runs: throttling, graph-client (the SDK embedded), graph-calendar, graph-contacts, graph-directory and their
 * library bundles in Felix with SCR and Configuration Admin. The calendar and contacts ItemStores and the
 * MailboxDirectory come up and read the sandbox through the SDK inside the framework; only the TokenProvider is
 * the test's (auth-entra is built elsewhere).
 */
class GraphStackBundleIT {

    @Test
    void graphStoresAndDirectoryWorkInFelix(@TempDir Path dir) throws Exception {
        LocalDate today = LocalDate.now();
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.defaults().users(3).eventsPerMailbox(10).contactsPerMailbox(5)
                .seed(9).anchorDate(today))) {
            Map<String, Object> config = new HashMap<>();
            config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            // the SPI comes from the class path so that the test shares its types with the bundles
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, io.nexchange.testing.osgi.ClassPathExports.of(io.nexchange.api.CollectionKind.class));
            Felix felix = new Felix(config);
            felix.init();
            felix.start();
            try {
                BundleContext ctx = felix.getBundleContext();
                List<Bundle> bundles = new ArrayList<>();
                try (Stream<Path> jars = Files.list(Path.of(System.getProperty("it.bundles")))) {
                    for (Path jar : jars.sorted().toList()) {
                        bundles.add(ctx.installBundle(jar.toUri().toString()));
                    }
                }
                bundles.add(ctx.installBundle(Path.of(System.getProperty("graph.contacts.bundle")).toUri().toString()));
                for (Bundle b : bundles) {
                    if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        b.start();
                    }
                }
                for (Bundle b : bundles) {
                    if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " resolved and started");
                    }
                }
                Object admin = ctx.getService(ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin"));
                configure(admin, "io.nexchange.graph.client", Map.of("baseUrl", sandbox.graphBaseUrl(),
                        "truststorePath", sandbox.truststorePath().toString(), "truststorePassword", new String(sandbox.truststorePassword())));
                // the stores require their configuration (the graph feature writes it)
                configure(admin, "io.nexchange.graph.calendar", Map.of("registrations", "default"));
                configure(admin, "io.nexchange.graph.contacts", Map.of("registrations", "default"));
                Dictionary<String, Object> tokenProps = new Hashtable<>();
                tokenProps.put(TokenProvider.REGISTRATION, "default");
                ctx.registerService(TokenProvider.class, new SandboxGraph.MsalTokenProvider(sandbox, "default", sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()), tokenProps);

                MailboxDirectory directory = (MailboxDirectory) await(ctx, MailboxDirectory.class.getName(), null);
                List<Mailbox> mailboxes = null;
                for (int i = 0; i < 50 && mailboxes == null; i++) {
                    try {
                        mailboxes = directory.mailboxes();
                    } catch (Exception e) {
                        // the GraphClients component restarts with its configuration; try again
                        Thread.sleep(100);
                        directory = (MailboxDirectory) await(ctx, MailboxDirectory.class.getName(), null);
                    }
                }
                assertNotNull(mailboxes);
                assertEquals(sandbox.mailboxes().size(), mailboxes.size());
                Mailbox mailbox = mailboxes.get(0);
                Owner owner = new Owner(mailbox, new Account(mailbox.primarySmtp(), mailbox.primarySmtp(), ""));

                for (CollectionKind kind : CollectionKind.values()) {
                    ItemStore store = null;
                    for (ServiceReference<?> ref : ctx.getAllServiceReferences(ItemStore.class.getName(), "(&(nexchange.backend=graph)"
                            + "(nexchange.side=exchange))")) {
                        ItemStore candidate = (ItemStore) ctx.getService(ref);
                        if (candidate.kinds().contains(kind)) {
                            store = candidate;
                        }
                    }
                    assertNotNull(store, "a Graph ItemStore for " + kind);
                    CollectionRef collection = store.collections(owner, kind).get(0);
                    assertTrue(collection.isDefault());
                    ChangePage page = store.source(owner, collection).changes(Cursor.INITIAL);
                    assertTrue(page.complete());
                    assertFalse(page.changes().isEmpty(), kind + " items read in Felix");
                    String text = page.changes().get(0).item().orElseThrow().content().text();
                    assertTrue(text.startsWith(kind == CollectionKind.CALENDAR ? "BEGIN:VCALENDAR" : "BEGIN:VCARD"), text);
                }
            } finally {
                felix.stop();
                felix.waitForStop(10_000);
            }
        }
    }

    private static void configure(Object admin, String pid, Map<String, String> values) throws Exception {
        // reflection: the framework's ConfigurationAdmin class is not the test class path's
        Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, null);
        Dictionary<String, Object> props = new Hashtable<>(values);
        configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, props);
    }

    private static Object await(BundleContext ctx, String type, String filter) throws Exception {
        for (int i = 0; i < 100; i++) {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(type, filter);
            if (refs != null) {
                Object service = ctx.getService(refs[0]);
                if (service != null) {
                    return service;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type + " service");
    }
}
