package io.nexchange.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.DavItemStore;
import io.nexchange.nextcloud.internal.DavSettings;
import io.nexchange.testing.faults.Fault;
import io.nexchange.testing.faults.FaultProxy;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16 against the real Nextcloud 32 (the kit in ../shared/nextcloud), where it differs from Radicale.
 *
 * <p>Hostile items sitting in Nextcloud: what Nextcloud answers to their PUT, and, for those it refuses, the same bytes
 * planted in its database as it stores objects ({@code oc_calendarobjects}, as an older server, a migration or another
 * app may have left them): the connector's listing of the calendar still works, each of them is an item apart (read, or
 * unreadable and so quarantined by the engine), and the good items come with their content.
 *
 * <p>Faults in front of Nextcloud (the fault proxy, HTTP mode) and Nextcloud's own maintenance mode: each is a transient
 * error of the whole request (never an item quarantined), with one message naming the cause; once it is gone the store
 * works again, and a PUT whose answer was lost is refused by If-None-Match the second time (no second copy).
 */
@ExtendWith(NextcloudExtension.class)
class NextcloudFaultsAndHostileTest {
    private static final String USER = "hostile";

    @Test
    void hostileItemsSittingInNextcloudAndFaultsInFrontOfIt(NextcloudServer nextcloud) throws Exception {
        NextcloudServer.User user = nextcloud.addUser(USER);
        List<String> table = new ArrayList<>();
        String calendar = "/remote.php/dav/calendars/" + USER + "/personal/";
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("folding", ics("nc-fold", "Broken folding", "DESCRIPTION:a long line that was folded\r\nwithout the"
                + " leading space of its continuation\r\n").getBytes(StandardCharsets.UTF_8));
        hostile.put("nouid", ics(null, "No UID", "").getBytes(StandardCharsets.UTF_8));
        hostile.put("tzid", ics("nc-tzid", "Bogus zone", "").replace("DTSTART:20270110T090000Z", "DTSTART;TZID=Mars/Olympus_Mons:"
                + "20270110T090000").getBytes(StandardCharsets.UTF_8));
        hostile.put("utf8", utf8("nc-utf8"));
        hostile.put("minutely", ics("nc-minutely", "Every minute", "RRULE:FREQ=MINUTELY;INTERVAL=1\r\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder exdates = new StringBuilder("RRULE:FREQ=DAILY\r\n");
        for (int i = 1; i <= 10_000; i++) {
            exdates.append("EXDATE:").append(java.time.LocalDate.of(2027, 1, 10).plusDays(i).toString().replace("-", ""))
                    .append("T090000Z\r\n");
        }
        hostile.put("exdates", ics("nc-exdates", "Ten thousand EXDATEs", exdates.toString()).getBytes(StandardCharsets.UTF_8));
        hostile.put("big", ics("nc-big", "Five MB description", "DESCRIPTION:" + "y".repeat(5 << 20) + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        hostile.put("dup", ics("nc-good", "The good event's UID again", "").getBytes(StandardCharsets.UTF_8));
        assertEquals(201, put(nextcloud, user, calendar + "nc-good.ics", ics("nc-good", "The good event", "")
                .getBytes(StandardCharsets.UTF_8)));
        Map<String, Integer> answers = new LinkedHashMap<>();
        List<String> planted = new ArrayList<>();
        for (Map.Entry<String, byte[]> item : hostile.entrySet()) {
            int status = put(nextcloud, user, calendar + item.getKey() + ".ics", item.getValue());
            answers.put(item.getKey(), status);
            if (status / 100 != 2 && !item.getKey().equals("dup")) {
                plant(nextcloud, item.getKey() + ".ics", item.getValue());
                planted.add(item.getKey());
            }
        }
        // an object without UID as an older server or another app may have stored it (Nextcloud adds one at PUT)
        hostile.put("nouid-db", hostile.get("nouid"));
        answers.put("nouid-db", 0);
        plant(nextcloud, "nouid-db.ics", hostile.get("nouid"));
        planted.add("nouid-db");
        System.out.println("FIGURE Nextcloud PUT answers to hostile items: " + answers + "; planted in its database: " + planted);

        Owner owner = new Owner(new Mailbox(USER + "@example.org", USER + "@example.org", USER), new Account(USER, USER + "@example.org", USER));
        try (DavItemStore store = store(URI.create(nextcloud.davBaseUrl()), user)) {
            CollectionRef personal = store.ensureCollection(owner, CollectionKind.CALENDAR, "");
            var listing = store.source(owner, personal).changes(Cursor.INITIAL);
            List<String> refs = listing.changes().stream().filter(c -> !c.isRemoval()).map(Change::ref).toList();
            Map<String, Change> fetched = new TreeMap<>();
            for (Change change : store.source(owner, personal).fetch(refs)) {
                fetched.put(change.ref().substring(change.ref().lastIndexOf('/') + 1), change);
            }
            assertTrue(fetched.get("nc-good.ics").item().isPresent(), "the good event is read: " + fetched);
            for (String name : hostile.keySet()) {
                Change change = fetched.get(name + ".ics");
                String outcome;
                if (change == null) {
                    outcome = "not in Nextcloud (PUT " + answers.get(name) + ", not plantable)";
                } else if (change.isUnreadable()) {
                    outcome = "unreadable, quarantined: " + change.problem().orElseThrow();
                } else {
                    outcome = "read (key " + change.key().value() + ", " + change.item().orElseThrow().content().text().length()
                            + " chars); the Exchange side decides";
                }
                table.add("| " + name + " | " + (answers.get(name) == 0 ? "not PUT" : "PUT " + answers.get(name))
                        + (planted.contains(name) ? ", planted in the database" : "")
                        + " | " + outcome + " |");
            }
            Change noUid = fetched.get("nouid-db.ics");
            assertTrue(noUid != null && noUid.isUnreadable() && noUid.problem().orElseThrow().contains("no UID"), String.valueOf(noUid));
            Change given = fetched.get("nouid.ics");
            assertTrue(answers.get("nouid") / 100 != 2 || given.item().isPresent(), "Nextcloud gave the event a UID at PUT: " + given);
            Change utf8 = fetched.get("utf8.ics");
            assertTrue(utf8 != null && (utf8.isUnreadable() || utf8.item().isPresent()), "invalid UTF-8 is an item apart: " + utf8);
        }
        System.out.println("FIGURE Nextcloud hostile items (item | PUT | connector):\n" + String.join("\n", table));

        // --- faults in front of Nextcloud, and its maintenance mode
        List<String> faults = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.start(FaultProxy.Mode.HTTP, nextcloud.port());
                DavItemStore store = store(URI.create("http://127.0.0.1:" + proxy.port() + "/remote.php/dav/"), user)) {
            CollectionRef personal = store.ensureCollection(owner, CollectionKind.CALENDAR, "");
            int n = 0;
            nextcloud.occ("maintenance:mode", "--on");
            try {
                faults.add(transientFailure("maintenance mode (Nextcloud's own 503)", () -> store.source(owner, personal).changes(Cursor.INITIAL),
                        "503"));
            } finally {
                nextcloud.occ("maintenance:mode", "--off");
            }
            proxy.inject(Fault.status(507).onMethod("PUT"));
            faults.add(transientFailure("507 Insufficient Storage on PUT", () -> create(store, owner, personal, "f-507"), "507"));
            proxy.clear();
            proxy.inject(Fault.status(423).onMethod("PUT"));
            faults.add(transientFailure("423 Locked on PUT", () -> create(store, owner, personal, "f-423"), "423"));
            proxy.clear();
            proxy.inject(Fault.stall(Duration.ofSeconds(4)).onMethod("PROPFIND"));
            faults.add(transientFailure("answer stalls (PROPFIND)", () -> store.source(owner, personal).changes(Cursor.INITIAL), "in time"));
            proxy.clear();
            proxy.inject(Fault.responseLost().onMethod("PUT"));
            faults.add(transientFailure("connection reset after the PUT reached Nextcloud", () -> create(store, owner, personal, "f-lost"),
                    "I/O error"));
            proxy.clear();
            // each of them once more, faults off: the lost PUT was stored, and a second create meets If-None-Match
            for (String uid : List.of("f-507", "f-423")) {
                create(store, owner, personal, uid);
                n++;
            }
            assertThrows(PreconditionFailedException.class, () -> create(store, owner, personal, "f-lost"), "no second copy");
            long copies = nextcloud.storedItems().getOrDefault(USER, Map.of()).getOrDefault("personal", Map.of()).values().stream()
                    .filter(t -> t.contains("UID:f-lost")).count();
            assertEquals(1, copies, "the event whose answer was lost is in Nextcloud once");
            assertEquals(2, n);
        }
        System.out.println("FIGURE Nextcloud faults (fault | outcome):\n" + String.join("\n", faults));
    }

    /** The call fails with a transient StoreException (not an item's rejection) whose message names the cause. */
    private static String transientFailure(String fault, org.junit.jupiter.api.function.Executable call, String named) {
        StoreException e = assertThrows(StoreException.class, call, fault);
        assertFalse(e instanceof ItemRejectedException, fault + ": never the item's fault: " + e.getMessage());
        assertTrue(e.isTransient(), fault + ": retried next cycle: " + e.getMessage());
        assertTrue(e.getMessage().contains(named), fault + ": names the cause: " + e.getMessage());
        return "| " + fault + " | transient, retried next cycle: " + e.getMessage().substring(0, Math.min(260, e.getMessage().length()))
                + " |";
    }

    private static void create(DavItemStore store, Owner owner, CollectionRef calendar, String uid) throws StoreException {
        store.target(owner, calendar).create(ItemKey.event(uid), new ItemContent(CollectionKind.CALENDAR.mediaType(),
                ics(uid, "Fault " + uid, "")));
    }

    private static DavItemStore store(URI base, NextcloudServer.User user) {
        return DavItemStore.over(new DavSettings(base, Duration.ofSeconds(5), Duration.ofSeconds(2), 100, 500, 2),
                account -> new DavLogin(user.name(), Secret.of(user.appPassword())));
    }

    private static String ics(String uid, String summary, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\n" + (uid == null ? "" : "UID:" + uid + "\r\n")
                + "DTSTAMP:20261201T000000Z\r\nDTSTART:20270110T090000Z\r\nDTEND:20270110T093000Z\r\nSUMMARY:" + summary + "\r\n"
                + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** An event whose SUMMARY holds the bytes FF FE: invalid UTF-8. */
    private static byte[] utf8(String uid) {
        String[] parts = ics(uid, "Bad BYTES here", "").split("BYTES", 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(parts[0].getBytes(StandardCharsets.UTF_8));
        out.write(0xFF);
        out.write(0xFE);
        out.writeBytes(parts[1].getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static int put(NextcloudServer nextcloud, NextcloudServer.User user, String path, byte[] body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nextcloud.url() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user.name() + ":" + user.appPassword())
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "text/calendar; charset=utf-8").timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    /** The object as Nextcloud stores one it accepted: a row of oc_calendarobjects in the user's default calendar. */
    private static void plant(NextcloudServer nextcloud, String uri, byte[] data) throws Exception {
        String etag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        String uid = uri.replace(".ics", "-planted");
        String sql = "INSERT INTO oc_calendarobjects (calendarid, uri, calendardata, lastmodified, etag, size, componenttype,"
                + " firstoccurence, lastoccurence, classification, uid, calendartype) VALUES ((SELECT id FROM oc_calendars WHERE"
                + " principaluri = 'principals/users/" + USER + "' AND uri = 'personal'), '" + uri + "', X'" + HexFormat.of().formatHex(data)
                + "', strftime('%s','now'), '" + etag + "', " + data.length + ", 'VEVENT', 1799571600, 1799573400, 0, '" + uid + "', 0);\n";
        Process sqlite = new ProcessBuilder("sqlite3", nextcloud.instanceFolder().resolve("data/owncloud.db").toString())
                .redirectErrorStream(true).start();
        sqlite.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
        sqlite.getOutputStream().close();
        String output = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sqlite.waitFor(), "sqlite3: " + output);
    }
}
