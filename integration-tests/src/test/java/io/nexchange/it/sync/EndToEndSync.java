package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5 end to end through the real forked runtime: sandbox tenant (Graph) -> engine -> a real DAV server, one-way.
 * The tests run in order on one rig: the initial sync, an idle cycle, then incremental changes. The subclasses run
 * them against Radicale ({@link SyncEndToEndIT}) and Nextcloud ({@link SyncEndToEndNextcloudIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EndToEndSync {
    static final int MAILBOXES = 4;
    static final long SEED = 7;

    Path temp;
    SandboxServer sandbox;
    DavTestServer dav;
    RuntimeProcess runtime;
    GraphSource source;
    List<String> mailboxes;

    /** Starts the DAV server (stopped when the rig stops). */
    abstract DavTestServer startServer();

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("sync-e2e-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, SEED);
        dav = startServer();
        mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(dav, mailboxes, temp.resolve("passwords"));
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, dav, temp.resolve("passwords"));
        runtime = SyncRig.start(base);
        source = new GraphSource(sandbox);
    }

    /** What the server holds of the synced items (a subclass may check and leave out what the server made itself). */
    DavContent syncedContent() throws Exception {
        return DavContent.of(dav);
    }

    @AfterAll
    void stopRig() throws Exception {
        SyncRig.stop(runtime, dav, sandbox, temp);
    }

    @Test
    @Order(1)
    void initialSyncEqualsTheSourceFieldByField() throws Exception {
        long started = System.nanoTime();
        String out = SyncRig.syncAll(runtime, MAILBOXES);
        System.out.printf("initial sync of %d mailboxes: %d ms%n", MAILBOXES, (System.nanoTime() - started) / 1_000_000);
        assertTrue(out.contains("calendar SYNCED") && out.contains("contacts SYNCED"), "both pairs of every mailbox ran:\n" + out);

        Mismatches m = new Mismatches();
        SourceVsServer.Counts counts = SourceVsServer.compare(source, syncedContent(), mailboxes, m);
        System.out.printf("compared %d events and %d contacts, %d field checks%n", counts.events(), counts.contacts(), counts.checks());
        assertTrue(m.isEmpty(), m.report());
        assertTrue(counts.events() >= MAILBOXES * 20 && counts.contacts() >= MAILBOXES * 10,
                "the generator's mix reached the DAV server: " + counts);
    }

    @Test
    @Order(2)
    void idleCycleMakesOneDeltaCallPerCollectionAndNoDavWrite() throws Exception {
        // the cycle after the initial one reads back the echo of its own writes from the server (by design); their ETags
        // equal the status rows, so it lists them and fetches nothing (issue 10: no multiget)
        int echoMark = dav.mark();
        SyncRig.syncAll(runtime, MAILBOXES);
        long echoReports = dav.requestsSince(echoMark).stream().filter(r -> r.method().equals("REPORT")).count();
        System.out.println("echo cycle, " + dav.product() + " requests: " + dav.requestsSince(echoMark).size() + ", REPORTs: " + echoReports);
        assertEquals(2L * MAILBOXES, echoReports, "the echo cycle: one sync-collection per collection, no multiget");
        sandbox.resetCounters();
        int mark = dav.mark();

        String out = SyncRig.syncAll(runtime, MAILBOXES);

        RequestCounts graph = sandbox.counters();
        List<DavTestServer.Request> requests = dav.requestsSince(mark);
        Map<String, Long> davByMethod = requests.stream().collect(Collectors.groupingBy(DavTestServer.Request::method,
                TreeMap::new, Collectors.counting()));
        System.out.println("idle cycle, Graph requests by endpoint: " + graph.byEndpoint());
        System.out.println("idle cycle, " + dav.product() + " requests by method: " + davByMethod);
        assertTrue(out.lines().filter(l -> l.matches("^\\S+@\\S+: OK .*")).allMatch(l -> l.contains(" 0 written")), out);
        assertEquals(MAILBOXES, graph.endpoint("GET /users/{id}/calendarView/delta"), "one calendar delta call per mailbox: " + graph.byEndpoint());
        assertEquals(MAILBOXES, graph.endpoint("GET /users/{id}/contactFolders/{id}/contacts/delta"),
                "one contacts delta call per mailbox: " + graph.byEndpoint());
        Map<String, Long> otherMailboxCalls = new TreeMap<>(graph.byEndpoint());
        otherMailboxCalls.keySet().removeIf(k -> !k.contains("/users/{id}/") && !k.contains("$batch"));
        otherMailboxCalls.remove("GET /users/{id}/calendarView/delta");
        otherMailboxCalls.remove("GET /users/{id}/contactFolders/{id}/contacts/delta");
        // the default folders' ids are read once per mailbox and kept by the stores
        assertEquals(Map.of(), otherMailboxCalls, "no other mailbox request in an idle cycle (no folder lookup, master, photo "
                + "or $batch read)");
        for (String write : List.of("PUT", "DELETE", "MKCOL", "MKCALENDAR", "PROPPATCH", "MOVE", "COPY", "POST")) {
            assertEquals(0, davByMethod.getOrDefault(write, 0L), "no DAV " + write + " in an idle cycle: " + requests);
        }
        assertEquals(2L * MAILBOXES, davByMethod.getOrDefault("REPORT", 0L), "one sync-collection REPORT per collection: " + requests);
        assertEquals(Map.of("REPORT", 2L * MAILBOXES), davByMethod, "and nothing else: " + requests);
    }

    @Test
    @Order(3)
    void incrementalChangesArriveAndEverythingStillEqualsTheSource() throws Exception {
        String mailbox = mailboxes.get(0);
        String contactsMailbox = mailboxes.get(1);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<JsonNode> singles = new ArrayList<>();
        List<JsonNode> series = new ArrayList<>();
        for (String id : source.itemIdsInWindow(mailbox, today.minusDays(20), today.plusDays(300))) {
            JsonNode e = source.event(mailbox, id);
            if ("seriesMaster".equals(e.path("type").asText())) {
                if (futureOccurrences(mailbox, e, today).size() >= 4 && e.path("exceptionOccurrences").size() == 0) {
                    series.add(e);
                }
            } else if (!e.path("isAllDay").asBoolean()) {
                singles.add(e);
            }
        }
        assertTrue(singles.size() >= 2 && series.size() >= 2, "the generated calendar has singles and open series to edit: "
                + singles.size() + " singles, " + series.size() + " series");
        String events = "/mailboxes/" + mailbox + "/events";

        // a new event, an edited one, a deleted one
        JsonNode created = source.admin("POST", events, """
                {"subject":"E2E new event","start":{"dateTime":"%sT09:00:00","timeZone":"W. Europe Standard Time"},
                 "end":{"dateTime":"%sT10:30:00","timeZone":"W. Europe Standard Time"},
                 "location":{"displayName":"Raum E2E"},"body":{"contentType":"text","content":"created by the e2e test"},
                 "categories":["Green category"],"isReminderOn":true,"reminderMinutesBeforeStart":10}
                """.formatted(today.plusDays(3), today.plusDays(3)));
        JsonNode edited = singles.get(0);
        source.admin("PATCH", events + "/" + edited.path("id").asText(),
                "{\"subject\":\"E2E edited subject\",\"location\":{\"displayName\":\"Moved room\"},\"sensitivity\":\"private\"}");
        JsonNode deleted = singles.get(1);
        source.admin("DELETE", events + "/" + deleted.path("id").asText(), null);
        // a new exception, a cancelled occurrence, a series end moved
        JsonNode withException = series.get(0);
        List<JsonNode> occurrences = futureOccurrences(mailbox, withException, today);
        Instant exceptionStart = Instant.parse(occurrences.get(1).path("originalStart").asText());
        Instant cancelledStart = Instant.parse(occurrences.get(2).path("originalStart").asText());
        source.admin("POST", events + "/" + withException.path("id").asText() + "/exceptions",
                "{\"originalStart\":\"" + exceptionStart + "\",\"patch\":{\"subject\":\"E2E moved occurrence\",\"location\":{\"displayName\":\"Elsewhere\"}}}");
        source.admin("POST", events + "/" + withException.path("id").asText() + "/cancel", "{\"originalStart\":\"" + cancelledStart + "\"}");
        JsonNode ended = series.get(1);
        List<JsonNode> endedOccurrences = futureOccurrences(mailbox, ended, today);
        LocalDate lastDate = Instant.parse(endedOccurrences.get(1).path("originalStart").asText()).atZone(ZoneOffset.UTC).toLocalDate();
        source.admin("POST", events + "/" + ended.path("id").asText() + "/end", "{\"lastDate\":\"" + lastDate + "\"}");
        // contacts: an edit, a delete, a new one
        List<JsonNode> contacts = source.contacts(contactsMailbox);
        String contactsPath = "/mailboxes/" + contactsMailbox + "/contacts";
        JsonNode editedContact = contacts.get(0);
        source.admin("PATCH", contactsPath + "/" + editedContact.path("id").asText(),
                "{\"jobTitle\":\"E2E Chief Tester\",\"businessPhones\":[\"+49 30 1234567\",\"+49 30 7654321\"],\"personalNotes\":\"edited\"}");
        JsonNode deletedContact = contacts.get(1);
        source.admin("DELETE", contactsPath + "/" + deletedContact.path("id").asText(), null);
        JsonNode createdContact = source.admin("POST", contactsPath,
                "{\"givenName\":\"Erna\",\"surname\":\"Endtoend\",\"displayName\":\"Erna Endtoend\",\"emailAddresses\":[{\"name\":\"Erna\",\"address\":\"erna@example.org\"}]}");

        String out = SyncRig.syncAll(runtime, MAILBOXES);
        System.out.println("incremental sync:\n" + out.lines().filter(l -> !l.matches("^\\d\\d:.*")).collect(Collectors.joining("\n")));

        DavContent content = syncedContent();
        String user = SyncRig.account(mailbox);
        String ics = String.join("\n", content.items(user, ".ics").values());
        String createdUid = source.event(mailbox, created.path("id").asText()).path("iCalUId").asText();
        assertTrue(ics.contains("E2E new event") && ics.replace("\r\n ", "").contains(createdUid), "the new event reached the DAV server");
        assertTrue(ics.contains("E2E edited subject"), "the edited event reached the DAV server");
        assertTrue(!ics.replace("\r\n ", "").contains(deleted.path("iCalUId").asText()), "the deleted event left the DAV server");
        assertTrue(ics.contains("E2E moved occurrence"), "the new exception reached the DAV server");
        String vcf = String.join("\n", content.items(SyncRig.account(contactsMailbox), ".vcf").values());
        assertTrue(vcf.contains("E2E Chief Tester") && vcf.contains("Endtoend"), "the contact edit and the new contact reached the DAV server");
        assertTrue(!vcf.replace("\r\n ", "").contains(deletedContact.path("id").asText()), "the deleted contact left the DAV server");

        // and every item, edited or not, still equals the source field by field (EXDATE, override, UNTIL included)
        Mismatches m = new Mismatches();
        SourceVsServer.compare(source, content, mailboxes, m);
        assertTrue(m.isEmpty(), m.report());
        assertTrue(createdContact.hasNonNull("id"));
    }

    private List<JsonNode> futureOccurrences(String mailbox, JsonNode master, LocalDate today) throws Exception {
        Instant from = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = today.plusDays(300).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode o : source.list("/users/" + GraphSource.enc(mailbox) + "/events/" + GraphSource.enc(master.path("id").asText())
                + "/instances?startDateTime=" + from + "&endDateTime=" + to)) {
            if ("occurrence".equals(o.path("type").asText())) {
                found.add(o);
            }
        }
        return found;
    }

    static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
