package io.nexchange.nextcloud.internal;

import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the connector from tripping Nextcloud's brute-force protection, which counts failed logins per client
 * address (all accounts together) and answers 429 to EVERY account once more than 10 failed within 30 minutes.
 *
 * <p>An account whose credentials were rejected (401) is held back, with every account that logs in with the same
 * login (a service account): no request is sent with the same credentials
 * until its retry is due, {@code firstRetry} after the first rejection, doubling with each further one up to
 * {@code maxRetry}. Credentials that change (a new import, a new app-password file) are tried at once: they are
 * compared by a keyed fingerprint (HMAC-SHA256 with a random per-process key, kept in memory only, never logged),
 * not by a timestamp. On top of that, retries of rejected credentials share a budget: while the connector caused
 * {@code retryBudget} rejections in Nextcloud's 30-minute window, a due retry waits for the oldest to leave it.
 * Thread-safe.
 */
final class LoginGuard {
    private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);
    /** Nextcloud blocks an address after more than 10 failed logins in this window (Throttler, NC 25-32). */
    static final Duration SERVER_WINDOW = Duration.ofMinutes(30);

    /** One login's rejected credentials. */
    private record Rejection(byte[] fingerprint, int rejections, Instant rejectedAt, Instant retryAt, String reason) {}

    private final Duration firstRetry;
    private final Duration maxRetry;
    private final int retryBudget;
    private final Clock clock;
    private final Mac mac;
    /** By login name (lower case): accounts sharing a login (a service account) are held back together. */
    private final Map<String, Rejection> rejected = new ConcurrentHashMap<>();
    private final Deque<Instant> recentRejections = new ArrayDeque<>();

    LoginGuard(LoginRetry retry, Clock clock) {
        this.firstRetry = retry.first();
        this.maxRetry = retry.max();
        this.retryBudget = retry.budget();
        this.clock = clock;
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Lets a login through, or holds it back if these very credentials were rejected and their retry is not due.
     *
     * @throws CredentialsRejectedException naming the account, the next try and the fix; nothing was sent
     */
    void check(String account, DavLogin login) throws CredentialsRejectedException {
        Rejection rejection = rejected.get(key(login));
        if (rejection == null) {
            return;
        }
        if (!MessageDigest.isEqual(rejection.fingerprint(), fingerprint(login))) {
            rejected.remove(key(login), rejection);
            LOG.info("Nextcloud account '{}': its credentials changed since they were rejected; trying the new ones now", account);
            return;
        }
        Instant now = clock.instant();
        Instant due = rejection.retryAt();
        if (!now.isBefore(due)) {
            Instant room = roomForRetry(now);
            if (!room.isAfter(now)) {
                return; // a retry: its 401 counts again, see rejected()
            }
            due = room;
        }
        throw new CredentialsRejectedException((account.equalsIgnoreCase(login.username()) ? "" : "Nextcloud account '" + account
                + "' logs in as '" + login.username() + "', whose credentials are held back: ") + rejection.reason() + " [rejected " + rejection.rejections() + " time(s), last at "
                + rejection.rejectedAt() + "; no login is tried with these credentials before " + due
                + ", and at once when they change]", due, null);
    }

    /**
     * Records a 401 for these credentials and schedules their next try.
     *
     * @return the exception to throw, with the next try in its message
     */
    CredentialsRejectedException rejected(String account, DavLogin login, String reason, Throwable cause) {
        Instant now = clock.instant();
        byte[] fingerprint = fingerprint(login);
        synchronized (recentRejections) {
            recentRejections.addLast(now);
        }
        Rejection before = rejected.get(key(login));
        int count = before != null && MessageDigest.isEqual(before.fingerprint(), fingerprint) ? before.rejections() + 1 : 1;
        Instant retryAt = now.plus(retryDelay(count));
        rejected.put(key(login), new Rejection(fingerprint, count, now, retryAt, reason));
        String message = reason + " [rejected " + count + " time(s); the next login with these credentials is tried at " + retryAt
                + ", and at once when they change]";
        if (count == 1) {
            LOG.warn("{}", message);
        } else {
            LOG.info("{}", message);
        }
        return new CredentialsRejectedException(message, retryAt, cause);
    }

    /** The server accepted this login: forget a rejection. */
    void accepted(DavLogin login) {
        rejected.remove(key(login));
    }

    private static String key(DavLogin login) {
        return login.username().toLowerCase(java.util.Locale.ROOT);
    }

    /** The delay after the n-th consecutive rejection: firstRetry, doubling, at most maxRetry. */
    Duration retryDelay(int rejections) {
        Duration delay = firstRetry;
        for (int i = 1; i < rejections && delay.compareTo(maxRetry) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetry) > 0 ? maxRetry : delay;
    }

    /** When the retry budget has room: now if fewer than retryBudget rejections lie in the server's window. */
    private Instant roomForRetry(Instant now) {
        synchronized (recentRejections) {
            Instant windowStart = now.minus(SERVER_WINDOW);
            while (!recentRejections.isEmpty() && !recentRejections.peekFirst().isAfter(windowStart)) {
                recentRejections.removeFirst();
            }
            if (recentRejections.size() < retryBudget) {
                return now;
            }
            // the oldest rejections that must leave the window before one more fits
            return recentRejections.stream().skip(recentRejections.size() - retryBudget).findFirst().orElse(now).plus(SERVER_WINDOW);
        }
    }

    /** Logins held back now (for tests). */
    int heldBack() {
        return rejected.size();
    }

    private byte[] fingerprint(DavLogin login) {
        byte[] input = (login.username() + '\0' + login.password().reveal()).getBytes(StandardCharsets.UTF_8);
        synchronized (mac) {
            return mac.doFinal(input);
        }
    }
}
