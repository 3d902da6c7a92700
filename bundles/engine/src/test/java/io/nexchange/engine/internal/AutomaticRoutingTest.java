package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.MailboxNotServedException;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Automatic routing: a mailbox its backend refuses moves to the other backend when that one serves it. */
class AutomaticRoutingTest {
    /** A backend that refuses some mailboxes, as Graph and EWS do (here when their collections are listed). */
    static final class Refusing implements ItemStore {
        final MemoryStore store;
        final Map<String, MailboxNotServedException.Reason> refused = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        Refusing(MemoryStore store) {
            this.store = store;
        }

        @Override
        public Set<CollectionKind> kinds() {
            return store.kinds();
        }

        @Override
        public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
            reads.incrementAndGet();
            String smtp = owner.mailbox().primarySmtp();
            MailboxNotServedException.Reason reason = refused.get(smtp);
            if (reason != null) {
                throw new MailboxNotServedException(store.name + " refuses " + smtp + " (" + reason + ")", reason, null);
            }
            return store.collections(owner, kind);
        }

        @Override
        public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
            return store.ensureCollection(owner, kind, name);
        }

        @Override
        public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
            return store.source(owner, collection);
        }

        @Override
        public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
            return store.target(owner, collection);
        }
    }

    final SyncSchedulerTest rig = new SyncSchedulerTest();
    final Refusing graph = new Refusing(rig.graph);
    final Refusing ews = new Refusing(rig.ews);
    BackendRouter router;
    SyncScheduler scheduler;
    /** The router's clock: a test moves it to make an automatic route old. */
    final java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
            new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-12-07T10:00:00Z"));
    final Clock routerClock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now.get();
        }
    };

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    SyncScheduler scheduler(boolean automatic, String overrides, String... mailboxes) {
        Routing routing = Routing.parse("graph", new String[] {overrides}, "vdir");
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), routing, EnumSet.allOf(CollectionKind.class),
                "Exchange", "Exchange", 2, Duration.ofMinutes(5), "test-instance");
        Map<String, ItemStore> stores = Map.of("exchange/graph", graph, "exchange/ews", ews, "nextcloud/vdir", rig.nextcloud);
        router = new BackendRouter(routing, rig.state, routerClock, automatic, Duration.ofMinutes(60));
        for (String smtp : mailboxes) {
            rig.map(smtp, smtp.substring(0, smtp.indexOf('@')));
            for (MemoryStore backend : List.of(rig.graph, rig.ews)) { // the same mailbox seen through both backends
                MemoryStore.Collection c = rig.calendar(backend, smtp);
                for (int i = 0; i < 5; i++) {
                    c.put(smtp + i, ics(smtp + i, "event " + i));
                }
            }
        }
        scheduler = new SyncScheduler(new StaticMailboxDirectory(mailboxes),
                listener -> new MailboxSync(m -> new Resolution(m, rig.accounts.getOrDefault(m.primarySmtp(), List.of())), rig.state,
                        (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)), settings, listener,
                        Clock.systemUTC(), router), 2, Clock.systemUTC());
        return scheduler;
    }

    MailboxResult sync(String smtp) throws Exception {
        return scheduler.syncNow(smtp, false).get(30, TimeUnit.SECONDS);
    }

    @Test
    void anOnPremisesMailboxGraphRefusesGoesToEwsAndAnEwsBlockedOneToGraph() throws Exception {
        scheduler(true, "bob@example.org:ews", "alice@example.org", "bob@example.org");
        graph.refused.put("alice@example.org", MailboxNotServedException.Reason.ELSEWHERE);
        ews.refused.put("bob@example.org", MailboxNotServedException.Reason.BLOCKED);

        MailboxResult alice = sync("alice@example.org");
        assertEquals(MailboxResult.State.OK, alice.state(), alice.summary());
        assertEquals("ews", alice.exchangeBackend());
        assertEquals(5, alice.writes());
        MailboxResult bob = sync("bob@example.org");
        assertEquals(MailboxResult.State.OK, bob.state(), bob.summary());
        assertEquals("graph", bob.exchangeBackend());

        String status = SyncStatusSection.automaticRoutes(router);
        assertTrue(status.contains("on, 2 mailboxes moved"), status);
        assertTrue(status.contains("alice@example.org  graph -> ews") && status.contains("MailboxNotEnabledForRESTAPI"), status);
        assertTrue(status.contains("bob@example.org  ews -> graph") && status.contains("EWSEnabled")
                && status.contains("allow list"), status);

        int graphReads = graph.reads.get();
        MailboxResult again = sync("alice@example.org");
        assertEquals("ews", again.exchangeBackend());
        assertEquals(0, again.writes());
        assertEquals(graphReads, graph.reads.get(), "the next run goes to EWS directly, without asking Graph again");

        // the operator's switch ends the automatic route: the mailbox tries Graph again (refused: back to EWS)
        new SwitchCommand(new SyncSchedulerTest.ControlOf(scheduler, router, new StaticMailboxDirectory("alice@example.org"), null))
                .run("alice@example.org", "graph");
        assertTrue(router.automaticRoutes().containsKey("bob@example.org") && !router.automaticRoutes().containsKey("alice@example.org"));
        graph.refused.remove("alice@example.org");
        MailboxResult switched = sync("alice@example.org");
        assertEquals("graph", switched.exchangeBackend());
        assertEquals(0, switched.writes(), "matched by key after the way back");
    }

    @Test
    void whenNeitherBackendServesTheMailboxItFailsNamingBoth() throws Exception {
        scheduler(true, "", "alice@example.org");
        graph.refused.put("alice@example.org", MailboxNotServedException.Reason.ELSEWHERE);
        ews.refused.put("alice@example.org", MailboxNotServedException.Reason.ELSEWHERE);
        MailboxResult alice = sync("alice@example.org");
        assertEquals(MailboxResult.State.FAILED, alice.state(), alice.summary());
        assertTrue(alice.error().contains("graph refuses") && alice.error().contains("tried ews automatically")
                && alice.error().contains("ews refuses"), alice.error());
        assertTrue(router.automaticRoutes().isEmpty());
    }

    @Test
    void withAutomaticRoutingOffARefusedMailboxFailsAndNothingElseIsTried() throws Exception {
        scheduler(false, "", "alice@example.org");
        graph.refused.put("alice@example.org", MailboxNotServedException.Reason.ELSEWHERE);
        MailboxResult alice = sync("alice@example.org");
        assertEquals(MailboxResult.State.FAILED, alice.state());
        assertEquals(0, ews.reads.get());
        assertTrue(SyncStatusSection.automaticRoutes(router).contains("off, 0 mailboxes moved"));
    }

    @Test
    void anAutomaticRouteTriesTheConfiguredBackendAgainHourlyAndEndsWhenItServesTheMailbox() throws Exception {
        scheduler(true, "", "alice@example.org");
        graph.refused.put("alice@example.org", MailboxNotServedException.Reason.ELSEWHERE);
        assertEquals("ews", sync("alice@example.org").exchangeBackend());
        int graphReads = graph.reads.get();

        now.set(now.get().plus(Duration.ofMinutes(59)));
        assertEquals("ews", sync("alice@example.org").exchangeBackend());
        assertEquals(graphReads, graph.reads.get(), "within the hour Graph is not asked");

        now.set(now.get().plus(Duration.ofMinutes(2)));
        MailboxResult stillOnPremises = sync("alice@example.org");
        assertEquals("ews", stillOnPremises.exchangeBackend(), stillOnPremises.summary());
        assertEquals(MailboxResult.State.OK, stillOnPremises.state());
        assertEquals(graphReads + 1, graph.reads.get(), "after an hour Graph is asked once, and refuses again");
        assertEquals(java.time.Instant.parse("2026-12-07T10:00:00Z"), router.automaticRoutes().get("alice@example.org").since(),
                "the route keeps its first time");
        assertEquals("ews", sync("alice@example.org").exchangeBackend());
        assertEquals(graphReads + 1, graph.reads.get(), "the next hour counts from the retry");

        // the mailbox moved to Exchange Online: at the next retry Graph serves it and the automatic route ends
        graph.refused.remove("alice@example.org");
        now.set(now.get().plus(Duration.ofMinutes(61)));
        MailboxResult moved = sync("alice@example.org");
        assertEquals("graph", moved.exchangeBackend(), moved.summary());
        assertEquals(0, moved.writes(), "the same items, matched by key");
        assertTrue(router.automaticRoutes().isEmpty(), router.automaticRoutes().toString());
        assertEquals("graph", sync("alice@example.org").exchangeBackend());
    }
}
