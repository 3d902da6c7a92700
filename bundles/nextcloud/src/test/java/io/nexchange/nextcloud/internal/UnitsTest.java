package io.nexchange.nextcloud.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.Account;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pure parts: names, keys, cursors, configured logins. */
class UnitsTest {

    @Test
    void aSabreSyncTokenCountsTheCollectionsChangesAndOnlyASmallCountIsAHintTakenOnce() {
        assertEquals(java.util.Optional.of(1L), DavItemSource.changeCount("http://sabre.io/ns/sync/2"));
        assertEquals(java.util.Optional.of(0L), DavItemSource.changeCount(" http://sabre.io/ns/sync/1 "));
        assertEquals(java.util.Optional.empty(), DavItemSource.changeCount("http://radicale.org/ns/sync/4f2c9a"));
        assertEquals(java.util.Optional.empty(), DavItemSource.changeCount("http://sabre.io/ns/sync/99999999999999999999"));

        java.net.URI base = java.net.URI.create("http://127.0.0.1:1/remote.php/dav/");
        try (AccountSession session = new AccountSession("olga", new io.nexchange.nextcloud.credentials.DavLogin("olga",
                io.nexchange.api.auth.Secret.of("pw")), DavSettings.defaults(base), new LoginGuard(LoginRetry.DEFAULTS,
                java.time.Clock.systemUTC()), new ServerThrottle(null, base, java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC()), () -> {})) {
            session.noteChanges("/small/", AccountSession.SMALL_COLLECTION);
            session.noteChanges("/big/", AccountSession.SMALL_COLLECTION + 1);
            assertTrue(session.takeSmallHint("/small/"));
            assertFalse(session.takeSmallHint("/small/"), "taken once");
            assertFalse(session.takeSmallHint("/big/"));
            session.noteChanges("/grown/", 1);
            session.noteChanges("/grown/", 500);
            assertFalse(session.takeSmallHint("/grown/"), "the latest home listing counts");
        }
    }

    @Test
    void aSessionClosedUnderAWorkerAnswersATransientStoreErrorNotAPoolError() {
        java.net.URI base = java.net.URI.create("http://127.0.0.1:1/remote.php/dav/");
        AccountSession session = new AccountSession("olga", new io.nexchange.nextcloud.credentials.DavLogin("olga",
                io.nexchange.api.auth.Secret.of("pw")), DavSettings.defaults(base), new LoginGuard(LoginRetry.DEFAULTS,
                java.time.Clock.systemUTC()), new ServerThrottle(null, base, java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC()), () -> {});
        session.close();
        io.nexchange.api.source.StoreException stopping = assertThrows(io.nexchange.api.source.StoreException.class,
                () -> session.call("writing an event", dav -> dav.propfind(base, "0", "<d:propfind xmlns:d=\"DAV:\"/>")));
        assertTrue(stopping.isTransient(), "done at the next run");
        assertTrue(stopping.getMessage().contains("stopping"), stopping.getMessage());
    }

    @Test
    void resourceNamesAreDeterministicAndSafe() {
        assertEquals("meeting-1.ics", ResourceNames.forKey(ItemKey.event("meeting-1")));
        assertEquals("AAMkAD_x-y.vcf", ResourceNames.forKey(ItemKey.contact("AAMkAD_x-y")));
        String hashed = ResourceNames.forKey(ItemKey.event("a/b c"));
        assertTrue(hashed.matches("x-[0-9a-f]{64}\\.ics"), hashed);
        assertEquals(hashed, ResourceNames.forKey(ItemKey.event("a/b c")));
        assertNotEquals(hashed, ResourceNames.forKey(ItemKey.event("a/b d")));
        // a key that looks like a hashed name is hashed itself, so the two never meet
        String lookalike = hashed.substring(0, hashed.length() - 4);
        assertNotEquals(hashed, ResourceNames.forKey(ItemKey.event(lookalike)));
        assertTrue(ResourceNames.forKey(ItemKey.event(".hidden")).startsWith("x-"));
        assertTrue(ResourceNames.forKey(ItemKey.event("x".repeat(101))).startsWith("x-"));
        assertEquals(ItemKey.event("meeting-1"), ResourceNames.keyFromHref(CollectionKind.CALENDAR, "/cal/meeting-1.ics"));
        assertEquals("work", ResourceNames.collectionSegment("work"));
        assertTrue(ResourceNames.collectionSegment("Work Meetings").startsWith("work-meetings-"));
    }

