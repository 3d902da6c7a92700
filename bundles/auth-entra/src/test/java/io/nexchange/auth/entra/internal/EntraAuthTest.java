package io.nexchange.auth.entra.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens and diagnostics against the sandbox's Entra token endpoint and Graph, with msal4j unmodified:
 * every operator mistake of the setup guide, refresh, rotation, concurrency, outage; and last, no secret
 * in any log line or output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EntraAuthTest {
    private SandboxServer sandbox;
    private SandboxFixture fx;

    @BeforeAll
    void start(@TempDir Path state) throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(10).seed(7).eventsPerMailbox(2).contactsPerMailbox(2).stateDir(state));
        fx = new SandboxFixture(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    private AuthCheck.Report check(EntraTokenProvider provider) {
        AuthCheck.Report report = new AuthCheck(java.time.Clock.systemUTC()).run(provider);
        SandboxFixture.OUTPUTS.add(report.toText());
        SandboxFixture.OUTPUTS.add(AuthCheckCommand.report(List.of(provider), List.of(), null));
        return report;
    }

    private AuthException failure(EntraTokenProvider provider) {
        AuthException e = assertThrows(AuthException.class, () -> provider.token(TokenProvider.GRAPH_SCOPE));
        SandboxFixture.OUTPUTS.add(e.getMessage());
        SandboxFixture.OUTPUTS.add(String.valueOf(e));
        return e;
    }

    private static void remember(AccessToken token) {
        SandboxFixture.SECRETS.add(token.value().reveal());
    }

    @Test
    @Order(1)
    void clientSecretGivesATokenWithTheRolesAndAuthCheckPasses() throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("good", secret);
        try (EntraTokenProvider provider = fx.provider(fx.config("good", app.clientId(), secret))) {
            long started = System.nanoTime();
            AccessToken token = provider.token(TokenProvider.GRAPH_SCOPE);
            long fetchMicros = (System.nanoTime() - started) / 1000;
            remember(token);
            assertEquals(AppRegistration.DEFAULT_ROLES, token.roles());
            assertTrue(token.expiresOn().isAfter(Instant.now().plusSeconds(3000)));
            // cached calls
            int calls = 200_000;
            long t0 = System.nanoTime();
            AccessToken last = null;
            for (int i = 0; i < calls; i++) {
                last = provider.token(TokenProvider.GRAPH_SCOPE);
            }
            long cachedNanos = (System.nanoTime() - t0) / calls;
            assertTrue(last == token, "the cached token");
            System.out.printf("FIGURE first token fetch (TLS + msal4j + sandbox): %d ms; cached token(): %d ns per call%n",
                    fetchMicros / 1000, cachedNanos);
            assertEquals(1, sandbox.counters().app(app.clientId()), "one token request for all calls");
            MsalTokenSource direct = new MsalTokenSource(provider.state().settings().orElseThrow());
            direct.fetch(TokenProvider.GRAPH_SCOPE); // msal4j's first TLS handshake and class loading
            long w0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                remember(direct.fetch(TokenProvider.GRAPH_SCOPE));
            }
            System.out.printf("FIGURE warm token fetch (msal4j, skipCache, sandbox on loopback): %.1f ms%n", (System.nanoTime() - w0) / 10 / 1e6);

            AuthCheck.Report report = check(provider);
            assertTrue(report.healthy(), report.toText());
            assertTrue(report.toText().contains("calendar readable"), report.toText());
            assertTrue(report.toText().contains("contacts readable"), report.toText());
        }
    }

    @Test
    @Order(2)
    void certificateAsPkcs12AndAsPem(@TempDir Path dir) throws Exception {
        SandboxFixture.CertificateFiles cert = SandboxFixture.certificate(dir);
        AppRegistration app = sandbox.registerApp(AppRegistration.builder("cert").certificate(cert.certificate()).build());
        Map<String, Object> p12 = fx.config("cert-p12", app.clientId(), null);
        p12.put("certificateFile", cert.pkcs12().toString());
        p12.put(".certificatePassword", cert.password());
        try (EntraTokenProvider provider = fx.provider(p12)) {
            AccessToken token = provider.token(TokenProvider.GRAPH_SCOPE);
            remember(token);
            assertEquals("2", JwtClaims.of(token.value().reveal()).text("appidacr"), "certificate-authenticated token");
        }
        Map<String, Object> pem = fx.config("cert-pem", app.clientId(), null);
        pem.put("certificateFile", cert.pem().toString());
        try (EntraTokenProvider provider = fx.provider(pem)) {
            remember(provider.token(TokenProvider.GRAPH_SCOPE));
        }
        // a certificate Entra does not know: another key pair
        SandboxFixture.CertificateFiles other = SandboxFixture.certificate(Files.createDirectory(dir.resolve("other")));
        pem.put("certificateFile", other.pem().toString());
        try (EntraTokenProvider provider = fx.provider(pem)) {
            assertEquals(AuthProblem.INVALID_CERTIFICATE, failure(provider).problem());
        }
        // wrong password of the PKCS#12 file
        p12.put(".certificatePassword", SandboxFixture.newSecret());
        try (EntraTokenProvider provider = fx.provider(p12)) {
            AuthException e = failure(provider);
            assertEquals(AuthProblem.CONFIGURATION_INVALID, e.problem());
            assertTrue(e.getMessage().contains("certificatePassword"), e.getMessage());
        }
    }

    @Test
    @Order(3)
    void eachSetupMistakeNamesItsStep() throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("mistakes", secret);

        Map<String, Object> wrongTenant = fx.config("wrong-tenant", app.clientId(), secret);
        wrongTenant.put("tenantId", "11111111-2222-3333-4444-555555555555");
        expect(wrongTenant, AuthProblem.TENANT_NOT_FOUND, "Directory (tenant) ID");

        expect(fx.config("wrong-client", "99999999-8888-7777-6666-555555555555", secret), AuthProblem.APPLICATION_NOT_FOUND,
                "Application (client) ID");

        expect(fx.config("wrong-secret", app.clientId(), SandboxFixture.newSecret()), AuthProblem.INVALID_SECRET, "copy its Value");

        String expiredSecret = SandboxFixture.newSecret();
        AppRegistration expired = sandbox.registerApp(AppRegistration.builder("expired").clientSecret(expiredSecret)
                .secretExpiresAt(Instant.parse("2025-01-31T00:00:00Z")).build());
        Map<String, Object> expiredConfig = fx.config("expired", expired.clientId(), expiredSecret);
        expiredConfig.put("clientSecretExpires", "2025-01-31");
        AuthException e = expect(expiredConfig, AuthProblem.SECRET_EXPIRED, "replace the expired one");
        assertTrue(e.getMessage().contains("expired on 2025-01-31"), e.getMessage());

        Map<String, Object> badScope = fx.config("bad-scope", app.clientId(), secret);
        badScope.put("scopes", new String[] {"https://nowhere.example.com/.default"});
        try (EntraTokenProvider provider = fx.provider(badScope)) {
            AuthException scope = assertThrows(AuthException.class, () -> provider.token("https://nowhere.example.com/.default"));
            SandboxFixture.OUTPUTS.add(scope.getMessage());
            assertEquals(AuthProblem.INVALID_SCOPE, scope.problem());
        }

        Map<String, Object> incomplete = fx.config("incomplete", app.clientId(), null);
        incomplete.remove("tenantId");
        AuthException config = expect(incomplete, AuthProblem.CONFIGURATION_INVALID, "tenantId is not set");
        assertTrue(config.getMessage().contains("no credential"), config.getMessage());

        Map<String, Object> plainHttp = fx.config("http", app.clientId(), secret);
        plainHttp.put("authority", "http://127.0.0.1:1/{tenant}/");
        expect(plainHttp, AuthProblem.CONFIGURATION_INVALID, "must start with https://");

        Map<String, Object> untrusted = fx.config("untrusted", app.clientId(), secret);
        untrusted.remove("truststore");
        untrusted.remove(".truststorePassword");
        expect(untrusted, AuthProblem.CONFIGURATION_INVALID, "set truststore");
    }

    private AuthException expect(Map<String, Object> config, AuthProblem problem, String fixText) {
        try (EntraTokenProvider provider = fx.provider(config)) {
            AuthException e = failure(provider);
            assertEquals(problem, e.problem(), e.getMessage());
            assertTrue(e.getMessage().contains(fixText), e.getMessage());
            AuthCheck.Report report = check(provider);
            assertTrue(report.problems().contains(problem), report.toText());
            assertTrue(report.toText().contains("Fix: "), report.toText());
            return e;
        }
    }

    @Test
    @Order(4)
    void consentPermissionsAndLicencesAreReportedByAuthCheck() throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration noConsent = sandbox.registerApp(AppRegistration.builder("no-consent").clientSecret(secret).adminConsent(false).build());
        try (EntraTokenProvider provider = fx.provider(fx.config("no-consent", noConsent.clientId(), secret))) {
            AccessToken token = provider.token(TokenProvider.GRAPH_SCOPE);
            remember(token);
            assertTrue(token.roles().isEmpty());
            AuthCheck.Report report = check(provider);
            assertEquals(AuthProblem.CONSENT_NOT_GRANTED, report.problems().get(0), report.toText());
            assertTrue(report.toText().contains("Grant admin consent"), report.toText());
            assertTrue(logEventually("App registration 'no-consent': admin consent not granted"), "start-up validation logged it");
        }
        AppRegistration noContacts = sandbox.registerApp(AppRegistration.builder("no-contacts").clientSecret(secret)
                .roles(Set.of("Calendars.ReadWrite", "User.Read.All")).build());
        try (EntraTokenProvider provider = fx.provider(fx.config("no-contacts", noContacts.clientId(), secret))) {
            AuthCheck.Report report = check(provider);
            assertEquals(List.of(AuthProblem.PERMISSION_MISSING, AuthProblem.PERMISSION_MISSING), report.problems(), report.toText());
            assertTrue(report.toText().contains("Contacts.ReadWrite is not granted"), report.toText());
            assertTrue(report.toText().contains("Graph refused mailbox"), report.toText());
        }
        AppRegistration noUsers = sandbox.registerApp(AppRegistration.builder("no-users").clientSecret(secret)
                .roles(Set.of("Calendars.ReadWrite", "Contacts.ReadWrite")).build());
        Map<String, Object> config = fx.config("no-users", noUsers.clientId(), secret);
        config.put("probeMailbox", sandbox.mailboxes().get(0));
        try (EntraTokenProvider provider = fx.provider(config)) {
            AuthCheck.Report report = check(provider);
            assertTrue(report.toText().contains("User.Read.All is not granted"), report.toText());
            assertTrue(report.toText().contains("Graph refused /users (Authorization_RequestDenied)"), report.toText());
            assertTrue(report.toText().contains("calendar readable"), report.toText());
        }
        String unlicensed = sandbox.usersWithoutMailbox().get(0);
        Map<String, Object> licence = fx.config("licence", sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret());
        licence.put("probeMailbox", unlicensed);
        try (EntraTokenProvider provider = fx.provider(licence)) {
            AuthCheck.Report report = check(provider);
            assertEquals(List.of(AuthProblem.MAILBOX_NOT_LICENSED), report.problems(), report.toText());
            assertTrue(report.toText().contains(unlicensed + " (Graph: MailboxNotEnabledForRESTAPI)"), report.toText());
            assertTrue(report.toText().contains("Exchange Online licence"), report.toText());
        }
    }

    @Test
    @Order(5)
    void hundredConcurrentCallersShareOneTokenRequest() throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("concurrent", secret);
        Map<String, Object> config = fx.config("concurrent", app.clientId(), secret);
        config.put("scopes", new String[] {"https://outlook.office365.com/.default"}); // nothing prefetched for Graph
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try (EntraTokenProvider provider = fx.provider(config)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return provider.token(TokenProvider.GRAPH_SCOPE);
                }));
            }
            go.countDown();
            Set<AccessToken> distinct = new HashSet<>();
            for (Future<AccessToken> f : results) {
                distinct.add(f.get(30, TimeUnit.SECONDS));
            }
            distinct.forEach(EntraAuthTest::remember);
            provider.token(TokenProvider.EWS_SCOPE);
            long graphRequests = sandbox.counters().app(app.clientId()) - 1; // minus the EWS token
            System.out.printf("FIGURE 100 concurrent callers, cold cache: %d token request(s), %d distinct token(s)%n",
                    graphRequests, distinct.size());
            assertEquals(1, graphRequests);
            assertEquals(1, distinct.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(6)
    void shortLivedTokensAreRefreshedInTheBackgroundWithoutBlockingCallers() throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("refresh", secret);
        sandbox.setTokenLifetimeSeconds(4);
        try (EntraTokenProvider provider = fx.provider(fx.config("refresh", app.clientId(), secret))) {
            AccessToken first = provider.token(TokenProvider.GRAPH_SCOPE);
            Set<AccessToken> seen = new HashSet<>();
            long maxNanos = 0;
            Instant end = Instant.now().plusSeconds(7);
            while (Instant.now().isBefore(end)) {
                long t0 = System.nanoTime();
                AccessToken token = provider.token(TokenProvider.GRAPH_SCOPE);
                maxNanos = Math.max(maxNanos, System.nanoTime() - t0);
                assertTrue(token.expiresOn().isAfter(Instant.now()), "never an expired token");
                seen.add(token);
                Thread.sleep(5);
            }
            seen.forEach(EntraAuthTest::remember);
            long requests = sandbox.counters().app(app.clientId());
            System.out.printf("FIGURE 4 s tokens over 7 s: %d token requests, %d distinct tokens, slowest token() call %.2f ms%n",
                    requests, seen.size(), maxNanos / 1e6);
            assertTrue(seen.size() >= 3, "refreshed: " + seen.size());
            assertNotEquals(first, provider.token(TokenProvider.GRAPH_SCOPE));
            assertTrue(maxNanos < 50_000_000L, "no caller waited for a refresh: " + maxNanos / 1e6 + " ms");
            assertTrue(requests <= seen.size() + 1, "refreshes are not repeated: " + requests);
        } finally {
            sandbox.setTokenLifetimeSeconds(3599);
        }
    }

    @Test
    @Order(7)
    void aRotatedSecretTakesEffectWithoutDroppingTokens() throws Exception {
        String oldSecret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("rotate", oldSecret);
        Map<String, Object> config = fx.config("rotate", app.clientId(), oldSecret);
        try (EntraTokenProvider provider = fx.provider(config)) {
            AccessToken before = provider.token(TokenProvider.GRAPH_SCOPE);
            remember(before);
            // the operator creates a new secret in Entra (the old one is deleted) and edits the .cfg
            String newSecret = SandboxFixture.newSecret();
            sandbox.registerApp(AppRegistration.builder("rotate").clientId(app.clientId()).clientSecret(newSecret).build());
            config.put(".clientSecret", newSecret);
            provider.configure(SandboxFixture.entra(config), SandboxFixture.undeclared(config));
            long t0 = System.nanoTime();
            assertEquals(before, provider.token(TokenProvider.GRAPH_SCOPE), "the valid token stays in use");
            assertTrue(System.nanoTime() - t0 < 50_000_000L);
            TokenKeeper keeper = provider.state().keeper().orElseThrow();
            for (int i = 0; i < 100 && keeper.held(TokenProvider.GRAPH_SCOPE).orElseThrow().token().equals(before); i++) {
                Thread.sleep(50);
            }
            AccessToken after = provider.token(TokenProvider.GRAPH_SCOPE);
            remember(after);
            assertNotEquals(before, after, "a fresh token was fetched with the new secret");
            assertTrue(keeper.lastFailure(TokenProvider.GRAPH_SCOPE).isEmpty());

            // a wrong new secret: tokens keep flowing, auth-check says what is wrong
            config.put(".clientSecret", SandboxFixture.newSecret());
            provider.configure(SandboxFixture.entra(config), SandboxFixture.undeclared(config));
            assertEquals(after, provider.token(TokenProvider.GRAPH_SCOPE));
            AuthCheck.Report report = check(provider);
            assertTrue(report.problems().contains(AuthProblem.INVALID_SECRET), report.toText());
        }
    }

    private static boolean logEventually(String text) throws Exception {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/test-log.txt"));
        for (int i = 0; i < 50; i++) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    @Order(7)
    void aSecretRotatedInItsFileIsPickedUpWithoutTouchingTheConfiguration(@TempDir Path dir) throws Exception {
        String oldSecret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("file-rotate", oldSecret);
        Path file = Files.writeString(dir.resolve("secret"), oldSecret + "\n");
        Map<String, Object> config = fx.config("file-rotate", app.clientId(), null);
        config.put("clientSecretFile", file.toString());
        try (EntraTokenProvider provider = fx.provider(config)) {
            AccessToken before = provider.token(TokenProvider.GRAPH_SCOPE);
            remember(before);
            String newSecret = SandboxFixture.newSecret();
            sandbox.registerApp(AppRegistration.builder("file-rotate").clientId(app.clientId()).clientSecret(newSecret).build());
            Files.writeString(file, newSecret + "\n");
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
            assertTrue(check(provider).healthy(), "auth-check reads the file as it is now");
            // the next refresh (forced here) uses the new file
            AccessToken after = provider.state().keeper().orElseThrow().entries().get(TokenProvider.GRAPH_SCOPE).fetch()
                    .get(20, TimeUnit.SECONDS);
            remember(after);
            assertNotEquals(before, after);
            assertTrue(logEventually("Registration 'file-rotate': a credential file changed"));
        }
    }

    @Test
    @Order(8)
    void tokenEndpointOutage() throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("outage", secret);
        sandbox.addFault(FaultRule.of(FaultRule.Kind.TOKEN_OUTAGE).forNext(1));
        try (EntraTokenProvider provider = fx.provider(fx.config("outage", app.clientId(), secret))) {
            long t0 = System.nanoTime();
            remember(provider.token(TokenProvider.GRAPH_SCOPE));
            System.out.printf("FIGURE token through one 503 (msal4j retries after 1 s): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(2, sandbox.counters().app(app.clientId()), "a 503, then the token");
        } finally {
            sandbox.clearFaults();
        }
        // a longer outage: the caller gets a clear transient error, the background retries until Entra is back
        AppRegistration app2 = fx.app("outage2", secret);
        sandbox.addFault(FaultRule.of(FaultRule.Kind.TOKEN_OUTAGE).forNext(2));
        try (EntraTokenProvider provider = fx.provider(fx.config("outage2", app2.clientId(), secret))) {
            long t0 = System.nanoTime();
            AuthException e = failure(provider);
            assertEquals(AuthProblem.SERVICE_UNAVAILABLE, e.problem(), e.getMessage());
            assertTrue(e.isTransient());
            assertTrue(e.getMessage().contains("503") && e.getMessage().contains("retried"), e.getMessage());
            AccessToken token = null;
            for (int i = 0; i < 200 && token == null; i++) {
                Thread.sleep(100);
                token = provider.state().keeper().orElseThrow().held(TokenProvider.GRAPH_SCOPE).map(TokenKeeper.Held::token).orElse(null);
            }
            assertTrue(token != null, "the background retry got a token once the outage ended");
            remember(token);
            assertEquals(token, provider.token(TokenProvider.GRAPH_SCOPE));
            System.out.printf("FIGURE outage of 2 answers: token ready in the background %d ms after the first attempt%n",
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    @Order(9)
    void configDumpsRedactSecretsAndSecretsComeFromFilesAndEnvironment(@TempDir Path dir) throws Exception {
        String secret = SandboxFixture.newSecret();
        AppRegistration app = fx.app("sources", secret);
        Path file = dir.resolve("client-secret");
        Files.writeString(file, secret + "\n");
        Map<String, Object> fromFile = fx.config("from-file", app.clientId(), null);
        fromFile.put("clientSecretFile", file.toString());
        try (EntraTokenProvider provider = fx.provider(fromFile)) {
            remember(provider.token(TokenProvider.GRAPH_SCOPE));
        }
        Map<String, Object> fromEnv = fx.config("from-env", app.clientId(), null);
        fromEnv.put("clientSecretEnv", "NEXCHANGE_TEST_SECRET");
        try (EntraTokenProvider provider = SandboxFixture.provider(fromEnv, n -> n.equals("NEXCHANGE_TEST_SECRET") ? secret : null)) {
            remember(provider.token(TokenProvider.GRAPH_SCOPE));
        }
        fromEnv.put("clientSecretEnv", "NEXCHANGE_UNSET");
        try (EntraTokenProvider provider = fx.provider(fromEnv)) {
            assertTrue(failure(provider).getMessage().contains("NEXCHANGE_UNSET, which is not set"));
        }
        Map<String, Object> inline = fx.config("inline", app.clientId(), secret);
        String dump = ConfigDump.redacted(SandboxFixture.entra(inline), SandboxFixture.undeclared(inline));
        SandboxFixture.OUTPUTS.add(dump);
        assertTrue(dump.contains(".clientSecret = ********"), dump);
        assertTrue(dump.contains(".truststorePassword = ********"), dump);
        assertTrue(dump.contains("clientId = " + app.clientId()), dump);
    }

    @Test
    @Order(100)
    void noSecretOrTokenInAnyLogOrOutput() throws Exception {
        String log = SandboxFixture.assertNoLeak();
        assertTrue(log.contains("App registration 'wrong-secret': the client secret is wrong"), "failures were logged");
        assertTrue(SandboxFixture.OUTPUTS.size() > 20, "outputs collected: " + SandboxFixture.OUTPUTS.size());
    }
}
