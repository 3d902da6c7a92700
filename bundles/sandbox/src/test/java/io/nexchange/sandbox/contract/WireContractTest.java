package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the SDK hides: exact JSON shapes, throttling as seen on the wire (the SDK would retry 429s),
 * $batch limits, connection-level faults and the admin API. Plain JDK HttpClient, verifying TLS
 * against the sandbox truststore.
 */
class WireContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SandboxServer sandbox;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(3).eventsPerMailbox(20).contactsPerMailbox(5).seed(3)
                .retryAfter("0.5"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(sandbox).context())
                .connectTimeout(Duration.ofSeconds(5)).build();
        token = Clients.token(Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("https") ? path : sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void fourConcurrentRequestsToOneMailboxPassAndFiveGetA429WithRetryAfter() throws Exception {
        String user = sandbox.mailboxes().get(0);
        // each request holds its slot for 700 ms, so the requests of one wave overlap
        sandbox.addFault(FaultRule.latency(700).forMailbox(user));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<HttpResponse<String>> four = wave(pool, 4, "/v1.0/users/" + user + "/calendar");
            assertTrue(four.stream().allMatch(r -> r.statusCode() == 200), "4 concurrent: all pass");
            List<HttpResponse<String>> five = wave(pool, 5, "/v1.0/users/" + user + "/calendar");
            List<HttpResponse<String>> throttled = five.stream().filter(r -> r.statusCode() == 429).toList();
            assertFalse(throttled.isEmpty(), "5 concurrent: at least one 429");
            assertEquals(4, five.stream().filter(r -> r.statusCode() == 200).count());
            HttpResponse<String> r = throttled.get(0);
            assertEquals("0.5", r.headers().firstValue("Retry-After").orElseThrow());
            JsonNode error = json(r).path("error");
            assertEquals("TooManyRequests", error.path("code").asText());
            assertEquals("429", error.path("innerError").path("status").asText());
            assertEquals(1, sandbox.counters().throttledByMailbox().get(user.toLowerCase()));
            // another mailbox has its own budget; /users is not mailbox-scoped
            assertEquals(200, send("GET", "/v1.0/users/" + sandbox.mailboxes().get(1) + "/calendar", null).statusCode());
        } finally {
            sandbox.clearFaults();
            pool.shutdownNow();
        }
    }

    private static List<HttpResponse<String>> wave(ExecutorService pool, int n, String path) throws Exception {
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(() -> send("GET", path, null));
        }
        List<HttpResponse<String>> out = new ArrayList<>();
        for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void requestWindowLimitAnswers429AndBatchItemsCarryTheirOwn() throws Exception {
        String user = sandbox.mailboxes().get(1);
        sandbox.setThrottling(4, 3, Duration.ofSeconds(2), "0.25");
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send("GET", "/v1.0/users/" + user + "/calendar", null).statusCode());
            }
            HttpResponse<String> fourth = send("GET", "/v1.0/users/" + user + "/calendar", null);
            assertEquals(429, fourth.statusCode());
            assertEquals("0.25", fourth.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(200, send("GET", "/v1.0/users?$top=1", null).statusCode(), "the directory is not a mailbox endpoint");

            Thread.sleep(2100);
            ObjectNode batch = JSON.createObjectNode();
            ArrayNode requests = batch.putArray("requests");
            for (int i = 1; i <= 5; i++) {
                requests.addObject().put("id", Integer.toString(i)).put("method", "GET").put("url", "/users/" + user + "/calendar");
            }
            HttpResponse<String> r = send("POST", "/v1.0/$batch", batch.toString());
            assertEquals(200, r.statusCode());
            int ok = 0;
            int throttled = 0;
            for (JsonNode item : json(r).path("responses")) {
                if (item.path("status").asInt() == 429) {
                    throttled++;
                    assertEquals("0.25", item.path("headers").path("Retry-After").asText());
                    assertEquals("TooManyRequests", item.path("body").path("error").path("code").asText());
                } else {
                    assertEquals(200, item.path("status").asInt());
                    ok++;
                }
            }
            assertEquals(3, ok);
            assertEquals(2, throttled);
        } finally {
            sandbox.setThrottling(4, 10_000, Duration.ofMinutes(10), "0.5");
        }
    }

    @Test
    void batchLimitsDuplicatesAndFailedDependencies() throws Exception {
        String user = sandbox.mailboxes().get(2);
        ObjectNode tooMany = JSON.createObjectNode();
        for (int i = 0; i < 21; i++) {
            tooMany.withArray("requests").addObject().put("id", "r" + i).put("method", "GET").put("url", "/users/" + user + "/calendar");
        }
        HttpResponse<String> r = send("POST", "/v1.0/$batch", tooMany.toString());
        assertEquals(400, r.statusCode());
        assertEquals("BadRequest", json(r).path("error").path("code").asText());

        ObjectNode dup = JSON.createObjectNode();
        dup.withArray("requests").addObject().put("id", "1").put("method", "GET").put("url", "/users/" + user + "/calendar");
        dup.withArray("requests").addObject().put("id", "1").put("method", "GET").put("url", "/users/" + user + "/calendar");
        assertEquals(400, send("POST", "/v1.0/$batch", dup.toString()).statusCode());

        ObjectNode deps = JSON.createObjectNode();
        ObjectNode create = deps.withArray("requests").addObject().put("id", "1").put("method", "POST").put("url", "/users/" + user + "/events");
        create.putObject("headers").put("Content-Type", "application/json");
        create.putObject("body").put("subject", "no start or end");
        ObjectNode after = deps.withArray("requests").addObject().put("id", "2").put("method", "GET").put("url", "users/" + user + "/calendar");
        after.putArray("dependsOn").add("1");
        ObjectNode fine = deps.withArray("requests").addObject().put("id", "3").put("method", "GET")
                .put("url", "/users/" + user + "/events?$top=2&$select=subject");
        HttpResponse<String> mixed = send("POST", "/v1.0/$batch", deps.toString());
        assertEquals(200, mixed.statusCode());
        for (JsonNode item : json(mixed).path("responses")) {
            switch (item.path("id").asText()) {
                case "1" -> assertEquals(400, item.path("status").asInt());
                case "2" -> assertEquals(424, item.path("status").asInt());
                default -> {
                    assertEquals(200, item.path("status").asInt());
                    assertEquals(2, item.path("body").path("value").size());
                    assertTrue(item.path("body").path("value").get(0).has("subject"));
                    assertFalse(item.path("body").path("value").get(0).has("body"));
                }
            }
        }
        assertNotNull(fine);
    }

    @Test
    void aMalformedEventIsServedAsSetAndRepairedLikeAnEdit() throws Exception {
        String user = sandbox.mailboxes().get(0);
        String id = sandbox.eventIds(user).get(0);
        String before = json(send("GET", "/v1.0/users/" + user + "/events/" + id, null)).path("changeKey").asText();
        sandbox.malformEvent(user, id, "{\"start\":{\"dateTime\":\"next Tuesday\",\"timeZone\":\"UTC\"},\"responseStatus\":null}");
        JsonNode malformed = json(send("GET", "/v1.0/users/" + user + "/events/" + id, null));
        assertEquals("next Tuesday", malformed.path("start").path("dateTime").asText());
        assertTrue(malformed.get("responseStatus").isNull());
        assertFalse(before.equals(malformed.path("changeKey").asText()), "an edit: a new changeKey");
        sandbox.malformEvent(user, id, "{}");
        JsonNode repaired = json(send("GET", "/v1.0/users/" + user + "/events/" + id, null));
        assertTrue(repaired.path("start").path("dateTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*"), repaired.toString());
        assertFalse(malformed.path("changeKey").asText().equals(repaired.path("changeKey").asText()));
    }

    @Test
    void eventJsonHasGraphsShapes() throws Exception {
        String user = sandbox.mailboxes().get(2);
        String body = "{\"subject\":\"Shape\",\"start\":{\"dateTime\":\"2031-03-03T10:00:00\",\"timeZone\":\"Pacific Standard Time\"},"
                + "\"end\":{\"dateTime\":\"2031-03-03T11:00:00\",\"timeZone\":\"Pacific Standard Time\"},"
                + "\"attendees\":[{\"type\":\"required\",\"emailAddress\":{\"name\":\"A\",\"address\":\"a@example.org\"}}],"
                + "\"recurrence\":{\"pattern\":{\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"Monday\"],\"index\":\"last\"},"
                + "\"range\":{\"type\":\"numbered\",\"startDate\":\"2031-03-03\",\"numberOfOccurrences\":3}}}";
        HttpResponse<String> r = send("POST", "/v1.0/users/" + user + "/events", body);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode e = json(r);
        assertTrue(e.path("@odata.etag").asText().startsWith("W/\""));
        assertEquals("W/\"" + e.path("changeKey").asText() + "\"", e.path("@odata.etag").asText());
        JsonNode pattern = e.path("recurrence").path("pattern");
        assertEquals("monday", pattern.path("daysOfWeek").get(0).asText());
        assertEquals(0, pattern.path("month").asInt());
        assertEquals(0, pattern.path("dayOfMonth").asInt());
        assertEquals("sunday", pattern.path("firstDayOfWeek").asText());
        assertEquals("0001-01-01", e.path("recurrence").path("range").path("endDate").asText());
        assertEquals("0001-01-01T00:00:00Z", e.path("attendees").get(0).path("status").path("time").asText());
        assertEquals("2031-03-03T18:00:00.0000000", e.path("start").path("dateTime").asText());
        assertEquals("UTC", e.path("start").path("timeZone").asText());
        assertTrue(e.has("seriesMasterId") && e.path("seriesMasterId").isNull());
        assertTrue(e.path("iCalUId").asText().startsWith("040000008200E00074C5B7101A82E008"));
        // the EWS id of the same item is the same bytes in standard base64
        assertTrue(e.path("id").asText().startsWith("AAMkA"));

        HttpResponse<String> instances = send("GET", "/v1.0/users/" + user + "/events/" + e.path("id").asText()
                + "/instances?startDateTime=2031-03-01T00:00:00Z&endDateTime=2031-07-01T00:00:00Z", null,
                "Prefer", "outlook.timezone=\"India Standard Time\"");
        JsonNode values = json(instances).path("value");
        assertEquals(3, values.size());
        // last Mondays of March, April, May 2031, 10:00 Pacific = 22:30 India
        assertEquals("2031-03-31T22:30:00.0000000", values.get(0).path("start").path("dateTime").asText());
        assertEquals("2031-04-28T22:30:00.0000000", values.get(1).path("start").path("dateTime").asText());
        assertEquals("2031-05-26T22:30:00.0000000", values.get(2).path("start").path("dateTime").asText());
        assertEquals("2031-03-31T17:00:00Z", values.get(0).path("originalStart").asText());

        HttpResponse<String> noWindow = send("GET", "/v1.0/users/" + user + "/calendarView", null);
        assertEquals(400, noWindow.statusCode());
        JsonNode err = json(noWindow).path("error");
        assertEquals("ErrorInvalidParameter", err.path("code").asText());
        assertNotNull(err.path("innerError").path("request-id").asText(null));
        assertNotNull(err.path("innerError").path("client-request-id").asText(null));
        assertNotNull(err.path("innerError").path("date").asText(null));

        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(sandbox.graphBaseUrl() + "/users")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noToken.statusCode());
        assertEquals("InvalidAuthenticationToken", json(noToken).path("error").path("code").asText());
    }

    @Test
    void deltaAcceptsAllThreeSpellingsOfTheFunction() throws Exception {
        String user = sandbox.mailboxes().get(2);
        for (String spelling : new String[] {"delta", "delta()", "microsoft.graph.delta"}) {
            HttpResponse<String> r = send("GET", "/v1.0/users/" + user + "/contacts/" + spelling, null);
            assertEquals(200, r.statusCode(), spelling);
            assertTrue(json(r).path("@odata.deltaLink").asText().contains("/contacts/delta?$deltatoken="));
        }
    }

    @Test
    void connectionResetAndTruncatedBodiesFailOnTheClient() throws Exception {
        String user = sandbox.mailboxes().get(2);
        try {
            // the JDK client retries an idempotent GET once on a dropped connection, so drop a few
            sandbox.addFault(FaultRule.of(FaultRule.Kind.CONNECTION_RESET).forMailbox(user).forNext(3));
            assertThrows(IOException.class, () -> send("GET", "/v1.0/users/" + user + "/calendar", null));
            sandbox.clearFaults();
            sandbox.addFault(FaultRule.of(FaultRule.Kind.TRUNCATED_BODY).forMailbox(user).forNext(3));
            assertThrows(IOException.class, () -> send("GET", "/v1.0/users/" + user + "/contacts?$top=5", null));
            sandbox.clearFaults();
            assertEquals(200, send("GET", "/v1.0/users/" + user + "/calendar", null).statusCode());
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void adminApiEditsAMailboxAndReportsCounters() throws Exception {
        String user = sandbox.mailboxes().get(0);
        HttpResponse<String> info = send("GET", "/_sandbox/info", null);
        assertEquals(sandbox.tenantId(), json(info).path("tenantId").asText());
        HttpResponse<String> created = send("POST", "/_sandbox/mailboxes/" + user + "/events",
                "{\"subject\":\"Admin\",\"start\":{\"dateTime\":\"2031-01-06T09:00:00\",\"timeZone\":\"UTC\"},"
                        + "\"end\":{\"dateTime\":\"2031-01-06T10:00:00\",\"timeZone\":\"UTC\"},"
                        + "\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},\"range\":{\"type\":\"noEnd\",\"startDate\":\"2031-01-06\"}}}");
        assertEquals(201, created.statusCode(), created.body());
        String id = json(created).path("id").asText();
        assertEquals(204, send("POST", "/_sandbox/mailboxes/" + user + "/events/" + id + "/cancel",
                "{\"originalStart\":\"2031-01-07T09:00:00Z\"}").statusCode());
        assertEquals(200, send("POST", "/_sandbox/mailboxes/" + user + "/events/" + id + "/exceptions",
                "{\"originalStart\":\"2031-01-08T09:00:00Z\",\"patch\":{\"subject\":\"Admin (exception)\"}}").statusCode());
        assertEquals(204, send("POST", "/_sandbox/mailboxes/" + user + "/events/" + id + "/end", "{\"lastDate\":\"2031-01-10\"}").statusCode());
        JsonNode view = json(send("GET", "/v1.0/users/" + user + "/events/" + id
                + "/instances?startDateTime=2031-01-01T00:00:00Z&endDateTime=2031-02-01T00:00:00Z", null)).path("value");
        assertEquals(4, view.size(), "6th..10th minus the cancelled 7th");
        assertEquals("Admin (exception)", view.get(1).path("subject").asText());
        assertEquals("exception", view.get(1).path("type").asText());

        assertEquals(204, send("POST", "/_sandbox/counters/reset", null).statusCode());
        send("GET", "/v1.0/users/" + user + "/calendar", null);
        JsonNode counters = json(send("GET", "/_sandbox/counters", null));
        assertEquals(1, counters.path("byEndpoint").path("GET /users/{id}/calendar").asInt());
        assertEquals(1, counters.path("byMailbox").path(user.toLowerCase()).asInt());
        assertEquals(204, send("POST", "/_sandbox/faults", "{\"kind\":\"status\",\"status\":504,\"retryAfter\":\"1\",\"count\":1,\"mailbox\":\""
                + user + "\"}").statusCode());
        HttpResponse<String> faulted = send("GET", "/v1.0/users/" + user + "/calendar", null);
        assertEquals(504, faulted.statusCode());
        assertEquals("1", faulted.headers().firstValue("Retry-After").orElseThrow());
    }
}
