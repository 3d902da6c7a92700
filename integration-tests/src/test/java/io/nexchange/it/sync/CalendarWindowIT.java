package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexchange.sandbox.RequestCounts;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, the calendar window: it bounds what is read and synced, never what exists. The real runtime syncs a sandbox
 * mailbox through Graph into Radicale, calendars two-way. Time passing is what a window renewal sees of it: a narrower
 * window (a changed {@code windowDaysBack} ends the delta chain, and the full listing of the new window runs the same
 * code as the weekly renewal). An Exchange event that leaves the window stays in Radicale; Radicale events 90 days back
 * and 500 days ahead are created in Exchange once and survive the full listings; a real deletion in Exchange still
 * deletes; an event edited back into the window syncs as the same item; the next renewal asks Graph about nothing
 * again; in one-way an event leaving the window stays too.
 */
class CalendarWindowIT {
    private static final Pattern ASKED = Pattern.compile("(\\d+) items synced before were not in Exchange's full listing of its "
            + "window, asked by id: (\\d+) are outside the window \\(kept on both sides, not synced until they are in it "
            + "again\\), (\\d+) were deleted");

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newHttpClient();
    private SandboxServer sandbox;
    private RadicaleServer dav;
    private RuntimeProcess runtime;
    private GraphSource graph;
    private String mailbox;
    private String user;
    private Path temp;
    /** The runtime's log lines since the last window change (the engine's account of what it asked Graph about). */
    private String loggedSinceWindowChange = "";
    /** Graph requests of the cycle that read the new window. */
    private long graphRequests;

