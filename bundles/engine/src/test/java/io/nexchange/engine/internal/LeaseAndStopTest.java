package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.state.SyncPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lease as a heartbeat (renewed between pages and actions, while reading too) and the graceful stop: a lost lease
 * ends the run with LEASE_LOST and commits nothing more; a stop ends each pair after its current action, commits the
 * rows done and releases the lease; the next run finishes the work without duplicates.
 */
class LeaseAndStopTest {
    static final String ALICE = "alice@example.org";
    static final SyncPair PAIR = new SyncPair(ALICE, CollectionKind.CALENDAR, "default", ALICE + "/CALENDAR/Exchange");

    final MemoryStore graph = new MemoryStore("graph", EnumSet.of(CollectionKind.CALENDAR));
    final MemoryStore nextcloud = new MemoryStore("vdir", EnumSet.of(CollectionKind.CALENDAR));
    final MemoryStateStore state = new MemoryStateStore();
    final Mailbox mailbox = new Mailbox(ALICE, ALICE, "");

    /** Every reading of this clock is one second later: with a 3 s lease, every heartbeat check renews. */
    static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    MailboxSync worker(PairSync.Listener listener) {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                EnumSet.of(CollectionKind.CALENDAR), "Exchange", "Exchange", 1, Duration.ofSeconds(3), "test-instance");
        Map<String, ItemStore> stores = Map.of("exchange/graph", graph, "nextcloud/vdir", nextcloud);
        return new MailboxSync(m -> new Resolution(m, List.of(new Account("alice", ALICE, ""))), state,
                (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)), settings, listener,
                new TickingClock());
    }

    MemoryStore.Collection exchangeCalendar(int items) {
        MemoryStore.Collection cal = graph.collections.computeIfAbsent(ALICE + "/CALENDAR/default",
                id -> new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:" + id));
        for (int i = 0; i < items; i++) {
            cal.put("e" + i, ics("e" + i, "event " + i));
        }
        return cal;
    }

    MemoryStore.Collection nextcloudCalendar() {
        return nextcloud.collections.computeIfAbsent(ALICE + "/CALENDAR/Exchange",
                id -> new MemoryStore.Collection(CollectionKind.CALENDAR, "vdir:" + id));
    }

    @Test
    void aLeaseLostWhileReadingEndsTheRunBeforeAnyWrite() {
        exchangeCalendar(40); // 6 pages of 7: the heartbeat is checked before each
        state.loseLeasesAtRenewal = 3;

        MailboxResult lost = worker(PairSync.Listener.NONE).sync(mailbox, false);

        assertEquals(MailboxResult.State.LEASE_LOST, lost.state(), lost.summary());
        assertEquals(PairResult.Outcome.LEASE_LOST, lost.pairs().get(0).outcome());
        assertEquals(0, nextcloudCalendar().writes);
        assertEquals(0, state.commits, "nothing committed");
        assertTrue(state.leases.isEmpty(), "the lease is given up");

        state.loseLeasesAtRenewal = -1;
        MailboxResult next = worker(PairSync.Listener.NONE).sync(mailbox, false);
        assertEquals(MailboxResult.State.OK, next.state(), next.summary());
        assertEquals(40, nextcloudCalendar().items.size());
    }

    @Test
    void aLeaseLostBetweenActionsAbandonsTheUncommittedRowsAndTheNextRunAdoptsTheWrites() {
        exchangeCalendar(40);
        // check 1 starts the pair, 2-7 precede the Exchange pages, 8 its fetch, 9 the Nextcloud page, then two per action
        // (before it, and the fence right before its write): renewal 18 fails before the 5th write
        state.loseLeasesAtRenewal = 18;

        MailboxResult lost = worker(PairSync.Listener.NONE).sync(mailbox, false);

        assertEquals(MailboxResult.State.LEASE_LOST, lost.state(), lost.summary());
        assertEquals(4, nextcloudCalendar().writes, "the actions before the loss ran, none after");
        assertEquals(0, state.commits, "their rows are abandoned (another instance may own the mailbox)");
        assertTrue(state.leases.isEmpty());

        state.loseLeasesAtRenewal = -1;
        MailboxResult next = worker(PairSync.Listener.NONE).sync(mailbox, false);
        assertEquals(MailboxResult.State.OK, next.state(), next.summary());
        assertEquals(4, next.pairs().get(0).adopted(), "the 4 writes made are adopted, not repeated");
        assertEquals(36, next.writes());
        assertEquals(40, nextcloudCalendar().items.size(), "no duplicates");
    }

    @Test
    void stopFinishesTheCurrentActionCommitsReleasesTheLeaseAndTheNextStartResumes() throws Exception {
        exchangeCalendar(40);
        MemoryStore.Collection target = nextcloudCalendar();
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        target.pauseAtWrite(11, paused, resume);
        // one worker: bob waits in the queue behind alice
        SyncScheduler scheduler = new SyncScheduler(new StaticMailboxDirectory(ALICE, "bob@example.org"), this::worker, 1,
                Clock.systemUTC());
        CompletableFuture<List<MailboxResult>> cycle = scheduler.cycle(false);
        assertTrue(paused.await(10, TimeUnit.SECONDS));

        Thread stopper = new Thread(scheduler::close); // what the engine's deactivation does
        stopper.start();
        Thread.sleep(100);
        assertTrue(stopper.isAlive(), "stop waits for the running action");
        resume.countDown();
        stopper.join(10_000);

        MailboxResult stopped = cycle.get(10, TimeUnit.SECONDS).get(0);
        MailboxResult queued = cycle.get().get(1);
        assertEquals(MailboxResult.State.STOPPED, queued.state(), queued.summary());
        assertTrue(queued.pairs().isEmpty(), "a mailbox still queued at the stop does not start");
        assertEquals(MailboxResult.State.STOPPED, stopped.state(), stopped.summary());
        assertEquals(11, target.items.size(), "the action under way finished, no further one started");
        assertEquals(11, state.status(PAIR).size(), "the rows of the writes made are committed");
        assertTrue(state.cursors.getOrDefault(PAIR, Map.of()).isEmpty(), "the cursors are kept for the rest");
        assertTrue(state.leases.isEmpty(), "the lease is released: the next start does not wait for it");

        target.onWrite = () -> { };
        MailboxResult resumed = worker(PairSync.Listener.NONE).sync(mailbox, false);
        assertEquals(MailboxResult.State.OK, resumed.state(), resumed.summary());
        assertEquals(29, resumed.writes());
        assertEquals(40, target.items.size());
    }
}
