package io.nexchange.nextcloud.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.auth.Secret;
import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry schedule of rejected credentials, the change detection and the shared budget, on a clock the test moves. */
class LoginGuardTest {
    private final MovableClock clock = new MovableClock();
    private final LoginGuard guard = new LoginGuard(LoginRetry.DEFAULTS, clock);

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static DavLogin login(String user, String password) {
        return new DavLogin(user, Secret.of(password));
    }

    @Test
    void theWaitDoublesFromFiveMinutesUpToSixHours() {
        List<Long> minutes = new ArrayList<>();
        for (int n = 1; n <= 9; n++) {
            minutes.add(guard.retryDelay(n).toMinutes());
        }
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 360L, 360L), minutes);
    }

    /** The figure docs/operations.md gives: at most 10 failed logins per account in its first day, 4 a day after. */
    @Test
    void aRevokedAccountCausesAtMostTenFailedLoginsOnItsFirstDayAndThreeIn30Minutes() {
        DavLogin revoked = login("ann", "old");
        Instant start = clock.now;
        List<Instant> attempts = new ArrayList<>();
        for (Instant end = start.plus(Duration.ofDays(2)); clock.now.isBefore(end); clock.now = clock.now.plusSeconds(60)) {
            try {
                guard.check("ann", revoked);
                attempts.add(clock.now);
                guard.rejected("ann", revoked, "rejected", null);
            } catch (CredentialsRejectedException heldBack) {
                // a cycle every minute: held back, nothing sent
            }
        }
        assertEquals(10, attempts.stream().filter(t -> t.isBefore(start.plus(Duration.ofDays(1)))).count());
        assertEquals(4, attempts.stream().filter(t -> !t.isBefore(start.plus(Duration.ofDays(1)))).count());
        for (Instant t : attempts) {
            long inWindow = attempts.stream().filter(a -> !a.isBefore(t) && a.isBefore(t.plus(LoginGuard.SERVER_WINDOW))).count();
            assertFalse(inWindow > 3, "at most 3 failed logins of one account in any 30 minutes, was " + inWindow + " from " + t);
        }
    }

    @Test
    void changedCredentialsAreTriedAtOnceAndTheSameOnesAreHeldBack() {
        guard.rejected("ann", login("ann", "old"), "rejected", null);
        CredentialsRejectedException held = assertThrows(CredentialsRejectedException.class, () -> guard.check("ann", login("ann", "old")));
        assertEquals(clock.now.plus(Duration.ofMinutes(5)), held.retryAt());
        assertFalse(held.getMessage().contains("old"), "no secret");
        assertDoesNotThrow(() -> guard.check("ann", login("ann", "new")));
        assertDoesNotThrow(() -> guard.check("bob", login("bob", "old")), "another account is not affected");
        guard.accepted(login("ann", "new"));
        assertEquals(0, guard.heldBack());
    }

    @Test
    void dueRetriesWaitWhileFiveRejectionsLieInTheLast30Minutes() throws Exception {
        for (int i = 0; i < 5; i++) {
            guard.rejected("user" + i, login("user" + i, "pw"), "rejected", null);
            clock.now = clock.now.plusSeconds(60);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(5)); // every retry is due now
        CredentialsRejectedException waiting = assertThrows(CredentialsRejectedException.class, () -> guard.check("user0", login("user0", "pw")));
        assertEquals(Instant.parse("2026-01-01T00:30:00Z"), waiting.retryAt(), "when the first rejection leaves the window");
        clock.now = Instant.parse("2026-01-01T00:30:00Z");
        guard.check("user0", login("user0", "pw"));
        guard.rejected("user0", login("user0", "pw"), "rejected", null);
        assertThrows(CredentialsRejectedException.class, () -> guard.check("user1", login("user1", "pw")), "the window is full again");
        assertDoesNotThrow(() -> guard.check("user9", login("user9", "new")), "credentials never rejected are not held back");
    }

    @Test
    void accountsSharingARejectedServiceLoginAreHeldBackTogether() {
        DavLogin service = login("nexchange", "revoked");
        guard.rejected("ann", service, "The DAV server rejected the credentials of Nextcloud account 'ann' (login 'nexchange')", null);
        CredentialsRejectedException bob = assertThrows(CredentialsRejectedException.class, () -> guard.check("bob", service));
        assertTrue(bob.getMessage().startsWith("Nextcloud account 'bob' logs in as 'nexchange'"), bob.getMessage());
        assertDoesNotThrow(() -> guard.check("bob", login("bob", "own")), "bob's own login is not held back");
    }
}
