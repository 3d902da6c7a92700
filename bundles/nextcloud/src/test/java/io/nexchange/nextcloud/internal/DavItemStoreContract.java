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

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.testing.dav.DavTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the CalDAV/CardDAV store does against any real server: the subclasses run it against Radicale and
 * against Nextcloud. Each test uses its own user, and its own (non-default) collections where Nextcloud's
 * example items would get in the way.
 */
abstract class DavItemStoreContract {
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    DavItemStore storeFor(DavTestServer server, String user) {
        return storeFor(server, user, DavSettings.defaults(URI.create(server.davBaseUrl())));
    }

    DavItemStore storeFor(DavTestServer server, String user, DavSettings settings) {
        String password = passwords.computeIfAbsent(user, server::addAccount);
        return DavItemStore.over(settings, new DavFixtures.Logins().with(user, password));
    }

    /** A user the test made itself (e.g. with an e-mail address). */
    void knownUser(String user, String password) {
        passwords.put(user, password);
    }

    String password(String user) {
        return passwords.get(user);
    }

    /**
     * Discovery costs two PROPFINDs per account; an account after the first guesses its homes from the layout the first
     * showed, and the home listing it sends anyway confirms the guess (current-user-principal, owner). A layout the
     * server does not confirm turns guessing off: that account and the later ones discover their homes.
     */
    @Test
    void laterAccountsGuessTheirHomesFromTheFirstOnesLayout(DavTestServer server) throws Exception {
        String hugo = passwords.computeIfAbsent("hugo", server::addAccount);
        String ida = passwords.computeIfAbsent("ida", server::addAccount);
        String jon = passwords.computeIfAbsent("jon", server::addAccount);
        String kai = passwords.computeIfAbsent("kai", server::addAccount);
        try (DavItemStore store = DavItemStore.over(DavSettings.defaults(URI.create(server.davBaseUrl())),
                new DavFixtures.Logins().with("hugo", hugo).with("ida", ida).with("jon", jon).with("kai", kai))) {
            int mark = server.mark();
            store.ensureCollection(owner("hugo"), CollectionKind.CALENDAR, "Layout");
            long discovered = server.countSince(mark, "PROPFIND");

            mark = server.mark();
            CollectionRef calendar = store.ensureCollection(owner("ida"), CollectionKind.CALENDAR, "Layout");
            assertEquals(discovered - 2, server.countSince(mark, "PROPFIND"), "no discovery: " + server.requestsSince(mark));
            assertTrue(calendar.id().startsWith(server.calendarHome("ida")), calendar.id());
            mark = server.mark();
            store.ensureCollection(owner("hugo"), CollectionKind.CONTACTS, "");
            long listed = server.countSince(mark, "PROPFIND");
            mark = server.mark();
            CollectionRef book = store.ensureCollection(owner("ida"), CollectionKind.CONTACTS, "");
            assertEquals(listed, server.countSince(mark, "PROPFIND"), "as many as for hugo: " + server.requestsSince(mark));
            assertTrue(book.id().startsWith(server.addressBookHome("ida")), book.id());
            // the collections are ida's: she writes and reads there
            ItemVersion written = store.target(owner("ida"), calendar).create(ItemKey.event("layout-1"), event("layout-1", "Guessed"));
            assertEquals(Set.of(written.ref()), store.source(owner("ida"), calendar).changes(Cursor.INITIAL).changes().stream()
                    .map(Change::ref).collect(Collectors.toSet()));

            // a layout the server does not confirm (here: made up) is dropped after one listing
            store.layout().refute();
            HomeLayout madeUp = new HomeLayout();
            String root = URI.create(server.davBaseUrl()).getPath();
            madeUp.learn("hugo", new AccountSession.Homes(root + "principals/people/hugo/", java.util.Optional.of(root + "nowhere/hugo/"),
                    java.util.Optional.of(root + "nowhere/books/hugo/")));
            try (DavItemStore misled = DavItemStore.over(DavSettings.defaults(URI.create(server.davBaseUrl())),
                    new DavFixtures.Logins().with("jon", jon).with("kai", kai), madeUp)) {
                mark = server.mark();
                CollectionRef jons = misled.ensureCollection(owner("jon"), CollectionKind.CALENDAR, "Layout");
                assertEquals(discovered + 1, server.countSince(mark, "PROPFIND"), "the guess, then discovery: " + server.requestsSince(mark));
                assertTrue(jons.id().startsWith(server.calendarHome("jon")), jons.id());
                assertTrue(madeUp.refuted());
                mark = server.mark();
                misled.ensureCollection(owner("kai"), CollectionKind.CALENDAR, "Layout");
                assertEquals(discovered, server.countSince(mark, "PROPFIND"), "no more guessing: " + server.requestsSince(mark));
            }
        }
    }

