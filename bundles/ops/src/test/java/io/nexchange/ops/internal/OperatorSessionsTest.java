package io.nexchange.ops.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OperatorSessionsTest {
    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-07T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSessionLastsWhileUsedAndEndsWhenIdleForTooLong() {
        MovableClock clock = new MovableClock();
        OperatorSessions sessions = new OperatorSessions(Duration.ofMinutes(30), clock);
        OperatorSessions.Session session = sessions.open("alice (token login from 10.0.0.5)");
        assertNotEquals(session.id(), session.csrf(), "the CSRF token is not the cookie");
        clock.now = clock.now.plus(Duration.ofMinutes(20));
        assertEquals("alice (token login from 10.0.0.5)", sessions.find(session.id()).orElseThrow().operator());
        clock.now = clock.now.plus(Duration.ofMinutes(20));
        assertTrue(sessions.find(session.id()).isPresent(), "use renewed it");
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertTrue(sessions.find(session.id()).isEmpty(), "idle for 31 minutes: gone");
        assertTrue(sessions.find(null).isEmpty());
        assertTrue(sessions.find("made-up").isEmpty());
    }

    @Test
    void logoutEndsTheSession() {
        OperatorSessions sessions = new OperatorSessions(Duration.ofMinutes(30), new MovableClock());
        OperatorSessions.Session session = sessions.open("bob");
        sessions.close(session.id());
        assertTrue(sessions.find(session.id()).isEmpty());
    }

    @Test
    void fiveFailedLoginsFromAnAddressBlockItForTenMinutesButNotOthers() {
        MovableClock clock = new MovableClock();
        OperatorSessions sessions = new OperatorSessions(Duration.ofMinutes(30), clock);
        for (int i = 0; i < OperatorSessions.MAX_FAILURES; i++) {
            assertTrue(sessions.mayTry("10.0.0.9"));
            sessions.failed("10.0.0.9");
        }
        assertFalse(sessions.mayTry("10.0.0.9"));
        assertTrue(sessions.mayTry("10.0.0.10"));
        clock.now = clock.now.plus(OperatorSessions.FAILURE_WINDOW).plusSeconds(1);
        assertTrue(sessions.mayTry("10.0.0.9"), "the window has passed");
    }

    @Test
    void tokensAreRandomAndUrlSafe() {
        String a = OperatorSessions.randomToken();
        assertNotEquals(a, OperatorSessions.randomToken());
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
    }
}
