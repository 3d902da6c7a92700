package io.nexchange.throttling.internal;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.throttling.KeyStats;
import io.nexchange.throttling.RegistrationStats;
import io.nexchange.throttling.ThrottleMonitor;
import io.nexchange.throttling.ThrottleStats;
import io.nexchange.throttling.WeightedThrottlePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The throttling policy: per {@link ThrottleKey} a concurrency limit, a request budget over a sliding window
 * ({@link WindowBudget}) and pauses after throttling answers (the server's hint, else exponential back-off with
 * full jitter, reset by the first success of a request sent after the last throttling answer).
 *
 * <p>Concurrency: one small lock per key (keys are rarely contended: at most a few requests per mailbox) and a
 * {@link ConcurrentHashMap} of keys; registration totals are {@link java.util.concurrent.atomic.LongAdder}s.
 * {@link #tryAcquire} never blocks on anything but that key's lock. {@link #acquire} waits on the key's monitor:
 * woken by a release, or timed to the moment the pause or budget allows a request; no spinning.
 *
 * <p>Memory: a key's state is evicted once it is indistinguishable from a fresh one (nothing in flight, nothing
 * counted in the window, no pause), so idle mailboxes cost nothing after one quiet window and eviction never
 * forgets budget. Sweeps run on the calling threads at most once a minute.
 *
 * <p>Reconfiguration ({@link #reconfigure}) swaps the limits; each key adopts them on its next use, keeping its
 * permits in flight, its pause and its counted requests (re-bucketed conservatively if the window changed).
 */
public final class ThrottleController implements WeightedThrottlePolicy, ThrottleMonitor {

    static final long BUSY = -1;
    private static final long DEFAULT_HOLD_NANOS = Duration.ofMillis(50).toNanos();
    private static final long MAX_BUSY_ESTIMATE_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final Ticker ticker;
    private final Clock wallClock;
    private final DoubleSupplier random;
    private final long origin;
    private final ConcurrentHashMap<ThrottleKey, KeyState> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RegistrationCounters> registrations = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;
    private volatile ThrottleLimits limits;

    public ThrottleController(ThrottleLimits limits) {
        this(limits, Ticker.SYSTEM, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param ticker monotonic time (a fake one in tests)
     * @param wallClock only for the snapshot's timestamp
     * @param random uniform in [0, 1), for back-off jitter
     */
    public ThrottleController(ThrottleLimits limits, Ticker ticker, Clock wallClock, DoubleSupplier random) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.random = Objects.requireNonNull(random, "random");
        this.origin = ticker.nanoTime();
        this.nextSweep = new AtomicLong(SWEEP_INTERVAL_NANOS);
    }

    /** Applies new limits live; see the class comment for what is kept. */
    public void reconfigure(ThrottleLimits newLimits) {
        this.limits = Objects.requireNonNull(newLimits, "limits");
        // waiters re-evaluate against the new limits (a raised limit may admit them now)
        for (KeyState s : keys.values()) {
            synchronized (s) {
                if (s.waiters > 0) {
                    s.notifyAll();
                }
            }
        }
    }

    public ThrottleLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- admission

    @Override
    public Optional<Permit> tryAcquire(ThrottleKey key) {
        return tryAcquire(key, 1);
    }

    @Override
    public Optional<Permit> tryAcquire(ThrottleKey key, int requests) {
        checkRequests(requests);
        Optional<Permit> result;
        for (;;) {
            KeyState s = state(key);
            synchronized (s) {
                if (s.evicted) {
                    continue;
                }
                long now = now(s);
                ThrottleLimits l = sync(s, now);
                if (admissible(s, l, requests, now)) {
                    result = Optional.of(admit(s, l, requests, now));
                } else {
                    s.refused++;
                    s.counters.refused.increment();
                    result = Optional.empty();
                }
                break;
            }
        }
        maybeSweep();
        return result;
    }

    @Override
    public Optional<Permit> acquire(ThrottleKey key, Duration maxWait) throws InterruptedException {
        return acquire(key, 1, maxWait);
    }

    @Override
    public Optional<Permit> acquire(ThrottleKey key, int requests, Duration maxWait) throws InterruptedException {
        checkRequests(requests);
        Objects.requireNonNull(maxWait, "maxWait");
        long maxWaitNanos = saturatedNanos(maxWait);
        Optional<Permit> result = null;
        while (result == null) {
            KeyState s = state(key);
            synchronized (s) {
                if (s.evicted) {
                    continue;
                }
                long start = now(s);
                long deadline = maxWaitNanos >= Long.MAX_VALUE - start ? Long.MAX_VALUE : start + maxWaitNanos;
                for (;;) {
                    long now = now(s);
                    ThrottleLimits l = sync(s, now);
                    long blocked = blockedFor(s, l, requests, now);
                    if (blocked == 0) {
                        recordWait(s, now - start);
                        result = Optional.of(admit(s, l, requests, now));
                        break;
                    }
                    long remaining = deadline - now;
                    if (remaining <= 0 || blocked > remaining) {
                        // the pause or budget outlasts maxWait: say so now instead of sleeping in vain
                        recordWait(s, now - start);
                        s.refused++;
                        s.counters.refused.increment();
                        result = Optional.empty();
                        break;
                    }
                    // BUSY: until a release notifies us (or the deadline); otherwise exactly until it may admit
                    long waitNanos = blocked == BUSY ? remaining : blocked;
                    s.waiters++;
                    try {
                        ticker.await(s, waitNanos);
                    } finally {
                        s.waiters--;
                    }
                }
            }
        }
        maybeSweep();
        return result;
    }

    @Override
    public Duration delay(ThrottleKey key) {
        return delay(key, 1);
    }

    @Override
    public Duration delay(ThrottleKey key, int requests) {
        checkRequests(requests);
        KeyState s = keys.get(key);
        if (s == null) {
            return Duration.ZERO;
        }
        synchronized (s) {
            long now = now(s);
            ThrottleLimits l = sync(s, now);
            return Duration.ofNanos(delayNanos(s, l, requests, now));
        }
    }

    /** The wait as {@link #delay} reports it: a BUSY key reports the expected time until a slot frees. */
    private long delayNanos(KeyState s, ThrottleLimits l, int requests, long now) {
        long blocked = blockedFor(s, l, requests, now);
        if (blocked != BUSY) {
            return blocked;
        }
        long hold = s.holdEwmaNanos > 0 ? s.holdEwmaNanos : DEFAULT_HOLD_NANOS;
        return Math.max(1_000_000L, Math.min(hold, MAX_BUSY_ESTIMATE_NANOS));
    }

    /** The cheap yes/no of {@link #blockedFor} (no scan of the window for the time it frees). */
    private static boolean admissible(KeyState s, ThrottleLimits l, int requests, long now) {
        return s.pausedUntil <= now
                && s.budget.fits(Math.min(requests, l.effectiveBudget()), l.effectiveBudget())
                && s.inFlight + Math.min(requests, l.maxConcurrent()) <= l.maxConcurrent();
    }

    /**
     * 0 if a permit for {@code requests} can be admitted now; else nanoseconds until the pause ends or the budget
     * allows it (the longer of both); {@link #BUSY} if only the concurrency limit stands in the way.
     */
    private static long blockedFor(KeyState s, ThrottleLimits l, int requests, long now) {
        long paused = Math.max(0, s.pausedUntil - now);
        int units = Math.min(requests, l.effectiveBudget());
        long budgetWait = s.budget.nanosUntilFits(units, l.effectiveBudget(), now);
        long wait = Math.max(paused, budgetWait);
        if (wait > 0) {
            return wait;
        }
        int slots = Math.min(requests, l.maxConcurrent());
        return s.inFlight + slots > l.maxConcurrent() ? BUSY : 0;
    }

    private ControllerPermit admit(KeyState s, ThrottleLimits l, int requests, long now) {
        int slots = Math.min(requests, l.maxConcurrent());
        int units = Math.min(requests, l.effectiveBudget());
        s.inFlight += slots;
        s.budget.take(units);
        s.requests += units;
        s.counters.requests.add(units);
        return new ControllerPermit(this, s, slots, now, s.throttleEpoch);
    }

    // ---------------------------------------------------------------- permits

    void release(ControllerPermit p) {
        KeyState s = p.state;
        synchronized (s) {
            if (p.closed) {
                return;
            }
            p.closed = true;
            long now = now(s);
            s.inFlight -= p.slots;
            long hold = now - p.admittedAt;
            s.holdEwmaNanos = s.holdEwmaNanos == 0 ? hold : s.holdEwmaNanos + (hold - s.holdEwmaNanos) / 8;
            if (!p.throttled && p.epoch == s.throttleEpoch) {
                // a request sent after the last throttling answer went through: the back-off starts over
                s.backoffAttempt = 0;
            }
            if (s.waiters > 0) {
                s.notifyAll();
            }
        }
    }

    void throttled(ControllerPermit p, Duration retryAfter) {
        KeyState s = p.state;
        synchronized (s) {
            if (s.evicted) {
                // reported after close and after the key went idle: apply to the key's current state
                s = state(s.key);
            }
        }
        synchronized (s) {
            long now = now(s);
            ThrottleLimits l = sync(s, now);
            boolean fresh = p.epoch == s.throttleEpoch;
            long pause;
            if (retryAfter != null && !retryAfter.isNegative()) {
                pause = Math.min(saturatedNanos(retryAfter), l.maxPause().toNanos());
            } else {
                // requests already in flight when the first answer came do not escalate the back-off
                if (fresh || s.backoffAttempt == 0) {
                    s.backoffAttempt++;
                }
                pause = backoffNanos(l, s.backoffAttempt);
            }
            p.throttled = true;
            s.pausedUntil = Math.max(s.pausedUntil, now + pause);
            if (fresh) {
                s.throttleEpoch++;
            }
            s.throttled++;
            s.counters.throttled.increment();
        }
    }

    private long backoffNanos(ThrottleLimits l, int attempt) {
        long base = l.backoffBase().toNanos();
        long max = l.backoffMax().toNanos();
        int shift = Math.min(attempt - 1, 62);
        long ceiling = base > (max >> shift) ? max : Math.min(max, base << shift);
        return l.jitter() ? (long) (random.getAsDouble() * ceiling) : ceiling;
    }

    // ---------------------------------------------------------------- key states

    private KeyState state(ThrottleKey key) {
        KeyState s = keys.get(key);
        if (s != null) {
            return s;
        }
        Objects.requireNonNull(key, "key");
        return keys.computeIfAbsent(key, k -> new KeyState(k,
                registrations.computeIfAbsent(k.registration(), RegistrationCounters::new), limits, elapsed()));
    }

    /** Policy time for {@code s}: never behind what the key has already seen. Caller holds the key's lock. */
    private long now(KeyState s) {
        long t = elapsed();
        if (t < s.lastNow) {
            t = s.lastNow;
        }
        s.lastNow = t;
        return t;
    }

    private long elapsed() {
        return ticker.nanoTime() - origin;
    }

    /** Adopts the current limits and drops expired buckets. Caller holds the key's lock. */
    private ThrottleLimits sync(KeyState s, long now) {
        ThrottleLimits l = limits;
        if (s.applied != l) {
            s.budget.reshape(l.bucketNanos(), l.ringSize(), now);
            s.applied = l;
        }
        s.budget.advance(now);
        return l;
    }

    /** Removes keys that are indistinguishable from fresh ones. @return how many were removed */
    public int evictIdle() {
        int evicted = 0;
        for (KeyState s : keys.values()) {
            synchronized (s) {
                if (s.evicted) {
                    continue;
                }
                long now = now(s);
                sync(s, now);
                if (s.inFlight == 0 && s.waiters == 0 && s.budget.total() == 0 && s.pausedUntil <= now) {
                    s.evicted = true;
                    keys.remove(s.key, s);
                    evicted++;
                }
            }
        }
        return evicted;
    }

    private void maybeSweep() {
        long t = elapsed();
        long next = nextSweep.get();
        if (t >= next && nextSweep.compareAndSet(next, t + SWEEP_INTERVAL_NANOS)) {
            evictIdle();
        }
    }

    /** Keys with state in memory. */
    public int keyCount() {
        return keys.size();
    }

    // ---------------------------------------------------------------- monitoring

    @Override
    public ThrottleStats snapshot() {
        ThrottleLimits l = limits;
        Map<String, int[]> perRegistration = new TreeMap<>();
        for (String r : registrations.keySet()) {
            perRegistration.put(r, new int[3]);
        }
        List<KeyStats> throttledNow = new ArrayList<>();
        for (KeyState s : keys.values()) {
            KeyStats ks;
            synchronized (s) {
                if (s.evicted) {
                    continue;
                }
                ks = stats(s);
            }
            int[] agg = perRegistration.computeIfAbsent(s.key.registration(), r -> new int[3]);
            agg[0]++;
            agg[1] += ks.inFlight();
            if (!ks.pausedFor().isZero()) {
                agg[2]++;
            }
            if (!ks.pausedFor().isZero() || ks.windowRequests() >= ks.windowBudget()) {
                throttledNow.add(ks);
            }
        }
        throttledNow.sort(Comparator.comparing(KeyStats::nextAdmission).reversed()
                .thenComparing(k -> k.key().registration()).thenComparing(k -> k.key().mailbox()));
        List<RegistrationStats> regs = new ArrayList<>();
        for (Map.Entry<String, int[]> e : perRegistration.entrySet()) {
            RegistrationCounters c = registrations.get(e.getKey());
            int[] agg = e.getValue();
            regs.add(c == null
                    ? new RegistrationStats(e.getKey(), 0, 0, 0, Duration.ZERO, agg[0], agg[1], agg[2])
                    : new RegistrationStats(e.getKey(), c.requests.sum(), c.throttled.sum(), c.refused.sum(),
                            Duration.ofNanos(c.waitedNanos.sum()), agg[0], agg[1], agg[2]));
        }
        return new ThrottleStats(wallClock.instant(), new ThrottleStats.LimitsView(l.maxConcurrent(),
                l.requestsPerWindow(), l.effectiveBudget(), l.window().getSeconds()), regs, throttledNow);
    }

    @Override
    public Optional<KeyStats> stats(ThrottleKey key) {
        KeyState s = keys.get(key);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return s.evicted ? Optional.empty() : Optional.of(stats(s));
        }
    }

    /** Totals of one registration for the meters; zeros if it has not been used yet. */
    RegistrationCounters counters(String registration) {
        return registrations.computeIfAbsent(registration, RegistrationCounters::new);
    }

    private KeyStats stats(KeyState s) {
        long now = now(s);
        ThrottleLimits l = sync(s, now);
        return new KeyStats(s.key, s.inFlight, s.budget.total(), l.effectiveBudget(),
                Duration.ofNanos(Math.max(0, s.pausedUntil - now)), Duration.ofNanos(delayNanos(s, l, 1, now)),
                s.backoffAttempt, s.requests, s.throttled, s.refused, Duration.ofNanos(s.waitedNanos));
    }

    private static void recordWait(KeyState s, long nanos) {
        if (nanos > 0) {
            s.waitedNanos += nanos;
            s.counters.waitedNanos.add(nanos);
        }
    }

    private static void checkRequests(int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1, was " + requests);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.isNegative() ? 0 : d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