    @Test
    void keysComeFromTheUidOfTheObjectNotOfItsAlarm() {
        String text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\n"
                + "DTSTART;TZID=Europe/Berlin:20250102T100000\r\nBEGIN:VALARM\r\nUID:alarm\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n"
                + "UID:0400000082\r\n 00E00074\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assertEquals(Optional.of(ItemKey.event("040000008200E00074")), ItemKeys.fromContent(CollectionKind.CALENDAR, text), "folded UID");
        String card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:ABC-1\r\nFN:X\r\nEND:VCARD\r\n";
        assertEquals(Optional.of(ItemKey.contact("ABC-1")), ItemKeys.fromContent(CollectionKind.CONTACTS, card));
        assertEquals(Optional.empty(), ItemKeys.fromContent(CollectionKind.CONTACTS, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n"));
        assertEquals(Optional.empty(), ItemKeys.fromContent(CollectionKind.CALENDAR, "not a calendar"));
    }

    @Test
    void cursorsRoundTripAndForeignOnesExpire() throws Exception {
        assertEquals(SyncCursor.Type.INITIAL, SyncCursor.parse(Cursor.INITIAL).type());
        SyncCursor list = SyncCursor.parse(SyncCursor.list("http://sabre.io/ns/sync/7", "/cal/a:b.ics"));
        assertEquals(new SyncCursor(SyncCursor.Type.LIST, "http://sabre.io/ns/sync/7", "/cal/a:b.ics"), list);
        assertEquals("tok", SyncCursor.parse(SyncCursor.sync("tok")).token());
        SyncCursor timed = SyncCursor.parse(SyncCursor.sync("http://sabre.io/ns/sync/9", 1_765_000_000L));
        assertEquals(new SyncCursor(SyncCursor.Type.SYNC, "http://sabre.io/ns/sync/9", "", 1_765_000_000L), timed);
        assertEquals(SyncCursor.NEVER_RECORDED, SyncCursor.parse(SyncCursor.sync("tok")).listedAt());
        assertThrows(CursorExpiredException.class, () -> SyncCursor.parse(new Cursor("sync@x:tok")));
        assertEquals(SyncCursor.Type.FULL, SyncCursor.parse(SyncCursor.full()).type());
        assertThrows(CursorExpiredException.class, () -> SyncCursor.parse(new Cursor("http://sabre.io/ns/sync/7")));
        assertThrows(CursorExpiredException.class, () -> SyncCursor.parse(new Cursor("list:!!:x")));
        assertEquals("\"abc\"", DavItemTarget.entityTag("abc"));
        assertEquals("W/\"abc\"", DavItemTarget.entityTag("W/\"abc\""));
    }

    @Test
    void configuredLoginsPreferTheUsersAppPasswordFile(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("alice"), "alice-app-pw\n");
        Account alice = new Account("alice", "alice@example.org", "");
        Account bob = new Account("bob", "bob@example.org", "");
        ConfiguredCredentials perUser = new ConfiguredCredentials(Optional.empty(), Optional.of(folder));
        assertEquals("alice-app-pw", perUser.login(alice).password().reveal());
        StoreException missing = assertThrows(StoreException.class, () -> perUser.login(bob));
        assertTrue(missing.getMessage().contains("'bob'") && missing.getMessage().contains(folder.resolve("bob").toString()), missing.getMessage());

        DavLogin service = new DavLogin("svc", io.nexchange.api.auth.Secret.of("svc-pw"));
        ConfiguredCredentials withService = new ConfiguredCredentials(Optional.of(service), Optional.of(folder));
        assertEquals(service, withService.login(bob));
        assertEquals("alice", withService.login(alice).username());
        String escaped = ConfiguredCredentials.fileName("../../etc/passwd");
        assertTrue(!escaped.contains("/") && !escaped.startsWith("."), escaped);
        assertTrue(!service.toString().contains("svc-pw"), service.toString());
    }
}
