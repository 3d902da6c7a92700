package io.nexchange.auth.entra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.sandbox.AppRegistration;
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
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The built bundle (msal4j and azure-json embedded) in Felix with SCR, Config Admin and Gogo: it
 * resolves without com.sun.net.httpserver, a named factory configuration becomes a TokenProvider that
 * gets tokens from the sandbox, nexchange:auth-check reports, a rotated secret keeps the same service,
 * and the log holds no secret. The SPI and slf4j come from the class path through the system bundle.
 */
class AuthEntraBundleIT {
    @Test
    void registrationInFelix(@TempDir Path dir) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // deliberately no com.sun.net.httpserver: the bundle must not need it
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "io.nexchange.api.auth;version=1.0.0,org.slf4j;version=1.7.36");
        Felix felix = new Felix(config);
        felix.init();
        felix.start();
        String secret = "Qk8~" + UUID.randomUUID() + "~it";
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.defaults().users(3).stateDir(dir.resolve("sandbox")))) {
            AppRegistration app = sandbox.registerApp(AppRegistration.builder("felix").clientSecret(secret).build());
            BundleContext ctx = felix.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            try (Stream<Path> jars = Files.list(Path.of(System.getProperty("it.bundles")))) {
                for (Path jar : jars.sorted().toList()) {
                    bundles.add(ctx.installBundle(jar.toUri().toString()));
                }
            }
            Bundle auth = ctx.installBundle(Path.of(System.getProperty("it.auth.jar")).toUri().toString());
            bundles.add(auth);
            for (Bundle b : bundles) {
                b.start();
            }
            assertEquals(Bundle.ACTIVE, auth.getState(), "io.nexchange.auth.entra resolved and started");

            Path secretFile = dir.resolve("contoso.secret");
            Files.writeString(secretFile, secret + "\n");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("tenantId", sandbox.tenantId());
            props.put("clientId", app.clientId());
            props.put("clientSecretFile", secretFile.toString());
            props.put("cloud", "custom");
            props.put("authority", sandbox.baseUrl() + "/{tenant}/");
            props.put("graphBaseUrl", sandbox.graphBaseUrl());
            props.put("truststore", sandbox.truststorePath().toString());
            props.put(".truststorePassword", new String(sandbox.truststorePassword()));
            Object configuration = factoryConfiguration(ctx, "io.nexchange.auth.entra", "contoso");
            configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, props);

            ServiceTracker<TokenProvider, TokenProvider> tracker = new ServiceTracker<>(ctx,
                    ctx.createFilter("(&(objectClass=" + TokenProvider.class.getName() + ")(nexchange.registration=contoso))"), null);
            tracker.open();
            TokenProvider provider = tracker.waitForService(10_000);
            assertNotNull(provider, "TokenProvider for registration 'contoso' (named after the factory configuration)");
            ServiceReference<TokenProvider> reference = tracker.getServiceReference();
            assertEquals(null, reference.getProperty("tenantId"), "configuration properties are not service properties");
            AccessToken token = provider.token(TokenProvider.GRAPH_SCOPE);
            assertEquals(AppRegistration.DEFAULT_ROLES, token.roles());

            ServiceTracker<Object, Object> commands = new ServiceTracker<>(ctx,
                    ctx.createFilter("(&(osgi.command.scope=nexchange)(osgi.command.function=auth-check))"), null);
            commands.open(true);
            Object command = commands.waitForService(10_000);
            assertNotNull(command, "nexchange:auth-check is registered");
            String out = String.valueOf(command.getClass().getMethod("execute",
                    command.getClass().getClassLoader().loadClass("org.apache.felix.service.command.CommandSession"), List.class)
                    .invoke(command, null, List.of("contoso")));
            assertTrue(out.contains("=> OK"), out);
            assertTrue(out.contains(".truststorePassword = ********"), out);

            // rotation: new secret in Entra and in the file, configuration touched: same service, new tokens
            String rotated = "Qk8~" + UUID.randomUUID() + "~it2";
            sandbox.registerApp(AppRegistration.builder("felix").clientId(app.clientId()).clientSecret(rotated).build());
            Files.writeString(secretFile, rotated + "\n");
            props.put("refreshAheadSeconds", 301);
            configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, props);
            String after = "";
            for (int i = 0; i < 100 && !after.contains("=> OK"); i++) {
                Thread.sleep(100);
                after = String.valueOf(command.getClass().getMethod("execute",
                        command.getClass().getClassLoader().loadClass("org.apache.felix.service.command.CommandSession"), List.class)
                        .invoke(command, null, List.of("contoso")));
            }
            assertTrue(after.contains("=> OK"), after);
            assertEquals(reference.getProperty(Constants.SERVICE_ID), tracker.getServiceReference().getProperty(Constants.SERVICE_ID),
                    "the same service across the reconfiguration");
            assertNotNull(provider.token(TokenProvider.GRAPH_SCOPE));

            // a second registration ("admin account") beside it, with a mistake; and an on-prem EWS account
            String wrong = "Qk8~" + UUID.randomUUID() + "~wrong";
            Dictionary<String, Object> second = new Hashtable<>();
            for (String key : List.of("tenantId", "cloud", "authority", "graphBaseUrl", "truststore", ".truststorePassword")) {
                second.put(key, props.get(key));
            }
            second.put("clientId", app.clientId());
            second.put(".clientSecret", wrong);
            Object fabrikam = factoryConfiguration(ctx, "io.nexchange.auth.entra", "fabrikam");
            fabrikam.getClass().getMethod("update", Dictionary.class).invoke(fabrikam, second);
            Dictionary<String, Object> ews = new Hashtable<>();
            ews.put("ewsUrl", "https://mail.example.com/EWS/Exchange.asmx");
            ews.put("username", "svc-nexchange@example.com");
            ews.put(".password", wrong);
            Object hq = factoryConfiguration(ctx, "io.nexchange.auth.ews.onprem", "hq");
            hq.getClass().getMethod("update", Dictionary.class).invoke(hq, ews);
            ServiceTracker<Object, Object> ewsTracker = new ServiceTracker<>(ctx,
                    ctx.createFilter("(&(objectClass=io.nexchange.auth.entra.EwsServiceAccount)(nexchange.registration=hq))"), null);
            ewsTracker.open(true);
            assertNotNull(ewsTracker.waitForService(10_000), "EwsServiceAccount 'hq'");
            ewsTracker.close();
            String all = "";
            for (int i = 0; i < 100 && !all.contains("'fabrikam'"); i++) {
                Thread.sleep(100);
                all = String.valueOf(command.getClass().getMethod("execute",
                        command.getClass().getClassLoader().loadClass("org.apache.felix.service.command.CommandSession"), List.class)
                        .invoke(command, null, List.of()));
            }
            assertEquals(2, ctx.getServiceReferences(TokenProvider.class, null).size(), "two registrations");
            assertTrue(all.contains("Registration 'contoso'") && all.contains("Registration 'fabrikam'"), all);
            assertTrue(all.contains("App registration 'fabrikam': the client secret is wrong"), all);
            assertTrue(all.contains("EWS service account 'hq'"), all);
            assertFalse(all.contains(wrong), all);
            System.out.println(all);
            tracker.close();
            commands.close();

            String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
            assertFalse(log.contains(secret) || log.contains(rotated) || log.contains(wrong) || log.contains(token.value().reveal()),
                    "no secret in the log");
            assertFalse(out.contains(secret) || after.contains(rotated));
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    private static Object factoryConfiguration(BundleContext ctx, String factoryPid, String name) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(ctx, "org.osgi.service.cm.ConfigurationAdmin", null);
        tracker.open(true);
        Object admin = tracker.waitForService(10_000);
        assertNotNull(admin, "Config Admin runs");
        // reflection: the framework's ConfigurationAdmin class is not the test class path's
        return admin.getClass().getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(admin, factoryPid, name, "?");
    }
}
