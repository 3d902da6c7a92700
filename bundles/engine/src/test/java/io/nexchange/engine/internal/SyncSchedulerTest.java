package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.api.state.Lease;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler and the per-mailbox worker over in-memory stores: routing, directories, leases, status. */
class SyncSchedulerTest {
    final MemoryStore graph = new MemoryStore("graph");
    final MemoryStore ews = new MemoryStore("ews");
    final MemoryStore nextcloud = new MemoryStore("vdir");
    final MemoryStateStore state = new MemoryStateStore();
    final Map<String, List<Account>> accounts = new HashMap<>();
    SyncScheduler scheduler;

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    BackendRouter router;
    io.nexchange.api.directory.MailboxDirectory directory;

    SyncScheduler scheduler(String overrides, String... mailboxes) {
        return scheduler(routing(overrides), new StaticMailboxDirectory(mailboxes));
    }

    SyncScheduler scheduler(io.nexchange.api.directory.MailboxDirectory directory, String overrides) {
        return scheduler(routing(overrides), directory);
    }

    SyncScheduler scheduler(Routing routing, String... mailboxes) {
        return scheduler(routing, new StaticMailboxDirectory(mailboxes));
    }

    static Routing routing(String overrides) {
        return Routing.parse("graph", overrides.isEmpty() ? new String[0] : new String[] {overrides}, "vdir");
    }

