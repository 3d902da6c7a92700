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
            route = router.route(smtp);
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
        }
        return result(mailbox, attempt, started);
    }

    private boolean servesEveryKind(String backend) {
        return settings.kinds().stream().allMatch(kind -> stores.store("exchange", backend, kind).isPresent());
    }

    private Attempt attempt(Owner owner, String exchangeBackend, LeaseHeartbeat heartbeat, SyncStateStore state,
            boolean allowDeletions) {
        String smtp = owner.mailbox().primarySmtp();
        String nextcloudBackend = settings.routing().nextcloudBackend();
        Attempt attempt = new Attempt(exchangeBackend);
        List<PairResult> results = attempt.results;
        List<String> errors = attempt.errors;
        Heartbeat.Pulse pulse = Heartbeat.Pulse.GO;
        StoreException stopped = null;
        kinds:
        for (CollectionKind kind : CollectionKind.values()) {
            if (!settings.kinds().contains(kind) || pulse != Heartbeat.Pulse.GO) {
                continue;
            }
            Optional<ItemStore> exchange = stores.store("exchange", exchangeBackend, kind);
            Optional<ItemStore> nextcloud = stores.store("nextcloud", nextcloudBackend, kind);
            if (exchange.isEmpty() || nextcloud.isEmpty()) {
                String missing = exchange.isEmpty() ? "exchange side, backend '" + exchangeBackend + "'"
                        : "nextcloud side, backend '" + nextcloudBackend + "'";
                errors.add(label(kind) + ": no " + label(kind) + " ItemStore for the " + missing + " is running (install "
                        + "its feature, or fix backend.default / backend.override / backend.group / backend.wave / backend.domain / "
                        + "nextcloudBackend / kinds in io.nexchange.engine, or nexchange:switch the mailbox to a running backend)");
                continue;
            }
            List<CollectionRef> exchangeCollections;
            try {
                // the default first; the others too if the store is set to list every calendar / contact folder
                exchangeCollections = exchange.get().collections(owner, kind);
            } catch (MailboxNotServedException e) {
                attempt.refused = e;
                break;
            } catch (CredentialsRejectedException | ServerThrottledException e) {
                stopped = e;
                break;
            } catch (StoreException e) {
                errors.add(label(kind) + ": " + e.getMessage());
                LOG.warn("{} {}: {}", smtp, kind, e.getMessage());
                continue;
            }
            java.util.Map<String, String> nextcloudUsedBy = new java.util.HashMap<>();
            for (CollectionRef exRef : exchangeCollections) {
                if ((pulse = heartbeat.check()) != Heartbeat.Pulse.GO) {
                    break;
                }
                // pairs of the default folder are keyed by a logical id that survives a backend switch; other
                // folders by the backend's folder id
                String logical = exRef.isDefault() ? EXCHANGE_DEFAULT : exRef.id();
                String ncName = exRef.isDefault() ? settings.nextcloudName(kind) : exRef.displayName();
                String what = exRef.isDefault() ? label(kind) : label(kind) + " '" + exRef.displayName() + "'";
                try {
                    CollectionRef ncRef = nextcloud.get().ensureCollection(owner, kind, ncName);
                    String earlier = nextcloudUsedBy.putIfAbsent(ncRef.id(), what);
                    if (earlier != null) {
                        errors.add(what + ": maps to the same Nextcloud collection as " + earlier + " ('" + ncRef.displayName()
                                + "'); not synced (rename one of them in Exchange, or set calendarName / addressBookName)");
                        continue;
                    }
                    SyncPair pair = new SyncPair(smtp, kind, logical, ncRef.id());
                    // every write to either side is preceded by the lease check, every commit fenced by the lease
                    Endpoint ex = new Endpoint(exchangeBackend, exchange.get().source(owner, exRef),
                            new FencedTarget(exchange.get().target(owner, exRef), heartbeat, smtp));
                    Endpoint nc = new Endpoint(nextcloudBackend, nextcloud.get().source(owner, ncRef),
                            new FencedTarget(nextcloud.get().target(owner, ncRef), heartbeat, smtp));
                    PairResult result = new PairSync(state, settings.sync(kind), listener, heartbeat, extensions)
                            .sync(pair, ex, nc, allowDeletions);
                    results.add(result);
                    result.errors().forEach(e -> errors.add(what + " " + e));
                    if (result.outcome() == PairResult.Outcome.LEASE_LOST) {
                        pulse = Heartbeat.Pulse.LEASE_LOST;
                    } else if (result.outcome() == PairResult.Outcome.STOPPED) {
                        pulse = Heartbeat.Pulse.STOP;
                    }
                } catch (MailboxNotServedException e) {
                    // the Exchange side refused the mailbox while reading (nothing was written through it)
                    attempt.refused = e;
                    break kinds;
                } catch (CredentialsRejectedException | ServerThrottledException e) {
                    // the account's login or the whole server: the other pairs would meet the same, so stop here
                    stopped = e;
                    break;
                } catch (StoreException | StateException e) {
                    errors.add(what + ": " + e.getMessage());
                    LOG.warn("{} {}: {}", smtp, what, e.getMessage());
                }
            }
            if (stopped != null) {
                break;
            }
            if (pulse == Heartbeat.Pulse.GO) {
                // renews when a third of the ttl has passed; until then the lease is ours (nobody takes it over
                // before it expires), so an idle mailbox does not pay two statements per kind for it
                pulse = heartbeat.check();
            }
        }
        if (attempt.refused != null) {
            errors.add(attempt.refused.getMessage());
        }
        attempt.pulse = pulse;
        attempt.stopped = stopped;
        return attempt;
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
