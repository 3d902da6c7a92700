package io.nexchange.throttling;

import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Work for a pool of workers (e.g. one sync step of one mailbox), handed out only when its mailbox's throttle key
 * admits a request now, so that a worker serves another mailbox instead of sleeping on a throttled one.
 *
 * <p>Order: earliest-ready first. An item is ready from the moment it is offered; when its key is not admissible,
 * it is put back with the time the policy names ({@link ThrottlePolicy#delay}) and not looked at again before
 * then, so a throttled mailbox costs one check per pause, not a spin. Items ready at the same moment come out in
 * the order they were offered, which is round robin between mailboxes when each worker re-offers its item after
 * one step.
 *
 * <p>A handed-out item holds no permit: the requests it makes acquire their own (with a short {@code maxWait});
 * the check here only avoids picking mailboxes that are known to be blocked. Thread-safe.
 *
 * @param <T> the work item
 */
public final class ReadyQueue<T> {

    private final ThrottlePolicy policy;
    private final Function<? super T, ThrottleKey> keyOf;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry<T>> entries = new PriorityQueue<>();
    /** Scratch list for {@link #wake}. */
    private final List<Entry<T>> pending = new ArrayList<>();
    private long sequence;

    /**
     * @param policy the policy whose {@code delay} decides readiness
     * @param keyOf the throttle key of an item (registration and mailbox)
     */
    public ReadyQueue(ThrottlePolicy policy, Function<? super T, ThrottleKey> keyOf) {
        this(policy, keyOf, System::nanoTime);
    }

    ReadyQueue(ThrottlePolicy policy, Function<? super T, ThrottleKey> keyOf, LongSupplier nanoTime) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Adds an item, ready now (subject to its key). */
    public void offer(T item) {
        Entry<T> e = new Entry<>(Objects.requireNonNull(item, "item"), Objects.requireNonNull(keyOf.apply(item), "key"));
        lock.lock();
        try {
            e.readyAt = nanoTime.getAsLong();
            e.seq = sequence++;
            entries.add(e);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next item whose key admits a request now, or empty; never waits. */
    public Optional<T> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(nextReady(nanoTime.getAsLong()));
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code timeout} for an admissible item. */
    public Optional<T> poll(Duration timeout) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            for (;;) {
                long now = nanoTime.getAsLong();
                T item = nextReady(now);
                if (item != null) {
                    return Optional.of(item);
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(Math.min(remaining, untilNext(now)));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for an admissible item. */
    public T take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            for (;;) {
                long now = nanoTime.getAsLong();
                T item = nextReady(now);
                if (item != null) {
                    return item;
                }
                changed.awaitNanos(untilNext(now));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the items of {@code key} ready now, e.g. after a permit of that key was released or its limits were
     * raised. O(items).
     */
    public void wake(ThrottleKey key) {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            boolean any = false;
            for (Iterator<Entry<T>> it = entries.iterator(); it.hasNext();) {
                Entry<T> e = it.next();
                if (e.key.equals(key) && e.readyAt > now) {
                    it.remove();
                    e.readyAt = now;
                    any = true;
                    // re-added below; the heap cannot be updated in place
                    pending.add(e);
                }
            }
            entries.addAll(pending);
            pending.clear();
            if (any) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes an item (equality), e.g. a mailbox that was disabled. */
    public boolean remove(T item) {
        lock.lock();
        try {
            return entries.removeIf(e -> e.item.equals(item));
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private T nextReady(long now) {
        Entry<T> head;
        while ((head = entries.peek()) != null && head.readyAt - now <= 0) {
            entries.poll();
            Duration delay = policy.delay(head.key);
            if (delay.isZero() || delay.isNegative()) {
                return head.item;
            }
            // not before the policy says so; re-inserted behind now, so this loop ends
            head.readyAt = now + Math.max(1, saturatedNanos(delay));
            head.seq = sequence++;
            entries.add(head);
        }
        return null;
    }

    /** Caller holds the lock. */
    private long untilNext(long now) {
        Entry<T> head = entries.peek();
        return head == null ? TimeUnit.DAYS.toNanos(1) : Math.max(1, head.readyAt - now);
    }

    private static long saturatedNanos(Duration d) {
        long cap = TimeUnit.DAYS.toNanos(365);
        return d.compareTo(Duration.ofNanos(cap)) > 0 ? cap : d.toNanos();
    }

    private static final class Entry<T> implements Comparable<Entry<T>> {
        final T item;
        final ThrottleKey key;
        long readyAt;
        long seq;

        Entry(T item, ThrottleKey key) {
            this.item = item;
            this.key = key;
        }

        @Override
        public int compareTo(Entry<T> o) {
            int c = Long.compare(readyAt - o.readyAt, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
