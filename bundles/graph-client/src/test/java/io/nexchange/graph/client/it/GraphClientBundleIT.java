package io.nexchange.graph.client.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.graph.client.testing.SandboxGraph;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The built graph-client bundle (the SDK embedded, 50+ MB) in Felix with SCR and Configuration Admin and the
 * throttling bundle: it resolves, GraphClients comes up, and the GraphServiceClient it builds for a registration
 * (TokenProvider registered by the test) lists the sandbox's users over HTTPS.
 */
class GraphClientBundleIT {

    @Test
    void graphClientsBuildsAWorkingGraphServiceClientInFelix(@TempDir Path dir) throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.defaults().users(3).eventsPerMailbox(1).contactsPerMailbox(1)
                .seed(3))) {
            Map<String, Object> config = new HashMap<>();
            config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            // the SPI comes from the class path so that the test's TokenProvider is the framework's type
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
                long started = System.nanoTime();
                Bundle client = ctx.installBundle(Path.of(System.getProperty("graph.client.bundle")).toUri().toString());
                bundles.add(client);
                for (Bundle b : bundles) {
                    if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        b.start();
                    }
                }
                assertEquals(Bundle.ACTIVE, client.getState(), "io.nexchange.graph.client resolved and started");

                Object admin = ctx.getService(ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin"));
                Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                        .invoke(admin, "io.nexchange.graph.client", null);
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("baseUrl", sandbox.graphBaseUrl());
                props.put("truststorePath", sandbox.truststorePath().toString());
                props.put("truststorePassword", new String(sandbox.truststorePassword()));
                configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, props);

                Dictionary<String, Object> tokenProps = new Hashtable<>();
                tokenProps.put(TokenProvider.REGISTRATION, "it");
                ctx.registerService(TokenProvider.class, new SandboxGraph.MsalTokenProvider(sandbox, "it", sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()), tokenProps);

                Object clients = null;
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 100 && clients == null; i++) {
                    // getAllServiceReferences: the test's class path also has a GraphClients class, which the
                    // class-space check of getServiceReference would hold against the bundle's
                    ServiceReference<?>[] refs = ctx.getAllServiceReferences("io.nexchange.graph.client.GraphClients", null);
                    ServiceReference<?> ref = refs == null ? null : refs[0];
                    Object service = ref == null ? null : ctx.getService(ref);
                    String url = service == null ? null : baseUrl(service);
                    if (sandbox.graphBaseUrl().equals(url)) {
                        clients = service;
                    } else {
                        seen.add(String.valueOf(url));
                        Thread.sleep(100);
                    }
                }
                assertTrue(clients != null, () -> "GraphClients registered with the configured base URL; bundles: "
                        + java.util.Arrays.stream(ctx.getBundles()).map(b -> b.getSymbolicName() + "=" + b.getState()).toList()
                        + " services: " + services(ctx) + " baseUrl: " + baseUrlOf(ctx) + " seen " + new java.util.TreeSet<>(seen));
                double seconds = (System.nanoTime() - started) / 1e9;
                // reflection: the SDK's classes live in the bundle's class loader, not on the test's class path
                Object graph = clients.getClass().getMethod("forRegistration", String.class).invoke(clients, "it");
                assertEquals("com.microsoft.graph.serviceclient.GraphServiceClient", graph.getClass().getName());
                Object users = graph.getClass().getMethod("users").invoke(graph);
                Object response = users.getClass().getMethod("get").invoke(users);
                List<?> value = (List<?>) response.getClass().getMethod("getValue").invoke(response);
                int expected = sandbox.mailboxes().size() + sandbox.usersWithoutMailbox().size() + sandbox.disabledUsers().size();
                assertEquals(expected, value.size(), "the users of the sandbox, through the SDK inside Felix");
                System.out.printf("[figures] graph-client bundle: installed to GraphClients configured in %.1f s%n", seconds);
            } finally {
                felix.stop();
                felix.waitForStop(10_000);
            }
        }
    }

    private static String baseUrlOf(BundleContext ctx) {
        try {
            return baseUrl(ctx.getService(ctx.getAllServiceReferences("io.nexchange.graph.client.GraphClients", null)[0]));
        } catch (Exception e) {
            return e.toString() + " " + e.getCause();
        }
    }

    private static List<String> services(BundleContext ctx) {
        try {
            List<String> out = new ArrayList<>();
            for (ServiceReference<?> r : ctx.getAllServiceReferences(null, null)) {
                out.add(java.util.Arrays.toString((String[]) r.getProperty(Constants.OBJECTCLASS)));
            }
            return out;
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    private static String baseUrl(Object clients) throws Exception {
        return (String) clients.getClass().getMethod("baseUrl").invoke(clients);
    }
}
