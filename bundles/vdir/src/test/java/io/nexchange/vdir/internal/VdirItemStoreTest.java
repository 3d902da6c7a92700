package io.nexchange.vdir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
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
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VdirItemStoreTest {
    private static final Owner ALICE = new Owner(new Mailbox("a", "alice@example.org", "Alice"), new Account("alice", "alice@example.org", "Alice"));

    @TempDir
    Path root;

    private static ItemContent event(String uid, String summary) {
        return new ItemContent("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250102T100000Z\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    }

    @Test
    void laysOutCollectionsAsKhalAndKhardExpect() throws Exception {
        VdirItemStore store = new VdirItemStore(root);
        CollectionRef personal = store.ensureCollection(ALICE, CollectionKind.CALENDAR, "");
        CollectionRef work = store.ensureCollection(ALICE, CollectionKind.CALENDAR, "Work Meetings");
        CollectionRef contacts = store.ensureCollection(ALICE, CollectionKind.CONTACTS, "");
        assertEquals("alice/personal", personal.id());
        assertTrue(personal.isDefault());
        assertEquals("Work Meetings", work.displayName());
        assertEquals("Work Meetings", Files.readString(root.resolve(work.id()).resolve("displayname")));
        assertEquals(List.of(contacts), store.collections(ALICE, CollectionKind.CONTACTS));
        assertEquals(Set.of(personal.id(), work.id()), store.collections(ALICE, CollectionKind.CALENDAR).stream().map(CollectionRef::id).collect(Collectors.toSet()));
        assertEquals(work, store.ensureCollection(ALICE, CollectionKind.CALENDAR, "Work Meetings"), "found again, not recreated");

        ItemVersion written = store.target(ALICE, personal).create(ItemKey.event("ev-1"), event("ev-1", "One"));
        assertEquals("alice/personal/ev-1.ics", written.ref());
        assertEquals(event("ev-1", "One").text(), Files.readString(root.resolve("alice/personal/ev-1.ics")));
        try (Stream<Path> files = Files.list(root.resolve("alice/personal"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        // a folder made by hand with .vcf files counts as an address book
        Files.createDirectories(root.resolve("alice/from-phone"));
        Files.writeString(root.resolve("alice/from-phone/x.vcf"), "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:X\r\nEND:VCARD\r\n");
        assertEquals(2, store.collections(ALICE, CollectionKind.CONTACTS).size());
        assertThrows(StoreException.class, () -> store.source(ALICE, new CollectionRef(CollectionKind.CALENDAR, "../../etc", "", false)));
    }

    @Test
    void writesCheckVersions() throws Exception {
        VdirItemStore store = new VdirItemStore(root);
        CollectionRef calendar = store.ensureCollection(ALICE, CollectionKind.CALENDAR, "");
        ItemTarget target = store.target(ALICE, calendar);
        ItemKey key = ItemKey.event("ev-1");
        ItemVersion v1 = target.create(key, event("ev-1", "One"));
        assertThrows(PreconditionFailedException.class, () -> target.create(key, event("ev-1", "Again")));
        ItemVersion v2 = target.update(key, v1.ref(), v1.version(), event("ev-1", "Two"));
        assertNotEquals(v1.version(), v2.version());
        assertThrows(PreconditionFailedException.class, () -> target.update(key, v1.ref(), v1.version(), event("ev-1", "Lost")));
        assertEquals(Optional.of(v2), target.version(v2.ref()));

        // khal edits the file: our stale delete must not remove the edit
        Files.writeString(root.resolve(v2.ref()), event("ev-1", "Edited in khal").text());
        assertThrows(PreconditionFailedException.class, () -> target.delete(key, v2.ref(), v2.version()));
        ItemVersion edited = target.version(v2.ref()).orElseThrow();
        target.delete(key, edited.ref(), edited.version());
        assertEquals(Optional.empty(), target.version(edited.ref()));
        target.delete(key, edited.ref(), edited.version()); // gone already: fine
        assertThrows(StoreException.class, () -> target.version("alice/personal/../../../x.ics"));

        String hashed = target.create(ItemKey.event("040000008200E00074C5B7101A82E008/odd"), event("040000008200E00074C5B7101A82E008/odd", "O")).ref();
        assertTrue(hashed.matches("alice/personal/x-[0-9a-f]{64}\\.ics"), hashed);
    }

    @Test
    void cursorsReportWhatChangedSince() throws Exception {
        VdirItemStore store = new VdirItemStore(root);
        CollectionRef calendar = store.ensureCollection(ALICE, CollectionKind.CALENDAR, "");
        ItemTarget target = store.target(ALICE, calendar);
        ItemVersion one = target.create(ItemKey.event("one"), event("one", "One"));
        target.create(ItemKey.event("two"), event("two", "Two"));
        ItemSource source = store.source(ALICE, calendar);

        ChangePage all = source.changes(Cursor.INITIAL);
        assertTrue(all.complete());
        assertFalse(all.hasMore());
        assertEquals(Set.of("one", "two"), all.changes().stream().map(c -> c.key().value()).collect(Collectors.toSet()));
        assertEquals(one.version(), all.changes().stream().filter(c -> c.key().value().equals("one")).findFirst().orElseThrow().item().orElseThrow().version());

        ChangePage none = source.changes(all.next());
        assertEquals(List.of(), none.changes());
        assertFalse(none.complete());

        // another program adds a file under its own name, edits one, deletes one
        Files.writeString(root.resolve("alice/personal/khal-made.ics"), event("Khal-UID", "From khal").text());
        Files.writeString(root.resolve("alice/personal/two.ics"), event("two", "Two edited").text());
        Files.delete(root.resolve("alice/personal/one.ics"));
        Files.writeString(root.resolve("alice/personal/.ignored.tmp"), "half");
        ChangePage changed = source.changes(none.next());
        Map<String, Change> byKey = changed.changes().stream().collect(Collectors.toMap(c -> c.key().value(), c -> c));
        assertEquals(Set.of("Khal-UID", "two", "one"), byKey.keySet());
        assertTrue(byKey.get("one").isRemoval());
        assertEquals("alice/personal/one.ics", byKey.get("one").ref());
        assertEquals("alice/personal/khal-made.ics", byKey.get("Khal-UID").ref());
        assertTrue(byKey.get("two").item().orElseThrow().content().text().contains("Two edited"));
        assertEquals(List.of(), source.changes(changed.next()).changes());

        assertThrows(CursorExpiredException.class, () -> source.changes(new Cursor("http://sabre.io/ns/sync/4")));
        assertThrows(CursorExpiredException.class, () -> source.changes(new Cursor("vdir1:AAAA")));
    }

    @Test
    void theSnapshotOfAnEmptyFolderIsAValidCursor() throws Exception {
        // the first sync reads the empty folder before writing into it, so its snapshot is the one stored
        VdirItemStore store = new VdirItemStore(root);
        CollectionRef calendar = store.ensureCollection(ALICE, CollectionKind.CALENDAR, "");
        ItemSource source = store.source(ALICE, calendar);
        ChangePage empty = source.changes(Cursor.INITIAL);
        assertEquals(List.of(), empty.changes());

        store.target(ALICE, calendar).create(ItemKey.event("one"), event("one", "One"));
        ChangePage next = source.changes(empty.next());
        assertFalse(next.complete(), "an incremental read, not a full listing after a 'damaged' cursor");
        assertEquals(List.of("one"), next.changes().stream().map(c -> c.key().value()).collect(Collectors.toList()));
    }

    @Test
    void snapshotsOfManyItemsStaySmall() throws Exception {
        Map<String, Snapshot.Entry> entries = new java.util.HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String uid = "event-" + i;
            entries.put(uid + ".ics", new Snapshot.Entry(VdirItemTarget.versionOf(uid.getBytes(StandardCharsets.UTF_8)), ItemKey.event(uid)));
        }
        Cursor cursor = Snapshot.encode(entries);
        assertEquals(entries, Snapshot.decode(cursor, CollectionKind.CALENDAR));
        assertTrue(cursor.value().length() < 40 * 1000, "about 30 bytes per item, was " + cursor.value().length() / 1000.0);
    }

    @Test
    void uidsAreReadLikeTheCalDavStoreReadsThem() {
        assertEquals(Optional.of(ItemKey.event("abc-123")), Uids.key(CollectionKind.CALENDAR,
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nBEGIN:VALARM\r\nUID:alarm\r\nEND:VALARM\r\nUID;X-P=\"a:b\":abc-\r\n 123\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"));
        assertEquals(Optional.of(ItemKey.contact("F00D")), Uids.key(CollectionKind.CONTACTS, "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:F00D\nEND:VCARD\n"));
        assertEquals(Optional.empty(), Uids.key(CollectionKind.CALENDAR, "BEGIN:VCALENDAR\r\nUID:top-level\r\nEND:VCALENDAR\r\n"));
    }
}
