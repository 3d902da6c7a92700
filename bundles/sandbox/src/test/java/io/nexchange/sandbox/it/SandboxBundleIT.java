package io.nexchange.sandbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The built bundle in Felix with SCR and Configuration Admin: a factory configuration of
 * io.nexchange.sandbox starts a sandbox that answers over HTTPS; stopping the framework stops it.
 */
class SandboxBundleIT {
    @Test
    void factoryConfigurationStartsTheSandboxInFelix(@TempDir Path dir) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the JDK's HTTP server comes from the system bundle, as in the runtime's launcher
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "com.sun.net.httpserver");
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
            bundles.add(ctx.installBundle(Path.of(System.getProperty("it.sandbox.jar")).toUri().toString()));
            for (Bundle b : bundles) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            Bundle sandbox = bundles.get(bundles.size() - 1);
            assertEquals(Bundle.ACTIVE, sandbox.getState(), "io.nexchange.sandbox resolved and started");

            ServiceReference<?> ref = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
            Object admin = ctx.getService(ref);
            // reflection: the framework's ConfigurationAdmin class is not the test class path's
            Object configuration = admin.getClass().getMethod("createFactoryConfiguration", String.class, String.class)
                    .invoke(admin, "io.nexchange.sandbox", null);
            Path state = dir.resolve("state");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("users", 2);
            props.put("eventsPerMailbox", 3);
            props.put("contactsPerMailbox", 2);
            props.put("stateDir", state.toString());
            configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, props);

            Path file = state.resolve("sandbox.properties");
            for (int i = 0; i < 200 && !Files.exists(file); i++) {
                Thread.sleep(100);
            }
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(p.getProperty("truststore")))) {
                trust.load(in, p.getProperty("truststorePassword").toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(p.getProperty("baseUrl") + "/_sandbox/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, info.statusCode());
            assertTrue(info.body().contains(p.getProperty("tenantId")));
            int port = URI.create(p.getProperty("baseUrl")).getPort();

            felix.stop();
            felix.waitForStop(10_000);
            assertThrows(IOException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                }
            });
        } finally {
            if (felix.getState() != Bundle.RESOLVED && felix.getState() != Bundle.INSTALLED) {
                felix.stop();
                felix.waitForStop(10_000);
            }
        }
    }
}
