package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.runtime.RuntimeProcess;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator endpoint on Felix HTTP (Jetty, Whiteboard) in the real runtime, forked: security headers on every answer;
 * on loopback a browser gets a session without a login but every POST needs its CSRF token; with a login required (as
 * on any other address) pages ask for a login, scripts for the token, and the login itself is refused with a wrong token.
 */
class OperatorEndpointIT {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path temp;

    @Test
    void loopbackWithoutLoginThenWithALoginRequired() throws Exception {
        Path home = RuntimeProcess.distribution();
        Path base = RuntimeProcess.prepareInstance(home, temp.resolve("instance"), Map.of());
        try (RuntimeProcess runtime = RuntimeProcess.start(home, base, Duration.ofSeconds(120))) {
            URI endpoint = runtime.endpoint();
            String token = Files.readString(base.resolve("data/ops.token")).strip();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

            HttpResponse<String> page = browser.send(html(endpoint.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("same-origin", page.headers().firstValue("Referrer-Policy").orElse(""));
            assertTrue(page.headers().firstValue("Set-Cookie").orElse("").contains("HttpOnly; SameSite=Strict"),
                    "a loopback browser gets a session of its own: " + page.headers().map());
            assertEquals(200, runtime.get("/status").statusCode(), "scripts read /status on loopback without a login");
            assertEquals(200, runtime.get("/metrics").statusCode());

            HttpResponse<String> noCsrf = browser.send(form(endpoint.resolve("/logout"), "x=1").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, noCsrf.statusCode(), "a POST without the session's CSRF token: " + noCsrf.body());
            HttpResponse<String> noSession = HttpClient.newHttpClient().send(form(endpoint.resolve("/logout"), "csrf=x").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, noSession.statusCode(), "a POST without a session");

            // a login required (on loopback by setting; on any other address always): edited live
            Path cfg = base.resolve("etc/io.nexchange.ops.http.cfg");
            Files.writeString(cfg, Files.readString(cfg) + "requireLogin = true\n");
            awaitStatus(runtime, "/status", 401);
            HttpClient anonymous = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> redirect = anonymous.send(html(endpoint.resolve("/mailboxes?q=ali")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, redirect.statusCode());
            assertEquals("/login?next=%2Fmailboxes%3Fq%3Dali", URI.create(redirect.headers().firstValue("Location").orElseThrow()).getRawPath()
                    + "?" + URI.create(redirect.headers().firstValue("Location").orElseThrow()).getRawQuery());
            assertEquals(200, runtime.get("/health/ready").statusCode(), "probes need no login");
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/status"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertTrue(runtime.console("nexchange:status").contains("ready     yes"), "bin/nexchange exec still works");

            HttpResponse<String> wrong = login(anonymous, endpoint, "mallory", "not-the-token");
            assertEquals(401, wrong.statusCode());
            assertFalse(wrong.body().contains(token), "the token is never shown");
            HttpResponse<String> right = login(anonymous, endpoint, "alice", token);
            assertEquals(302, right.statusCode(), right.body());
            assertEquals("/mailboxes", right.headers().firstValue("Location").map(l -> URI.create(l).getPath()).orElseThrow());
            HttpResponse<String> loggedIn = anonymous.send(html(endpoint.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(loggedIn.body().contains("alice (token login from 127.0.0.1)"), loggedIn.body());
            assertFalse(loggedIn.body().contains(token), "the token is never rendered");
            String log = Files.readString(base.resolve("log/nexchange.log"));
            assertTrue(log.contains("Console login failed for 'mallory'") && log.contains("Console login: alice"), log);
            assertFalse(log.contains(token), "the token never reaches the log");
        }
    }

    private static HttpResponse<String> login(HttpClient client, URI endpoint, String name, String token) throws Exception {
        String form = client.send(html(endpoint.resolve("/login?next=%2Fmailboxes")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher nonce = CSRF.matcher(form);
        assertTrue(nonce.find(), form);
        return client.send(form(endpoint.resolve("/login"), "csrf=" + enc(nonce.group(1)) + "&next=%2Fmailboxes&operator=" + enc(name)
                + "&token=" + enc(token)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitStatus(RuntimeProcess runtime, String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = runtime.get(path).statusCode();
                if (last == status) {
                    return;
                }
            } catch (java.io.IOException restarting) {
                // Jetty restarts while the configuration changes
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " answered " + last + ", not " + status + ", 20 s after the configuration change");
    }

    private static HttpRequest.Builder html(URI uri) {
        return HttpRequest.newBuilder(uri).header("Accept", "text/html");
    }

    private static HttpRequest.Builder form(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
