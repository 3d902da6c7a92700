package io.nexchange.engine.internal;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.MailboxNotServedException;
import io.nexchange.api.source.ServerThrottledException;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncPair;
import io.nexchange.api.state.SyncStateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs one mailbox: resolves its Nextcloud account (never guessing), takes its lease, picks the Exchange-side
 * store by the mailbox's configured backend and the Nextcloud-side store, ensures the collections and reconciles
 * each pair.
 *
 * <p>Pairs are keyed by the <em>logical</em> Exchange collection ({@value #EXCHANGE_DEFAULT} for the mailbox's
 * default calendar / contacts folder), not by the backend's folder id: EWS and Graph name the same folder with ids in
 * different encodings, and the status rows (keyed by backend-neutral ItemKeys) must survive a switch of backend.
 * What does not survive is the cursor, which is why {@link BackendCursor} stores it with its issuer's name.
 */
public final class MailboxSync {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxSync.class);

    /** The logical id of the mailbox's default folder of a kind, whichever backend reads it. */
    static final String EXCHANGE_DEFAULT = "default";

    private final AccountDirectory accounts;
    private final SyncStateStore state;
    private final StoreRegistry stores;
    private final EngineSettings settings;
    private final PairSync.Listener listener;
    private final Clock clock;
    private final Extensions extensions;
    private final BackendRouter router;
    private final Fleet fleet;
    private volatile boolean stopping;

    public MailboxSync(AccountDirectory accounts, SyncStateStore state, StoreRegistry stores, EngineSettings settings,
            PairSync.Listener listener, Clock clock) {
        this(accounts, state, stores, settings, listener, clock, new BackendRouter(settings.routing(), state, clock),
                Extensions.none());
    }

    MailboxSync(AccountDirectory accounts, SyncStateStore state, StoreRegistry stores, EngineSettings settings,
            PairSync.Listener listener, Clock clock, BackendRouter router) {
        this(accounts, state, stores, settings, listener, clock, router, Extensions.none());
    }

    MailboxSync(AccountDirectory accounts, SyncStateStore state, StoreRegistry stores, EngineSettings settings,
            PairSync.Listener listener, Clock clock, BackendRouter router, Extensions extensions) {
        this.router = router;
        this.extensions = extensions;
        this.accounts = accounts;
        this.state = state;
        this.stores = stores;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        // tests drive time through their clock; the system clock's runs measure lease freshness on the monotonic clock
        java.util.function.LongSupplier nanos = Clock.systemUTC().equals(clock) ? System::nanoTime
                : () -> clock.millis() * 1_000_000L;
        this.fleet = new Fleet(state, settings.holder(), about(), clock.instant(), settings.leaseTtl(), nanos);
    }

    /** What operators see about this process in the fleet's records: host and process id. */
    private static String about() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    /** This instance's part of the fleet sharing the state database: ownership, leases, heartbeat. */
    Fleet fleet() {
        return fleet;
    }

    /** The engine is stopping: running pairs end after their current action, no new pair starts. */
    void stop() {
        stopping = true;
    }

    public MailboxResult sync(Mailbox mailbox, boolean allowDeletions) {
        Instant started = clock.instant();
        if (stopping) { // queued before the stop: not started, no lease taken
            return done(mailbox, MailboxResult.State.STOPPED, "", started, List.of(), "");
        }
        String smtp = mailbox.primarySmtp();
        Resolution resolution;
        try {
            resolution = accounts.resolve(mailbox);
        } catch (DirectoryException e) {
            return done(mailbox, MailboxResult.State.FAILED, "", started, List.of(),
                    "the account directory could not be read: " + e.getMessage());
        }
        if (resolution.isUnmapped()) {
            return done(mailbox, MailboxResult.State.UNMAPPED, "", started, List.of(), "no Nextcloud account has the e-mail "
                    + smtp + " (add it to the account mapping file or set the address in Nextcloud)");
        }
        if (resolution.isAmbiguous()) {
            return done(mailbox, MailboxResult.State.AMBIGUOUS, "", started, List.of(), "several Nextcloud accounts have the "
                    + "e-mail " + smtp + ": " + resolution.candidates().stream().map(Account::userId)
                            .collect(Collectors.joining(", ")) + "; map the mailbox explicitly in the account mapping file");
        }
        Account account = resolution.account().orElseThrow();
        Optional<Fleet.Held> lease;
        try {
            lease = fleet.acquire(smtp);
        } catch (StateException e) {
            return done(mailbox, MailboxResult.State.FAILED, "", started, List.of(), "the state store failed: " + e.getMessage());
        }
        if (lease.isEmpty()) {
            return done(mailbox, MailboxResult.State.LEASED_ELSEWHERE, "", started, List.of(), "");
        }
        try {
            return syncLeased(mailbox, account, lease.get(), allowDeletions, started);
        } finally {
            fleet.runEnded(lease.get());
        }
    }

    /** One pass over the mailbox's pairs through one Exchange backend. */
    private static final class Attempt {
        final String backend;
        final List<PairResult> results = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        Heartbeat.Pulse pulse = Heartbeat.Pulse.GO;
        StoreException stopped;
        /** The backend refused the mailbox (read before anything was written through it). */
        MailboxNotServedException refused;

        Attempt(String backend) {
            this.backend = backend;
        }

        boolean worked() {
            return refused == null && stopped == null && pulse == Heartbeat.Pulse.GO && !results.isEmpty();
        }
    }

    private MailboxResult syncLeased(Mailbox mailbox, Account account, Fleet.Held lease, boolean allowDeletions, Instant started) {
        String smtp = mailbox.primarySmtp();
        Routing.Route route;
        try {
            route = router.routeForRun(smtp);
        } catch (StateException e) {
            return done(mailbox, MailboxResult.State.FAILED, "", started, List.of(), "the backend switches could not be read "
                    + "from the state store: " + e.getMessage());
        }
        if (router.isAutomatic(route) && !servesEveryKind(route.backend())) {
            // the backend automatic routing chose is gone (its feature was removed): back to the configured one
            router.forgetAutomatic(smtp, route.backend() + " is no longer running");
            try {
                route = router.route(smtp);
            } catch (StateException e) {
                return done(mailbox, MailboxResult.State.FAILED, "", started, List.of(), "the backend switches could not be "
                        + "read from the state store: " + e.getMessage());
            }
        }
        Owner owner = new Owner(mailbox, account);
        LeaseHeartbeat heartbeat = new LeaseHeartbeat(lease, settings.leaseTtl(), fleet::nanos, () -> stopping);
        SyncStateStore fenced = new FencedStateStore(state, lease);
        Attempt attempt = attempt(owner, route.backend(), heartbeat, fenced, allowDeletions);
        if (attempt.refused != null) {
            Optional<String> other = router.alternative(route.backend(), attempt.refused)
                    .filter(this::servesEveryKind);
            if (other.isPresent()) {
                Attempt second = attempt(owner, other.get(), heartbeat, fenced, allowDeletions);
                if (second.worked()) {
                    router.routeAutomatically(smtp, route.backend(), other.get(), attempt.refused);
                    attempt = second;
                } else {
                    String why = second.refused != null ? second.refused.getMessage() : String.join("; ", second.errors);
                    attempt.errors.add("tried " + other.get() + " automatically, which did not serve it either: " + why);
                    attempt.results.addAll(second.results);
                }
            } else if (router.automaticEnabled()) {
                attempt.errors.add("automatic routing found no other backend that is running to serve it");
            }
        } else if (attempt.worked() && !router.isAutomatic(route)) {
            router.served(smtp, route.backend()); // the configured backend served it: an automatic route away from it ends
        }
        return result(mailbox, attempt, started);
    }

    private boolean servesEveryKind(String backend) {
        return settings.kinds().stream().allMatch(kind -> stores.store("exchange", backend, kind).isPresent());
    }

    /**
     * The mailbox's pairs in order (kind by kind, the default collection first), one after the other. While a pair
     * writes, the next one is made ready (its collections looked up and ensured) and its Exchange side read on another
     * thread, so the DAV server is not left idle while the mailbox reads Graph: the worker is mostly waiting on DAV
     * answers then. Nothing of the next pair is planned or written before its turn, and a failure of its read is
     * reported when its turn comes, as if it had been read then.
     */
    private Attempt attempt(Owner owner, String exchangeBackend, LeaseHeartbeat heartbeat, SyncStateStore state,
            boolean allowDeletions) {
        String smtp = owner.mailbox().primarySmtp();
        Attempt attempt = new Attempt(exchangeBackend);
        List<PairResult> results = attempt.results;
        List<String> errors = attempt.errors;
        Heartbeat.Pulse pulse = Heartbeat.Pulse.GO;
        StoreException stopped = null;
        Steps steps = new Steps(owner, exchangeBackend, heartbeat, state);
        try {
            for (Step step = steps.next(); step != null; step = steps.next()) {
                if (step instanceof Step.Skipped skipped) {
                    errors.add(skipped.error());
                    continue;
                }
                if (step instanceof Step.KindDone) {
                    // renews when a third of the ttl has passed; until then the lease is ours (nobody takes it over
                    // before it expires), so an idle mailbox does not pay two statements per kind for it
                    if ((pulse = heartbeat.check()) != Heartbeat.Pulse.GO) {
                        break;
                    }
                    continue;
                }
                if (step instanceof Step.Ended ended) {
                    pulse = ended.pulse();
                    break;
                }
                if (step instanceof Step.Thrown thrown) {
                    throw thrown.error(); // as if it had happened here
                }
                if (step instanceof Step.Halt halt) {
                    if (halt.cause() instanceof MailboxNotServedException refused) {
                        attempt.refused = refused;
                    } else {
                        stopped = halt.cause();
                    }
                    break;
                }
                Step.Pair next = (Step.Pair) step; // the heartbeat was checked before its collection was ensured
                try {
                    // while this pair writes, the next one reads its Exchange side
                    PairResult result = next.run().run(allowDeletions, () -> steps.readAheadNextPair());
                    results.add(result);
                    result.errors().forEach(e -> errors.add(next.what() + " " + e));
                    if (result.outcome() == PairResult.Outcome.LEASE_LOST) {
                        pulse = Heartbeat.Pulse.LEASE_LOST;
                        break;
                    } else if (result.outcome() == PairResult.Outcome.STOPPED) {
                        pulse = Heartbeat.Pulse.STOP;
                        break;
                    }
                } catch (MailboxNotServedException e) {
                    // the Exchange side refused the mailbox while reading (nothing was written through it)
                    attempt.refused = e;
                    break;
                } catch (CredentialsRejectedException | ServerThrottledException e) {
                    // the account's login or the whole server: the other pairs would meet the same, so stop here
                    stopped = e;
                    break;
                } catch (StoreException | StateException e) {
                    errors.add(next.what() + ": " + e.getMessage());
                    LOG.warn("{} {}: {}", smtp, next.what(), e.getMessage());
                }
            }
        } finally {
            steps.abandonReadAhead(); // a pair read ahead whose turn did not come: its read ends before the run does
        }
        if (attempt.refused != null) {
            errors.add(attempt.refused.getMessage());
        }
        attempt.pulse = pulse;
        attempt.stopped = stopped;
        return attempt;
    }

    /** What a mailbox run does next. */
    private sealed interface Step {
        /** A pair ready to run ({@code what}: the collection as the operator knows it, for errors). */
        record Pair(String what, PairSync.Run run) implements Step {}

        /** A kind or collection that cannot be synced this time; the rest goes on. */
        record Skipped(String error) implements Step {}

        /** The pairs of one kind are done (the lease is checked between kinds). */
        record KindDone() implements Step {}

        /** The Exchange side refused the mailbox, or the login or the whole server failed: the run ends. */
        record Halt(StoreException cause) implements Step {}

        /** The heartbeat said stop (the lease, the engine's stop) before a collection was ensured: the run ends. */
        record Ended(Heartbeat.Pulse pulse) implements Step {}

        /** A store failed unexpectedly while a pair was made ready: thrown when its turn comes. */
        record Thrown(RuntimeException error) implements Step {}
    }

    /**
     * The steps of one mailbox run, made one at a time when the run asks for them, or earlier: when a pair is about to
     * write, the next pair is made ready and its Exchange side is read ahead on a thread of its own (at most one per
     * worker, so at most {@code threads} reads ahead in all).
     */
    private final class Steps {
        private final Owner owner;
        private final String exchangeBackend;
        private final LeaseHeartbeat heartbeat;
        private final SyncStateStore state;
        private final String nextcloudBackend = settings.routing().nextcloudBackend();
        // contacts first: Graph hands a mailbox's contacts over in a few requests, while its calendar view lists every
        // occurrence in the window; so the first writes start sooner, and the longer read is the one done ahead
        private final java.util.Iterator<CollectionKind> kinds = List.of(CollectionKind.CONTACTS, CollectionKind.CALENDAR).iterator();
        /** Steps made but not yet taken. */
        private final java.util.ArrayDeque<Step> made = new java.util.ArrayDeque<>();
        private boolean halted;

        Steps(Owner owner, String exchangeBackend, LeaseHeartbeat heartbeat, SyncStateStore state) {
            this.owner = owner;
            this.exchangeBackend = exchangeBackend;
            this.heartbeat = heartbeat;
            this.state = state;
        }

        /** The next step, or null when the mailbox is done. */
        Step next() {
            if (made.isEmpty()) {
                makeKind();
            }
            return made.poll();
        }

        /** Makes steps until the next pair is ready (or none is left) and reads its Exchange side ahead. */
        void readAheadNextPair() {
            while (made.stream().noneMatch(s -> s instanceof Step.Pair) && !halted && kinds.hasNext()) {
                makeKind();
            }
            made.stream().filter(s -> s instanceof Step.Pair).findFirst()
                    .ifPresent(s -> ((Step.Pair) s).run().readAhead(MailboxSync::readAheadThread));
        }

        /** Waits for the reads ahead of pairs that will not run now. */
        void abandonReadAhead() {
            made.stream().filter(s -> s instanceof Step.Pair).forEach(s -> ((Step.Pair) s).run().abandon());
        }

        /** The steps of the next kind to sync: its pairs (collections listed and ensured), or why it is skipped. */
        private void makeKind() {
            while (!halted && kinds.hasNext()) {
                CollectionKind kind = kinds.next();
                if (settings.kinds().contains(kind)) {
                    makeKind(kind);
                    return;
                }
            }
        }

        private void makeKind(CollectionKind kind) {
            try {
                makePairs(kind);
            } catch (RuntimeException e) {
                made.add(new Step.Thrown(e));
                halted = true;
            }
        }

        private void makePairs(CollectionKind kind) {
            String smtp = owner.mailbox().primarySmtp();
            Optional<ItemStore> exchange = stores.store("exchange", exchangeBackend, kind);
            Optional<ItemStore> nextcloud = stores.store("nextcloud", nextcloudBackend, kind);
            if (exchange.isEmpty() || nextcloud.isEmpty()) {
                String missing = exchange.isEmpty() ? "exchange side, backend '" + exchangeBackend + "'"
                        : "nextcloud side, backend '" + nextcloudBackend + "'";
                made.add(new Step.Skipped(label(kind) + ": no " + label(kind) + " ItemStore for the " + missing + " is running (install "
                        + "its feature, or fix backend.default / backend.override / backend.group / backend.wave / backend.domain / "
                        + "nextcloudBackend / kinds in io.nexchange.engine, or nexchange:switch the mailbox to a running backend)"));
                return;
            }
            List<CollectionRef> exchangeCollections;
            try {
                // the default first; the others too if the store is set to list every calendar / contact folder
                exchangeCollections = exchange.get().collections(owner, kind);
            } catch (MailboxNotServedException | CredentialsRejectedException | ServerThrottledException e) {
                halt(e);
                return;
            } catch (StoreException e) {
                LOG.warn("{} {}: {}", smtp, kind, e.getMessage());
                made.add(new Step.Skipped(label(kind) + ": " + e.getMessage()));
                return;
            }
            java.util.Map<String, String> nextcloudUsedBy = new java.util.HashMap<>();
            for (CollectionRef exRef : exchangeCollections) {
                // pairs of the default folder are keyed by a logical id that survives a backend switch; other
                // folders by the backend's folder id
                String logical = exRef.isDefault() ? EXCHANGE_DEFAULT : exRef.id();
                String ncName = exRef.isDefault() ? settings.nextcloudName(kind) : exRef.displayName();
                String what = exRef.isDefault() ? label(kind) : label(kind) + " '" + exRef.displayName() + "'";
                // once per pair, before its collection is ensured (which may create it: a write) and it runs
                Heartbeat.Pulse pulse = heartbeat.check();
                if (pulse != Heartbeat.Pulse.GO) {
                    made.add(new Step.Ended(pulse));
                    halted = true;
                    return;
                }
                try {
                    CollectionRef ncRef = nextcloud.get().ensureCollection(owner, kind, ncName);
                    String earlier = nextcloudUsedBy.putIfAbsent(ncRef.id(), what);
                    if (earlier != null) {
                        made.add(new Step.Skipped(what + ": maps to the same Nextcloud collection as " + earlier + " ('"
                                + ncRef.displayName() + "'); not synced (rename one of them in Exchange, or set calendarName / addressBookName)"));
                        continue;
                    }
                    SyncPair pair = new SyncPair(smtp, kind, logical, ncRef.id());
                    // every write to either side is preceded by the lease check, every commit fenced by the lease
                    Endpoint ex = new Endpoint(exchangeBackend, exchange.get().source(owner, exRef),
                            new FencedTarget(exchange.get().target(owner, exRef), heartbeat, smtp));
                    Endpoint nc = new Endpoint(nextcloudBackend, nextcloud.get().source(owner, ncRef),
                            new FencedTarget(nextcloud.get().target(owner, ncRef), heartbeat, smtp));
                    made.add(new Step.Pair(what, new PairSync(state, settings.sync(kind), listener, heartbeat, extensions)
                            .prepare(pair, ex, nc)));
                } catch (MailboxNotServedException | CredentialsRejectedException | ServerThrottledException e) {
                    halt(e);
                    return;
                } catch (StoreException e) {
                    LOG.warn("{} {}: {}", smtp, what, e.getMessage());
                    made.add(new Step.Skipped(what + ": " + e.getMessage()));
                }
            }
            made.add(new Step.KindDone());
        }

        private void halt(StoreException cause) {
            made.add(new Step.Halt(cause));
            halted = true;
        }
    }

    /** A thread of its own for one read ahead: daemon, named after what it does. */
    private static void readAheadThread(Runnable read) {
        Thread thread = new Thread(read, "nexchange-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private MailboxResult result(Mailbox mailbox, Attempt attempt, Instant started) {
        String smtp = mailbox.primarySmtp();
        List<PairResult> results = attempt.results;
        List<String> errors = attempt.errors;
        Heartbeat.Pulse pulse = attempt.pulse;
        StoreException stopped = attempt.stopped;
        String exchangeBackend = attempt.backend;
        MailboxResult.State state;
        if (pulse == Heartbeat.Pulse.LEASE_LOST) {
            // one line, no stack trace: another instance redoes what was not committed, which the algorithm tolerates
            LOG.warn("{}: the lease was lost during the sync (another instance took it, or the state store did not "
                    + "answer); stopped, the uncommitted work is redone by the next run", smtp);
            state = MailboxResult.State.LEASE_LOST;
            errors.add("the lease was lost during the sync; stopped");
        } else if (pulse == Heartbeat.Pulse.STOP) {
            state = MailboxResult.State.STOPPED;
        } else if (stopped != null) {
            // reported as what it is, not as a failure: the scheduler logs it at DEBUG, the store said it once
            errors.add(0, stopped.getMessage());
            state = stopped instanceof ServerThrottledException ? MailboxResult.State.THROTTLED : MailboxResult.State.CREDENTIALS_REJECTED;
        } else if (results.stream().anyMatch(r -> r.outcome() == PairResult.Outcome.GUARDED)) {
            state = MailboxResult.State.GUARDED;
        } else if (errors.isEmpty()) {
            state = MailboxResult.State.OK;
        } else {
            state = results.isEmpty() ? MailboxResult.State.FAILED : MailboxResult.State.PARTIAL;
        }
        return done(mailbox, state, exchangeBackend, started, results, String.join("; ", errors));
    }

    private static String label(CollectionKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private MailboxResult done(Mailbox mailbox, MailboxResult.State state, String backend, Instant started,
            List<PairResult> pairs, String error) {
        return new MailboxResult(mailbox.primarySmtp(), state, backend, started, clock.instant(), pairs, error);
    }
}
