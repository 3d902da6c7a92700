package io.nexchange.throttling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.throttling.KeyStats;
import io.nexchange.throttling.RegistrationStats;
import io.nexchange.throttling.ThrottleStats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottleControllerTest {

    private static final ThrottleKey ALICE = new ThrottleKey("app1", "alice@example.org");
    private static final ThrottleKey BOB = new ThrottleKey("app1", "bob@example.org");

    private final FakeTicker ticker = new FakeTicker();

    /** 100 requests per 10 s in 10 buckets of 1 s, no margin; back-off 1 s doubling to 8 s without jitter. */
    private static final ThrottleLimits SMALL = new ThrottleLimits(4, 100, Duration.ofSeconds(10), 0.0, 10,
            Duration.ofSeconds(1), Duration.ofSeconds(8), false, Duration.ofSeconds(60));

    private ThrottleController controller(ThrottleLimits limits) {
        return new ThrottleController(limits, ticker, Clock.systemUTC(), () -> 0.5);
    }

    private static Permit take(ThrottleController c, ThrottleKey key) {
        return c.tryAcquire(key).orElseThrow(() -> new AssertionError("expected a permit for " + key));
    }

    @Test
    void concurrencyLimitPerKey() {
        ThrottleController c = controller(SMALL);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(take(c, ALICE));
        }
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        // another mailbox is not affected
        take(c, BOB).close();
        held.get(0).close();
        held.get(0).close(); // idempotent: frees one slot, not two
        take(c, ALICE);
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        assertEquals(4, c.stats(ALICE).orElseThrow().inFlight());
    }

    @Test
    void busyKeyReportsExpectedHoldTime() {
        ThrottleController c = controller(SMALL);
        for (int round = 0; round < 3; round++) {
            Permit p = take(c, ALICE);
            ticker.advanceMillis(200);
            p.close();
        }
        for (int i = 0; i < 4; i++) {
            take(c, ALICE);
        }
        assertEquals(Duration.ofMillis(200), c.delay(ALICE));
    }

    @Test
    void budgetPerWindowAndDelayUntilItFrees() {
        ThrottleController c = controller(SMALL);
        for (int i = 0; i < 100; i++) {
            take(c, ALICE).close();
            ticker.advanceMillis(10); // 100 requests spread over the first second
        }
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        Duration delay = c.delay(ALICE);
        // the requests sit in buckets 0 and 1 (of 1 s); with a ring of 12 buckets bucket 0 leaves at 12 s
        assertTrue(delay.compareTo(Duration.ofSeconds(10)) > 0 && delay.compareTo(Duration.ofSeconds(12)) <= 0, delay.toString());
        ticker.advanceNanos(delay.toNanos() - 1);
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        ticker.advanceNanos(1);
        take(c, ALICE).close();
        // other keys have their own budget
        take(c, BOB).close();
    }

    @Test
    void safetyMarginLowersTheBudget() {
        ThrottleController c = controller(SMALL.withSafetyMargin(0.05));
        int admitted = 0;
        while (c.tryAcquire(ALICE).map(p -> {
            p.close();
            return true;
        }).orElse(false)) {
            admitted++;
        }
        assertEquals(95, admitted);
        assertEquals(9_900, ThrottleLimits.OUTLOOK.effectiveBudget());
    }

    @Test
    void serverPauseHoldsOnlyThatKey() {
        ThrottleController c = controller(SMALL);
        Permit p = take(c, ALICE);
        Permit other = take(c, ALICE);
        p.throttled(Duration.ofMillis(2500));
        p.close();
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        assertEquals(Duration.ofMillis(2500), c.delay(ALICE));
        take(c, BOB).close();
        // a request still in flight may finish; its success does not lift the pause
        other.close();
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        ticker.advanceMillis(2499);
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        ticker.advanceMillis(1);
        take(c, ALICE).close();
    }

    @Test
    void hintsAreCappedAndNegativeHintsBackOff() {
        ThrottleController c = controller(SMALL);
        try (Permit p = take(c, ALICE)) {
            p.throttled(Duration.ofHours(5));
        }
        assertEquals(Duration.ofSeconds(60), c.delay(ALICE));
        try (Permit p = take(c, BOB)) {
            p.throttled(Duration.ofSeconds(-3));
        }
        assertEquals(Duration.ofSeconds(1), c.delay(BOB));
    }

    @Test
    void backoffGrowsExponentiallyAndResetsAfterSuccess() {
        ThrottleController c = controller(SMALL);
        long[] expected = {1, 2, 4, 8, 8};
        for (long seconds : expected) {
            try (Permit p = take(c, ALICE)) {
                p.throttled(null);
            }
            assertEquals(Duration.ofSeconds(seconds), c.delay(ALICE));
            ticker.advanceSeconds(seconds);
        }
        take(c, ALICE).close(); // success
        try (Permit p = take(c, ALICE)) {
            p.throttled(null);
        }
        assertEquals(Duration.ofSeconds(1), c.delay(ALICE));
    }

    @Test
    void requestsInFlightDuringAThrottleDoNotEscalateOrReset() {
        ThrottleController c = controller(SMALL);
        List<Permit> wave = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            wave.add(take(c, ALICE));
        }
        // all four come back 429 without hint: one back-off step, not four
        wave.get(0).throttled(null);
        wave.get(1).close(); // sent before the throttle, succeeded: must not reset the back-off
        wave.get(2).throttled(null);
        wave.get(3).throttled(null);
        wave.forEach(Permit::close);
        assertEquals(1, c.stats(ALICE).orElseThrow().backoffAttempt());
        assertEquals(Duration.ofSeconds(1), c.delay(ALICE));
    }

    @Test
    void fullJitterScalesThePause() {
        ThrottleController c = controller(SMALL.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), true));
        for (int i = 0; i < 3; i++) {
            try (Permit p = take(c, ALICE)) {
                p.throttled(null);
            }
            ticker.advanceSeconds(10);
        }
        try (Permit p = take(c, ALICE)) {
            p.throttled(null);
        }
        // attempt 4: ceiling 8 s, random 0.5 -> 4 s
        assertEquals(Duration.ofSeconds(4), c.delay(ALICE));
    }

    @Test
    void weightedPermitChargesBudgetAndUpToAllSlots() {
        ThrottleController c = controller(SMALL);
        Permit batch = c.tryAcquire(ALICE, 20).orElseThrow();
        assertTrue(c.tryAcquire(ALICE).isEmpty(), "a batch of 20 occupies all 4 slots");
        KeyStats s = c.stats(ALICE).orElseThrow();
        assertEquals(20, s.windowRequests());
        assertEquals(4, s.inFlight());
        batch.close();
        Permit small = c.tryAcquire(ALICE, 2).orElseThrow();
        assertTrue(c.tryAcquire(ALICE, 3).isEmpty());
        assertTrue(c.tryAcquire(ALICE, 2).isPresent());
        small.close();
        assertThrows(IllegalArgumentException.class, () -> c.tryAcquire(ALICE, 0));
    }

    @Test
    void reconfigurationKeepsPermitsPausesAndBudget() {
        ThrottleController c = controller(SMALL);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(take(c, ALICE));
        }
        for (int i = 0; i < 60; i++) {
            take(c, BOB).close();
        }
        ThrottleKey carol = new ThrottleKey("app1", "carol@example.org");
        try (Permit p = take(c, carol)) {
            p.throttled(Duration.ofSeconds(30));
        }
        // fewer slots, a longer window with a smaller budget, other buckets
        c.reconfigure(SMALL.withMaxConcurrent(2).withBudget(50, Duration.ofSeconds(20)).withBuckets(20));
        held.remove(0).close();
        held.remove(0).close();
        assertTrue(c.tryAcquire(ALICE).isEmpty(), "still 2 in flight against a limit of 2");
        held.remove(0).close();
        take(c, ALICE);
        assertEquals(60, c.stats(BOB).orElseThrow().windowRequests(), "counted requests survive the new window");
        assertTrue(c.tryAcquire(BOB).isEmpty(), "60 counted against the new budget of 50");
        assertTrue(c.tryAcquire(carol).isEmpty(), "pause survives");
        // raising the budget admits at once
        c.reconfigure(SMALL.withBudget(1000, Duration.ofSeconds(20)));
        take(c, BOB).close();
    }

    @Test
    void shrinkingTheWindowForgetsOnlyWhatTheNewWindowWouldForget() {
        ThrottleController c = controller(SMALL);
        for (int i = 0; i < 50; i++) {
            take(c, ALICE).close();
        }
        ticker.advanceSeconds(6);
        for (int i = 0; i < 50; i++) {
            take(c, ALICE).close();
        }
        assertTrue(c.tryAcquire(ALICE).isEmpty());
        // window 4 s: the first 50 are 6 s old and out of it, the last 50 remain
        c.reconfigure(SMALL.withBudget(60, Duration.ofSeconds(4)).withBuckets(4));
        assertEquals(50, c.stats(ALICE).orElseThrow().windowRequests());
    }

    @Test
    void idleKeysAreEvictedOnlyWhenNothingWouldBeForgotten() {
        ThrottleController c = controller(SMALL);
        for (int i = 0; i < 1000; i++) {
            take(c, new ThrottleKey("app1", "user" + i + "@example.org")).close();
        }
        Permit inFlight = take(c, ALICE);
        try (Permit p = take(c, BOB)) {
            p.throttled(Duration.ofSeconds(40));
        }
        assertEquals(1002, c.keyCount());
        assertEquals(0, c.evictIdle(), "requests still count in the window");
        ticker.advanceSeconds(13); // window 10 s + up to 2 buckets of 1 s
        assertEquals(1000, c.evictIdle());
        assertEquals(2, c.keyCount());
        assertTrue(c.stats(new ThrottleKey("app1", "user1@example.org")).isEmpty());
        inFlight.close();
        ticker.advanceSeconds(40);
        assertEquals(2, c.evictIdle());
        assertEquals(0, c.keyCount());
        // an evicted key comes back fresh; the registration's totals were kept
        take(c, ALICE).close();
        RegistrationStats app1 = c.snapshot().registrations().get(0);
        assertEquals(1003, app1.requests());
        assertEquals(1, app1.throttled());
    }

    @Test
    void sweepRunsByItselfOnTheCallingThreads() {
        ThrottleController c = controller(SMALL);
        for (int i = 0; i < 100; i++) {
            take(c, new ThrottleKey("app1", "user" + i)).close();
        }
        ticker.advanceSeconds(61);
        c.tryAcquire(ALICE).orElseThrow().close();
        assertEquals(1, c.keyCount());
    }

    @Test
    void permitReleasedAfterEvictionRaceIsHarmless() {
        ThrottleController c = controller(SMALL);
        Permit p = take(c, ALICE);
        p.close();
        ticker.advanceSeconds(20);
        assertEquals(1, c.evictIdle());
        // reporting after close and eviction applies to the key's new state
        p.throttled(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(5), c.delay(ALICE));
        p.close();
        assertEquals(0, c.stats(ALICE).orElseThrow().inFlight());
    }

    @Test
    void acquireWaitsForThePauseOnTheFakeClock() throws InterruptedException {
        ThrottleController c = controller(SMALL);
        try (Permit p = take(c, ALICE)) {
            p.throttled(Duration.ofSeconds(3));
        }
        long before = ticker.nanoTime();
        assertTrue(c.acquire(ALICE, Duration.ofSeconds(1)).isEmpty(), "the pause outlasts maxWait");
        assertEquals(before, ticker.nanoTime(), "gave up at once instead of sleeping in vain");
        Permit p = c.acquire(ALICE, Duration.ofSeconds(5)).orElseThrow();
        long waited = ticker.nanoTime() - before;
        assertTrue(waited >= TimeUnit.SECONDS.toNanos(3) && waited < TimeUnit.SECONDS.toNanos(4), "waited " + waited);
        p.close();
        assertTrue(c.stats(ALICE).orElseThrow().waited().compareTo(Duration.ofSeconds(3)) >= 0);
    }

    @Test
    void acquireIsWokenByARelease() throws Exception {
        // real time: the waiter must be woken by close(), long before its 30 s maxWait
        ThrottleController c = new ThrottleController(SMALL);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(take(c, ALICE));
        }
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Optional<Permit>> waiter = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try {
                return c.acquire(ALICE, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        started.await();
        Thread.sleep(50);
        assertFalse(waiter.isDone());
        long t0 = System.nanoTime();
        held.get(0).close();
        Optional<Permit> p = waiter.get(5, TimeUnit.SECONDS);
        assertTrue(p.isPresent());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void acquireOnABusyKeyTimesOut() throws InterruptedException {
        ThrottleController c = new ThrottleController(SMALL);
        for (int i = 0; i < 4; i++) {
            take(c, ALICE);
        }
        long t0 = System.nanoTime();
        assertTrue(c.acquire(ALICE, Duration.ofMillis(100)).isEmpty());
        long took = System.nanoTime() - t0;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(90) && took < TimeUnit.SECONDS.toNanos(2), "took " + took);
    }

    @Test
    void snapshotListsWhoIsThrottledNow() {
        ThrottleController c = controller(SMALL);
        try (Permit p = take(c, ALICE)) {
            p.throttled(Duration.ofSeconds(5));
        }
        for (int i = 0; i < 100; i++) {
            take(c, BOB).close();
        }
        ThrottleKey other = new ThrottleKey("app2", "alice@example.org");
        take(c, other);
        c.tryAcquire(BOB);
        ThrottleStats s = c.snapshot();
        assertEquals(List.of("app1", "app2"), s.registrations().stream().map(RegistrationStats::registration).toList());
        RegistrationStats app1 = s.registrations().get(0);
        assertEquals(101, app1.requests());
        assertEquals(1, app1.throttled());
        assertEquals(1, app1.refused());
        assertEquals(2, app1.activeKeys());
        assertEquals(1, app1.pausedKeys());
        assertEquals(1, s.registrations().get(1).inFlight());
        assertEquals(List.of(BOB, ALICE), s.throttledNow().stream().map(KeyStats::key).toList(),
                "longest wait first: BOB waits for the window, ALICE 5 s");
        assertEquals(100, s.limits().effectiveBudget());
    }
}
