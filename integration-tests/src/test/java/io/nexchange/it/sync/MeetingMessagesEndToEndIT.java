package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13, zero meeting messages caused by sync: the real runtime syncs two-way between the sandbox (Graph over HTTPS,
 * which records every invitation, update, cancellation and response Exchange would send) and Radicale, over meetings the
 * mailbox organises with attendees, meetings organised elsewhere, its own series with exceptions, with edits on both
 * sides; the sandbox's meeting-message count stays 0 after every cycle, and what could not be written without a message
 * is quarantined with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeetingMessagesEndToEndIT {
    static final int MAILBOXES = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    Path temp;
    SandboxServer sandbox;
    RadicaleServer dav;
    RuntimeProcess runtime;
    GraphSource source;
    String mailbox;
    String user;

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("meetings-e2e-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, 23);
        dav = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
        List<String> mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(dav, mailboxes, temp.resolve("passwords"));
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, dav, temp.resolve("passwords"), "graph",
                Map.of("io.nexchange.engine.cfg", String.join("\n", "threads = 2", "scheduled = false", "direction = two-way",
                        "backend.default = graph", "nextcloudBackend = caldav", "")));
        runtime = SyncRig.start(base);
        source = new GraphSource(sandbox);
        mailbox = mailboxes.get(0);
        user = SyncRig.account(mailbox);
    }

    @AfterAll
    void stopRig() throws Exception {
        SyncRig.stop(runtime, dav, sandbox, temp);
    }

    @Test
    void twoWaySyncOverMeetingsWithEditsOnBothSidesSendsNoMeetingMessage() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        String d = day.toString().replace("-", "");
        String d2 = day.plusDays(1).toString().replace("-", "");
        String d3 = day.plusDays(2).toString().replace("-", "");
        // the mailbox's own meeting with attendees, an invitation from elsewhere, its own series with an exception
        String meeting = admin(event("E2E steering", day + "T08:00:00", ",\"attendees\":[" + attendee("ann@partner.example") + ","
                + attendee("ben@partner.example") + "]"));
        String meeting2 = admin(event("E2E board", day + "T10:00:00", ",\"attendees\":[" + attendee("ann@partner.example") + "]"));
        String copy = admin(event("E2E their review", day + "T12:00:00", ",\"isOrganizer\":false,\"organizer\":{\"emailAddress\":"
                + "{\"address\":\"cy@partner.example\"}},\"attendees\":[" + attendee(mailbox) + "," + attendee("ann@partner.example") + "]"));
        String copy2 = admin(event("E2E their offsite", day + "T14:00:00", ",\"isOrganizer\":false,\"organizer\":{\"emailAddress\":"
                + "{\"address\":\"cy@partner.example\"}},\"attendees\":[" + attendee(mailbox) + "]"));
        String series = admin(event("E2E daily", day + "T07:00:00", ",\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},"
                + "\"range\":{\"type\":\"numbered\",\"startDate\":\"" + day + "\",\"numberOfOccurrences\":5}}"));
        source.admin("POST", "/mailboxes/" + mailbox + "/events/" + series + "/exceptions", "{\"originalStart\":\"" + day.plusDays(3)
                + "T07:00:00Z\",\"patch\":{\"subject\":\"E2E daily (later)\",\"start\":{\"dateTime\":\"" + day.plusDays(3)
                + "T09:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"" + day.plusDays(3) + "T09:30:00\",\"timeZone\":\"UTC\"}}}");

        cycle("initial");
        assertNotNull(href(uid(meeting)), "the meeting reached Radicale");

        // Exchange side: a user in Outlook edits (the admin API, which sends nothing itself)
        source.admin("PATCH", "/mailboxes/" + mailbox + "/events/" + meeting2, "{\"subject\":\"E2E board (agenda)\"}");
        source.admin("POST", "/mailboxes/" + mailbox + "/events/" + series + "/cancel", "{\"originalStart\":\"" + day.plusDays(4) + "T07:00:00Z\"}");
        cycle("Exchange edits");

        // Nextcloud side: the organiser's own category on its meeting (written), a new time for it (refused: an update)
        put(href(uid(meeting)), text(uid(meeting)).replaceFirst("END:VEVENT", "CATEGORIES:E2E-Blue\r\nEND:VEVENT"));
        cycle("category of an organised meeting");
        assertTrue(sandbox.event(mailbox, meeting).contains("E2E-Blue"), "the organizer's own category reached Exchange");
        put(href(uid(meeting)), text(uid(meeting)).replace("SUMMARY:E2E steering", "SUMMARY:E2E steering (moved)"));
        put(href(uid(copy)), text(uid(copy)).replace("SUMMARY:E2E their review", "SUMMARY:E2E my review"));
        // its own series: an occurrence moved, one cancelled; a meeting made in Nextcloud; an invitation's copy made there
        String seriesText = text(uid(series));
        put(href(uid(series)), seriesText.replaceFirst("RRULE:", "EXDATE:" + d2 + "T070000Z\r\nRRULE:").replace("END:VCALENDAR",
                "BEGIN:VEVENT\r\nUID:" + uid(series) + "\r\nDTSTAMP:20261201T000000Z\r\nRECURRENCE-ID:" + d3 + "T070000Z\r\nDTSTART:" + d3
                        + "T073000Z\r\nDTEND:" + d3 + "T080000Z\r\nSUMMARY:E2E daily (moved in Nextcloud)\r\nEND:VEVENT\r\nEND:VCALENDAR"));
        String collection = href(uid(meeting)).substring(0, href(uid(meeting)).lastIndexOf('/') + 1);
        put(collection + "nc-meeting-e2e.ics", ics("nc-meeting-e2e", d, "E2E planned in Nextcloud", "ORGANIZER:mailto:" + mailbox,
                "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:ann@partner.example"));
        put(collection + "nc-invite-e2e.ics", ics("nc-invite-e2e", d2, "E2E invited elsewhere", "ORGANIZER:mailto:cy@partner.example",
                "ATTENDEE;PARTSTAT=ACCEPTED:mailto:" + mailbox));
        String out = cycle("Nextcloud edits");
        assertTrue(out.contains("quarantined"), out);
        String quarantine = runtime.console("nexchange:quarantine list " + mailbox);
        assertTrue(quarantine.contains("E2E steering") && quarantine.contains("in Outlook"), quarantine);
        assertTrue(quarantine.contains("E2E their review") && quarantine.contains("organised by cy@partner.example"), quarantine);
        assertTrue(quarantine.contains("E2E invited elsewhere") && quarantine.contains("stays in Nextcloud only"), quarantine);
        assertTrue(sandbox.event(mailbox, meeting).contains("\"E2E steering\""), "Exchange keeps the meeting as it is");
        JsonNode daily = source.event(mailbox, series);
        assertEquals(2, daily.path("exceptionOccurrences").size(), String.valueOf(daily));
        assertTrue(daily.toString().contains("E2E daily (moved in Nextcloud)"), String.valueOf(daily));
        JsonNode created = findBySubject("E2E planned in Nextcloud");
        assertNotNull(created, "the mailbox's own meeting made in Nextcloud is in Exchange");
        assertEquals(0, created.path("attendees").size(), "without its attendees, whom Exchange would invite");
        assertNull(findBySubject("E2E invited elsewhere"), "another organizer's meeting is not created in Exchange");

        // deletions in Nextcloud: the organised meeting stays in Exchange (a cancellation), the attendee copy goes
        delete(href(uid(meeting2)));
        delete(href(uid(copy2)));
        cycle("Nextcloud deletions");
        assertNotNull(sandbox.event(mailbox, meeting2), "a meeting the mailbox organises is not deleted through Graph");
        assertNull(sandbox.event(mailbox, copy2), "an attendee copy is deleted without a word to its organizer");

        // Exchange edits again, and an idle cycle
        source.admin("PATCH", "/mailboxes/" + mailbox + "/events/" + meeting, "{\"location\":{\"displayName\":\"E2E room 2\"}}");
        cycle("Exchange edit of a quarantined meeting");
        cycle("idle");
        System.out.println("MeetingMessagesEndToEndIT: meeting messages caused by sync: " + sandbox.meetingMessageCount() + " (sandbox "
                + "count over " + cycles + " two-way cycles with edits on both sides)");
    }

    int cycles;

    private String cycle(String what) throws Exception {
        String out = SyncRig.syncAll(runtime, MAILBOXES);
        cycles++;
        assertEquals(List.of(), sandbox.meetingMessages(), "no meeting message after the cycle: " + what);
        return out;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private String admin(String json) throws Exception {
        return source.admin("POST", "/mailboxes/" + mailbox + "/events", json).path("id").asText();
    }

    private static String event(String subject, String start, String more) {
        String end = start.substring(0, 11) + String.format("%02d", Integer.parseInt(start.substring(11, 13)) + 1) + start.substring(13);
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + start + "\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
                + end + "\",\"timeZone\":\"UTC\"}" + more + "}";
    }

    private static String attendee(String address) {
        return "{\"type\":\"required\",\"emailAddress\":{\"address\":\"" + address + "\"}}";
    }

    private static String ics(String uid, String date, String subject, String... lines) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//meetings e2e//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261201T000000Z\r\n"
                + "DTSTART:" + date + "T150000Z\r\nDTEND:" + date + "T160000Z\r\nSUMMARY:" + subject + "\r\n" + String.join("\r\n", lines)
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private String uid(String id) throws Exception {
        return JSON.readTree(sandbox.event(mailbox, id)).path("iCalUId").asText();
    }

    private JsonNode findBySubject(String subject) throws Exception {
        for (JsonNode e : source.list("/users/" + GraphSource.enc(mailbox) + "/events?$top=500&$select=id,subject,attendees")) {
            if (subject.equals(e.path("subject").asText())) {
                return e;
            }
        }
        return null;
    }

    /** The object's text in Radicale, unfolded. */
    private String text(String uid) {
        for (String text : DavContent.of(dav).items(user, ".ics").values()) {
            if (text.replace("\r\n ", "").contains("UID:" + uid)) {
                return text.replace("\r\n ", "");
            }
        }
        throw new AssertionError("no object with UID " + uid + " in Radicale");
    }

    /** The object's URL in Radicale. */
    private String href(String uid) {
        for (Map.Entry<String, String> e : DavContent.of(dav).items(user, ".ics").entrySet()) {
            if (e.getValue().replace("\r\n ", "").contains("UID:" + uid)) {
                return "http://127.0.0.1:" + dav.port() + dav.calendarHome(user) + e.getKey();
            }
        }
        return null;
    }

    private void put(String href, String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(href)).header("Content-Type", "text/calendar; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertTrue(r.statusCode() / 100 == 2, "PUT " + href + ": " + r.statusCode() + " " + r.body());
    }

    private void delete(String href) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(href)).DELETE());
        assertTrue(r.statusCode() / 100 == 2, "DELETE " + href + ": " + r.statusCode() + " " + r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        String password = Files.readString(temp.resolve("passwords").resolve(user)).strip();
        return HttpClient.newHttpClient().send(request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
