package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14 item 2 and issue 13 "stuck pairs" through the real runtime, two-way, sandbox (Graph) and Radicale: an event
 * Graph serves malformed is quarantined and shown in /status, every other item syncs, the cursor moves on, the item is
 * not tried again while unchanged (one log line however many cycles, also after a full listing), and it syncs once it
 * is repaired; on the Nextcloud side, an event Exchange cannot hold likewise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarantineEndToEndIT {
    static final int MAILBOXES = 2;
    /** What real Graph can send: a start that is no date (as issue 14 saw responseStatus.time). */
    static final String MALFORMED = "{\"start\":{\"dateTime\":\"next Tuesday at ten\",\"timeZone\":\"UTC\"}}";

    Path temp;
    SandboxServer sandbox;
    RadicaleServer dav;
    RuntimeProcess runtime;
    GraphSource source;
    String mailbox;
    String badId;
    String badSubject;
    String badUid;

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("quarantine-e2e-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, 11);
        dav = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
        List<String> mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(dav, mailboxes, temp.resolve("passwords"));
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, dav, temp.resolve("passwords"), "graph",
                Map.of("io.nexchange.engine.cfg", String.join("\n", "threads = 2", "scheduled = false", "direction = two-way",
                        "backend.default = graph", "nextcloudBackend = caldav", "")));
        runtime = SyncRig.start(base);
        source = new GraphSource(sandbox);
        mailbox = mailboxes.get(0);
    }

    @AfterAll
    void stopRig() throws Exception {
        SyncRig.stop(runtime, dav, sandbox, temp);
    }

    @Test
    @Order(1)
    void aMalformedExchangeEventIsQuarantinedAndEverythingElseSyncs() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> ids = source.itemIdsInWindow(mailbox, today.minusDays(20), today.plusDays(300));
        for (String id : ids) {
            JsonNode e = source.event(mailbox, id);
            if ("singleInstance".equals(e.path("type").asText())) {
                badId = id;
                badSubject = e.path("subject").asText();
                badUid = e.path("iCalUId").asText();
                break;
            }
        }
        source.admin("POST", "/mailboxes/" + mailbox + "/events/" + badId + "/malform", MALFORMED);

        String out = SyncRig.syncAll(runtime, MAILBOXES);
        assertTrue(out.contains("calendar SYNCED") && out.contains("quarantined 1"), out);
        String ics = icsOf(mailbox);
        assertFalse(ics.contains(badUid), "the malformed event did not reach Radicale");
        for (String id : ids) {
            if (!id.equals(badId)) {
                assertTrue(ics.contains(source.event(mailbox, id).path("iCalUId").asText()), "every other event did: " + id);
            }
        }

        Map<String, Object> status = runtime.status();
        @SuppressWarnings("unchecked")
        Map<String, Object> quarantine = (Map<String, Object>) status.get("quarantine");
        assertEquals(1, ((Number) quarantine.get("count")).intValue(), String.valueOf(quarantine));
        String item = String.valueOf(quarantine.get("mailboxes"));
        assertTrue(item.contains(badId) && item.contains(badSubject) && item.contains("next Tuesday at ten"), item);
        String text = runtime.get("/status.txt").body();
        assertTrue(text.contains("1 item quarantined in 1 mailbox") && text.contains(mailbox + ": 1 quarantined")
                && text.contains(badId), text);
        assertEquals(1, warnings(), "one WARN line for the item");
    }

    @Test
    @Order(2)
    void theCursorMovesOnAndTheItemIsNotTriedAgainWhileUnchanged() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(4);
        source.admin("POST", "/mailboxes/" + mailbox + "/events", """
                {"subject":"Quarantine e2e: added later","start":{"dateTime":"%sT09:00:00","timeZone":"UTC"},
                 "end":{"dateTime":"%sT10:00:00","timeZone":"UTC"}}""".formatted(day, day));
        SyncRig.syncAll(runtime, MAILBOXES);
        assertTrue(icsOf(mailbox).contains("Quarantine e2e: added later"), "a new event syncs in the next cycle");

        sandbox.expireDeltaTokens(mailbox); // the next read is a full listing, which shows the bad event again, unchanged
        SyncRig.syncAll(runtime, MAILBOXES);
        int mark = dav.mark();
        String idle = SyncRig.syncAll(runtime, MAILBOXES);
        assertTrue(idle.contains("calendar SYNCED"), idle);
        assertEquals(0, dav.countSince(mark, "PUT"), "nothing written for the held item: " + dav.requestsSince(mark));
        assertFalse(icsOf(mailbox).contains(badUid));
        assertEquals(1, warnings(), "still one WARN line after three more cycles and a full listing");
    }

    @Test
    @Order(3)
    void itSyncsOnceRepaired() throws Exception {
        source.admin("POST", "/mailboxes/" + mailbox + "/events/" + badId + "/malform", "{}");
        String out = SyncRig.syncAll(runtime, MAILBOXES);
        assertFalse(out.contains("quarantined"), out);
        assertTrue(icsOf(mailbox).contains(badUid), "the repaired event reached Radicale");
        assertTrue(runtime.get("/status.txt").body().contains("0 items quarantined"));
        assertTrue(Files.readString(runtime.base().resolve("log/nexchange.log")).contains("synced, out of quarantine"));
    }

    @Test
    @Order(4)
    void aNextcloudEventExchangeCannotHoldIsQuarantinedTooAndSyncsOnceEdited() throws Exception {
        String user = SyncRig.account(mailbox);
        String collection = DavContent.of(dav).items(user, ".ics").keySet().iterator().next();
        collection = collection.substring(0, collection.lastIndexOf('/') + 1);
        URI href = URI.create("http://127.0.0.1:" + dav.port() + dav.calendarHome(user) + collection + "nc-rrule.ics");
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(6);
        put(user, href, ics(day, "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15"));

        String out = SyncRig.syncAll(runtime, MAILBOXES);
        assertTrue(out.contains("quarantined 1"), out);
        String list = runtime.console("nexchange:quarantine list " + mailbox);
        assertTrue(list.contains("Nextcloud") && list.contains("Twice a month") && list.contains("one day of the month"), list);
        SyncRig.syncAll(runtime, MAILBOXES);
        assertEquals(2, warnings(), "one WARN line for each item, once");

        put(user, href, ics(day, "RRULE:FREQ=MONTHLY;BYMONTHDAY=1"));
        String edited = SyncRig.syncAll(runtime, MAILBOXES);
        assertFalse(edited.contains("quarantined"), edited);
        boolean inExchange = false;
        for (String id : source.itemIdsInWindow(mailbox, day.minusDays(1), day.plusDays(60))) {
            inExchange |= "Twice a month".equals(source.event(mailbox, id).path("subject").asText());
        }
        assertTrue(inExchange, "the edited event reached Exchange");
        assertTrue(runtime.console("nexchange:quarantine list").startsWith("0 items quarantined"));
    }

    /**
     * Issue 16 item 3: what a running instance shows an operator (/status, /status.txt, /metrics, the web console's pages)
     * holds none of the secrets this run uses (the app registration's client secret, the Radicale app passwords, the
     * sandbox's access tokens); the pages are kept in target/runtime-pages/ so that the build's last test, SecretScanIT,
     * scans them against every secret of the whole run too.
     */
    @Test
    @Order(5)
    void thePagesAnOperatorSeesHoldNoSecret() throws Exception {
        String installed = runtime.console("nexchange:features install console");
        assertTrue(installed.contains("console"), installed);
        java.util.List<String> secrets = new java.util.ArrayList<>();
        secrets.add(Files.readString(sandbox.demoSecretFile()).strip());
        try (var files = Files.list(temp.resolve("passwords"))) {
            for (Path file : files.toList()) {
                secrets.add(Files.readString(file).strip());
            }
        }
        Path pages = Path.of("target/runtime-pages");
        Files.createDirectories(pages);
        Map<String, String> fetched = new java.util.LinkedHashMap<>();
        for (String path : List.of("/status", "/status.txt", "/metrics", "/", "/mailboxes/" + mailbox, "/audit")) {
            HttpResponse<String> page = null;
            for (int attempt = 0; attempt < 50 && (page == null || page.statusCode() == 404); attempt++) {
                page = runtime.get(path); // the console's servlets register a moment after the feature is installed
                if (page.statusCode() == 404) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, page.statusCode(), path + ": " + page.body());
            fetched.put(path, page.body());
            String name = "quarantine-e2e" + (path.equals("/") ? "-console" : path.replace(".txt", "").replaceAll("[^A-Za-z0-9.]+", "-"));
            Files.writeString(pages.resolve(name + (path.equals("/status.txt") ? "-text.txt" : path.equals("/metrics") ? ".txt"
                    : path.equals("/status") ? ".json" : ".html")), page.body());
        }
        for (Map.Entry<String, String> page : fetched.entrySet()) {
            for (String secret : secrets) {
                assertFalse(secret.length() > 8 && page.getValue().contains(secret), page.getKey() + " shows a secret of this run");
            }
            assertFalse(page.getValue().matches("(?s).*eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{20,}.*"),
                    page.getKey() + " shows a token");
        }
        assertTrue(fetched.get("/mailboxes/" + mailbox).contains(mailbox), "the mailbox page is the mailbox's");
    }

    private static String ics(LocalDate day, String rrule) {
        String date = day.toString().replace("-", "");
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//quarantine e2e//EN\r\nBEGIN:VEVENT\r\nUID:nc-rrule-1\r\n"
                + "DTSTAMP:20261201T000000Z\r\nDTSTART:" + date + "T090000Z\r\nDTEND:" + date + "T093000Z\r\n"
                + "SUMMARY:Twice a month\r\n" + rrule + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** A plain HTTP PUT into Radicale, as another client writes. */
    private void put(String user, URI href, String body) throws Exception {
        String password = Files.readString(temp.resolve("passwords").resolve(user)).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(href)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "text/calendar; charset=utf-8").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "PUT " + href + ": " + r.statusCode() + " " + r.body());
    }

    private String icsOf(String mailbox) {
        return String.join("\n", DavContent.of(dav).items(SyncRig.account(mailbox), ".ics").values()).replace("\r\n ", "");
    }

    private long warnings() throws Exception {
        return Files.readAllLines(runtime.base().resolve("log/nexchange.log")).stream()
                .filter(l -> l.contains(" WARN ") && l.contains(": quarantined ")).count();
    }
}
