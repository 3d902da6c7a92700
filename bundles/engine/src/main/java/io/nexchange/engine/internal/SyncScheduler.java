package io.nexchange.engine.internal;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cycles: every interval, every mailbox of the {@link MailboxDirectory} is synced by one of {@code threads}
 * workers (one mailbox per worker at a time, and never the same mailbox twice at once in this instance; the lease
 * keeps other instances off it). Logs progress (mailboxes done/total, items/s, ETA) every few seconds while a cycle
 * runs, and keeps a snapshot for the console.
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final MailboxDirectory mailboxes;
    private final MailboxSync worker;
    private final Fleet fleet;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<MailboxResult>> inFlight = new ConcurrentHashMap<>();
    /** The mailboxes a worker is on now (a subset of {@link #inFlight}, which also holds the queued ones). */
    private final Set<String> onWorker = ConcurrentHashMap.newKeySet();
    /**
     * The cycle each running mailbox run belongs to: cycles overlap (a spread cycle begins beside an overrunning one),
     * and a run's writes count in the cycle that started it, not in the newest.
     */
    private final Map<String, Cycle> runCycles = new ConcurrentHashMap<>();
    private final Map<String, MailboxResult> lastResults = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
    /** The directory as the last cycle listed it, by primary SMTP address (what {@link #syncNow} looks up first). */
    private volatile Map<String, Mailbox> listing = Map.of();
    /** Runs of a spread cycle not started yet. */
    private final java.util.Set<CompletableFuture<MailboxResult>> waiting = ConcurrentHashMap.newKeySet();
    private final Instant startedAt;

    /** How long a stop waits for the running actions (one request each); within the launcher's 30 s framework stop. */
    static final Duration STOP_WAIT = Duration.ofSeconds(20);

    /**
     * One cycle: its progress and its end. A spread cycle may begin while the one before still runs (a mailbox that
     * took longer than the slack), so each keeps its own figures; the status shows the newest.
     */
    private static final class Cycle {
        final AtomicInteger done = new AtomicInteger();
        final AtomicLong written = new AtomicLong();
        final AtomicLong planned = new AtomicLong();
        final int total;
        final Instant start;
        volatile Instant end;
        volatile CompletableFuture<List<MailboxResult>> future = CompletableFuture.completedFuture(List.of());

        Cycle(int total, Instant start) {
            this.total = total;
            this.start = start;
        }

        boolean running() {
            return end == null;
        }
    }

    /** The newest cycle (null before the first), and the newest that has finished. */
    private volatile Cycle current;
    private volatile Cycle lastFinished;
    private volatile String directoryError = "";

    /**
     * @param workerFactory makes the per-mailbox worker around the scheduler's own write listener
     */
    public SyncScheduler(MailboxDirectory mailboxes, java.util.function.Function<PairSync.Listener, MailboxSync> workerFactory,
            int threads, Clock clock) {
        this.mailboxes = mailboxes;
        this.clock = clock;
        this.worker = workerFactory.apply(new PairSync.Listener() {
            @Override
            public void written(SyncPair pair, Side target, String action) {
                SyncScheduler.this.written(pair, target, action);
            }

            @Override
            public void planned(SyncPair pair, int writes) {
                Cycle cycle = cycleOf(pair);
                if (cycle != null) {
                    cycle.planned.addAndGet(writes);
                }
            }
        });
        this.fleet = worker.fleet();
        this.workers = Executors.newFixedThreadPool(threads, named("nexchange-sync-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("nexchange-sync-timer-"));
        this.startedAt = clock.instant();
    }

    /**
     * Starts the periodic cycles and the progress log. The first cycle runs every mailbox at once (the initial sync,
     * or the catching up after a restart); the later ones spread the mailboxes over the first {@link #SPREAD_SHARE}
     * of the interval, each at its own stable offset ({@link #offset}), so the load is even instead of a burst at
     * every tick, and each mailbox is synced once per interval at the same phase. The first spread cycle starts
     * {@code interval - spread} after the burst began (or a tenth of the interval after it ended, if later), so no
     * mailbox waits much longer than an interval between its burst run and its first spread run.
     */
    public void start(Duration initialDelay, Duration interval, Duration progressEvery) {
        Duration spread = Duration.ofMillis((long) (interval.toMillis() * SPREAD_SHARE));
        joinFleet(interval);
        timer.schedule(() -> {
            long began = System.nanoTime();
            cycle(false, Duration.ZERO, false).whenComplete((results, failure) -> {
                long sinceBegin = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                // a burst that overran leaves a tenth of the interval before the next cycle: status shows it finished
                // (the demo reports it), and the servers get a breather after an initial sync
                onTimer(Math.max(interval.toMillis() / 10, interval.minus(spread).toMillis() - sinceBegin),
                        () -> spreadCycles(interval, spread));
            });
        }, initialDelay.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::logProgress, progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A spread cycle now, and the next one an interval after this one began. It begins even while the last one still
     * runs (a mailbox late in the spread that took longer than the slack: a full listing after a backend switch, a loaded
     * machine), so one slow mailbox does not cost every other one a whole interval: each mailbox starts at its own phase
     * of every tick, and one whose own run is still going starts again the moment that run ends.
     */
    private void spreadCycles(Duration interval, Duration spread) {
        long began = System.nanoTime();
        cycle(false, spread, true);
        onTimer(Math.max(0, interval.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)),
                () -> spreadCycles(interval, spread));
    }

    /** Runs {@code task} on the timer after {@code millis}, unless the scheduler is closing. */
    private void onTimer(long millis, Runnable task) {
        try {
            timer.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: no more cycles
        }
    }

    /** The share of the interval a periodic cycle spreads its mailboxes over; the rest is slack for the last ones. */
    static final double SPREAD_SHARE = 0.75;

    /**
     * Where in a cycle spread over {@code spread} a mailbox starts: a hash of its primary SMTP address (String.hashCode
     * is fixed by the language, so the same in every run and on every instance), mixed and reduced to the spread.
     */
    static Duration offset(String primarySmtp, Duration spread) {
        if (spread.toMillis() <= 0) {
            return Duration.ZERO;
        }
        long mixed = (primarySmtp.hashCode() & 0xffffffffL) * 0x9E3779B97F4A7C15L;
        return Duration.ofMillis(Math.floorMod(mixed >>> 11, spread.toMillis()));
    }

    private final java.util.concurrent.atomic.AtomicBoolean joined = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Joins the fleet sharing the state database (once): a first heartbeat now, so an instance joining learns the others
     * before its first cycle, then one every quarter of the lease time. Benchmarks that run cycles by hand call it first.
     */
    public void joinFleet() {
        joinFleet(Duration.ZERO);
    }

    /**
     * Joins the fleet, checking it at least four times per {@code interval} (and every 10 s at most apart), so a join or
     * a clean stop moves mailboxes within a quarter interval plus the runs in progress ({@link Fleet#checkEvery}).
     */
    private void joinFleet(Duration interval) {
        if (joined.compareAndSet(false, true)) {
            long every = fleet.checkEvery(interval).toMillis();
            fleet.beat();
            timer.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** A heartbeat now (benchmarks: every instance sees the others at once); the live instances it saw. */
    public List<String> heartbeatNow() {
        heartbeat();
        return fleet.liveInstances();
    }

    /**
     * The fleet's check ({@link Fleet#checkEvery}): renews this instance's record (and its leases every quarter lease);
     * releases the leases of mailboxes now owned by another instance (not while a run has them: that run releases it
     * when it ends) and syncs the mailboxes it gained at once (their owner is gone, or handed them over, so they may have
     * waited); retries at once the owned mailboxes whose lease another instance still held (it hands them over when it
     * sees this one).
     */
    private synchronized void heartbeat() {
        try {
            List<String> before = fleet.liveInstances();
            Optional<io.nexchange.api.state.FleetView> view = fleet.beat();
            if (view.isEmpty()) {
                return;
            }
            java.util.Set<String> lost = view.get().lost();
            List<String> after = fleet.liveInstances();
            fleet.releaseSurplus();
            int gained = 0;
            for (Mailbox mailbox : listing.values()) {
                String smtp = mailbox.primarySmtp();
                if (!fleet.owns(smtp) || fleet.holds(smtp) || inFlight.containsKey(smtp)) {
                    continue;
                }
                MailboxResult last = lastResults.get(smtp);
                boolean moved = !before.equals(after) && !fleet.self().equals(Fleet.owner(smtp, before));
                boolean blocked = awaitingLease.contains(smtp) || lost.contains(smtp) || last != null
                        && (last.state() == MailboxResult.State.LEASED_ELSEWHERE || last.state() == MailboxResult.State.LEASE_LOST);
                if (!moved && !blocked) {
                    continue;
                }
                // the lease first (one statement), the run when a worker is free: the lease moves within this check
                if (takeLease(smtp)) {
                    awaitingLease.remove(smtp);
                    submit(mailbox, false);
                    gained += moved ? 1 : 0;
                } else {
                    awaitingLease.add(smtp); // its holder hands it over when it sees this instance: tried at every check
                }
            }
            awaitingLease.removeIf(smtp -> !fleet.owns(smtp));
            if (gained > 0) {
                LOG.info("Taking over {} mailboxes from the instances that left or joined; syncing them now", gained);
            }
            forgetHandedOver();
        } catch (RuntimeException e) {
            LOG.warn("Fleet heartbeat failed: {}", e.toString());
        }
    }

    /** Owned mailboxes whose lease another instance still held at the last check. */
    private final java.util.Set<String> awaitingLease = ConcurrentHashMap.newKeySet();

    private boolean takeLease(String smtp) {
        try {
            return fleet.take(smtp);
        } catch (io.nexchange.api.state.StateException e) {
            LOG.debug("{}: lease not taken now: {}", smtp, e.getMessage());
            return false;
        }
    }

    /** Drops the results of mailboxes this instance neither owns nor holds: their rows belong to their new holder. */
    private void forgetHandedOver() {
        lastResults.keySet().removeIf(smtp -> !fleet.owns(smtp) && !fleet.holds(smtp) && !inFlight.containsKey(smtp));
        lastSuccess.keySet().retainAll(lastResults.keySet());
    }

    /** This instance's part of the fleet (for the status section). */
    Fleet fleet() {
        return fleet;
    }

    public void addListener(EngineListener listener) {
        listeners.add(listener);
    }

    public void removeListener(EngineListener listener) {
        listeners.remove(listener);
    }

    /** Starts a cycle over every mailbox unless one is running (then joins it); completes when all are done. */
    public CompletableFuture<List<MailboxResult>> startCycle() {
        return cycle(false);
    }

    /**
     * A cycle now ({@code nexchange:sync --all}); the guard override applies to every mailbox of it. If a cycle is
     * running, its future is returned instead (without the override).
     */
    public CompletableFuture<List<MailboxResult>> cycle(boolean allowDeletions) {
        return cycle(allowDeletions, Duration.ZERO, false);
    }

    /**
     * A cycle whose mailboxes start at their {@link #offset} within {@code spread} (zero: all at once). A cycle asked for
     * while one runs joins it, unless it is a periodic spread cycle ({@code besideRunning}): that one begins anyway, and a
     * mailbox still running from the last cycle at its phase starts again when that run ends.
     */
    synchronized CompletableFuture<List<MailboxResult>> cycle(boolean allowDeletions, Duration spread,
            boolean besideRunning) {
        Cycle running = current;
        if (running != null && running.running() && !besideRunning) {
            LOG.info("A sync cycle is still running ({}/{} mailboxes); not starting another", running.done.get(), running.total);
            return running.future;
        }
        List<Mailbox> list;
        try {
            List<Mailbox> all = mailboxes.mailboxes();
            Map<String, Mailbox> bySmtp = new java.util.HashMap<>();
            all.forEach(m -> bySmtp.put(m.primarySmtp(), m));
            listing = bySmtp;
            directoryError = "";
            // the fleet's split: the mailboxes other live instances own are theirs (one instance: all of them)
            list = all.stream().filter(m -> fleet.owns(m.primarySmtp())).toList();
            forgetHandedOver();
        } catch (DirectoryException | RuntimeException e) {
            directoryError = e.getMessage();
            LOG.error("Sync cycle skipped: the mailbox list could not be read: {}", e.getMessage());
            return CompletableFuture.completedFuture(List.of());
        }
        Cycle cycle = new Cycle(list.size(), clock.instant());
        current = cycle;
        if (running != null && running.running()) {
            LOG.info("Sync cycle started: {} mailboxes, spread over {}, while the last one still runs ({}/{} mailboxes done)",
                    list.size(), human(spread), running.done.get(), running.total);
        } else {
            LOG.info(spread.isZero() ? "Sync cycle started: {} mailboxes" : "Sync cycle started: {} mailboxes, spread over {}",
                    list.size(), human(spread));
        }
        List<CompletableFuture<MailboxResult>> futures = new ArrayList<>();
        for (Mailbox mailbox : list) {
            Duration offset = offset(mailbox.primarySmtp(), spread);
            CompletableFuture<MailboxResult> run = offset.isZero() ? submit(mailbox, allowDeletions, besideRunning, cycle)
                    : later(mailbox, offset, cycle);
            futures.add(run.whenComplete((r, e) -> cycle.done.incrementAndGet()));
        }
        cycle.future = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            List<MailboxResult> results = futures.stream().filter(f -> !f.isCompletedExceptionally())
                    .map(CompletableFuture::join).toList();
            finishCycle(cycle, results);
            return results;
        });
        return cycle.future;
    }

    private synchronized void finishCycle(Cycle cycle, List<MailboxResult> results) {
        cycle.end = clock.instant();
        if (lastFinished == null || !cycle.start.isBefore(lastFinished.start)) {
            lastFinished = cycle;
        }
        Duration took = Duration.between(cycle.start, cycle.end);
        Map<MailboxResult.State, Long> byState = new TreeMap<>();
        results.forEach(r -> byState.merge(r.state(), 1L, Long::sum));
        LOG.info("Sync cycle done in {}: {} mailboxes {}, {} items written", human(took), results.size(), byState,
                cycle.written.get());
        listeners.forEach(l -> l.cycleDone(took, results.size()));
    }

    /** Syncs one mailbox now ({@code nexchange:sync <mailbox>}); joins a run of it already in progress. */
    public CompletableFuture<MailboxResult> syncNow(String primarySmtp, boolean allowDeletions) {
        String wanted = primarySmtp.trim().toLowerCase(Locale.ROOT);
        // the cycle's listing first: at 10,000 mailboxes a fresh one is a dozen Graph pages for one mailbox
        Mailbox listed = listing.get(wanted);
        if (listed != null) {
            return submit(listed, allowDeletions);
        }
        try {
            for (Mailbox mailbox : mailboxes.mailboxes()) {
                if (mailbox.primarySmtp().equals(wanted)) {
                    return submit(mailbox, allowDeletions);
                }
            }
        } catch (DirectoryException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("mailbox " + wanted
                + " is not in the mailbox directory's scope (check the mailbox filter of the MailboxDirectory)"));
    }

    /** The run of a mailbox {@code delay} from now; on stop before then it completes exceptionally. */
    private CompletableFuture<MailboxResult> later(Mailbox mailbox, Duration delay, Cycle cycle) {
        CompletableFuture<MailboxResult> run = new CompletableFuture<>();
        waiting.add(run);
        try {
            timer.schedule(() -> {
                if (waiting.remove(run)) {
                    submit(mailbox, false, true, cycle).whenComplete((r, e) -> {
                        if (e != null) {
                            run.completeExceptionally(e);
                        } else {
                            run.complete(r);
                        }
                    });
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiting.remove(run);
            run.completeExceptionally(new IllegalStateException("the sync engine is stopping", e));
        }
        return run;
    }

    private CompletableFuture<MailboxResult> submit(Mailbox mailbox, boolean allowDeletions) {
        return submit(mailbox, allowDeletions, false, null);
    }

    /**
     * Runs the mailbox on a worker. One run per mailbox at a time: if it is running, a caller joins that run, or with
     * {@code again} (its phase in a periodic cycle came while its last run was still going) gets a new run that starts
     * the moment that one ends. {@code cycle} is the cycle the run counts in (null: a run asked for outside the cycles,
     * counted in the newest).
     */
    private CompletableFuture<MailboxResult> submit(Mailbox mailbox, boolean allowDeletions, boolean again, Cycle cycle) {
        String smtp = mailbox.primarySmtp();
        CompletableFuture<MailboxResult> created = new CompletableFuture<>();
        CompletableFuture<MailboxResult> running = inFlight.putIfAbsent(smtp, created);
        if (running != null) {
            return again ? running.handle((r, e) -> null).thenCompose(v -> submit(mailbox, allowDeletions, false, cycle)) : running;
        }
        try {
            workers.execute(() -> {
                onWorker.add(smtp);
                if (cycle != null) {
                    runCycles.put(smtp, cycle);
                }
                try {
                    MailboxResult result = run(mailbox, allowDeletions);
                    runCycles.remove(smtp);
                    onWorker.remove(smtp);
                    inFlight.remove(smtp, created); // before completing, so a caller woken by it can start a new run
                    created.complete(result);
                } catch (Throwable t) {
                    runCycles.remove(smtp);
                    onWorker.remove(smtp);
                    inFlight.remove(smtp, created);
                    created.completeExceptionally(t);
                    throw t;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.remove(smtp, created);
            created.completeExceptionally(new IllegalStateException("the sync engine is stopping", e));
        }
        return created;
    }

    private MailboxResult run(Mailbox mailbox, boolean allowDeletions) {
        Instant started = clock.instant();
        MailboxResult result;
        try {
            result = worker.sync(mailbox, allowDeletions);
        } catch (RuntimeException e) {
            LOG.error("{}: sync failed unexpectedly", mailbox.primarySmtp(), e);
            result = new MailboxResult(mailbox.primarySmtp(), MailboxResult.State.FAILED, "", started, clock.instant(),
                    List.of(), e.toString());
        }
        lastResults.put(result.mailbox(), result);
        if (result.state() == MailboxResult.State.OK) {
            lastSuccess.put(result.mailbox(), result.finished());
        }
        log(result);
        MailboxResult done = result;
        listeners.forEach(l -> l.mailboxDone(done));
        return result;
    }

    private static void log(MailboxResult r) {
        switch (r.state()) {
            case OK:
                if (r.writes() > 0) {
                    LOG.info("{}", r.summary());
                } else {
                    LOG.debug("{}", r.summary());
                }
                break;
            case LEASED_ELSEWHERE:
                LOG.debug("{}: leased by another instance", r.mailbox());
                break;
            case CREDENTIALS_REJECTED:
            case THROTTLED:
                // the store says it once when it happens (and the fix); every cycle again would bury it
                LOG.debug("{}", r.summary());
                break;
            case LEASE_LOST:
                LOG.debug("{}", r.summary()); // MailboxSync logged the one-line warning
                break;
            case STOPPED:
                if (r.pairs().isEmpty()) {
                    LOG.debug("{}: not started, the engine is stopping", r.mailbox());
                } else {
                    LOG.info("{}: stopped with the engine after {} writes; the next start resumes from the last commit",
                            r.mailbox(), r.writes());
                }
                break;
            case GUARDED:
                r.alerts().forEach(LOG::warn);
                break;
            default:
                LOG.warn("{}", r.summary());
        }
    }

    /** The cycle a write of {@code pair} counts in: its run's, else the newest. */
    private Cycle cycleOf(SyncPair pair) {
        Cycle cycle = runCycles.get(pair.mailbox());
        return cycle != null ? cycle : current;
    }

    private void written(SyncPair pair, Side target, String action) {
        Cycle cycle = cycleOf(pair);
        if (cycle != null) {
            cycle.written.incrementAndGet();
        }
        listeners.forEach(l -> l.written(pair, target, action));
    }

    private void logProgress() {
        Cycle cycle = current;
        if (cycle == null || !cycle.running()) {
            return;
        }
        EngineSnapshot s = snapshot();
        LOG.info("Sync progress: {}/{} mailboxes, {} items written ({} items/s){}", s.mailboxesDone(), s.mailboxesTotal(),
                s.itemsWritten(), String.format(Locale.ROOT, "%.1f", s.itemsPerSecond()),
                s.eta().map(eta -> ", ETA " + human(eta)).orElse(""));
    }

    public EngineSnapshot snapshot() {
        Instant now = clock.instant();
        Cycle cycle = current;
        if (cycle == null) {
            cycle = new Cycle(0, startedAt);
            cycle.end = startedAt;
        }
        boolean running = cycle.running();
        int done = cycle.done.get();
        int total = cycle.total;
        Instant end = cycle.end;
        Duration elapsed = Duration.between(cycle.start, running ? now : end);
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        long written = cycle.written.get();
        long planned = cycle.planned.get();
        Optional<Duration> eta = Optional.empty();
        Cycle counted = cycle;
        long started = done + runCycles.values().stream().filter(c -> c == counted).count();
        if (running && written > 0 && started > 0 && planned > written) {
            // by writes: those planned so far, and as many for each mailbox not started yet as the started ones planned
            // on average. Mailboxes run side by side, so "by mailboxes" jumped when the first few finished together.
            double expected = planned * (double) Math.max(total, started) / started;
            eta = Optional.of(Duration.ofMillis((long) ((expected - written) / (written / seconds) * 1000)));
        } else if (running && done > 0) {
            // nothing left to write as far as planned: what the finished mailboxes took, for the rest
            eta = Optional.of(Duration.ofMillis(elapsed.toMillis() * (total - done) / done));
        }
        TreeMap<String, EngineSnapshot.MailboxStatus> rows = new TreeMap<>();
        lastResults.forEach((m, r) -> rows.put(m, status(m)));
        inFlight.keySet().forEach(m -> rows.put(m, status(m)));
        return new EngineSnapshot(running, done, total, written, written / seconds, eta,
                Optional.ofNullable(lastEnd()), lastDuration(), directoryError,
                List.copyOf(rows.values()));
    }

    /** When the newest finished cycle ended; its duration. */
    private Instant lastEnd() {
        Cycle last = lastFinished;
        return last == null ? null : last.end;
    }

    private Duration lastDuration() {
        Cycle last = lastFinished;
        return last == null ? Duration.ZERO : Duration.between(last.start, last.end);
    }

    private EngineSnapshot.MailboxStatus status(String mailbox) {
        // a queued mailbox shows its last outcome (with 2 workers and a cycle every few seconds, "RUNNING" for every
        // queued one hid a CREDENTIALS_REJECTED or THROTTLED almost all the time)
        return new EngineSnapshot.MailboxStatus(mailbox, onWorker.contains(mailbox),
                Optional.ofNullable(lastResults.get(mailbox)), Optional.ofNullable(lastSuccess.get(mailbox)));
    }

    /** Seconds since the least recently synced mailbox last synced OK (since start if it never did). */
    public double lagSeconds() {
        Instant now = clock.instant();
        return lastResults.keySet().stream()
                .mapToDouble(m -> Duration.between(lastSuccess.getOrDefault(m, startedAt), now).toMillis() / 1000.0)
                .max().orElse(0);
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Stops gracefully, in this order: no new cycle starts; every running pair ends after its current action and
     * commits the rows done (cursors kept, so the rest is read again); each mailbox run releases its lease. Returns
     * when the workers are done, so the caller (the engine's deactivation) finishes before the state store it holds
     * a reference to can close. Workers are not interrupted: an interrupt inside an H2 file operation closes the
     * database under every other thread.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        for (CompletableFuture<MailboxResult> run : List.copyOf(waiting)) {
            if (waiting.remove(run)) {
                run.completeExceptionally(new IllegalStateException("the sync engine is stopping"));
            }
        }
        worker.stop();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("Sync workers still running {} s after stop (a request that does not answer); interrupting them, "
                        + "their mailboxes resume from the last commit", STOP_WAIT.toSeconds());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // after the runs ended (a run still hanging is fenced: its commits are refused once another instance holds it)
        fleet.leave();
    }
}
