package io.nexchange.sandbox.internal.throttle;

import io.nexchange.sandbox.internal.http.GraphException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outlook's documented limits per (app id, mailbox): at most N concurrent requests (default 4; the
 * next one gets 429 at once) and M requests per window (default 10,000 per 10 minutes). Limits can be
 * changed at run time so tests can reach them in seconds.
 */
public final class Throttler {
    private final Clock clock;
    private volatile Settings settings;
    private final Map<String, KeyState> states = new ConcurrentHashMap<>();

    /** The limits in force. retryAfter is sent as written (fractional allowed). */
    public record Settings(int maxConcurrent, int windowRequests, Duration window, String retryAfter) {
    }

    public Throttler(Clock clock, Settings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public void update(Settings s) {
        this.settings = s;
    }

    public void reset() {
        states.clear();
    }

    /** Takes a slot for one request, or throws the 429 answer. Close the permit when answered. */
    public Permit acquire(String appId, String mailboxId) {
        Permit p = tryAcquire(appId, mailboxId);
        if (p instanceof Rejected) {
            throw GraphException.throttled(settings.retryAfter());
        }
        return p;
    }

    /**
     * Takes a slot, or answers a {@link Rejected} permit telling which limit was hit (EWS answers the
     * two differently: ErrorExceededConnectionCount vs. ErrorServerBusy).
     */
    public Permit tryAcquire(String appId, String mailboxId) {
        Settings s = settings;
        KeyState state = states.computeIfAbsent(appId + "|" + mailboxId, k -> new KeyState());
        synchronized (state) {
            Instant now = clock.instant();
            if (state.windowStart == null || !now.isBefore(state.windowStart.plus(s.window()))) {
                state.windowStart = now;
                state.count = 0;
            }
            if (state.inFlight >= s.maxConcurrent()) {
                return new Rejected(true, s.retryAfter());
            }
            if (state.count >= s.windowRequests()) {
                Duration left = Duration.between(now, state.windowStart.plus(s.window()));
                return new Rejected(false, s.retryAfter(), left);
            }
            state.inFlight++;
            state.count++;
        }
        return () -> {
            synchronized (state) {
                state.inFlight--;
            }
        };
    }

    /** No slot: concurrency (true) or the request window (false) is exhausted. */
    public record Rejected(boolean concurrency, String retryAfter, Duration windowLeft) implements Permit {
        Rejected(boolean concurrency, String retryAfter) {
            this(concurrency, retryAfter, Duration.ZERO);
        }

        @Override
        public void close() {
        }
    }

    /** A held concurrency slot. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final class KeyState {
        Instant windowStart;
        int count;
        int inFlight;
    }
}
