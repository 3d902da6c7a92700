package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token cache of one registration: per scope the current token, refreshed in the background ahead of
 * its expiry ({@code refreshAhead}, at most half the lifetime), so that callers in steady state read a
 * field and never wait. Callers without a usable token share one fetch. A failed background refresh keeps
 * the still-valid token and retries with backoff (2 s doubling to 60 s).
 */
final class TokenKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenKeeper.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(90);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** Gets one fresh token from the authority. */
    interface Fetcher {
        AccessToken fetch(String scope) throws AuthException;
    }

    /** A token with the moments it is refreshed and stops being handed out. */
    record Held(AccessToken token, Instant fetchedAt, Instant refreshAt, Instant usableUntil) {
    }

    private final String registration;
    private final Fetcher fetcher;
    private final Duration refreshAhead;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService fetchers;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile boolean closed;

    TokenKeeper(String registration, Fetcher fetcher, Duration refreshAhead, Clock clock) {
        this.registration = registration;
        this.fetcher = fetcher;
        this.refreshAhead = refreshAhead;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("nexchange-auth-" + registration + "-timer"));
        this.fetchers = Executors.newCachedThreadPool(daemon("nexchange-auth-" + registration + "-fetch"));
    }

    /** A usable token; waits only when there is none (first call, or after a failure outlived the token). */
    AccessToken token(String scope) throws AuthException {
        Entry entry = entries.computeIfAbsent(scope, Entry::new);
        Held held = entry.held;
        if (held != null) {
            Instant now = clock.instant();
            if (now.isBefore(held.usableUntil())) {
                if (!now.isBefore(held.refreshAt())) {
                    entry.fetch(); // the timer is late (suspended machine): refresh now, still answer at once
                }
                return held.token();
            }
        }
        return await(entry.fetchUnlessUsable());
    }

    /** Starts fetching {@code scope} in the background unless a token or a fetch exists. */
    CompletableFuture<AccessToken> prefetch(String scope) {
        Entry entry = entries.computeIfAbsent(scope, Entry::new);
        Held held = entry.held;
        return held == null ? entry.fetch() : CompletableFuture.completedFuture(held.token());
    }

    /** Takes over a token from the previous configuration and refreshes it at once with the new credential. */
    void seed(String scope, Held held) {
        Entry entry = entries.computeIfAbsent(scope, Entry::new);
        entry.held = held;
        entry.fetch();
    }

    Optional<Held> held(String scope) {
        Entry entry = entries.get(scope);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.held);
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The last failed fetch of a scope since its last success, for diagnostics. */
    Optional<AuthException> lastFailure(String scope) {
        Entry entry = entries.get(scope);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.lastFailure);
    }

    int fetchCount() {
        return fetches.get();
    }

    private AccessToken await(CompletableFuture<AccessToken> fetch) throws AuthException {
        try {
            return fetch.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthException auth) {
                throw auth;
            }
            throw new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, "token fetch failed: " + e.getCause().getClass().getSimpleName(), null);
        } catch (TimeoutException e) {
            throw new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, "no token within " + MAX_WAIT.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, "interrupted while waiting for a token", null);
        }
    }

    private Held hold(AccessToken token, Instant fetchedAt) {
        Duration lifetime = Duration.between(fetchedAt, token.expiresOn());
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        Duration lead = refreshAhead.compareTo(lifetime.dividedBy(2)) < 0 ? refreshAhead : lifetime.dividedBy(2);
        // stop handing a token out shortly before it expires, so that a request made with it still arrives in time
        Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(30)) < 0 ? lifetime.dividedBy(10) : Duration.ofSeconds(30);
        return new Held(token, fetchedAt, token.expiresOn().minus(lead), token.expiresOn().minus(margin));
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        fetchers.shutdownNow();
    }

    /** The state of one scope. */
    final class Entry {
        private final String scope;
        private volatile Held held;
        private volatile AuthException lastFailure;
        private CompletableFuture<AccessToken> inFlight;
        private ScheduledFuture<?> next;
        private int failuresInRow;

        Entry(String scope) {
            this.scope = scope;
        }

        /** For callers without a usable token: another caller's fetch may have just finished. */
        synchronized CompletableFuture<AccessToken> fetchUnlessUsable() {
            Held h = held;
            if (h != null && clock.instant().isBefore(h.usableUntil())) {
                return CompletableFuture.completedFuture(h.token());
            }
            return fetch();
        }

        synchronized CompletableFuture<AccessToken> fetch() {
            if (inFlight != null) {
                return inFlight;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE,
                        "the registration was reconfigured or stopped", null));
            }
            CompletableFuture<AccessToken> f = new CompletableFuture<>();
            inFlight = f;
            fetchers.execute(() -> run(f));
            return f;
        }

        private void run(CompletableFuture<AccessToken> f) {
            Instant started = clock.instant();
            try {
                fetches.incrementAndGet();
                AccessToken token = fetcher.fetch(scope);
                succeeded(token, started);
                f.complete(token);
            } catch (AuthException e) {
                failed(e);
                f.completeExceptionally(e);
            } catch (RuntimeException e) {
                AuthException wrapped = new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE,
                        "token fetch failed: " + e.getClass().getSimpleName(), null);
                failed(wrapped);
                f.completeExceptionally(wrapped);
            }
        }

        private synchronized void succeeded(AccessToken token, Instant fetchedAt) {
            Held h = hold(token, fetchedAt);
            held = h;
            inFlight = null;
            lastFailure = null;
            failuresInRow = 0;
            LOG.debug("Registration '{}': token for {} valid until {}, refresh at {}", registration, scope, token.expiresOn(), h.refreshAt());
            schedule(Duration.between(clock.instant(), h.refreshAt()));
        }

        private synchronized void failed(AuthException e) {
            inFlight = null;
            boolean repeated = lastFailure != null && lastFailure.problem() == e.problem();
            lastFailure = e;
            failuresInRow++;
            Held h = held;
            if (h != null && clock.instant().isBefore(h.token().expiresOn())) {
                // keep serving the valid token and try again; the operator learns now, not at expiry
                Duration backoff = Duration.ofSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(failuresInRow, 6)));
                if (!repeated) {
                    LOG.warn("{} The current token stays in use until {}; retrying in {} s.", e.getMessage(), h.token().expiresOn(),
                            backoff.toSeconds());
                }
                schedule(backoff);
            } else {
                if (!repeated) {
                    LOG.error(e.getMessage());
                }
                if (e.isTransient()) {
                    // nobody has a token: keep trying in the background so that one is ready when Entra is back
                    schedule(Duration.ofSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(failuresInRow, 6))));
                }
            }
        }

        private void schedule(Duration delay) {
            if (closed) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            next = timer.schedule(this::fetch, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