    @Test
    void writesWithPreconditions(DavTestServer server) throws Exception {
        try (DavItemStore store = storeFor(server, "erin")) {
            Owner erin = owner("erin");
            CollectionRef calendar = store.ensureCollection(erin, CollectionKind.CALENDAR, "Preconditions");
            ItemTarget target = store.target(erin, calendar);
            ItemKey key = ItemKey.event("meeting-1");

            ItemVersion created = target.create(key, event("meeting-1", "First"));
            assertEquals(calendar.id() + "meeting-1.ics", created.ref());
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
            assertTrue(hashed.ref().matches(java.util.regex.Pattern.quote(calendar.id()) + "x-[0-9a-f]{64}\\.ics"), hashed.ref());
            assertThrows(PreconditionFailedException.class, () -> target.create(outlook, event(outlook.value(), "Outlook")));

            // content the server refuses is the item's failure (the engine quarantines it), not the account's
            ItemRejectedException broken = assertThrows(ItemRejectedException.class, () -> target.create(ItemKey.event("broken-1"),
                    new ItemContent(CollectionKind.CALENDAR.mediaType(), "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
                            + "UID:broken-1\r\nDTSTART:20260301T100000Z\r\nEND:VCALENDAR\r\n")));
            assertTrue(broken.getMessage().contains("broken-1"), broken.getMessage());
        }
    }

    @Test
    void readsChangesOfOtherClientsIncrementally(DavTestServer server) throws Exception {
        try (DavItemStore store = storeFor(server, "fred")) {
            Owner fred = owner("fred");
            CollectionRef calendar = store.ensureCollection(fred, CollectionKind.CALENDAR, "Incremental");
            ItemTarget target = store.target(fred, calendar);
            ItemVersion one = target.create(ItemKey.event("one"), event("one", "One"));
            target.create(ItemKey.event("two"), event("two", "Two"));

            ItemSource source = store.source(fred, calendar);
            ChangePage first = source.changes(Cursor.INITIAL);
            assertTrue(first.complete());
            assertFalse(first.hasMore());
            assertEquals(Set.of("one", "two"), keys(first.changes()), "listed, keyed by the names this store made");
            // Nextcloud: the home listing showed the new calendar small, so its first listing hands the content along
            Item readOne = DavFixtures.withContent(source, first.changes()).stream().filter(c -> c.key().value().equals("one")).findFirst().orElseThrow().item().orElseThrow();
            assertEquals(one.version(), readOne.version());
            assertEquals(one.ref(), readOne.ref());
            assertTrue(readOne.content().text().contains("SUMMARY:One\r\n"), readOne.content().text());

            ChangePage nothing = source.changes(first.next());
            assertEquals(List.of(), nothing.changes());
            assertFalse(nothing.complete());

            // another client: a new event under a name of its own, an edit and a deletion
            assertSuccess(send(server, "fred", "PUT", calendar.id() + "phone-made.ics", eventText("Phone-UID-1", "From the phone")));
            assertSuccess(send(server, "fred", "PUT", calendar.id() + "two.ics", eventText("two", "Two edited")));
            assertSuccess(send(server, "fred", "DELETE", calendar.id() + "one.ics", null));

            int mark = server.mark();
            ChangePage changes = source.changes(nothing.next());
            assertFalse(changes.complete());
            Map<String, Change> byKey = DavFixtures.withContent(source, changes.changes()).stream().collect(Collectors.toMap(c -> c.key().value(), c -> c));
            assertEquals(Set.of("Phone-UID-1", "two", "one"), byKey.keySet(), server.requestsSince(mark) + "\n" + changes.changes());
            assertTrue(byKey.get("one").isRemoval());
            assertEquals(calendar.id() + "one.ics", byKey.get("one").ref());
            assertEquals(calendar.id() + "phone-made.ics", byKey.get("Phone-UID-1").ref());
            assertTrue(byKey.get("two").item().orElseThrow().content().text().contains("Two edited"));
            // the sync-collection; a multiget checking the reported removal (Nextcloud reports an event deleted and re-created
            // as 404); the multiget of the fetch
            assertEquals(3, server.countSince(mark, "REPORT"), "one sync-collection and two multigets: " + server.requestsSince(mark));

            assertEquals(List.of(), source.changes(changes.next()).changes());
        }
    }

