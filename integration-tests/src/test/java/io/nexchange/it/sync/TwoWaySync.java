package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudServer;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, identity: two-way through the real runtime, the sandbox's Graph over HTTPS and a DAV server (Radicale:
 * {@link TwoWayIdentityIT}; the real Nextcloud: {@link TwoWayIdentityNextcloudIT}). Items created on
 * either side are one item for ever (the Nextcloud UID kept although Graph names the event and the contact by its own
 * iCalUId and id; a full listing deletes nothing and duplicates nothing); a POST whose answer never came (the write
 * made, the runtime told it failed) leaves no duplicate; then random interleaved edits on both sides end with both
 * sides equal on the fields that go both ways, and an idle cycle writes nothing. The sandbox's meeting-message count
 * (what Exchange would have sent for the runtime's Graph writes) stays 0 after every cycle, with a meeting the mailbox
 * organises among the edited events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TwoWaySync {
    static final int MAILBOXES = 1;
    static final Pattern WRITTEN = Pattern.compile(", (\\d+) written");

    Path temp;
    SandboxServer sandbox;
    DavTestServer dav;
    RuntimeProcess runtime;
    GraphSource graph;
    String mailbox;
    String user;
    String calendarCollection;
    String addressBook;
    LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3);

    abstract DavTestServer startServer();

    /** How many random edits the last test makes (the real Nextcloud is slow: fewer). */
    abstract int edits();

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("two-way-e2e-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, 13);
        dav = startServer();
        List<String> mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(dav, mailboxes, temp.resolve("passwords"));
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, dav, temp.resolve("passwords"), "graph",
                Map.of("io.nexchange.engine.cfg", String.join("\n", "threads = 1", "scheduled = false",
                        "direction = exchange-to-nextcloud", "direction.calendar = two-way", "direction.contacts = two-way",
                        "backend.default = graph", "nextcloudBackend = caldav", "")));
        runtime = SyncRig.start(base);
        graph = new GraphSource(sandbox);
        mailbox = mailboxes.get(0);
        user = SyncRig.account(mailbox);
        SyncRig.syncAll(runtime, MAILBOXES);
        calendarCollection = collectionOf(".ics");
        addressBook = collectionOf(".vcf");
    }

    @AfterAll
    void stopRig() throws Exception {
        SyncRig.stop(runtime, dav, sandbox, temp);
    }

    @Test
    @Order(1)
    void creationsOnBothSidesAreOneItemForEver() throws Exception {
        putDav(calendarCollection + "nc-event-1.ics", ics("nc-event-1", "Made in Nextcloud", "Room N", 9));
        putDav(addressBook + "nc-contact-1.vcf", vcf("nc-contact-1", "Nadia Nextcloud"));
        graph.admin("POST", "/mailboxes/" + mailbox + "/events", event("Made in Exchange", "Room E", 11));
        graph.admin("POST", "/mailboxes/" + mailbox + "/contacts", "{\"givenName\":\"Erik\",\"surname\":\"Exchange\","
                + "\"displayName\":\"Erik Exchange\"}");
        long started = System.nanoTime();
        sync();
        assertEquals(1, eventsWithSubject("Made in Nextcloud").size(), "created in Exchange once");
        assertEquals(1, contactsNamed("Nadia Nextcloud").size());
        assertEquals(1, davWith(".ics", "SUMMARY:Made in Exchange"), "created in Nextcloud once");
        assertEquals(1, davWith(".vcf", "FN:Erik Exchange"));

        assertEquals(0, written(sync()), "the echo of the creations writes nothing");
        sandbox.expireDeltaTokens(mailbox); // a full listing, as a calendar window renewal makes
        assertEquals(0, written(sync()), "a full listing deletes nothing and creates nothing");
        assertEquals(1, davWith(".ics", "UID:nc-event-1"));
        assertEquals(1, davWith(".vcf", "UID:nc-contact-1"));

        String id = eventsWithSubject("Made in Nextcloud").get(0);
        graph.admin("PATCH", "/mailboxes/" + mailbox + "/events/" + id, "{\"subject\":\"Edited in Exchange\"}");
        assertEquals(1, written(sync()));
        String text = dav(calendarCollection + "nc-event-1.ics");
        assertTrue(text.contains("SUMMARY:Edited in Exchange") && text.contains("UID:nc-event-1"),
                "updated in place, the Nextcloud UID kept: " + text);

        putDav(calendarCollection + "nc-event-1.ics", ics("nc-event-1", "Edited in Nextcloud", "Room N", 9));
        assertEquals(1, written(sync()));
        assertEquals("Edited in Nextcloud", graph.event(mailbox, id).path("subject").asText(), "the same Graph event");
        assertEquals(0, written(sync()));
        System.out.printf("two-way identity: creations on both sides, echo, full listing and edits both ways in %.1f s%n",
                (System.nanoTime() - started) / 1e9);

        // a new Nextcloud account's example event and card (the real Nextcloud makes them) stay out of Exchange
        if (dav instanceof NextcloudServer) {
            assertEquals(2, DavContent.of(dav).exampleItems().getOrDefault(user, Map.of()).size(), "the account's example items");
        }
        for (JsonNode event : graph.list("/users/" + GraphSource.enc(mailbox) + "/events?$top=500&$select=id,subject")) {
            assertTrue(!event.path("subject").asText().startsWith("Example event"), "Nextcloud's example event in Exchange");
        }
        assertEquals(List.of(), contactsNamed("Leon Green"), "Nextcloud's example card in Exchange");
    }

    @Test
    @Order(2)
    void aGraphPostWhoseAnswerNeverCameLeavesNoDuplicate() throws Exception {
        putDav(calendarCollection + "nc-event-2.ics", ics("nc-event-2", "Answer lost", "Room L", 13));
        // the POST is carried out, its answer cut off: the runtime cannot know the event exists
        sandbox.addFault(FaultRule.of(FaultRule.Kind.TRUNCATED_BODY).forMailbox(mailbox).forPathContaining("/calendar/events")
                .forNext(1));
        String failed = runtime.console("nexchange:sync --all");
        sandbox.clearFaults();
        System.out.println("two-way identity: the cycle whose POST answer was cut off: " + failed.lines()
                .filter(l -> l.startsWith(mailbox)).findFirst().orElse(failed));
        assertEquals(1, eventsWithSubject("Answer lost").size(), "the POST reached Exchange");

        String rerun = sync();
        assertEquals(1, eventsWithSubject("Answer lost").size(), "the repeated POST (same transactionId) got the first event");
        assertEquals(1, davWith(".ics", "SUMMARY:Answer lost"), "and the event was not copied back as a second item: "
                + rerun);
        assertEquals(0, written(sync()));
    }

    /**
     * Random edits (subject and location of five events made in Nextcloud and five made in Exchange) on both sides,
     * a sync after every tenth; after the last one both sides hold the same subject, location and start for every event,
     * and an idle cycle writes nothing. An eleventh event is a meeting the mailbox organises with two attendees: Exchange
     * edits its subject and location, Nextcloud its categories (the organizer's own, the only change of it that reaches
     * Exchange without telling the attendees), so the runtime PATCHes a meeting and the sandbox would count any message.
     */
    @Test
    @Order(3)
    void randomInterleavedEditsOnBothSidesEndEqualAndTheNextCycleWritesNothing() throws Exception {
        for (int i = 0; i < 5; i++) {
            String uid = "nc-random-" + i;
            putDav(calendarCollection + uid + ".ics", ics(uid, "random nc " + i, "N" + i, 8 + i));
            graph.admin("POST", "/mailboxes/" + mailbox + "/events", event("random ex " + i, "E" + i, 8 + i));
        }
        String meeting = graph.admin("POST", "/mailboxes/" + mailbox + "/events", event("random meeting", "M", 14,
                ",\"attendees\":[" + attendee("ann@partner.example") + "," + attendee("ben@partner.example") + "]")).path("id").asText();
        sync();
        List<String> graphIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            graphIds.addAll(eventsWithSubject("random nc " + i));
            graphIds.addAll(eventsWithSubject("random ex " + i));
        }
        graphIds.add(meeting);
        assertEquals(11, graphIds.size());
        Map<String, String> hrefs = new LinkedHashMap<>();
        for (String id : graphIds) {
            hrefs.put(id, hrefOf(id));
        }
        long started = System.nanoTime();
        Random random = new Random(13);
        int syncs = 0;
        int edits = edits();
        for (int edit = 1; edit <= edits; edit++) {
            String graphId = graphIds.get(random.nextInt(graphIds.size()));
            String field = random.nextBoolean() ? "subject" : "location";
            String value = field + " " + edit;
            if (random.nextBoolean()) {
                String json = field.equals("subject") ? "{\"subject\":\"" + value + "\"}"
                        : "{\"location\":{\"displayName\":\"" + value + "\"}}";
                graph.admin("PATCH", "/mailboxes/" + mailbox + "/events/" + graphId, json);
            } else {
                String href = hrefs.get(graphId);
                String text = dav(href);
                String property = graphId.equals(meeting) ? "CATEGORIES" : field.equals("subject") ? "SUMMARY" : "LOCATION";
                putDav(href, replaceProperty(text, property, graphId.equals(meeting) ? "category " + edit : value));
            }
            if (edit % 10 == 0) {
                sync();
                syncs++;
            }
        }
        sync();
        for (String id : graphIds) {
            JsonNode e = graph.event(mailbox, id);
            String text = dav(hrefs.get(id)).replace("\r\n ", "");
            assertEquals(e.path("subject").asText(), property(text, "SUMMARY"), "subject of " + id);
            assertEquals(e.path("location").path("displayName").asText(), property(text, "LOCATION"), "location of " + id);
            assertTrue(text.contains(e.path("start").path("dateTime").asText().substring(0, 16).replace("-", "").replace(":", "")),
                    "start of " + id + ": " + e.path("start") + " in " + text);
        }
        JsonNode organised = graph.event(mailbox, meeting);
        assertEquals(2, organised.path("attendees").size(), "the meeting keeps its attendees: " + organised);
        List<String> categories = new ArrayList<>();
        organised.path("categories").forEach(c -> categories.add(c.asText()));
        assertEquals(String.join(",", categories), property(dav(hrefs.get(meeting)).replace("\r\n ", ""), "CATEGORIES"),
                "the meeting's categories");
        int mark = dav.mark();
        RequestCounts before = sandbox.counters();
        String idle = sync();
        Map<String, Long> idleRequests = requestsSince(before);
        long graphWrites = idleRequests.entrySet().stream().filter(r -> !r.getKey().startsWith("GET ") && !r.getKey().contains("/token"))
                .mapToLong(Map.Entry::getValue).sum();
        System.out.printf("two-way random edits: %d edits, %d syncs in %.1f s; meeting messages: %d; idle cycle after: %d items "
                + "written, %d DAV writes, %d Graph writes, %d Graph requests %s%n", edits(), syncs + 1,
                (System.nanoTime() - started) / 1e9, sandbox.meetingMessageCount(), written(idle),
                dav.countSince(mark, "PUT") + dav.countSince(mark, "DELETE"), graphWrites,
                idleRequests.values().stream().mapToLong(Long::longValue).sum(), idleRequests);
        assertEquals(0, written(idle), idle);
        assertEquals(0, dav.countSince(mark, "PUT") + dav.countSince(mark, "DELETE"));
        assertEquals(0, graphWrites, "the idle cycle's Graph requests: " + idleRequests);
    }

    // ---- helpers ----

    /**
     * One cycle; no meeting message may follow it (the sandbox counts what Exchange would send for each Graph write,
     * the real Nextcloud the invitations its scheduling mails).
     */
    private String sync() throws Exception {
        String out = SyncRig.syncAll(runtime, MAILBOXES);
        assertEquals(List.of(), sandbox.meetingMessages(), "meeting messages caused by sync");
        if (dav instanceof NextcloudServer nextcloud) {
            // the meeting written into Nextcloud must not make Nextcloud's own scheduling mail its attendees either
            assertEquals(0, nextcloud.invitationsSent(), "iMIP invitations Nextcloud sent");
        }
        return out;
    }

    /** The Graph requests (by endpoint) since the snapshot {@code before}. */
    private Map<String, Long> requestsSince(RequestCounts before) {
        Map<String, Long> since = new TreeMap<>();
        sandbox.counters().byEndpoint().forEach((endpoint, count) -> {
            long n = count - before.endpoint(endpoint);
            if (n > 0) {
                since.put(endpoint, n);
            }
        });
        return since;
    }

    static int written(String syncOutput) {
        Matcher m = WRITTEN.matcher(syncOutput);
        int total = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    /** Where the DAV copy of a Graph event is: the resource whose UID is the item's key (status by Graph id). */
    private String hrefOf(String graphId) throws Exception {
        JsonNode e = graph.event(mailbox, graphId);
        String subject = e.path("subject").asText();
        for (Map.Entry<String, String> item : DavContent.of(dav).items(user, ".ics").entrySet()) {
            String text = item.getValue().replace("\r\n ", "");
            if (subject.equals(property(text, "SUMMARY"))) {
                return item.getKey();
            }
        }
        throw new AssertionError("no DAV copy of " + subject);
    }

    private String collectionOf(String extension) {
        String any = DavContent.of(dav).items(user, extension).keySet().iterator().next();
        return any.substring(0, any.lastIndexOf('/') + 1);
    }

    private List<String> eventsWithSubject(String subject) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String id : graph.itemIdsInWindow(mailbox, day.minusDays(2), day.plusDays(3))) {
            if (subject.equals(graph.event(mailbox, id).path("subject").asText())) {
                ids.add(id);
            }
        }
        return ids;
    }

    private List<JsonNode> contactsNamed(String name) throws Exception {
        return graph.contacts(mailbox).stream().filter(c -> name.equals(c.path("displayName").asText())).toList();
    }

    private long davWith(String extension, String line) {
        return DavContent.of(dav).items(user, extension).values().stream()
                .filter(t -> t.replace("\r\n ", "").lines().anyMatch(l -> l.equals(line))).count();
    }

    private String dav(String collectionAndName) {
        return new TreeMap<>(DavContent.of(dav).items(user, collectionAndName.endsWith(".vcf") ? ".vcf" : ".ics"))
                .get(collectionAndName);
    }

    private static String property(String unfolded, String name) {
        return unfolded.lines().filter(l -> l.startsWith(name + ":") || l.startsWith(name + ";")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).replace("\\,", ",")).orElse("");
    }

    private static String replaceProperty(String text, String name, String value) {
        String unfolded = text.replace("\r\n ", "");
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String line : unfolded.split("\r\n")) {
            if (!done && (line.startsWith(name + ":") || line.startsWith(name + ";"))) {
                line = name + ":" + value;
                done = true;
            } else if (!done && line.equals("END:VEVENT")) {
                out.append(name).append(':').append(value).append("\r\n");
                done = true;
            }
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    private String ics(String uid, String summary, String location, int hour) {
        String date = day.toString().replace("-", "");
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//two-way e2e//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20261201T000000Z\r\nDTSTART:" + date + "T" + String.format("%02d", hour) + "0000Z\r\nDTEND:" + date
                + "T" + String.format("%02d", hour) + "3000Z\r\nSUMMARY:" + summary + "\r\nLOCATION:" + location
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private String event(String subject, String location, int hour) {
        return event(subject, location, hour, "");
    }

    private String event(String subject, String location, int hour, String more) {
        String start = day + "T" + String.format("%02d", hour) + ":00:00";
        String end = day + "T" + String.format("%02d", hour) + ":30:00";
        return "{\"subject\":\"" + subject + "\",\"location\":{\"displayName\":\"" + location + "\"},\"start\":{\"dateTime\":\""
                + start + "\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"" + end + "\",\"timeZone\":\"UTC\"}" + more + "}";
    }

    private static String attendee(String address) {
        return "{\"type\":\"required\",\"emailAddress\":{\"address\":\"" + address + "\"}}";
    }

    private static String vcf(String uid, String name) {
        String[] n = name.split(" ");
        return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + uid + "\r\nFN:" + name + "\r\nN:" + n[1] + ";" + n[0] + ";;;\r\n"
                + "END:VCARD\r\n";
    }

    private void putDav(String collectionAndName, String body) throws Exception {
        boolean card = collectionAndName.endsWith(".vcf");
        URI href = URI.create("http://127.0.0.1:" + dav.port() + (card ? dav.addressBookHome(user) : dav.calendarHome(user))
                + collectionAndName);
        String password = Files.readString(temp.resolve("passwords").resolve(user)).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(href)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", (card ? "text/vcard" : "text/calendar") + "; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "PUT " + href + ": " + r.statusCode() + " " + r.body());
    }
}
