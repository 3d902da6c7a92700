package io.nexchange.nextcloud.internal;

import static io.nexchange.nextcloud.internal.DavFixtures.event;
import static io.nexchange.nextcloud.internal.DavFixtures.eventText;
import static io.nexchange.nextcloud.internal.DavFixtures.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
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
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link DavItemStoreContract} against a real Nextcloud 32 (the kit in ../shared/nextcloud), and what Nextcloud
 * does that Radicale does not (the kit's README, section "What a CalDAV/CardDAV client meets").
 */
@ExtendWith(NextcloudExtension.class)
class DavItemStoreNextcloudTest extends DavItemStoreContract {

    @Test
    void readOnlyAndTrashedCollectionsAreNeverListedOrChosen(NextcloudServer nextcloud) throws Exception {
        try (DavItemStore store = storeFor(nextcloud, "olga")) {
            Owner olga = owner("olga");
            String calendars = "/remote.php/dav/calendars/olga/";
            String books = "/remote.php/dav/addressbooks/users/olga/";
            // the birthday calendar (read-only) is there: the example card has a BDAY
            assertEquals(207, send(nextcloud, "olga", "PROPFIND", calendars + "contact_birthdays/", null, "Depth", "0"));
            assertEquals(List.of(calendars + "personal/"), ids(store.collections(olga, CollectionKind.CALENDAR)),
                    "contact_birthdays is read-only: not listed");
            assertEquals(List.of(books + "contacts/"), ids(store.collections(olga, CollectionKind.CONTACTS)),
                    "z-server-generated--system and z-app-generated--contactsinteraction--recent are read-only: not listed");
            assertEquals(calendars + "personal/", store.ensureCollection(olga, CollectionKind.CALENDAR, "").id());
            assertEquals(books + "contacts/", store.ensureCollection(olga, CollectionKind.CONTACTS, "").id());

            // a trashed calendar of the wanted name stays listed by Nextcloud and blocks MKCALENDAR (405): it is left alone
            CollectionRef projects = store.ensureCollection(olga, CollectionKind.CALENDAR, "Projects");
            assertEquals(calendars + "projects/", projects.id());
            assertSuccess(send(nextcloud, "olga", "DELETE", projects.id(), null));
            assertFalse(ids(store.collections(olga, CollectionKind.CALENDAR)).contains(projects.id()), "a trashed calendar is not listed");
            assertEquals(projects.id(), store.ensureCollection(olga, CollectionKind.CALENDAR, "Projects").id(),
                    "ensureCollection trusts what it found for an hour (an idle cycle sends no PROPFIND)");
        }
        try (DavItemStore store = storeFor(nextcloud, "olga")) { // an hour later, or after a restart
            Owner olga = owner("olga");
            String calendars = "/remote.php/dav/calendars/olga/";
            CollectionRef again = store.ensureCollection(olga, CollectionKind.CALENDAR, "Projects");
            assertEquals(calendars + "projects-2/", again.id());
            assertEquals("Projects", again.displayName());
            assertEquals(again.id(), store.ensureCollection(olga, CollectionKind.CALENDAR, "Projects").id(), "found, not made again");
            store.target(olga, again).create(ItemKey.event("p-1"), event("p-1", "Project kickoff"));
        }
    }

    @Test
    void aUserWhoseFirstLoginWasWithAnAppPasswordGetsDefaultCollections(NextcloudServer nextcloud) throws Exception {
        NextcloudServer.User bare = nextcloud.addUserWithoutFirstLogin("pete");
        try (DavItemStore store = DavItemStore.over(DavSettings.defaults(URI.create(nextcloud.davBaseUrl())),
                new DavFixtures.Logins().with("pete", bare.appPassword()))) {
            Owner pete = owner("pete");
            assertEquals(List.of(), store.collections(pete, CollectionKind.CALENDAR), "no 'personal': the first-login event never fired");
            assertEquals(List.of(), store.collections(pete, CollectionKind.CONTACTS));
            CollectionRef personal = store.ensureCollection(pete, CollectionKind.CALENDAR, "");
            CollectionRef contacts = store.ensureCollection(pete, CollectionKind.CONTACTS, "");
            assertEquals("/remote.php/dav/calendars/pete/personal/", personal.id());
            assertEquals("/remote.php/dav/addressbooks/users/pete/contacts/", contacts.id());
            assertTrue(personal.isDefault() && contacts.isDefault());
            store.target(pete, personal).create(ItemKey.event("first"), event("first", "First"));
        }
    }

    @Test
    void anEventDeletedInNextcloudIsWrittenAgainThroughItsTrashBin(NextcloudServer nextcloud) throws Exception {
        try (DavItemStore store = storeFor(nextcloud, "quinn")) {
            Owner quinn = owner("quinn");
            CollectionRef calendar = store.ensureCollection(quinn, CollectionKind.CALENDAR, "");
            ItemTarget target = store.target(quinn, calendar);
            ItemKey key = ItemKey.event("trashed-1");
            ItemVersion written = target.create(key, event("trashed-1", "Before"));
            ItemSource source = store.source(quinn, calendar);
            Cursor cursor = source.changes(Cursor.INITIAL).next();

            // the user deletes it in Nextcloud: it moves to the trash bin, where its UID blocks every PUT of it (500)
            assertSuccess(send(nextcloud, "quinn", "DELETE", written.ref(), null));
            assertEquals(500, send(nextcloud, "quinn", "PUT", calendar.id() + "probe.ics", eventText("trashed-1", "Probe")));

            int mark = nextcloud.mark();
            ItemVersion again = target.create(key, event("trashed-1", "After"));
            assertEquals(written.ref(), again.ref());
            List<String> sent = nextcloud.requestsSince(mark).stream().map(r -> r.method() + " " + r.status()).toList();
            assertEquals(List.of("PUT 500", "REPORT 207", "DELETE 204", "PUT 201"), sent, "one failed PUT, the trash looked up and purged, one PUT");
            String trash = request(nextcloud, "quinn", "REPORT", "/remote.php/dav/calendars/quinn/trashbin/objects/",
                    "<c:calendar-query xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:prop><c:calendar-data/></d:prop>"
                            + "<c:filter><c:comp-filter name=\"VCALENDAR\"/></c:filter></c:calendar-query>", "Depth", "1").body();
            assertFalse(trash.contains("trashed-1"), "the trashed copy is gone for good: " + trash);

            // the next sync-collection reports the href deleted and re-created between two syncs as 404: it is read as there
            ChangePage page = source.changes(cursor);
            List<Change> changes = page.changes().stream().filter(c -> c.key().equals(key)).toList();
            assertEquals(1, changes.size(), page.changes().toString());
            assertFalse(changes.get(0).isRemoval(), "it exists: " + changes);
            assertTrue(changes.get(0).item().orElseThrow().content().text().contains("SUMMARY:After"));
            assertEquals(1, store.source(quinn, calendar).changes(Cursor.INITIAL).changes().stream().filter(c -> c.key().equals(key)).count(),
                    "no duplicate");
        }
    }

    @Test
    void aUidAtAnotherAddressIsRefusedAsAPreconditionAndListedThere(NextcloudServer nextcloud) throws Exception {
        try (DavItemStore store = storeFor(nextcloud, "rosa")) {
            Owner rosa = owner("rosa");
            CollectionRef calendar = store.ensureCollection(rosa, CollectionKind.CALENDAR, "Elsewhere");
            assertSuccess(send(nextcloud, "rosa", "PUT", calendar.id() + "phone-1234.ics", eventText("shared-uid", "From the phone")));
            PreconditionFailedException refused = assertThrows(PreconditionFailedException.class,
                    () -> store.target(rosa, calendar).create(ItemKey.event("shared-uid"), event("shared-uid", "From Exchange")));
            assertTrue(refused.getMessage().contains("no-uid-conflict"), refused.getMessage());
            // what the engine adopts (it links the key to the item at the other address instead of retrying the PUT)
            ItemSource source = store.source(rosa, calendar);
            List<Change> listed = DavFixtures.withContent(source, source.changes(Cursor.INITIAL).changes());
            assertEquals(List.of(calendar.id() + "phone-1234.ics"),
                    listed.stream().filter(c -> c.key().value().equals("shared-uid")).map(Change::ref).toList());
        }
    }

    @Test
    void aSyncTokenTheServerForgotExpiresTheCursor(NextcloudServer nextcloud) throws Exception {
        try (DavItemStore store = storeFor(nextcloud, "sven")) {
            Owner sven = owner("sven");
            CollectionRef calendar = store.ensureCollection(sven, CollectionKind.CALENDAR, "");
            ItemSource source = store.source(sven, calendar);
            String current = source.changes(Cursor.INITIAL).next().value();
            assertTrue(current.matches("sync@\\d+:http://sabre\\.io/ns/sync/\\d+"), current);
            // a token from before a reinstall or restore: Nextcloud answers 207, no changes, and its current (lower) token
            CursorExpiredException forgotten = assertThrows(CursorExpiredException.class,
                    () -> source.changes(new Cursor("sync:http://sabre.io/ns/sync/987654")));
            assertTrue(forgotten.getMessage().contains("no longer knows"), forgotten.getMessage());
        }
    }

    @Test
    void changesTheServerForgotBehindAnAcceptedTokenAreCaughtUpByTheDailyFullListing(NextcloudServer nextcloud) throws Exception {
        String password = nextcloud.addAccount("tomas");
        knownUser("tomas", password);
        TestClock clock = new TestClock();
        try (DavItemStore store = new DavItemStore(DavSettings.defaults(URI.create(nextcloud.davBaseUrl())),
                new DavFixtures.Logins().with("tomas", password), null, LoginRetry.DEFAULTS, clock)) {
            Owner tomas = owner("tomas");
            CollectionRef calendar = store.ensureCollection(tomas, CollectionKind.CALENDAR, "");
            ItemSource source = store.source(tomas, calendar);
            Cursor synced = source.changes(Cursor.INITIAL).next();
            // another client adds an event; then Nextcloud's change log is pruned (PruneOutdatedSyncTokensJob)
            assertSuccess(send(nextcloud, "tomas", "PUT", calendar.id() + "added-elsewhere.ics", eventText("added-elsewhere", "Added elsewhere"),
                    "Content-Type", "text/calendar; charset=utf-8"));
            nextcloud.pruneSyncTokens();

            clock.advance(java.time.Duration.ofHours(23));
            int mark = nextcloud.mark();
            ChangePage silent = source.changes(synced);
            assertEquals(List.of(), silent.changes(), "Nextcloud answers the old token with no changes: the new event is missed");
            assertFalse(silent.complete());
            assertEquals(List.of("REPORT"), nextcloud.requestsSince(mark).stream().map(r -> r.method()).toList(),
                    "within the day: one sync-collection REPORT");

            clock.advance(java.time.Duration.ofHours(2));
            mark = nextcloud.mark();
            ChangePage listed = source.changes(silent.next());
            assertTrue(listed.complete(), "a day after the last full listing: the collection is listed in full");
            assertTrue(listed.changes().stream().anyMatch(c -> c.ref().endsWith("/added-elsewhere.ics") && c.version().isPresent()),
                    listed.changes().toString());
            assertTrue(listed.changes().stream().allMatch(c -> c.item().isEmpty()), "hrefs and ETags only: the engine fetches what differs");
            assertEquals(List.of("PROPFIND"), nextcloud.requestsSince(mark).stream().map(r -> r.method()).toList());
            assertTrue(listed.next().value().startsWith("sync@" + clock.instant().getEpochSecond() + ":"), listed.next().value());

            mark = nextcloud.mark();
            assertEquals(List.of(), source.changes(listed.next()).changes());
            assertEquals(List.of("REPORT"), nextcloud.requestsSince(mark).stream().map(r -> r.method()).toList(), "then tokens again");
        }
    }

    @Test
    void newAccountsHoldExampleItemsThatAreListedLikeAnyOther(NextcloudServer nextcloud) throws Exception {
        try (DavItemStore store = storeFor(nextcloud, "tina")) {
            Owner tina = owner("tina");
            ItemSource calendarSource = store.source(tina, store.ensureCollection(tina, CollectionKind.CALENDAR, ""));
            ItemSource contactsSource = store.source(tina, store.ensureCollection(tina, CollectionKind.CONTACTS, ""));
            List<Change> calendar = DavFixtures.withContent(calendarSource, calendarSource.changes(Cursor.INITIAL).changes());
            List<Change> contacts = DavFixtures.withContent(contactsSource, contactsSource.changes(Cursor.INITIAL).changes());
            assertEquals(Set.of("Example event - open me!"), calendar.stream().map(c -> summary(c)).collect(Collectors.toSet()));
            assertEquals(1, contacts.size());
            assertEquals("/remote.php/dav/addressbooks/users/tina/contacts/default", contacts.get(0).ref(), "an href without .vcf");
            assertTrue(contacts.get(0).item().orElseThrow().content().text().contains("FN:Leon Green"));
            // the built-in transformer keeps both out of Exchange (they are what Nextcloud really writes)
            assertTrue(NextcloudExampleItems.isExample(calendar.get(0).item().orElseThrow().content().text()),
                    calendar.get(0).item().orElseThrow().content().text());
            assertTrue(NextcloudExampleItems.isExample(contacts.get(0).item().orElseThrow().content().text()));
        }
    }

    /**
     * A new account's collections show few changes in the home listing (sabre/dav's numeric sync-token), so their first
     * listing carries the example items' content: one PROPFIND, no multiget. The hint is taken once: a later listing from
     * the start (after an expired token, a write conflict) lists without content, as the collection may have grown.
     */
    @Test
    void aNewAccountsFirstListingCarriesTheContentInOneRequest(NextcloudServer nextcloud) throws Exception {
        try (DavItemStore store = storeFor(nextcloud, "tess")) {
            Owner tess = owner("tess");
            for (CollectionKind kind : List.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS)) {
                ItemSource source = store.source(tess, store.ensureCollection(tess, kind, ""));
                int mark = nextcloud.mark();
                ChangePage first = source.changes(Cursor.INITIAL);
                assertEquals(List.of("PROPFIND"), nextcloud.requestsSince(mark).stream().map(r -> r.method()).toList(), kind.name());
                assertEquals(1, first.changes().size(), first.changes().toString());
                assertTrue(first.changes().get(0).item().isPresent(), "the example item came with its content: " + first.changes());
                assertTrue(NextcloudExampleItems.isExample(first.changes().get(0).item().orElseThrow().content().text()));
                assertTrue(first.complete());

                ChangePage again = source.changes(Cursor.INITIAL);
                assertEquals(first.changes().get(0).ref(), again.changes().get(0).ref());
                assertTrue(again.changes().get(0).item().isEmpty(), "the second listing from the start carries no content");
            }
        }
    }

    /**
     * An invitation written as Exchange already sent it (ORGANIZER a local user, ATTENDEE another local user): without
     * SCHEDULE-AGENT=CLIENT Nextcloud delivers its own copy into the attendee's calendar (and the attendee's own sync
     * of that UID would then be refused with 400); with it, as the Graph mapping writes every event, it does not.
     */
    @Test
    void invitationsWithScheduleAgentClientAreNotDeliveredToOtherLocalUsers(NextcloudServer nextcloud) throws Exception {
        NextcloudServer.User uma = nextcloud.addUser("uma", "uma@example.org", "Uma");
        NextcloudServer.User vic = nextcloud.addUser("vic", "vic@example.org", "Vic");
        knownUser("uma", uma.appPassword());
        knownUser("vic", vic.appPassword());
        String umas = "/remote.php/dav/calendars/uma/personal/";
        String vics = "/remote.php/dav/calendars/vic/personal/";
        assertSuccess(send(nextcloud, "uma", "PUT", umas + "client.ics", invitation("client-scheduled", ";SCHEDULE-AGENT=CLIENT")));
        assertSuccess(send(nextcloud, "uma", "PUT", umas + "server.ics", invitation("server-scheduled", "")));
        String vicsEvents = request(nextcloud, "vic", "REPORT", vics,
                "<c:calendar-query xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:prop><c:calendar-data/></d:prop>"
                        + "<c:filter><c:comp-filter name=\"VCALENDAR\"/></c:filter></c:calendar-query>", "Depth", "1").body();
        assertTrue(vicsEvents.contains("server-scheduled"), "the control: without SCHEDULE-AGENT=CLIENT Nextcloud delivers a copy");
        assertFalse(vicsEvents.contains("client-scheduled"), "with SCHEDULE-AGENT=CLIENT it does not");
    }

    private static String invitation(String uid, String scheduleAgent) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nexchange//Test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20250101T000000Z\r\nDTSTART:20300102T100000Z\r\nDTEND:20300102T110000Z\r\nSUMMARY:Invitation\r\n"
                + "ORGANIZER;CN=Uma" + scheduleAgent + ":mailto:uma@example.org\r\n"
                + "ATTENDEE;CN=Vic;PARTSTAT=NEEDS-ACTION;RSVP=TRUE" + scheduleAgent + ":mailto:vic@example.org\r\n"
                + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private static String summary(Change change) {
        String text = change.item().orElseThrow().content().text();
        int at = text.indexOf("SUMMARY:");
        return text.substring(at + 8, text.indexOf("\r\n", at));
    }

    private static List<String> ids(List<CollectionRef> collections) {
        return collections.stream().map(CollectionRef::id).toList();
    }
}