    @Test
    void listsLargeCollectionsInOnePropfindAndFetchesInBatches(DavTestServer server) throws Exception {
        DavSettings settings = DavSettings.defaults(URI.create(server.davBaseUrl())).withSyncLimit(12).withMultigetBatchSize(5);
        CollectionRef calendar;
        Set<String> written = new HashSet<>();
        try (DavItemStore store = storeFor(server, "gina", settings)) {
            Owner gina = owner("gina");
            calendar = store.ensureCollection(gina, CollectionKind.CALENDAR, "Bulk");
            ItemTarget target = store.target(gina, calendar);
            for (int i = 0; i < 30; i++) {
                String uid = "bulk-" + i;
                target.create(ItemKey.event(uid), event(uid, "Bulk " + i));
                written.add(uid);
            }
        }
        // read as a later run would: no home listing of this run showed the collection small
        try (DavItemStore store = storeFor(server, "gina", settings)) {
            Owner gina = owner("gina");
            ItemSource source = store.source(gina, calendar);
            int mark = server.mark();
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
            assertEquals(List.of(false), hasMore, "30 members in one listing");
            assertEquals(30, all.size());
            assertEquals(written, keys(all));
            assertEquals(1, server.countSince(mark, "PROPFIND"));
            assertEquals(0, server.countSince(mark, "REPORT"), "a listing fetches nothing");
            all = DavFixtures.withContent(source, all);
            assertEquals(written, keys(all));
            assertEquals(6, server.countSince(mark, "REPORT"), "multigets of at most 5");
            assertTrue(all.stream().allMatch(c -> c.item().orElseThrow().content().text().startsWith("BEGIN:VCALENDAR\r\n")));

            // the cursor after the round is the token taken before it: nothing new since
            assertEquals(List.of(), source.changes(cursor).changes());
        }
    }

