package io.nexchange.engine.internal;

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
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory ItemStore (vdirsyncer's MemoryStorage): a change log per collection, cursors {@code S<epoch>:<seq>}
 * that {@link Collection#expireCursors} kills, paged listings, and failure injection after k writes.
 */
final class MemoryStore implements ItemStore {
    private static final AtomicInteger VERSIONS = new AtomicInteger();

    final String name;
    final java.util.concurrent.ConcurrentNavigableMap<String, Collection> collections = new java.util.concurrent.ConcurrentSkipListMap<>();

    private final Set<CollectionKind> kinds;

    MemoryStore(String name) {
        this(name, EnumSet.allOf(CollectionKind.class));
    }

    MemoryStore(String name, Set<CollectionKind> kinds) {
        this.name = name;
        this.kinds = Set.copyOf(kinds);
    }

    @Override
    public Set<CollectionKind> kinds() {
        return kinds;
    }

    /** The owner's default collection of the kind (created if missing), then the others, like Graph lists them. */
    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
        List<CollectionRef> refs = new ArrayList<>();
        refs.add(ensureCollection(owner, kind, ""));
        String prefix = owner.mailbox().primarySmtp() + "/" + kind + "/";
        // a sorted map: one owner's collections without looking at the others' (10,000 mailboxes in one store)
        collections.subMap(prefix, prefix + Character.MAX_VALUE).keySet().stream().filter(id -> !id.equals(prefix + "default"))
                .forEach(id -> refs.add(new CollectionRef(kind, id, id.substring(prefix.length()), false)));
        return refs;
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) {
        String id = owner.mailbox().primarySmtp() + "/" + kind + "/" + (name.isEmpty() ? "default" : name);
        collections.computeIfAbsent(id, i -> new Collection(kind, this.name + ":" + i));
        return new CollectionRef(kind, id, name, name.isEmpty());
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) {
        return collections.get(collection.id());
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) {
        return collections.get(collection.id());
    }

    static String ics(String uid, String summary) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nSUMMARY:" + summary
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** An item's text of the kind: an event as {@link #ics}, a contact as a vCard 3.0 named {@code name}. */
    static String text(CollectionKind kind, String uid, String name) {
        return kind == CollectionKind.CALENDAR ? ics(uid, name)
                : "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + uid + "\r\nFN:" + name + "\r\nN:" + name + ";;;;\r\nEND:VCARD\r\n";
    }

    /** One collection: both an ItemSource and an ItemTarget. */
    static final class Collection implements ItemSource, ItemTarget {
        final CollectionKind kind;
        final String refPrefix;
        final TreeMap<String, Item> items = new TreeMap<>();
        final List<String> log = new ArrayList<>(); // the ref changed at each sequence number (index + 1)
        int epoch;
        int pageSize = 7;
        int writes;
        int reads;
        /** Items handed out with content: by {@link #fetch}, or with the listing when {@link #eager}. */
        int contentsRead;
        /** Lists items with their content (as Graph's delta does) instead of (key, ref, version) only (as DAV does). */
        boolean eager;
        private int failAfter = -1;
        private boolean failAfterWrite;
        private RuntimeException crash;
        private StoreException failure;
        private boolean listEmpty;
        /** Writes of content that holds this text fail with {@link #rejection} (a server refusing one item). */
        private String rejectMarker;
        private StoreException rejection;
        int rejected;
        /** Items whose content holds this text are listed as unreadable (a source that cannot map them). */
        String unreadableMarker;
        /**
         * Gives every created item a key of its own, written as its UID, as Graph gives an event created through it a new
         * iCalUId and a contact a new id; a create repeated with the same key answers with the first one's item while it
         * exists, as Graph does for a POST with the same {@code transactionId}, and the item is listed and fetched with
         * the key's {@linkplain Change#creationMark() creation mark}, as Graph lists the event with its transactionId.
         */
        boolean assignsOwnKeys;
        /**
         * With {@link #assignsOwnKeys}: whether the listings carry the creation mark (Graph events: the transactionId); off
         * as for contacts, whose listings (Graph's contact delta, EWS's SyncFolderItems) do not show the key they were
         * created for, while a repeated create still answers with the first item (the store's look-up of its property).
         */
        boolean marksCreations = true;
        private final Map<ItemKey, String> createdFor = new java.util.HashMap<>();
        /** With {@link #assignsOwnKeys}: the key each own key's item was created for (kept after the item is gone). */
        final Map<String, ItemKey> createdAs = new java.util.HashMap<>();
        /** The keys of every item removed so far, by a user or a write (the ground truth of what was ever deleted). */
        final Set<String> removedKeys = new java.util.HashSet<>();
        /** The keys of every item this collection held so far. */
        final Set<String> keysEverHeld = new java.util.HashSet<>();
        private int ownKeys;
        /**
         * The items the listings show, as Graph's calendarView shows the events of its window (null: every item): full
         * listings are {@link ChangePage#windowed}, incremental ones leave changes outside it out; {@link #fetch} reads any.
         */
        volatile java.util.function.Predicate<Item> window;
        /** Refs asked for through {@link #fetch}. */
        int fetched;
        /** Items {@link #fetch} leaves out of its answer, as EWS leaves out what is outside its window (null: none). */
        volatile java.util.function.Predicate<Item> unanswered;

        Collection(CollectionKind kind, String refPrefix) {
            this.kind = kind;
            this.refPrefix = refPrefix;
        }

        // ---- test manipulation (what a user or another client does) ----

        synchronized Item put(String uid, String text) {
            ItemKey key = new ItemKey(kind, uid);
            Item old = byKey(key);
            String ref = old != null ? old.ref() : refPrefix + "/" + uid + "-" + VERSIONS.incrementAndGet();
            Item item = new Item(key, ref, "v" + VERSIONS.incrementAndGet(), new ItemContent(kind.mediaType(), text));
            items.put(ref, item);
            keysEverHeld.add(uid);
            log.add(ref);
            return item;
        }

        /** A new version token over the same content (what a server re-serialising or Exchange's changeKey churn does). */
        synchronized void touch(String uid) {
            Item old = byKey(new ItemKey(kind, uid));
            items.put(old.ref(), new Item(old.key(), old.ref(), "v" + VERSIONS.incrementAndGet(), old.content()));
            log.add(old.ref());
        }

        synchronized void remove(String uid) {
            Item old = byKey(new ItemKey(kind, uid));
            items.remove(old.ref());
            removedKeys.add(uid);
            log.add(old.ref());
        }

        synchronized void expireCursors() {
            epoch++;
        }

        /** Full listings come back empty (a broken backend or a wrong collection), as in caldavsynchronizer #228. */
        synchronized void listEmpty(boolean value) {
            listEmpty = value;
        }

        /** Throws {@code crash} at write number k+1 (before it) or right after write k+1 succeeded. */
        synchronized void crashAfter(int k, boolean afterTheWrite, RuntimeException crash) {
            this.failAfter = k;
            this.failAfterWrite = afterTheWrite;
            this.crash = crash;
            this.failure = null;
        }

        synchronized void failAfter(int k, StoreException failure) {
            this.failAfter = k;
            this.failAfterWrite = false;
            this.crash = null;
            this.failure = failure;
        }

        synchronized void heal() {
            failAfter = -1;
        }

        /** Refuses every create or update of content that holds {@code marker} with {@code failure} (null: accept again). */
        synchronized void reject(String marker, StoreException failure) {
            this.rejectMarker = failure == null ? null : marker;
            this.rejection = failure;
        }

        private void refuseMarked(ItemContent content) throws StoreException {
            if (rejectMarker != null && content.text().contains(rejectMarker)) {
                rejected++;
                throw rejection;
            }
        }

        synchronized Item byKey(ItemKey key) {
            return items.values().stream().filter(i -> i.key().equals(key)).findFirst().orElse(null);
        }

        synchronized Item byUid(String uid) {
            return byKey(new ItemKey(kind, uid));
        }

        synchronized Map<String, String> contentsByUid() {
            Map<String, String> m = new TreeMap<>();
            items.values().forEach(i -> m.put(i.key().value(), i.content().text()));
            return m;
        }

        synchronized Cursor now() {
            return new Cursor("S" + epoch + ":" + log.size());
        }

        // ---- ItemSource ----

        @Override
        public synchronized ChangePage changes(Cursor cursor) throws StoreException {
            reads++;
            if (cursor.isInitial() || cursor.value().startsWith("L")) {
                int offset = 0;
                int seqAtStart = log.size();
                if (!cursor.isInitial()) {
                    String[] p = cursor.value().substring(1).split(":");
                    if (Integer.parseInt(p[0]) != epoch) {
                        throw new CursorExpiredException("listing cursor of an old epoch");
                    }
                    seqAtStart = Integer.parseInt(p[1]);
                    offset = Integer.parseInt(p[2]);
                }
                List<Item> all = listEmpty ? List.of() : items.values().stream().filter(this::inWindow).toList();
                List<Change> page = new ArrayList<>();
                for (int i = offset; i < Math.min(all.size(), offset + pageSize); i++) {
                    page.add(listed(all.get(i)));
                }
                int end = offset + page.size();
                boolean more = end < all.size();
                Cursor next = more ? new Cursor("L" + epoch + ":" + seqAtStart + ":" + end)
                        : new Cursor("S" + epoch + ":" + seqAtStart);
                return new ChangePage(page, next, more, true, window != null);
            }
            String[] p = cursor.value().substring(1).split(":");
            if (!cursor.value().startsWith("S") || Integer.parseInt(p[0]) != epoch) {
                throw new CursorExpiredException("sync state of an old epoch");
            }
            int seq = Integer.parseInt(p[1]);
            Map<String, Integer> latest = new LinkedHashMap<>();
            for (int i = seq; i < log.size(); i++) {
                latest.remove(log.get(i));
                latest.put(log.get(i), i + 1);
            }
            List<Change> page = new ArrayList<>();
            int last = seq;
            for (Map.Entry<String, Integer> e : latest.entrySet()) {
                if (page.size() == pageSize) {
                    break;
                }
                Item item = items.get(e.getKey());
                last = e.getValue();
                if (item != null && !inWindow(item)) {
                    continue; // a change outside the window: the delta of the window does not show it
                }
                page.add(item != null ? listed(item) : Change.removal(keyOfRef(e.getKey()), e.getKey()));
            }
            boolean more = page.size() == pageSize && latest.size() > pageSize;
            return new ChangePage(page, new Cursor("S" + epoch + ":" + (more ? last : log.size())), more, false);
        }

        private boolean inWindow(Item item) {
            java.util.function.Predicate<Item> w = window;
            return w == null || w.test(item);
        }

        private Change listed(Item item) {
            if (unreadableMarker != null && item.content().text().contains(unreadableMarker)) {
                return marked(unreadable(item));
            }
            if (eager) {
                contentsRead++;
                return marked(Change.upsert(item));
            }
            return marked(Change.listed(keyOfRef(item.ref()), item.ref(), item.version()));
        }

        /** The change with the creation mark of the key the item was created for, where {@link #create} made it so. */
        private Change marked(Change change) {
            if (!assignsOwnKeys || !marksCreations) {
                return change;
            }
            for (Map.Entry<ItemKey, String> created : createdFor.entrySet()) {
                if (created.getValue().equals(change.ref())) {
                    return change.withCreationMark(Change.markFor(created.getKey()));
                }
            }
            return change;
        }

        private Change unreadable(Item item) {
            return Change.unreadable(item.key(), item.ref(), item.version(), "unreadable " + item.key().value(),
                    "field X cannot be read");
        }

        @Override
        public synchronized List<Change> fetch(List<String> refs) {
            fetched += refs.size();
            List<Change> answers = new ArrayList<>();
            for (String ref : refs) {
                Item item = items.get(ref);
                if (item == null) {
                    answers.add(Change.removal(keyOfRef(ref), ref));
                } else if (unanswered != null && unanswered.test(item)) {
                    continue;
                } else if (unreadableMarker != null && item.content().text().contains(unreadableMarker)) {
                    answers.add(marked(unreadable(item)));
                } else {
                    contentsRead++;
                    answers.add(marked(Change.upsert(item)));
                }
            }
            return answers;
        }

        private ItemKey keyOfRef(String ref) {
            // like a DAV removal: the key is guessed from the name; the engine matches removals by ref
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            return new ItemKey(kind, name.substring(0, name.lastIndexOf('-')));
        }

        // ---- ItemTarget ----

        /** What the store keeps of written content (Graph keeps its own mapping of what it was sent); as sent by default. */
        volatile java.util.function.UnaryOperator<String> keeps = text -> text;

        /** Runs before every write (a test's hook to pause a run midway). */
        volatile Runnable onWrite = () -> { };

        /** Holds the writing thread at write number {@code n}: counts {@code paused} down, waits for {@code resume}. */
        void pauseAtWrite(int n, java.util.concurrent.CountDownLatch paused, java.util.concurrent.CountDownLatch resume) {
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            onWrite = () -> {
                if (count.incrementAndGet() == n) {
                    paused.countDown();
                    try {
                        resume.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }

        private void beforeWrite() throws StoreException {
            onWrite.run();
            if (failAfter >= 0 && writes >= failAfter && !failAfterWrite) {
                if (crash != null) {
                    throw crash;
                }
                throw failure;
            }
        }

        private void afterWrite() {
            writes++;
            if (failAfter >= 0 && failAfterWrite && writes > failAfter) {
                failAfter = -1;
                throw crash;
            }
        }

        @Override
        public synchronized ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
            beforeWrite();
            refuseMarked(content);
            if (assignsOwnKeys) {
                Item first = items.get(createdFor.getOrDefault(key, ""));
                if (first != null) {
                    afterWrite();
                    return new ItemVersion(first.ref(), first.version());
                }
                String own = "own" + (++ownKeys) + "-" + refPrefix.replaceAll("[^a-z]", "");
                Item item = put(own, ItemIdentity.withUid(content, own).text());
                createdFor.put(key, item.ref());
                createdAs.put(own, key);
                afterWrite();
                return new ItemVersion(item.ref(), item.version());
            }
            if (byKey(key) != null) {
                throw new PreconditionFailedException(key + " exists");
            }
            Item item = put(key.value(), keeps.apply(content.text()));
            afterWrite();
            return new ItemVersion(item.ref(), item.version());
        }

        @Override
        public synchronized ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content)
                throws StoreException {
            beforeWrite();
            refuseMarked(content);
            Item old = items.get(ref);
            if (old == null || !old.version().equals(expectedVersion)) {
                throw new PreconditionFailedException(ref + " is not in version " + expectedVersion);
            }
            // a store that names its items keeps its own key (Graph: a PATCH does not change the iCalUId)
            Item item = assignsOwnKeys ? put(old.key().value(), keeps.apply(ItemIdentity.withUid(content, old.key().value()).text()))
                    : put(key.value(), keeps.apply(content.text()));
            afterWrite();
            return new ItemVersion(item.ref(), item.version());
        }

        @Override
        public synchronized void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
            beforeWrite();
            Item old = items.get(ref);
            if (old != null) {
                if (!old.version().equals(expectedVersion)) {
                    throw new PreconditionFailedException(ref + " is not in version " + expectedVersion);
                }
                items.remove(ref);
                removedKeys.add(old.key().value());
                log.add(ref);
            }
            afterWrite();
        }

        @Override
        public synchronized Optional<ItemVersion> version(String ref) {
            Item item = items.get(ref);
            return item == null ? Optional.empty() : Optional.of(new ItemVersion(ref, item.version()));
        }
    }
}
