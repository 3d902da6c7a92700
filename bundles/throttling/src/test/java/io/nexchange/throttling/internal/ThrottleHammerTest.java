package io.nexchange.throttling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several threads hammer a few keys while the fake clock moves forward in small random steps; afterwards every
 * window of the configured length is checked against the budget, and the concurrency seen against the limit.
 */
class ThrottleHammerTest {

    private static final int BUDGET = 500;
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final ThrottleLimits LIMITS = new ThrottleLimits(4, BUDGET, WINDOW, 0.0, 20,
            Duration.ofMillis(100), Duration.ofSeconds(1), true, Duration.ofSeconds(5));

    @Test
    void budgetNeverExceededInAnyWindowAndConcurrencyNeverAboveTheLimit() throws Exception {
        FakeTicker ticker = new FakeTicker();
        ThrottleController c = new ThrottleController(LIMITS, ticker, Clock.systemUTC(), () -> 0.5);
        int keyCount = 3;
        int threads = 4;
        int iterations = 150_000;
        ThrottleKey[] keys = new ThrottleKey[keyCount];
        AtomicInteger[] inFlight = new AtomicInteger[keyCount];
        AtomicInteger[] maxInFlight = new AtomicInteger[keyCount];
        List<ConcurrentLinkedQueue<Long>> admissions = new ArrayList<>();
        for (int k = 0; k < keyCount; k++) {
            keys[k] = new ThrottleKey("app", "mailbox" + k);
            inFlight[k] = new AtomicInteger();
            maxInFlight[k] = new AtomicInteger();
            admissions.add(new ConcurrentLinkedQueue<>());
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        long startNanos = ticker.nanoTime();
        List<Thread> workers = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            long seed = t;
            Thread w = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                // permits held across iterations (up to 3 per key and thread, so 12 could overlap if the policy
                // let them), as requests overlap over the network
                List<List<Permit>> held = new ArrayList<>();
                for (int k = 0; k < keyCount; k++) {
                    held.add(new ArrayList<>());
                }
                try {
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        int k = rnd.nextInt(keyCount);
                        List<Permit> mine = held.get(k);
                        if (!mine.isEmpty() && (mine.size() == 3 || rnd.nextBoolean())) {
                            Permit done = mine.remove(0);
                            inFlight[k].decrementAndGet();
                            if (rnd.nextInt(200) == 0) {
                                done.throttled(rnd.nextBoolean() ? null : Duration.ofMillis(rnd.nextInt(500)));
                            }
                            done.close();
                        } else {
                            Optional<Permit> p = c.tryAcquire(keys[k]);
                            if (p.isPresent()) {
                                int now = inFlight[k].incrementAndGet();
                                maxInFlight[k].accumulateAndGet(now, Math::max);
                                admissions.get(k).add(((ControllerPermit) p.get()).admittedAtNanos());
                                mine.add(p.get());
                            }
                        }
                        ticker.advanceNanos(rnd.nextLong(1_000_000L));
                    }
                    for (int k = 0; k < keyCount; k++) {
                        for (Permit p : held.get(k)) {
                            inFlight[k].decrementAndGet();
                            p.close();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertTrue(errors.isEmpty(), () -> errors.toString());
        long elapsed = ticker.nanoTime() - startNanos;
        long windowNanos = WINDOW.toNanos();
        for (int k = 0; k < keyCount; k++) {
            long[] times = admissions.get(k).stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(times);
            // no BUDGET + 1 admissions inside any interval shorter than the window
            for (int i = 0; i + BUDGET < times.length; i++) {
                long span = times[i + BUDGET] - times[i];
                assertTrue(span >= windowNanos, "key " + k + ": " + (BUDGET + 1) + " requests within " + span + " ns");
            }
            assertTrue(maxInFlight[k].get() <= 4, "key " + k + " had " + maxInFlight[k].get() + " in flight");
            assertEquals(4, maxInFlight[k].get(), "the hammer should reach the concurrency limit");
            assertEquals(0, c.stats(keys[k]).orElseThrow().inFlight());
            // and it is not starved: with the pauses of the simulated 429s and the slots held, well over half the budget
            double windows = (double) elapsed / windowNanos;
            double share = times.length / (windows * BUDGET);
            assertTrue(share > 0.7 && share <= 1.0, "key " + k + " used " + share + " of the budget over " + windows + " windows");
        }
    }

    @Test
    void burstsAcrossAWindowBoundaryAreStopped() {
        // the classic fixed-window hole: a full budget at the end of one window and again at the start of the next
        FakeTicker ticker = new FakeTicker();
        ThrottleController c = new ThrottleController(LIMITS, ticker, Clock.systemUTC(), () -> 0.5);
        ThrottleKey key = new ThrottleKey("app", "m");
        ticker.advanceNanos(WINDOW.toNanos() - 1_000_000L);
        for (int i = 0; i < BUDGET; i++) {
            c.tryAcquire(key).orElseThrow().close();
        }
        ticker.advanceNanos(2_000_000L);
        assertTrue(c.tryAcquire(key).isEmpty());
        // just under a full window after the burst: still nothing
        ticker.advanceNanos(WINDOW.toNanos() - 3_000_000L);
        assertTrue(c.tryAcquire(key).isEmpty());
        // one window plus at most two buckets later the whole budget is back
        ticker.advanceNanos(2 * WINDOW.toNanos() / 20 + 2_000_000L);
        for (int i = 0; i < BUDGET; i++) {
            c.tryAcquire(key).orElseThrow().close();
        }
    }

    @Test
    void steadyTrafficGetsTheDocumentedShareOfTheBudget() {
        // Outlook defaults, a caller that always has work (one request every 10 ms when admitted), 24 hours of
        // fake time; the first 20 minutes (which start with a full budget) are not counted. Such a caller spends
        // the budget in bursts, one per 610 s (window + 2 buckets), so the horizon must span many of them.
        FakeTicker ticker = new FakeTicker();
        ThrottleController c = new ThrottleController(ThrottleLimits.OUTLOOK, ticker, Clock.systemUTC(), () -> 0.5);
        ThrottleKey key = new ThrottleKey("app", "m");
        long measureFrom = ticker.nanoTime() + Duration.ofMinutes(20).toNanos();
        long end = ticker.nanoTime() + Duration.ofHours(24).toNanos();
        long admitted = 0;
        while (ticker.nanoTime() < end) {
            Optional<Permit> p = c.tryAcquire(key);
            if (p.isPresent()) {
                p.get().close();
                if (ticker.nanoTime() >= measureFrom) {
                    admitted++;
                }
                ticker.advanceMillis(10);
            } else {
                ticker.advanceNanos(Math.max(1, c.delay(key).toNanos()));
            }
        }
        double windows = (double) (end - measureFrom) / Duration.ofMinutes(10).toNanos();
        double share = admitted / (windows * 10_000);
        // expected 0.99 x 600 / 610 = 0.974, give or take one burst over the horizon
        assertTrue(share > 0.965 && share < 0.982, "share " + share);
    }
}
