package io.nexchange.sandbox.internal.graph;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side sync state behind delta tokens. A baseline (behind a $deltatoken) is what the client
 * has seen: item id → change key. A round (behind $skiptoken) is one delta answer being paged out.
 * Both are kept in bounded LRU maps, like Outlook's cache-sized token lifetime; a forgotten token is
 * a dead token.
 */
final class DeltaTracker {
    enum Kind { EVENTS, CONTACTS, CONTACT_FOLDERS }

    /** What a client has seen after a finished round. */
    record Baseline(Kind kind, String userId, String scopeId, Instant from, Instant to, Set<String> select,
            Map<String, String> snapshot) {
    }

    /** One delta answer: entries (item or removed id) and the baseline it leads to. */
    record Round(Kind kind, String userId, String scopeId, Instant from, Instant to, Set<String> select,
            List<Entry> entries, Map<String, String> nextSnapshot) {
    }

    /** A changed item (item != null) or a removed id. */
    record Entry(String id, Object item) {
    }

    /** The window of a token that is gone, for the Location of a 410. */
    record Window(Instant from, Instant to) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Baseline> baselines;
    private final Map<String, Round> rounds;
    private final Map<String, Window> expired;

    DeltaTracker(int maxStates) {
        this.baselines = lru(maxStates);
        this.rounds = lru(maxStates);
        this.expired = lru(maxStates);
    }

    private static <V> Map<String, V> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        });
    }

    String saveBaseline(Baseline b) {
        String token = token();
        baselines.put(token, b);
        return token;
    }

    String saveRound(Round r) {
        String token = token();
        rounds.put(token, r);
        return token;
    }

    Baseline baseline(String token) {
        return baselines.get(token);
    }

    Round round(String token) {
        return rounds.get(token);
    }

    Window expiredWindow(String token) {
        return expired.get(token);
    }

    /** Forgets every token of a mailbox (null: of all mailboxes). */
    void expire(String userId) {
        synchronized (baselines) {
            baselines.entrySet().removeIf(e -> {
                boolean hit = userId == null || userId.equals(e.getValue().userId());
                if (hit) {
                    expired.put(e.getKey(), new Window(e.getValue().from(), e.getValue().to()));
                }
                return hit;
            });
        }
        synchronized (rounds) {
            rounds.entrySet().removeIf(e -> userId == null || userId.equals(e.getValue().userId()));
        }
    }

    private String token() {
        byte[] b = new byte[36];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