    @Test
    void theWindowBoundsWhatIsSyncedNeverWhatExists() throws Exception {
        temp = Files.createTempDirectory("calendar-window-");
        try {
            sandbox = SyncRig.sandbox(temp.resolve("sandbox"), 1, 21);
            dav = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
            mailbox = SyncRig.mailboxes(sandbox).get(0);
            user = SyncRig.account(mailbox);
            SyncRig.addAccounts(dav, List.of(mailbox), temp.resolve("passwords"));
            Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, dav, temp.resolve("passwords"), "graph",
                    Map.of("io.nexchange.engine.cfg", engine("two-way"), "io.nexchange.graph.calendar.cfg", window(30)));
            runtime = SyncRig.start(base);
            graph = new GraphSource(sandbox);
            long started = System.nanoTime();
            sync();

            String leaving = createInExchange("Left the window by time", -20);
            createInExchange("Stays in the window", -5);
            String deleted = createInExchange("Deleted in Exchange", 3);
            String calendar = collection();
            putDav(calendar + "nc-past.ics", ics("nc-past", "Made in Nextcloud 90 days back", today.minusDays(90)));
            putDav(calendar + "nc-ahead.ics", ics("nc-ahead", "Made in Nextcloud 500 days ahead", today.plusDays(500)));
            sync();
            assertEquals(1, exchangeEvents("Made in Nextcloud 90 days back"), "created in Exchange although outside the window");
            assertEquals(1, exchangeEvents("Made in Nextcloud 500 days ahead"));
            assertEquals(1, davWith("SUMMARY:Left the window by time"));
            assertEquals(0, written(sync()), "the echo: Exchange's delta does not show the events outside the window");
            Map<String, String> before = events();

            // twenty days later, as the renewal sees it: the event 20 days back is outside a window of 10 days back
            graph.admin("DELETE", "/mailboxes/" + mailbox + "/events/" + deleted, null);
            String renewal = syncAfterWindowChange(10, "two-way");
            Matcher asked = asked(loggedSinceWindowChange);
            long renewalRequests = graphRequests;
            assertEquals(1, written(renewal), "one write, the deletion from Radicale: " + renewal);
            Map<String, String> after = events();
            before.remove(hrefOf(before, "SUMMARY:Deleted in Exchange"));
            assertEquals(before, after, "every other event kept in Radicale as it was");
            assertTrue(Integer.parseInt(asked.group(2)) >= 3, "at least the event 20 days back and the two Nextcloud events are "
                    + "outside the window: " + asked.group());
            assertEquals(1, exchangeEvents("Made in Nextcloud 90 days back"), "no duplicate in Exchange");
            assertEquals(1, exchangeEvents("Made in Nextcloud 500 days ahead"));

            // the next renewal (a dead delta token): nothing asked about again, nothing written
            sandbox.expireDeltaTokens(mailbox);
            Path log = runtime.base().resolve("log/nexchange.log");
            long logged = Files.size(log);
            RequestCounts counts = sandbox.counters();
            String again = sync();
            long plainRenewalRequests = sandbox.counters().total() - counts.total();
            assertEquals(0, written(again), again);
            String loggedByIt = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) logged);
            assertTrue(!ASKED.matcher(loggedByIt).find(), "the events known to be outside the window are not asked about "
                    + "again: " + loggedByIt);
            assertEquals(after, events());
            System.out.printf("calendar window: the full listing of a window 10 days back instead of 30 asked Graph about %s "
                    + "events (%s outside, %s deleted): %d Graph requests (the cycle), against %d for the next renewal, which "
                    + "asks about none; %d written%n", asked.group(1), asked.group(2), asked.group(3), renewalRequests,
                    plainRenewalRequests, written(renewal));

            // edited in Exchange back into the window: the same item in Radicale (its UID, its resource)
            String href = hrefOf(after, "SUMMARY:Left the window by time");
            graph.admin("PATCH", "/mailboxes/" + mailbox + "/events/" + leaving, "{\"subject\":\"Back in the window\","
                    + "\"start\":" + time(today.minusDays(2), 10) + ",\"end\":" + time(today.minusDays(2), 11) + "}");
            assertEquals(1, written(sync()));
            Map<String, String> back = events();
            assertEquals(after.keySet(), back.keySet(), "no new item");
            assertTrue(back.get(href).contains("SUMMARY:Back in the window"), back.get(href));
            assertEquals(0, written(sync()));

            // one-way, 4 days later: the event 5 days back leaves the window and stays in Radicale
            String oneWay = syncAfterWindowChange(1, "exchange-to-nextcloud");
            assertEquals(0, written(oneWay), oneWay);
            assertEquals(back, events());
            System.out.printf("calendar window: %.1f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            SyncRig.stop(runtime, dav, sandbox, temp);
        }
    }

    // ---- helpers ----

    private static String engine(String calendarDirection) {
        return String.join("\n", "threads = 1", "scheduled = false", "direction = exchange-to-nextcloud",
                "direction.calendar = " + calendarDirection, "kinds = calendar", "backend.default = graph",
                "nextcloudBackend = caldav", "");
    }

    private static String window(int daysBack) {
        return "registrations = sandbox\nwindowDaysBack = " + daysBack + "\n";
    }

    /**
     * Writes the new window (and direction), then syncs until a cycle has read the calendar in the new window: Config
     * Admin hands the new settings to the store (and the engine) within a second or two.
     */
    private String syncAfterWindowChange(int daysBack, String direction) throws Exception {
        Path log = runtime.base().resolve("log/nexchange.log");
        long seen = Files.size(log);
        write(runtime.base().resolve("etc/io.nexchange.engine.cfg"), engine(direction));
        write(runtime.base().resolve("etc/io.nexchange.graph.calendar.cfg"), window(daysBack));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            String out;
            RequestCounts counts = sandbox.counters();
            try {
                out = sync();
            } catch (AssertionError | IllegalStateException e) {
                continue; // the store or engine being reconfigured in the middle of the cycle
            }
            graphRequests = sandbox.counters().total() - counts.total();
            String logged = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) seen);
            if (logged.contains("to " + daysBack + " / 365 (windowDaysBack, windowDaysAhead)")) {
                loggedSinceWindowChange = logged;
                return out;
            }
        }
        throw new AssertionError("the calendar was not read in a window of " + daysBack + " days back within 60 s");
    }

    private String sync() throws Exception {
        String out = SyncRig.syncAll(runtime, 1);
        assertEquals(List.of(), sandbox.meetingMessages(), "meeting messages caused by sync");
        return out;
    }

    private static Matcher asked(String output) {
        Matcher m = ASKED.matcher(output);
        assertTrue(m.find(), "the engine says what it asked Graph about: " + output);
        return m;
    }

    /** The items written, as the sync's summary lines count them. */
    private static int written(String syncOutput) {
        return TwoWaySync.written(syncOutput);
    }

    /** Creates a single event {@code days} from today in Exchange (the sandbox's admin API, as a user would); its id. */
    private String createInExchange(String subject, int days) throws Exception {
        LocalDate day = today.plusDays(days);
        return graph.admin("POST", "/mailboxes/" + mailbox + "/events", "{\"subject\":\"" + subject + "\",\"start\":"
                + time(day, 10) + ",\"end\":" + time(day, 11) + "}").path("id").asText();
    }

    private static String time(LocalDate day, int hour) {
        return "{\"dateTime\":\"" + day + "T" + String.format("%02d", hour) + ":00:00\",\"timeZone\":\"UTC\"}";
    }

    /** How many events of Exchange's calendar, in and outside the window, have this subject. */
    private long exchangeEvents(String subject) throws Exception {
        long n = 0;
        for (String id : graph.itemIdsInWindow(mailbox, today.minusYears(2), today.plusYears(3))) {
            JsonNode e = graph.event(mailbox, id);
            n += subject.equals(e.path("subject").asText()) ? 1 : 0;
        }
        return n;
    }

    /** Radicale's events, by resource. */
    private Map<String, String> events() {
        return new TreeMap<>(DavContent.of(dav).items(user, ".ics"));
    }

    private long davWith(String line) {
        return events().values().stream().filter(t -> t.replace("\r\n ", "").lines().anyMatch(line::equals)).count();
    }

    private static String hrefOf(Map<String, String> events, String line) {
        return events.entrySet().stream().filter(e -> e.getValue().replace("\r\n ", "").lines().anyMatch(line::equals))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no event with " + line));
    }

    private String collection() {
        String any = events().keySet().iterator().next();
        return any.substring(0, any.lastIndexOf('/') + 1);
    }

    private static String ics(String uid, String summary, LocalDate day) {
        String date = day.toString().replace("-", "");
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calendar window e2e//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20261201T000000Z\r\nDTSTART:" + date + "T090000Z\r\nDTEND:" + date + "T093000Z\r\nSUMMARY:"
                + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private void putDav(String collectionAndName, String body) throws Exception {
        URI href = URI.create("http://127.0.0.1:" + dav.port() + dav.calendarHome(user) + collectionAndName);
        String password = Files.readString(temp.resolve("passwords").resolve(user)).strip();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(href).header("Content-Type", "text/calendar")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "PUT " + href + ": " + r.statusCode() + " " + r.body());
    }

    private static void write(Path file, String content) throws Exception {
        Path staging = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(staging, content);
        Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
