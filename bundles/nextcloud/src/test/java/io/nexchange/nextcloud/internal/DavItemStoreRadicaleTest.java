package io.nexchange.nextcloud.internal;

import static io.nexchange.nextcloud.internal.DavFixtures.event;
import static io.nexchange.nextcloud.internal.DavFixtures.eventText;
import static io.nexchange.nextcloud.internal.DavFixtures.owner;
import static io.nexchange.nextcloud.internal.DavFixtures.vcard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.sardine.Sardine;
import com.github.sardine.SardineFactory;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.testing.radicale.RadicaleExtension;
import io.nexchange.testing.radicale.RadicaleServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CalDAV/CardDAV store against a real Radicale. Each test uses its own user. */
@ExtendWith(RadicaleExtension.class)
class DavItemStoreRadicaleTest {

    private static DavItemStore storeFor(RadicaleServer radicale, String user) {
        radicale.addUser(user, user + "-app-password");
        return DavFixtures.store(radicale.baseUrl(), new DavFixtures.Logins().with(user, user + "-app-password"));
    }

    @Test
    void discoversHomesAndCreatesCalendarsAndAddressBooksOnce(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "dora")) {
            Owner dora = owner("dora");
            assertEquals(List.of(), store.collections(dora, CollectionKind.CALENDAR));

            int mark = radicale.mark();
            CollectionRef personal = store.ensureCollection(dora, CollectionKind.CALENDAR, "");
            CollectionRef work = store.ensureCollection(dora, CollectionKind.CALENDAR, "Work Meetings");
            CollectionRef contacts = store.ensureCollection(dora, CollectionKind.CONTACTS, "");
            assertEquals(2, radicale.countSince(mark, "MKCALENDAR"));
            assertEquals(1, radicale.countSince(mark, "MKCOL"));
            assertEquals("/dora/personal/", personal.id());
            assertTrue(personal.isDefault());
            assertEquals("Work Meetings", work.displayName());
            assertFalse(work.isDefault());
            assertEquals(CollectionKind.CONTACTS, contacts.kind());

            // a task-only calendar is no place for events
            Sardine plain = SardineFactory.begin("dora", "dora-app-password");
            byte[] mkcalendarTasks = ("<c:mkcalendar xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:set><d:prop>"
                    + "<c:supported-calendar-component-set><c:comp name=\"VTODO\"/></c:supported-calendar-component-set>"
                    + "</d:prop></d:set></c:mkcalendar>").getBytes(StandardCharsets.UTF_8);
            rawRequest(radicale, "dora", "MKCALENDAR", "dora/tasks/", mkcalendarTasks);
            plain.shutdown();

            mark = radicale.mark();
            assertEquals(personal.id(), store.ensureCollection(dora, CollectionKind.CALENDAR, "").id());
            assertEquals(work.id(), store.ensureCollection(dora, CollectionKind.CALENDAR, "Work Meetings").id());
            assertEquals(contacts.id(), store.ensureCollection(dora, CollectionKind.CONTACTS, "").id());
            assertEquals(0, radicale.countSince(mark, "MKCALENDAR") + radicale.countSince(mark, "MKCOL"), "existing collections are found, not recreated");
            Set<String> calendars = store.collections(dora, CollectionKind.CALENDAR).stream().map(CollectionRef::id).collect(Collectors.toSet());
            assertEquals(Set.of("/dora/personal/", work.id()), calendars);
            assertEquals(List.of(contacts.id()), store.collections(dora, CollectionKind.CONTACTS).stream().map(CollectionRef::id).toList());
        }
    }

    @Test
    void writesWithPreconditions(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "erin")) {
            Owner erin = owner("erin");
            CollectionRef calendar = store.ensureCollection(erin, CollectionKind.CALENDAR, "");
            ItemTarget target = store.target(erin, calendar);
            ItemKey key = ItemKey.event("meeting-1");

            ItemVersion created = target.create(key, event("meeting-1", "First"));
            assertEquals("/erin/personal/meeting-1.ics", created.ref());
            assertTrue(created.versionKnown());
            assertEquals(created, target.version(created.ref()).orElseThrow());

            PreconditionFailedException twice = assertThrows(PreconditionFailedException.class, () -> target.create(key, event("meeting-1", "Again")));
            assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
            PreconditionFailedException sameUid = assertThrows(PreconditionFailedException.class,
                    () -> target.create(ItemKey.event("other-name"), event("meeting-1", "Same UID elsewhere")));
            assertTrue(sameUid.getMessage().contains("no-uid-conflict"), sameUid.getMessage());

            ItemVersion updated = target.update(key, created.ref(), created.version(), event("meeting-1", "Second"));
            assertNotEquals(created.version(), updated.version());
            PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                    () -> target.update(key, created.ref(), created.version(), event("meeting-1", "Lost update")));
            assertTrue(stale.getMessage().contains(created.ref()), stale.getMessage());

            assertThrows(PreconditionFailedException.class, () -> target.delete(key, created.ref(), created.version()), "delete with a stale etag");
            target.delete(key, updated.ref(), updated.version());
            assertTrue(target.version(updated.ref()).isEmpty());
            target.delete(key, updated.ref(), updated.version()); // already gone: fine
            assertThrows(PreconditionFailedException.class, () -> target.update(key, created.ref(), updated.version(), event("meeting-1", "Gone")));

            // keys that are not safe resource names are hashed, deterministically
            ItemKey outlook = ItemKey.event("040000008200E00074C5B7101A82E00800000000D0E0C9A1B2C3D401000000000000000010000000A1B2C3D4E5F6/with slash");
            ItemVersion hashed = target.create(outlook, event(outlook.value(), "Outlook"));
            assertTrue(hashed.ref().matches("/erin/personal/x-[0-9a-f]{64}\\.ics"), hashed.ref());
            assertThrows(PreconditionFailedException.class, () -> target.create(outlook, event(outlook.value(), "Outlook")));
        }
    }

    @Test
    void readsChangesOfOtherClientsIncrementally(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "fred")) {
            Owner fred = owner("fred");
            CollectionRef calendar = store.ensureCollection(fred, CollectionKind.CALENDAR, "");
            ItemTarget target = store.target(fred, calendar);
            ItemVersion one = target.create(ItemKey.event("one"), event("one", "One"));
            target.create(ItemKey.event("two"), event("two", "Two"));

            ItemSource source = store.source(fred, calendar);
            ChangePage first = source.changes(Cursor.INITIAL);
            assertTrue(first.complete());
            assertFalse(first.hasMore());
            assertEquals(Set.of("one", "two"), keys(first.changes()));
            Item readOne = first.changes().stream().filter(c -> c.key().value().equals("one")).findFirst().orElseThrow().item().orElseThrow();
            assertEquals(one.version(), readOne.version());
            assertEquals(one.ref(), readOne.ref());
            assertTrue(readOne.content().text().contains("SUMMARY:One\r\n"), readOne.content().text());

            ChangePage nothing = source.changes(first.next());
            assertEquals(List.of(), nothing.changes());
            assertFalse(nothing.complete());

            // another client: a new event under a name of its own, an edit and a deletion
            com.github.sardine.impl.SardineImpl other = new com.github.sardine.impl.SardineImpl("fred", "fred-app-password");
            other.enablePreemptiveAuthentication("127.0.0.1", radicale.port(), radicale.port());
            String base = radicale.baseUrl() + "fred/personal/";
            // (no Expect: 100-continue: Radicale speaks HTTP/1.0 and the client would wait for the 100 in vain)
            other.put(base + "phone-made.ics", entity(eventText("Phone-UID-1", "From the phone")), "text/calendar", false);
            other.put(base + "two.ics", entity(eventText("two", "Two edited")), "text/calendar", false);
            other.delete(radicale.baseUrl() + "fred/personal/one.ics");
            other.shutdown();

            int mark = radicale.mark();
            ChangePage changes = source.changes(nothing.next());
            assertFalse(changes.complete());
            Map<String, Change> byKey = changes.changes().stream().collect(Collectors.toMap(c -> c.key().value(), c -> c));
            assertEquals(Set.of("Phone-UID-1", "two", "one"), byKey.keySet(), radicale.requestsSince(mark) + "\n" + changes.changes());
            assertTrue(byKey.get("one").isRemoval());
            assertEquals("/fred/personal/one.ics", byKey.get("one").ref());
            assertEquals("/fred/personal/phone-made.ics", byKey.get("Phone-UID-1").ref());
            assertTrue(byKey.get("two").item().orElseThrow().content().text().contains("Two edited"));
            assertEquals(2, radicale.countSince(mark, "REPORT"), "one sync-collection and one multiget");

            assertEquals(List.of(), source.changes(changes.next()).changes());
        }
    }

    @Test
    void listsLargeCollectionsInPagesAndFetchesInBatches(RadicaleServer radicale) throws Exception {
        String user = "gina";
        radicale.addUser(user, "pw");
        DavSettings settings = DavSettings.defaults(URI.create(radicale.baseUrl())).withSyncLimit(25).withMultigetBatchSize(10);
        try (DavItemStore store = DavItemStore.over(settings, new DavFixtures.Logins().with(user, "pw"))) {
            Owner gina = owner(user);
            CollectionRef calendar = store.ensureCollection(gina, CollectionKind.CALENDAR, "");
            ItemTarget target = store.target(gina, calendar);
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                String uid = "bulk-" + i;
                target.create(ItemKey.event(uid), event(uid, "Bulk " + i));
                written.add(uid);
            }
            ItemSource source = store.source(gina, calendar);
            int mark = radicale.mark();
            List<Change> all = new ArrayList<>();
            List<Boolean> hasMore = new ArrayList<>();
            Cursor cursor = Cursor.INITIAL;
            ChangePage page;
            do {
                page = source.changes(cursor);
                assertTrue(page.complete());
                all.addAll(page.changes());
                hasMore.add(page.hasMore());
                cursor = page.next();
            } while (page.hasMore());
            assertEquals(List.of(true, true, false), hasMore, "60 members in pages of 25");
            assertEquals(60, all.size());
            assertEquals(written, keys(all));
            assertEquals(3, radicale.countSince(mark, "PROPFIND"));
            assertEquals(7, radicale.countSince(mark, "REPORT"), "multigets of at most 10: 3 + 3 + 1");
            assertTrue(all.stream().allMatch(c -> c.item().orElseThrow().content().text().startsWith("BEGIN:VCALENDAR\r\n")));

            // the cursor after the round is the token taken before it: nothing new since
            assertEquals(List.of(), source.changes(cursor).changes());
        }
    }

    @Test
    void deadOrForeignCursorsExpire(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "hank")) {
            Owner hank = owner("hank");
            CollectionRef calendar = store.ensureCollection(hank, CollectionKind.CALENDAR, "");
            ItemSource source = store.source(hank, calendar);
            CursorExpiredException expired = assertThrows(CursorExpiredException.class,
                    () -> source.changes(new Cursor("sync:http://radicale.org/ns/sync/0000000000000000")));
            assertTrue(expired.getMessage().contains("valid-sync-token"), expired.getMessage());
            assertTrue(expired.isTransient());
            assertThrows(CursorExpiredException.class, () -> source.changes(new Cursor("https://graph.microsoft.com/v1.0/delta?token=x")));
        }
    }

    @Test
    void contactsAreKeyedByUidWithoutUrnPrefix(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "iris")) {
            Owner iris = owner("iris");
            CollectionRef book = store.ensureCollection(iris, CollectionKind.CONTACTS, "");
            ItemTarget target = store.target(iris, book);
            ItemKey key = ItemKey.contact("6f1c0c52-1f3e-4c55-9a0e-0d9f3a4b7e21");
            ItemVersion written = target.create(key, vcard("urn:uuid:6f1c0c52-1f3e-4c55-9a0e-0d9f3a4b7e21", "Ada Lovelace"));
            assertEquals("/iris/contacts/6f1c0c52-1f3e-4c55-9a0e-0d9f3a4b7e21.vcf", written.ref());
            List<Change> read = store.source(iris, book).changes(Cursor.INITIAL).changes();
            assertEquals(1, read.size());
            assertEquals(key, read.get(0).key());
            assertEquals("text/vcard", read.get(0).item().orElseThrow().content().mediaType());
            assertTrue(read.get(0).item().orElseThrow().content().text().contains("FN:Ada Lovelace"));
        }
    }

    /** A one-way copy the way the engine will do it: write what changed, remember versions, write nothing when nothing changed. */
    @Test
    void aSecondPassOverUnchangedDataWritesNothing(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "jack")) {
            Owner jack = owner("jack");
            CollectionRef to = store.ensureCollection(jack, CollectionKind.CALENDAR, "");
            CollectionRef from = store.ensureCollection(jack, CollectionKind.CALENDAR, "Source");
            ItemTarget seed = store.target(jack, from);
            for (int i = 0; i < 12; i++) {
                seed.create(ItemKey.event("copy-" + i), event("copy-" + i, "Copy " + i));
            }
            Map<ItemKey, ItemVersion> copied = new HashMap<>();
            Cursor fromCursor = copyPass(store, jack, from, to, Cursor.INITIAL, copied);
            assertEquals(12, copied.size());

            int mark = radicale.mark();
            copyPass(store, jack, from, to, fromCursor, copied);
            assertEquals(0, radicale.countSince(mark, "PUT") + radicale.countSince(mark, "DELETE"), radicale.requestsSince(mark).toString());
            assertEquals(1, radicale.countSince(mark, "REPORT"), "only the sync-collection, no multiget");
            assertEquals(12, store.source(jack, to).changes(Cursor.INITIAL).changes().size());
        }
    }

    private static Cursor copyPass(DavItemStore store, Owner owner, CollectionRef from, CollectionRef to, Cursor cursor,
            Map<ItemKey, ItemVersion> copied) throws StoreException {
        ItemSource source = store.source(owner, from);
        ItemTarget target = store.target(owner, to);
        ChangePage page;
        do {
            page = source.changes(cursor);
            for (Change change : page.changes()) {
                ItemVersion known = copied.get(change.key());
                if (change.isRemoval()) {
                    if (known != null) {
                        target.delete(change.key(), known.ref(), known.version());
                        copied.remove(change.key());
                    }
                } else if (known == null) {
                    copied.put(change.key(), target.create(change.key(), change.item().orElseThrow().content()));
                } else {
                    copied.put(change.key(), target.update(change.key(), known.ref(), known.version(), change.item().orElseThrow().content()));
                }
            }
            cursor = page.next();
        } while (page.hasMore());
        return cursor;
    }

    @Test
    void wrongAppPasswordNamesTheAccountButNotThePassword(RadicaleServer radicale) {
        radicale.addUser("kate", "the-right-one");
        DavItemStore store = DavFixtures.store(radicale.baseUrl(), new DavFixtures.Logins().with("kate", "s3cr3t-wrong-pass"));
        StoreException e = assertThrows(StoreException.class, () -> store.collections(owner("kate"), CollectionKind.CALENDAR));
        assertTrue(e.getMessage().contains("'kate'"), e.getMessage());
        assertTrue(e.getMessage().contains("app password"), e.getMessage());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-wrong-pass"), e.getMessage());
        assertFalse(e.isTransient());
        store.close();
    }

    @Test
    void aUserCannotReachAnotherUsersCalendar(RadicaleServer radicale) throws Exception {
        try (DavItemStore lea = storeFor(radicale, "lea"); DavItemStore max = storeFor(radicale, "max")) {
            CollectionRef leasCalendar = lea.ensureCollection(owner("lea"), CollectionKind.CALENDAR, "");
            StoreException e = assertThrows(StoreException.class, () -> max.source(owner("max"), leasCalendar).changes(Cursor.INITIAL));
            assertTrue(e.getMessage().contains("403"), e.getMessage());
            assertTrue(e.getMessage().contains("'max'"), e.getMessage());
        }
    }

    @Test
    void connectionRefusedNamesTheConfiguredUrl() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/remote.php/dav/";
        try (DavItemStore store = DavFixtures.store(url, new DavFixtures.Logins().with("nora", "pw"))) {
            StoreException e = assertThrows(StoreException.class, () -> store.collections(owner("nora"), CollectionKind.CALENDAR));
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertTrue(e.isTransient());
        }
    }

    private static org.apache.http.HttpEntity entity(String text) {
        return new org.apache.http.entity.ByteArrayEntity(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> keys(List<Change> changes) {
        return changes.stream().map(c -> c.key().value()).collect(Collectors.toSet());
    }

    private static void rawRequest(RadicaleServer radicale, String user, String method, String path, byte[] body) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(radicale.baseUrl() + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user + "-app-password").getBytes(StandardCharsets.UTF_8)))
                .build();
        int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(201, status, method + " " + path);
    }
}
