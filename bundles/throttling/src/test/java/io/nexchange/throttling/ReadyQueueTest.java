package io.nexchange.throttling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadyQueueTest {

    /** A policy whose keys are blocked until a given fake time; counts how often it is asked. */
    private static final class StubPolicy implements ThrottlePolicy {
        final AtomicLong now;
        final Map<String, Long> blockedUntil = new HashMap<>();
        final AtomicInteger asked = new AtomicInteger();

        StubPolicy(AtomicLong now) {
            this.now = now;
        }

        @Override
        public Optional<Permit> tryAcquire(ThrottleKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized Duration delay(ThrottleKey key) {
            asked.incrementAndGet();
            long until = blockedUntil.getOrDefault(key.mailbox(), 0L);
            return Duration.ofNanos(Math.max(0, until - now.get()));
        }

        @Override
        public Optional<Permit> acquire(ThrottleKey key, Duration maxWait) {
            throw new UnsupportedOperationException();
        }
    }

    private record Work(String mailbox, int step) {
    }

    private static ThrottleKey key(Work w) {
        return new ThrottleKey("app", w.mailbox());
    }

    @Test
    void throttledMailboxIsSkippedAndOthersServedInOrder() {
        AtomicLong now = new AtomicLong();
        StubPolicy policy = new StubPolicy(now);
        policy.blockedUntil.put("a", 5_000L);
        ReadyQueue<Work> q = new ReadyQueue<>(policy, ReadyQueueTest::key, now::get);
        q.offer(new Work("a", 1));
        q.offer(new Work("b", 1));
        q.offer(new Work("c", 1));
        q.offer(new Work("b", 2));
        List<Work> served = new ArrayList<>();
        q.poll().ifPresent(served::add);
        q.poll().ifPresent(served::add);
        q.poll().ifPresent(served::add);
        assertEquals(List.of(new Work("b", 1), new Work("c", 1), new Work("b", 2)), served);
        int askedBefore = policy.asked.get();
        for (int i = 0; i < 100; i++) {
            assertTrue(q.poll().isEmpty());
        }
        assertEquals(askedBefore, policy.asked.get(), "a throttled mailbox is not asked again before its time");
        now.set(5_000L);
        assertEquals(Optional.of(new Work("a", 1)), q.poll());
        assertEquals(0, q.size());
    }

    @Test
    void earliestReadyFirst() {
        AtomicLong now = new AtomicLong();
        StubPolicy policy = new StubPolicy(now);
        policy.blockedUntil.put("late", 9_000L);
        policy.blockedUntil.put("early", 3_000L);
        ReadyQueue<Work> q = new ReadyQueue<>(policy, ReadyQueueTest::key, now::get);
        q.offer(new Work("late", 1));
        q.offer(new Work("early", 1));
        assertTrue(q.poll().isEmpty());
        now.set(4_000L);
        q.offer(new Work("fresh", 1));
        // "early" became ready at 3000, before "fresh" was offered at 4000
        assertEquals(Optional.of(new Work("early", 1)), q.poll());
        assertEquals(Optional.of(new Work("fresh", 1)), q.poll());
        assertTrue(q.poll().isEmpty());
        now.set(10_000L);
        assertEquals(Optional.of(new Work("late", 1)), q.poll());
    }

    @Test
    void roundRobinWhenWorkersReoffer() {
        AtomicLong now = new AtomicLong();
        ReadyQueue<Work> q = new ReadyQueue<>(new StubPolicy(now), ReadyQueueTest::key, now::get);
        for (String m : List.of("a", "b", "c")) {
            q.offer(new Work(m, 0));
        }
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            Work w = q.poll().orElseThrow();
            order.append(w.mailbox());
            now.incrementAndGet();
            q.offer(new Work(w.mailbox(), w.step() + 1));
        }
        assertEquals("abcabcabc", order.toString());
    }

    @Test
    void wakeMakesItemsReadyBeforeTheirTime() {
        AtomicLong now = new AtomicLong();
        StubPolicy policy = new StubPolicy(now);
        policy.blockedUntil.put("a", 1_000_000L);
        ReadyQueue<Work> q = new ReadyQueue<>(policy, ReadyQueueTest::key, now::get);
        q.offer(new Work("a", 1));
        assertTrue(q.poll().isEmpty());
        policy.blockedUntil.clear();
        q.wake(new ThrottleKey("app", "a"));
        assertEquals(Optional.of(new Work("a", 1)), q.poll());
    }

    @Test
    void takeWaitsForTheThrottledItemOrANewOne() throws Exception {
        // real time, with the real policy: a paused mailbox comes out when the pause ends, without spinning
        io.nexchange.throttling.internal.ThrottleController policy = new io.nexchange.throttling.internal.ThrottleController(
                io.nexchange.throttling.internal.ThrottleLimits.OUTLOOK);
        // measured from before the pause starts: the item may come out only after the whole pause, however
        // slowly the lines between run (under load, timing from the take() alone saw less than the pause)
        long t0 = System.nanoTime();
        try (Permit p = policy.tryAcquire(new ThrottleKey("app", "a")).orElseThrow()) {
            p.throttled(Duration.ofMillis(150));
        }
        ReadyQueue<Work> q = new ReadyQueue<>(policy, ReadyQueueTest::key);
        q.offer(new Work("a", 1));
        Work w = q.take();
        long took = System.nanoTime() - t0;
        assertEquals(new Work("a", 1), w);
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(145) && took < TimeUnit.SECONDS.toNanos(5), "took " + took);

        CompletableFuture<Work> taker = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        q.offer(new Work("b", 1));
        assertEquals(new Work("b", 1), taker.get(2, TimeUnit.SECONDS));
        assertTrue(q.poll(Duration.ofMillis(20)).isEmpty());
    }
}
