package io.nexchange.nextcloud.internal;

import io.nexchange.api.source.ServerThrottledException;
import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DAV side's passage through the {@link ThrottlePolicy}: one key for the whole server ({@code nextcloud <host>},
 * no mailbox), because Nextcloud throttles by client address and the connector serves every account from one. A 429
 * pauses that key, so every account waits: the server's Retry-After when it sends one, else the policy's back-off
 * with jitter. While the server is healthy a request only asks the policy whether the key is paused (no permit, so
 * the policy's per-mailbox concurrency and budget, which are Microsoft's limits, do not cap the DAV side); after a
 * 429 every request takes a permit until one succeeds, which resets the back-off. A pause of up to {@code maxWait}
 * is waited out; a longer one fails the request at once with a {@link ServerThrottledException}, nothing sent. The
 * operator is told once per episode, in one line, what blocks the connector and how to exempt it. Thread-safe.
 */
final class ServerThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(ServerThrottle.class);

    private final ThrottlePolicy policy;
    private final ThrottleKey key;
    private final String server;
    private final Duration maxWait;
    private final Clock clock;
    private volatile boolean recovering;
    private Instant episodeStart; // guarded by this

    /** @param policy the throttling policy, or null for none (a 429 then pauses nothing) */
    ServerThrottle(ThrottlePolicy policy, URI baseUrl, Duration maxWait, Clock clock) {
        this.policy = policy;
        this.server = baseUrl.getScheme() + "://" + baseUrl.getAuthority();
        this.key = new ThrottleKey("nextcloud " + server, "");
        this.maxWait = maxWait;
        this.clock = clock;
    }

    ThrottleKey key() {
        return key;
    }

    /**
     * Waits until the server may be asked again (at most maxWait).
     *
     * @return the permit to close after the answer, or empty when the server is not throttling
     * @throws ServerThrottledException if the pause lasts longer than maxWait (nothing was sent)
     */
    Optional<Permit> admit() throws ServerThrottledException {
        if (policy == null || (!recovering && policy.delay(key).isZero())) {
            return Optional.empty();
        }
        Optional<Permit> permit;
        try {
            permit = policy.acquire(key, maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerThrottledException("Interrupted while waiting for " + server + " to accept requests again", Duration.ZERO, e);
        }
        if (permit.isEmpty()) {
            Duration wait = policy.delay(key);
            throw new ServerThrottledException("Nextcloud at " + server + " is throttling this connector (HTTP 429); every account"
                    + " waits " + wait.toSeconds() + " s more before the next request" + since(), wait, null);
        }
        return permit;
    }

    /**
     * The server answered 429 (or 503 with Retry-After): pauses every account.
     *
     * @param permit the request's permit, if it had one
     * @param retryAfter the server's hint, or null
     * @return the exception to throw, for the engine to end the work in hand cleanly
     */
    ServerThrottledException throttled(Optional<Permit> permit, Duration retryAfter, int status, Throwable cause) {
        Permit report = permit.orElseGet(() -> policy == null ? null : policy.tryAcquire(key).orElse(null));
        if (report != null) {
            report.throttled(retryAfter); // null: the policy backs off exponentially with jitter
            report.close();
        }
        recovering = true;
        boolean first;
        synchronized (this) {
            first = episodeStart == null;
            if (first) {
                episodeStart = clock.instant();
            }
        }
        String hint = retryAfter == null ? "no Retry-After, so the connector backs off (doubling, with jitter)"
                : "Retry-After " + retryAfter.toSeconds() + " s";
        if (first) {
            LOG.warn("Nextcloud at {} answered HTTP {} to the connector: its brute-force protection (or a rate limit) is"
                    + " blocking the connector's address, so every account waits ({}); to exempt the connector add its address"
                    + " to the brute-force allow list (bruteforcesettings app, or occ config:app:set bruteForce whitelist_1"
                    + " --value=ADDRESS/32) or set 'auth.bruteforce.protection.enabled' => false in config.php, and clear the"
                    + " record with occ security:bruteforce:reset ADDRESS", server, status, hint);
        } else {
            LOG.debug("Nextcloud at {} answered HTTP {} again ({})", server, status, hint);
        }
        Duration wait = policy == null ? Duration.ZERO : policy.delay(key);
        return new ServerThrottledException("Nextcloud at " + server + " answered HTTP " + status + " (brute-force protection or"
                + " rate limit blocking the connector's address); every account waits, " + hint + since(), wait, cause);
    }

    /** The request got an answer that was not a throttling one. */
    void answered(Optional<Permit> permit) {
        permit.ifPresent(Permit::close);
        if (!recovering) {
            return;
        }
        recovering = false;
        Instant started;
        synchronized (this) {
            started = episodeStart;
            episodeStart = null;
        }
        if (started != null) {
            LOG.info("Nextcloud at {} accepts the connector's requests again, {} s after it started throttling", server,
                    Duration.between(started, clock.instant()).toSeconds());
        }
    }

    private synchronized String since() {
        return episodeStart == null ? "" : " (throttled since " + episodeStart + ")";
    }
}
