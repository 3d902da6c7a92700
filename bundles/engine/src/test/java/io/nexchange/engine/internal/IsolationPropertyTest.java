package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.item.Item;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Issue 16 item 4: no item of mailbox A ever lands in a Nextcloud account that A was not mapped to. Random histories over
 * up to 4 mailboxes and 3 Nextcloud users: mappings rewritten (unmapped, one user, two users = ambiguous, two mailboxes
 * on one user), mailboxes renamed (display names that several mailboxes share), primary addresses changed (the mailbox
 * keeps its id, the mapping may or may not follow), calendars delegated to other mailboxes (listed as shared calendars,
 * whose display names may collide), meetings with the same UID in several mailboxes, with cycles of the real scheduler
 * (2 workers) and the real CSV account directory in between. After every cycle: each item in account U comes from a
 * mailbox that was mapped to U alone at some cycle, or from a calendar delegated to such a mailbox; unmapped and ambiguous
 * mailboxes write nothing.
 *
 * <p>That is one-way sync's promise. In two-way sync an item also travels back: from an account into every Exchange
 * calendar synced with it (the mailbox mapped to it, a calendar delegated to that mailbox), and from there on into the
 * accounts those calendars are synced with later. So two mailboxes mapped to one account (a mapping mistake the engine
 * cannot tell from a shared account) exchange their items, and a mailbox mapped to an account that held another's items
 * receives them. {@link #twoWayItemsTravelOnlyAlongTheMappings} checks that nothing goes further: every item, on either
 * side, sits in an account or Exchange calendar that was synced, directly or through such a chain, with its origin.
 */
class IsolationPropertyTest {
    private static final String[] ADDRESSES = {"alice@example.org", "bob@example.org", "carol@example.org", "room@example.org",
            "ALICE@example.org"};
    private static final String[] NAMES = {"Alice", "Bob", "Meeting Room", "Alice"};
    private static final String[] USERS = {"alice", "bob", "carol"};
    private static final Pattern FROM = Pattern.compile("SUMMARY:from (m\\d)");

    enum Op { SYNC, RENAME, READDRESS, REMAP, DELEGATE, ADD_ITEM, MEETING }

    record Step(Op op, int a, int b, int c) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Op.class), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 6)).as(Step::new);
        return step.list().ofMinSize(3).ofMaxSize(14);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void noItemOfAMailboxLandsInAnAccountItWasNotMappedTo(@ForAll("histories") List<Step> history) throws Exception {
        run(history, Direction.EXCHANGE_TO_NEXTCLOUD);
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void twoWayItemsTravelOnlyAlongTheMappings(@ForAll("histories") List<Step> history) throws Exception {
        run(history, Direction.TWO_WAY);
    }

    private static void run(List<Step> history, Direction direction) throws Exception {
        Path mapping = Files.createTempFile("isolation-mapping", ".csv");
        try {
            new World(mapping, direction).run(history);
        } finally {
            Files.deleteIfExists(mapping);
        }
    }

    /** Mailboxes m0..m3, their Exchange calendars, the Nextcloud accounts, the mapping file, and what each account may hold. */
    private static final class World {
        final Path mappingFile;
        final Map<String, Mailbox> mailboxes = new TreeMap<>();
        final Map<String, Set<String>> mapping = new TreeMap<>(); // address -> user ids
        final Map<String, Set<String>> delegatedTo = new HashMap<>(); // mailbox id -> ids of mailboxes whose calendar it sees
        final Map<String, Set<String>> allowed = new HashMap<>(); // user id -> mailbox ids whose items it may hold
        final Map<String, Set<String>> mayHoldInExchange = new HashMap<>(); // two-way: calendar (mailbox id) -> origins
        final ExchangeSide exchange = new ExchangeSide();
        final NextcloudSide nextcloud = new NextcloudSide();
        final MemoryStateStore state = new MemoryStateStore();
        final Direction direction;
        int items;

        World(Path mappingFile, Direction direction) {
            this.mappingFile = mappingFile;
            this.direction = direction;
            for (int i = 0; i < 4; i++) {
                String id = "m" + i;
                mailboxes.put(id, new Mailbox(id, ADDRESSES[i], NAMES[i]));
                exchange.calendar(id).put(id + "-first", ics(id + "-first", "from " + id + " first"));
                mapping.put(ADDRESSES[i], new HashSet<>(Set.of(USERS[i % USERS.length])));
            }
        }

        void run(List<Step> history) throws Exception {
            for (Step step : history) {
                apply(step);
            }
            sync();
        }

        void apply(Step s) throws Exception {
            String id = "m" + s.a();
            switch (s.op()) {
                case SYNC -> sync();
                case RENAME -> mailboxes.put(id, new Mailbox(id, mailboxes.get(id).primarySmtp(), NAMES[s.b() % NAMES.length]));
                case READDRESS -> {
                    String old = mailboxes.get(id).primarySmtp();
                    String address = ADDRESSES[s.b()].toLowerCase(java.util.Locale.ROOT);
                    mailboxes.put(id, new Mailbox(id, address, mailboxes.get(id).displayName()));
                    if (s.c() % 2 == 0) { // the administrator moves the mapping along
                        mapping.put(address, mapping.getOrDefault(old, new HashSet<>()));
                    }
                }
                case REMAP -> {
                    // 0: unmapped, 1-3: one user, 4-6: two users (ambiguous)
                    Set<String> users = new HashSet<>();
                    if (s.c() >= 1) {
                        users.add(USERS[s.c() % USERS.length]);
                    }
                    if (s.c() >= 4) {
                        users.add(USERS[(s.c() + 1) % USERS.length]);
                    }
                    mapping.put(ADDRESSES[s.b()].toLowerCase(java.util.Locale.ROOT), users);
                }
                case DELEGATE -> {
                    String other = "m" + (s.b() % 4);
                    if (!other.equals(id)) {
                        delegatedTo.computeIfAbsent(id, k -> new HashSet<>()).add(other);
                    }
                }
                case ADD_ITEM -> {
                    String uid = id + "-" + (++items);
                    exchange.calendar(id).put(uid, ics(uid, "from " + id + " item " + items));
                }
                case MEETING -> {
                    // the same meeting (same UID) in two mailboxes' calendars, as Exchange keeps it for organizer and attendee
                    String uid = "meeting-" + s.c();
                    exchange.calendar(id).put(uid, ics(uid, "from " + id + " meeting"));
                    String other = "m" + (s.b() % 4);
                    exchange.calendar(other).put(uid, ics(uid, "from " + other + " meeting"));
                }
                default -> throw new IllegalStateException();
            }
        }

        void sync() throws Exception {
            List<String> lines = new ArrayList<>(List.of("primary_smtp,nextcloud_user_id"));
            mapping.forEach((address, users) -> users.forEach(user -> lines.add(address + "," + user)));
            Files.write(mappingFile, lines);
            CsvAccountDirectory accounts = new CsvAccountDirectory(mappingFile); // read afresh: mtime has 1 s granularity
            Map<String, Set<String>> syncedWith = new HashMap<>(); // this cycle: user id -> Exchange calendars (mailbox ids)
            for (Mailbox mailbox : mailboxes.values()) {
                Resolution resolution = accounts.resolve(mailbox);
                if (resolution.account().isPresent() && !resolution.isAmbiguous()) {
                    Set<String> may = allowed.computeIfAbsent(resolution.account().get().userId(), k -> new HashSet<>());
                    may.add(mailbox.id());
                    may.addAll(delegatedTo.getOrDefault(mailbox.id(), Set.of()));
                    Set<String> calendars = syncedWith.computeIfAbsent(resolution.account().get().userId(), k -> new HashSet<>());
                    calendars.add(mailbox.id());
                    calendars.addAll(delegatedTo.getOrDefault(mailbox.id(), Set.of()));
                }
            }
            if (direction == Direction.TWO_WAY) {
                travelAlong(syncedWith);
            }
            Map<String, Integer> before = nextcloud.itemCounts();
            EngineSettings settings = new EngineSettings(SyncSettings.defaults().with(direction),
                    Routing.parse("graph", new String[0], "caldav"),
                    EnumSet.of(CollectionKind.CALENDAR), "", "", 2, Duration.ofMinutes(5), "isolation");
            List<Mailbox> list = List.copyOf(mailboxes.values());
            List<MailboxResult> results;
            try (SyncScheduler scheduler = new SyncScheduler(() -> list, listener -> new MailboxSync(accounts, state,
                    (side, backend, kind) -> java.util.Optional.of(side.equals("exchange") ? (ItemStore) exchange : nextcloud),
                    settings, listener, Clock.systemUTC()), 2, Clock.systemUTC())) {
                results = scheduler.cycle(false).get(30, TimeUnit.SECONDS);
            }
            for (MailboxResult r : results) {
                if (r.state() == MailboxResult.State.UNMAPPED || r.state() == MailboxResult.State.AMBIGUOUS) {
                    assertEquals(0, r.writes(), "an unmapped or ambiguous mailbox writes nothing: " + r.summary());
                }
            }
            nextcloud.forEachItem((user, item) -> {
                Matcher from = FROM.matcher(item.content().text());
                assertTrue(from.find(), "every item says where it came from: " + item.content().text());
                assertTrue(allowed.getOrDefault(user, Set.of()).contains(from.group(1)), "an item of mailbox " + from.group(1)
                        + " landed in account " + user + ", which only " + allowed.getOrDefault(user, Set.of())
                        + " may hold; mapping " + mapping + ", delegations " + delegatedTo + ", before " + before);
            });
            exchange.calendars.forEach((mailboxId, calendar) -> {
                List<Item> copy;
                synchronized (calendar) {
                    copy = List.copyOf(calendar.items.values());
                }
                for (Item item : copy) {
                    Matcher from = FROM.matcher(item.content().text());
                    assertTrue(from.find(), "every item says where it came from: " + item.content().text());
                    Set<String> may = direction == Direction.TWO_WAY ? mayHoldInExchange.getOrDefault(mailboxId, Set.of(mailboxId))
                            : Set.of(mailboxId);
                    assertTrue(may.contains(from.group(1)), "an item of "
                            + from.group(1) + " landed in the Exchange calendar of " + mailboxId + ", which may hold " + may
                            + "; mapping " + mapping + ", delegations " + delegatedTo);
                }
            });
        }

        /**
         * Two-way: this cycle may carry an item from an account into every Exchange calendar synced with it and on into
         * every account synced with that calendar (the pairs run one after another), so both take the union, to a fixed
         * point.
         */
        void travelAlong(Map<String, Set<String>> syncedWith) {
            for (String id : mailboxes.keySet()) {
                mayHoldInExchange.computeIfAbsent(id, k -> new HashSet<>(Set.of(id)));
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Map.Entry<String, Set<String>> account : syncedWith.entrySet()) {
                    Set<String> inAccount = allowed.computeIfAbsent(account.getKey(), k -> new HashSet<>());
                    for (String calendar : account.getValue()) {
                        Set<String> inCalendar = mayHoldInExchange.get(calendar);
                        changed |= inAccount.addAll(inCalendar);
                        changed |= inCalendar.addAll(inAccount);
                    }
                }
            }
        }

        /** The Exchange side: one calendar per mailbox (by id, which survives address changes), plus delegated ones. */
        final class ExchangeSide implements ItemStore {
            final Map<String, MemoryStore.Collection> calendars = new ConcurrentHashMap<>();

            MemoryStore.Collection calendar(String mailboxId) {
                return calendars.computeIfAbsent(mailboxId, id -> new MemoryStore.Collection(CollectionKind.CALENDAR, "ex/" + id));
            }

            @Override
            public Set<CollectionKind> kinds() {
                return EnumSet.of(CollectionKind.CALENDAR);
            }

            @Override
            public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
                String id = owner.mailbox().id();
                List<CollectionRef> refs = new ArrayList<>(List.of(new CollectionRef(kind, id, "Calendar", true)));
                for (String other : new java.util.TreeSet<>(delegatedTo.getOrDefault(id, Set.of()))) {
                    // a shared calendar is listed under its owner's display name, which several mailboxes may share
                    refs.add(new CollectionRef(kind, other, "Calendar of " + mailboxes.get(other).displayName(), false));
                }
                return refs;
            }

            @Override
            public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) {
                throw new UnsupportedOperationException("the engine never creates Exchange calendars");
            }

            @Override
            public ItemSource source(Owner owner, CollectionRef collection) {
                return calendar(collection.id());
            }

            @Override
            public ItemTarget target(Owner owner, CollectionRef collection) {
                return calendar(collection.id());
            }
        }

        /** The Nextcloud side: collections belong to the account (user id), as in a DAV server. */
        static final class NextcloudSide implements ItemStore {
            final Map<String, MemoryStore.Collection> collections = new ConcurrentHashMap<>();

            @Override
            public Set<CollectionKind> kinds() {
                return EnumSet.of(CollectionKind.CALENDAR);
            }

            @Override
            public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
                return List.of(ensureCollection(owner, kind, ""));
            }

            @Override
            public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) {
                String id = owner.account().userId() + "/" + (name.isEmpty() ? "personal" : name);
                collections.computeIfAbsent(id, k -> new MemoryStore.Collection(kind, "nc/" + k));
                return new CollectionRef(kind, id, name.isEmpty() ? "personal" : name, name.isEmpty());
            }

            @Override
            public ItemSource source(Owner owner, CollectionRef collection) {
                return own(owner, collection);
            }

            @Override
            public ItemTarget target(Owner owner, CollectionRef collection) {
                return own(owner, collection);
            }

            /** A DAV server answers 403 to another account's collection: so does this one. */
            private MemoryStore.Collection own(Owner owner, CollectionRef collection) {
                if (!collection.id().startsWith(owner.account().userId() + "/")) {
                    throw new AssertionError(owner.account().userId() + " was handed collection " + collection.id());
                }
                return collections.get(collection.id());
            }

            Map<String, Integer> itemCounts() {
                Map<String, Integer> counts = new TreeMap<>();
                collections.forEach((id, c) -> counts.put(id, c.items.size()));
                return counts;
            }

            void forEachItem(java.util.function.BiConsumer<String, Item> action) {
                collections.forEach((id, c) -> {
                    List<Item> copy;
                    synchronized (c) {
                        copy = List.copyOf(c.items.values());
                    }
                    copy.forEach(item -> action.accept(id.substring(0, id.indexOf('/')), item));
                });
            }
        }
    }
}
