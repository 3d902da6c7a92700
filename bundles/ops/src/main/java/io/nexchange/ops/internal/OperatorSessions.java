package io.nexchange.ops.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * Console logins, in memory (a restart logs everyone out): a random session id (the cookie), the operator's name
 * and a CSRF token per session. Also counts failed logins per client address: after {@value #MAX_FAILURES} within
 * {@link #FAILURE_WINDOW} further attempts from that address are refused until the window has passed.
 */
@Component(service = OperatorSessions.class, configurationPid = HttpEndpoint.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class OperatorSessions {
    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login. */
    record Session(String id, String operator, String csrf, Instant created, Instant lastSeen) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    @Activate
    public OperatorSessions(OpsHttpConfiguration config) {
        this(LoginPolicy.of(config).sessionIdle(), Clock.systemUTC());
    }

    OperatorSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Session open(String operator) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.lastSeen().plus(idle).isBefore(now));
        Session session = new Session(randomToken(), operator, randomToken(), now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, its idle time renewed; empty if unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (session.lastSeen().plus(idle).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session renewed = new Session(session.id(), session.operator(), session.csrf(), session.created(), now);
        sessions.put(id, renewed);
        return Optional.of(renewed);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Whether this address may try a login now. */
    boolean mayTry(String address) {
        Deque<Instant> recent = failures.get(address);
        if (recent == null) {
            return true;
        }
        synchronized (recent) {
            prune(recent);
            return recent.size() < MAX_FAILURES;
        }
    }

    void failed(String address) {
        Deque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (recent) {
            prune(recent);
            recent.addLast(clock.instant());
        }
    }

    void succeeded(String address) {
        failures.remove(address);
    }

    private void prune(Deque<Instant> recent) {
        Instant cutoff = clock.instant().minus(FAILURE_WINDOW);
        while (!recent.isEmpty() && recent.peekFirst().isBefore(cutoff)) {
            recent.removeFirst();
        }
    }
}
