package io.nexchange.nextcloud.internal;

import static io.nexchange.nextcloud.internal.DavFixtures.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.api.source.ServerThrottledException;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against the real Nextcloud with brute-force protection on: a revoked app password costs one failed login and is
 * then held back (no request) until its retry is due or a new one is imported; a 429 (protection tripped on purpose
 * by this test) pauses every account through the real throttling policy, and the store recovers after the reset.
 */
@ExtendWith(NextcloudExtension.class)
class NextcloudLoginProtectionTest {

    /** A clock the test moves on. */
    @Test
    void aRevokedAppPasswordCostsOneFailedLoginAndANewOneWorksAtOnce(NextcloudServer nextcloud) throws Exception {
        NextcloudServer.User ann = nextcloud.addUser("guard-ann");
        NextcloudServer.User ben = nextcloud.addUser("guard-ben");
        DavFixtures.Logins logins = new DavFixtures.Logins().with(ann.name(), ann.appPassword()).with(ben.name(), ben.appPassword());
        TestClock clock = new TestClock();
        try (DavItemStore store = new DavItemStore(DavSettings.defaults(URI.create(nextcloud.davBaseUrl())), logins,
                new ThrottleController(ThrottleLimits.OUTLOOK), LoginRetry.DEFAULTS, clock)) {
            assertFalse(store.collections(owner(ann.name()), CollectionKind.CALENDAR).isEmpty());

            nextcloud.revokeAppPasswords(ann.name());
            int mark = nextcloud.mark();
            CredentialsRejectedException first = assertThrows(CredentialsRejectedException.class,
                    () -> store.collections(owner(ann.name()), CollectionKind.CALENDAR));
            assertTrue(first.getMessage().contains("guard-ann") && first.getMessage().contains("nexchange:credentials import"), first.getMessage());
            assertFalse(first.getMessage().contains(ann.appPassword()), "no secret in the message");
            assertEquals(clock.instant().plus(Duration.ofMinutes(5)), first.retryAt());

            // 100 cycles' worth of attempts within the back-off: not one request
            for (int i = 0; i < 100; i++) {
                assertThrows(CredentialsRejectedException.class, () -> store.collections(owner(ann.name()), CollectionKind.CALENDAR));
            }
            assertEquals(1, failedLogins(nextcloud, mark), "one failed login for the revoked password");

            // due: tried once more, rejected again, the next wait doubles
            clock.advance(Duration.ofMinutes(5));
            CredentialsRejectedException second = assertThrows(CredentialsRejectedException.class,
                    () -> store.collections(owner(ann.name()), CollectionKind.CALENDAR));
            assertEquals(clock.instant().plus(Duration.ofMinutes(10)), second.retryAt());
            assertEquals(2, failedLogins(nextcloud, mark));

            // the other account never noticed
            assertFalse(store.collections(owner(ben.name()), CollectionKind.CALENDAR).isEmpty());

            // a new app password is used at once, though the retry of the old one is not due
            logins.with(ann.name(), nextcloud.appPassword(ann.name(), ann.password()));
            assertFalse(store.collections(owner(ann.name()), CollectionKind.CALENDAR).isEmpty());
            assertEquals(2, failedLogins(nextcloud, mark));
            assertEquals(0, nextcloud.requestsSince(mark).stream().filter(r -> r.status() == 429).count());
        } finally {
            nextcloud.resetBruteForceAttempts(); // the failed logins above were on purpose
        }
    }

    @Test
    void a429PausesEveryAccountAndTheStoreRecoversAfterTheReset(NextcloudServer nextcloud) throws Exception {
        NextcloudServer.User cat = nextcloud.addUser("guard-cat");
        NextcloudServer.User dan = nextcloud.addUser("guard-dan");
        DavFixtures.Logins logins = new DavFixtures.Logins().with(cat.name(), cat.appPassword()).with(dan.name(), dan.appPassword());
        // back-off without jitter, short, so the test sees the pause and its end
        ThrottleController policy = new ThrottleController(ThrottleLimits.OUTLOOK.withBackoff(Duration.ofSeconds(20), Duration.ofSeconds(20), false));
        try (DavItemStore store = new DavItemStore(DavSettings.defaults(URI.create(nextcloud.davBaseUrl())), logins, policy,
                LoginRetry.DEFAULTS, Clock.systemUTC())) {
            assertFalse(store.collections(owner(cat.name()), CollectionKind.CALENDAR).isEmpty());
            try {
                tripBruteForceProtection(nextcloud, cat.name());
                int mark = nextcloud.mark();
                ServerThrottledException throttled = assertThrows(ServerThrottledException.class,
                        () -> store.collections(owner(dan.name()), CollectionKind.CALENDAR));
                assertTrue(throttled.isTransient());
                assertTrue(throttled.getMessage().contains("brute-force"), throttled.getMessage());
                // every account waits now: no request is sent for either
                assertThrows(ServerThrottledException.class, () -> store.collections(owner(cat.name()), CollectionKind.CALENDAR));
                assertThrows(ServerThrottledException.class, () -> store.collections(owner(dan.name()), CollectionKind.CONTACTS));
                List<DavTestServer.Request> sent = nextcloud.requestsSince(mark);
                assertEquals(1, sent.size(), "only the request that met the 429: " + sent);
                assertEquals(0, sent.stream().filter(r -> r.status() == 401).count(), "a 429 is not a failed login");
            } finally {
                nextcloud.resetBruteForceAttempts();
            }
            Instant reset = Instant.now();
            // the pause (20 s) ends, then the accounts go on
            while (true) {
                try {
                    assertFalse(store.collections(owner(dan.name()), CollectionKind.CALENDAR).isEmpty());
                    break;
                } catch (ServerThrottledException stillPaused) {
                    assertTrue(Duration.between(reset, Instant.now()).toSeconds() < 60, "recovered within a minute");
                    Thread.sleep(500);
                }
            }
            assertFalse(store.collections(owner(cat.name()), CollectionKind.CALENDAR).isEmpty());
        }
    }

    /** 11 wrong logins from this test (not the product), as a misconfigured client would: the address is blocked. */
    static void tripBruteForceProtection(NextcloudServer nextcloud, String user) {
        for (int i = 0; i < 11; i++) {
            nextcloud.http("PROPFIND", "/remote.php/dav/", user, "wrong-" + i, null, "Depth", "0");
        }
    }

    private static long failedLogins(NextcloudServer nextcloud, int mark) {
        return nextcloud.requestsSince(mark).stream().filter(r -> r.status() == 401).count();
    }
}