    @Test
    void deadOrForeignCursorsExpire(DavTestServer server) throws Exception {
        try (DavItemStore store = storeFor(server, "hank")) {
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
    void contactsAreKeyedByUidWithoutUrnPrefix(DavTestServer server) throws Exception {
        try (DavItemStore store = storeFor(server, "iris")) {
            Owner iris = owner("iris");
            CollectionRef book = store.ensureCollection(iris, CollectionKind.CONTACTS, "Colleagues");
            ItemTarget target = store.target(iris, book);
            ItemKey key = ItemKey.contact("6f1c0c52-1f3e-4c55-9a0e-0d9f3a4b7e21");
            ItemVersion written = target.create(key, vcard("urn:uuid:6f1c0c52-1f3e-4c55-9a0e-0d9f3a4b7e21", "Ada Lovelace"));
            assertEquals(book.id() + "6f1c0c52-1f3e-4c55-9a0e-0d9f3a4b7e21.vcf", written.ref());
            ItemSource source = store.source(iris, book);
            List<Change> read = DavFixtures.withContent(source, source.changes(Cursor.INITIAL).changes());
            assertEquals(1, read.size());
            assertEquals(key, read.get(0).key());
            assertEquals("text/vcard", read.get(0).item().orElseThrow().content().mediaType());
            assertTrue(read.get(0).item().orElseThrow().content().text().contains("FN:Ada Lovelace"));
        }
    }

    /** A one-way copy the way the engine does it: write what changed, remember versions, write nothing when nothing changed. */
    @Test
    void aSecondPassOverUnchangedDataWritesNothing(DavTestServer server) throws Exception {
        try (DavItemStore store = storeFor(server, "jack")) {
            Owner jack = owner("jack");
            CollectionRef to = store.ensureCollection(jack, CollectionKind.CALENDAR, "Copy");
            CollectionRef from = store.ensureCollection(jack, CollectionKind.CALENDAR, "Source");
            ItemTarget seed = store.target(jack, from);
            for (int i = 0; i < 12; i++) {
                seed.create(ItemKey.event("copy-" + i), event("copy-" + i, "Copy " + i));
            }
            Map<ItemKey, ItemVersion> copied = new HashMap<>();
            Cursor fromCursor = copyPass(store, jack, from, to, Cursor.INITIAL, copied);
            assertEquals(12, copied.size());

            int mark = server.mark();
            copyPass(store, jack, from, to, fromCursor, copied);
            assertEquals(0, server.countSince(mark, "PUT") + server.countSince(mark, "DELETE"), server.requestsSince(mark).toString());
            assertEquals(1, server.countSince(mark, "REPORT"), "only the sync-collection, no multiget");
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
            for (Change change : DavFixtures.withContent(source, page.changes())) {
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
    void wrongAppPasswordNamesTheAccountButNotThePassword(DavTestServer server) {
        server.addAccount("kate");
        DavItemStore store = DavFixtures.store(server.davBaseUrl(), new DavFixtures.Logins().with("kate", "s3cr3t-wrong-pass"));
        StoreException e = assertThrows(StoreException.class, () -> store.collections(owner("kate"), CollectionKind.CALENDAR));
        assertTrue(e.getMessage().contains("'kate'"), e.getMessage());
        assertTrue(e.getMessage().contains("app password"), e.getMessage());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-wrong-pass"), e.getMessage());
        assertFalse(e.isTransient());
        store.close();
    }

    @Test
    void aUserCannotReachAnotherUsersCalendar(DavTestServer server) throws Exception {
        try (DavItemStore lea = storeFor(server, "lea"); DavItemStore max = storeFor(server, "max")) {
            CollectionRef leasCalendar = lea.ensureCollection(owner("lea"), CollectionKind.CALENDAR, "");
            StoreException e = assertThrows(StoreException.class, () -> max.source(owner("max"), leasCalendar).changes(Cursor.INITIAL));
            // Radicale: 403; Nextcloud does not even show it: 404
            assertTrue(e.getMessage().contains("403") || e.getMessage().contains("404"), e.getMessage());
            assertTrue(e.getMessage().contains("max"), e.getMessage());
        }
    }

    static void assertSuccess(int status) {
        assertTrue(status >= 200 && status < 300, "HTTP " + status);
    }

    static Set<String> keys(List<Change> changes) {
        return changes.stream().map(c -> c.key().value()).collect(Collectors.toSet());
    }

    /** One request of another client (a phone) as the user; returns the status. */
    int send(DavTestServer server, String user, String method, String href, String body, String... headers) throws Exception {
        return request(server, user, method, href, body, headers).statusCode();
    }

    HttpResponse<String> request(DavTestServer server, String user, String method, String href, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + href))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password(user)).getBytes(StandardCharsets.UTF_8)));
        if (body != null && !href.endsWith("/")) {
            request.header("Content-Type", href.endsWith(".vcf") ? "text/vcard" : "text/calendar");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        // HTTP/1.1 without upgrade: Radicale speaks HTTP/1.0, PHP's built-in server does not do h2c
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