    SyncScheduler scheduler(Routing routing, io.nexchange.api.directory.MailboxDirectory mailboxDirectory) {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), routing,
                EnumSet.allOf(CollectionKind.class), "Exchange", "Exchange", 2, Duration.ofMinutes(5), "test-instance");
        Map<String, ItemStore> stores = Map.of("exchange/graph", graph, "exchange/ews", ews, "nextcloud/vdir", nextcloud);
        router = new BackendRouter(routing, state, Clock.systemUTC());
        directory = mailboxDirectory;
        scheduler = new SyncScheduler(directory,
                listener -> new MailboxSync(mailbox -> new Resolution(mailbox,
                        accounts.getOrDefault(mailbox.primarySmtp(), List.of())), state,
                        (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)).filter(s -> s.kinds().contains(kind)), settings, listener,
                        Clock.systemUTC(), router), 2, Clock.systemUTC());
        return scheduler;
    }

    SyncControl control;

    /** The engine as the console commands see it (one per scheduler, so its shadow reports are kept). */
    SyncControl control() {
        if (control != null && ((ControlOf) control).s() == scheduler) {
            return control;
        }
        Map<String, ItemStore> stores = Map.of("exchange/graph", graph, "exchange/ews", ews, "nextcloud/vdir", nextcloud);
        control = new ControlOf(scheduler, router, directory, new ShadowReader((side, backend, kind) -> Optional.ofNullable(
                stores.get(side + "/" + backend)), mailbox -> new Resolution(mailbox, accounts.getOrDefault(mailbox.primarySmtp(),
                List.of())), router, EnumSet.allOf(CollectionKind.class), Clock.systemUTC()));
        return control;
    }

    void map(String smtp, String... users) {
        accounts.put(smtp, java.util.Arrays.stream(users).map(u -> new Account(u, smtp, "")).toList());
    }

    MemoryStore.Collection calendar(MemoryStore store, String smtp) {
        Mailbox mailbox = new Mailbox(smtp, smtp, "");
        CollectionRef ref = store.ensureCollection(new Owner(mailbox, new Account("x", smtp, "")), CollectionKind.CALENDAR, "");
        return store.collections.get(ref.id());
    }

    @Test
    void aCycleSyncsMappedMailboxesAndReportsUnmappedAndAmbiguousWithoutGuessing() throws Exception {
        map("alice@example.org", "alice");
        map("carol@example.org", "carol", "carol2");
        calendar(graph, "alice@example.org").put("a1", ics("a1", "Alice's meeting"));
        List<MailboxResult> results = scheduler("", "alice@example.org", "bob@example.org", "carol@example.org")
                .cycle(false).get(30, TimeUnit.SECONDS);
        Map<String, MailboxResult.State> states = new HashMap<>();
        results.forEach(r -> states.put(r.mailbox(), r.state()));
        assertEquals(Map.of("alice@example.org", MailboxResult.State.OK, "bob@example.org", MailboxResult.State.UNMAPPED,
                "carol@example.org", MailboxResult.State.AMBIGUOUS), states);
        MailboxResult carol = results.stream().filter(r -> r.mailbox().startsWith("carol")).findFirst().orElseThrow();
        assertTrue(carol.error().contains("carol, carol2"), carol.error());
        assertEquals(2, nextcloud.collections.keySet().stream().filter(id -> id.startsWith("alice")).count(),
                "calendar and address book ensured for alice only");
        assertEquals(1, nextcloud.collections.get("alice@example.org/CALENDAR/Exchange").items.size());

        EngineSnapshot snapshot = scheduler.snapshot();
        assertEquals(3, snapshot.mailboxesDone());
        assertEquals(3, snapshot.mailboxesTotal());
        assertEquals(1, snapshot.itemsWritten());
        String status = SyncStatusCommand.render(snapshot);
        assertTrue(status.contains("bob@example.org") && status.contains("UNMAPPED"), status);
    }

    @Test
    void everyCalendarTheStoreListsGetsANextcloudCalendarOfItsNameAndItsOwnPair() throws Exception {
        map("alice@example.org", "alice");
        Owner alice = new Owner(new Mailbox("alice@example.org", "alice@example.org", ""), new Account("x", "alice@example.org", ""));
        calendar(graph, "alice@example.org").put("d", ics("d", "in the default calendar"));
        CollectionRef team = graph.ensureCollection(alice, CollectionKind.CALENDAR, "Team");
        graph.collections.get(team.id()).put("t", ics("t", "in the Team calendar"));
        CollectionRef clash = graph.ensureCollection(alice, CollectionKind.CALENDAR, "Exchange");
        graph.collections.get(clash.id()).put("x", ics("x", "in a calendar named like the default's Nextcloud calendar"));

        MailboxResult r = scheduler("", "alice@example.org").syncNow("alice@example.org", false).get(30, TimeUnit.SECONDS);

        assertEquals(List.of("d"), keys(nextcloud.collections.get("alice@example.org/CALENDAR/Exchange")));
        assertEquals(List.of("t"), keys(nextcloud.collections.get("alice@example.org/CALENDAR/Team")));
        assertEquals(MailboxResult.State.PARTIAL, r.state(), "the clash is reported, not merged: " + r);
        assertTrue(r.error().contains("'Exchange'") && r.error().contains("same Nextcloud collection"), r.error());
        assertEquals(java.util.Set.of(MailboxSync.EXCHANGE_DEFAULT, team.id()), r.pairs().stream()
                .filter(p -> p.pair().kind() == CollectionKind.CALENDAR).map(p -> p.pair().exchangeCollection())
                .collect(java.util.stream.Collectors.toSet()));
    }

    private static List<String> keys(MemoryStore.Collection collection) {
        return collection.items.values().stream().map(i -> i.key().value()).sorted().toList();
    }

    @Test
    void aMailboxLeasedByAnotherInstanceIsSkipped() throws Exception {
        map("alice@example.org", "alice");
        Lease other = state.tryLease("alice@example.org", "other-instance", Duration.ofMinutes(5)).orElseThrow();
        MailboxResult r = scheduler("", "alice@example.org").syncNow("alice@example.org", false).get(30, TimeUnit.SECONDS);
        assertEquals(MailboxResult.State.LEASED_ELSEWHERE, r.state());
        other.close();
        assertEquals(MailboxResult.State.OK, scheduler.syncNow("ALICE@example.org", false).get(30, TimeUnit.SECONDS).state());
    }

    @Test
    void backendOverrideRoutesOneMailboxToEwsAndSwitchingItToGraphIsAConfigChange() throws Exception {
        map("alice@example.org", "alice");
        map("bob@example.org", "bob");
        MemoryStore.Collection aliceEws = calendar(ews, "alice@example.org");
        MemoryStore.Collection aliceGraph = calendar(graph, "alice@example.org");
        for (int i = 0; i < 30; i++) {
            aliceEws.put("e" + i, ics("e" + i, "event " + i)); // the same mailbox seen by both backends
            aliceGraph.put("e" + i, ics("e" + i, "event " + i));
        }
        calendar(graph, "bob@example.org").put("b", ics("b", "bob"));
        List<MailboxResult> first = scheduler("alice@example.org:ews", "alice@example.org", "bob@example.org")
                .cycle(false).get(30, TimeUnit.SECONDS);
        assertEquals(List.of("ews", "graph"), first.stream().map(MailboxResult::exchangeBackend).toList());
        assertEquals(30, first.get(0).writes());
        scheduler.close();

        // hot swap: the override is removed, alice now goes through Graph
        MemoryStore.Collection ncCalendar = nextcloud.collections.get("alice@example.org/CALENDAR/Exchange");
        int writesBefore = ncCalendar.writes;
        MailboxResult switched = scheduler("", "alice@example.org").syncNow("alice@example.org", false)
                .get(30, TimeUnit.SECONDS);
        assertEquals("graph", switched.exchangeBackend());
        assertEquals(MailboxResult.State.OK, switched.state(), switched.summary());
        assertEquals(0, switched.writes(), "matched by key: no duplicates, no deletions");
        assertEquals(writesBefore, ncCalendar.writes);
        assertEquals(30, ncCalendar.items.size());
        SyncPair pair = new SyncPair("alice@example.org", CollectionKind.CALENDAR, MailboxSync.EXCHANGE_DEFAULT,
                "alice@example.org/CALENDAR/Exchange");
        assertTrue(state.cursor(pair, Side.EXCHANGE).value().startsWith("graph|"));
    }

    @Test
    void aMissingBackendIsReportedWithTheSettingToFix() throws Exception {
        map("alice@example.org", "alice");
        MailboxResult r = scheduler("alice@example.org:ews-typo", "alice@example.org").syncNow("alice@example.org", false)
                .get(30, TimeUnit.SECONDS);
        assertEquals(MailboxResult.State.FAILED, r.state());
        assertTrue(r.error().contains("ews-typo") && r.error().contains("backend.override"), r.error());
    }

    @Test
    void guardedMailboxShowsTheAlertInStatus() throws Exception {
        map("alice@example.org", "alice");
        MemoryStore.Collection cal = calendar(graph, "alice@example.org");
        for (int i = 0; i < 20; i++) {
            cal.put("e" + i, ics("e" + i, "event " + i));
        }
        scheduler("", "alice@example.org");
        scheduler.syncNow("alice@example.org", false).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            cal.remove("e" + i);
        }
        MailboxResult r = scheduler.syncNow("alice@example.org", false).get(30, TimeUnit.SECONDS);
        assertEquals(MailboxResult.State.GUARDED, r.state());
        String status = SyncStatusCommand.render(scheduler.snapshot());
        assertTrue(status.contains("GUARDED") && status.contains("--allow-deletions alice@example.org"), status);
        String out = new SyncCommands(control()).sync("--allow-deletions", "alice@example.org");
        assertTrue(out.contains("OK"), out);
        assertEquals(0, nextcloud.collections.get("alice@example.org/CALENDAR/Exchange").items.size());
    }

    @Test
    void progressShowsItemsPerSecondAndAnEtaDuringALongInitialSyncAndMetersCount() throws Exception {
        map("alice@example.org", "alice");
        MemoryStore.Collection cal = calendar(graph, "alice@example.org");
        for (int i = 0; i < 40; i++) {
            cal.put("e" + i, ics("e" + i, "event " + i));
        }
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        scheduler("", "alice@example.org");
        EngineMeters meters = new EngineMeters(registry, control());
        // the Nextcloud calendar is made on first use; pause the run at its 11th write
        MemoryStore.Collection target = nextcloud.collections.computeIfAbsent("alice@example.org/CALENDAR/Exchange",
                id -> new MemoryStore.Collection(CollectionKind.CALENDAR, "vdir:" + id));
        java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        target.pauseAtWrite(11, paused, resume);
        java.util.concurrent.CompletableFuture<List<MailboxResult>> cycle = scheduler.cycle(false);
        assertTrue(paused.await(10, TimeUnit.SECONDS));
        Thread.sleep(20);
        EngineSnapshot midway = scheduler.snapshot();
        assertTrue(midway.cycleRunning());
        assertEquals(0, midway.mailboxesDone());
        assertEquals(10, midway.itemsWritten());
        assertTrue(midway.itemsPerSecond() > 0);
        assertTrue(midway.eta().isPresent(), "an ETA from the planned writes before any mailbox finished");
        assertTrue(SyncStatusCommand.render(midway).contains("ETA"), SyncStatusCommand.render(midway));
        resume.countDown();
        assertEquals(MailboxResult.State.OK, cycle.get(30, TimeUnit.SECONDS).get(0).state());
        assertEquals(40.0, registry.get("nexchange.sync.items").tag("kind", "calendar").tag("direction", "to-nextcloud")
                .tag("action", "create").counter().count());
        assertEquals(1.0, registry.get("nexchange.sync.mailboxes").tag("state", "ok").counter().count());
        assertEquals(1, registry.get("nexchange.sync.cycle").timer().count());
        assertEquals(0.0, registry.get("nexchange.sync.lag").gauge().value(), 1.0);
        meters.deactivate();
        assertTrue(registry.find("nexchange.sync.items").counters().isEmpty(), "meters are removed with the component");
    }

    @Test
    void routingRejectsMalformedOverrides() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Routing.parse("graph", new String[] {"alice-without-backend"}, "caldav"));
        assertTrue(e.getMessage().contains("backend.override"));
        assertEquals("ews", Routing.parse("graph", new String[] {"Alice@Example.org:ews, bob@x.org:graph"}, "caldav")
                .exchangeBackend("alice@example.org"));
    }

    /** The console commands over a scheduler, as SyncEngine wires them. */
    record ControlOf(SyncScheduler s, BackendRouter router, io.nexchange.api.directory.MailboxDirectory directory,
            ShadowReader shadowReader)
            implements SyncControl {
        @Override
        public List<Mailbox> mailboxes() throws io.nexchange.api.directory.DirectoryException {
            return directory.mailboxes();
        }

        @Override
        public java.util.Set<String> runningExchangeBackends() {
            return java.util.Set.of("graph", "ews");
        }

        @Override
        public Fleet fleet() {
            return s.fleet();
        }

        @Override
        public java.util.concurrent.CompletableFuture<MailboxResult> syncNow(String m, boolean allow) {
            return s.syncNow(m, allow);
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<MailboxResult>> syncAll(boolean allow) {
            return s.cycle(allow);
        }

        @Override
        public EngineSnapshot snapshot() {
            return s.snapshot();
        }

        @Override
        public double lagSeconds() {
            return s.lagSeconds();
        }

        @Override
        public void addListener(EngineListener l) {
            s.addListener(l);
        }

        @Override
        public void removeListener(EngineListener l) {
            s.removeListener(l);
        }
    }

    @Test
    void spreadOffsetsAreStablePerMailboxAndEvenOverTheSpread() {
        Duration spread = Duration.ofSeconds(300);
        int[] tenths = new int[10];
        for (int i = 0; i < 10_000; i++) {
            String smtp = "user" + i + "@example.org";
            Duration offset = SyncScheduler.offset(smtp, spread);
            assertEquals(offset, SyncScheduler.offset(smtp, spread), "the same offset every time");
            assertTrue(!offset.isNegative() && offset.compareTo(spread) < 0, offset.toString());
            tenths[(int) (offset.toMillis() * 10 / spread.toMillis())]++;
        }
        for (int count : tenths) {
            assertTrue(count > 850 && count < 1150, "about a tenth of the mailboxes in each tenth of the spread: "
                    + java.util.Arrays.toString(tenths));
        }
        assertEquals(Duration.ZERO, SyncScheduler.offset("user1@example.org", Duration.ZERO));
    }

    @Test
    void periodicCyclesAfterTheFirstSpreadTheMailboxesOverTheInterval() throws Exception {
        String[] mailboxes = new String[12];
        for (int i = 0; i < mailboxes.length; i++) {
            mailboxes[i] = "user" + i + "@example.org";
            map(mailboxes[i], "user" + i);
        }
        SyncScheduler s = scheduler("", mailboxes);
        List<Instant> starts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.CountDownLatch twoCycles = new java.util.concurrent.CountDownLatch(2 * mailboxes.length);
        s.addListener(new EngineListener() {
            @Override
            public void mailboxDone(MailboxResult result) {
                starts.add(result.started());
                twoCycles.countDown();
            }
        });
        s.start(Duration.ZERO, Duration.ofSeconds(4), Duration.ofMinutes(5));
        assertTrue(twoCycles.await(30, TimeUnit.SECONDS), "two cycles ran");
        List<Instant> first = starts.subList(0, mailboxes.length).stream().sorted().toList();
        List<Instant> second = starts.subList(mailboxes.length, 2 * mailboxes.length).stream().sorted().toList();
        Duration firstSpan = Duration.between(first.get(0), first.get(first.size() - 1));
        Duration secondSpan = Duration.between(second.get(0), second.get(second.size() - 1));
        assertTrue(firstSpan.compareTo(Duration.ofMillis(1500)) < 0, "the first cycle runs every mailbox at once: " + firstSpan);
        assertTrue(secondSpan.compareTo(Duration.ofMillis(1500)) > 0, "the second is spread over 3 s of the 4 s interval: " + secondSpan);
        assertTrue(secondSpan.compareTo(Duration.ofMillis(3500)) < 0, "within the spread: " + secondSpan);
    }

    /** The first address {@code prefix<n>@example.org} whose spread offset lies in [from, to) ms of {@code spread}. */
    static String addressAt(String prefix, Duration spread, long from, long to) {
        for (int n = 0; ; n++) {
            String smtp = prefix + n + "@example.org";
            long offset = SyncScheduler.offset(smtp, spread).toMillis();
            if (offset >= from && offset < to) {
                return smtp;
            }
        }
    }

    @Test
    void aCycleThatOverrunsItsTickDoesNotDelayTheNextOne() throws Exception {
        // interval 2 s, spread 1.5 s: a mailbox late in the spread whose run takes 0.8 s ends after the next tick
        Duration spread = Duration.ofMillis(1500);
        String fast = addressAt("fast", spread, 0, 150);
        String slow = addressAt("slow", spread, 1250, 1450);
        map(fast, "fast");
        map(slow, "slow");
        SyncScheduler s = scheduler("", fast, slow);
        List<Instant> fastStarts = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch runs = new java.util.concurrent.CountDownLatch(4);
        s.addListener(new EngineListener() {
            @Override
            public void mailboxDone(MailboxResult result) {
                if (result.mailbox().equals(slow)) {
                    try {
                        Thread.sleep(800); // the run ends when its listeners are done
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    fastStarts.add(result.started());
                    runs.countDown();
                }
            }
        });
        s.start(Duration.ZERO, Duration.ofSeconds(2), Duration.ofMinutes(5));
        assertTrue(runs.await(30, TimeUnit.SECONDS), "four runs of the fast mailbox");
        s.close();
        // skipping the tick the slow mailbox overran would put 4 s between the fast mailbox's runs (and waiting for the
        // overrunning cycle about 2.3 s); the next cycle begins beside it, so the fast mailbox keeps its phase: 2 s
        for (int i = 2; i < fastStarts.size(); i++) {
            Duration gap = Duration.between(fastStarts.get(i - 1), fastStarts.get(i));
            assertTrue(gap.compareTo(Duration.ofMillis(2500)) < 0, "run " + i + " of " + fast + " came " + gap + " after the one "
                    + "before: " + fastStarts);
        }
    }

    @Test
    void syncNowFindsTheMailboxInTheLastCyclesListingWithoutReadingTheDirectoryAgain() throws Exception {
        map("alice@example.org", "alice");
        map("bob@example.org", "bob");
        java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
        List<String> scope = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("alice@example.org"));
        SyncScheduler s = scheduler(() -> {
            listings.incrementAndGet();
            return scope.stream().map(m -> new Mailbox(m, m, "")).toList();
        }, "");
        s.cycle(false).get(30, TimeUnit.SECONDS);
        assertEquals(1, listings.get());
        assertEquals(MailboxResult.State.OK, s.syncNow("alice@example.org", false).get(30, TimeUnit.SECONDS).state());
        assertEquals(1, listings.get(), "alice was in the cycle's listing");
        scope.add("bob@example.org");
        assertEquals(MailboxResult.State.OK, s.syncNow("bob@example.org", false).get(30, TimeUnit.SECONDS).state());
        assertEquals(2, listings.get(), "bob was not: the directory is read for him");
    }

    @Test
    void writesCountInTheCycleThatStartedTheirRunWhenCyclesOverlap() throws Exception {
        map("fast@example.org", "fast");
        map("slow@example.org", "slow");
        MemoryStore.Collection fastCalendar = calendar(graph, "fast@example.org");
        MemoryStore.Collection slowCalendar = calendar(graph, "slow@example.org");
        for (int i = 0; i < 5; i++) {
            fastCalendar.put("f" + i, ics("f" + i, "fast " + i));
        }
        for (int i = 0; i < 10; i++) {
            slowCalendar.put("s" + i, ics("s" + i, "slow " + i));
        }
        SyncScheduler s = scheduler("", "fast@example.org", "slow@example.org");
        MemoryStore.Collection slowTarget = nextcloud.collections.computeIfAbsent("slow@example.org/CALENDAR/Exchange",
                id -> new MemoryStore.Collection(CollectionKind.CALENDAR, "vdir:" + id));
        java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        slowTarget.pauseAtWrite(4, paused, resume);
        java.util.concurrent.CountDownLatch fastDone = new java.util.concurrent.CountDownLatch(1);
        s.addListener(new EngineListener() {
            @Override
            public void mailboxDone(MailboxResult result) {
                if (result.mailbox().equals("fast@example.org")) {
                    fastDone.countDown();
                }
            }
        });
        java.util.concurrent.CompletableFuture<List<MailboxResult>> first = s.cycle(false);
        assertTrue(paused.await(10, TimeUnit.SECONDS));
        assertTrue(fastDone.await(10, TimeUnit.SECONDS));
        fastCalendar.put("f5", ics("f5", "fast 5"));
        // a periodic cycle begins beside the overrunning one: the fast mailbox writes its new event in it, the slow
        // one's 7 remaining writes still belong to the first cycle
        java.util.concurrent.CompletableFuture<List<MailboxResult>> second = s.cycle(false, Duration.ZERO, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.snapshot().itemsWritten() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        resume.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        assertEquals(1, s.snapshot().itemsWritten(), "the second cycle wrote the fast mailbox's new event only");
    }
}
