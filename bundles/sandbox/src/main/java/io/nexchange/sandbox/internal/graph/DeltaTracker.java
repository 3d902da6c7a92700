package io.nexchange.sandbox.internal.graph;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-side sync state behind delta tokens. A baseline (behind a $deltatoken) is what the client
 * has seen: item id → change key, at a version of the mailbox. A round (behind $skiptoken) is one delta
 * answer being paged out. Rounds and baselines of changed mailboxes are kept in bounded LRU maps, like
 * Outlook's cache-sized token lifetime; a forgotten token is a dead token.
 *
 * <p>A baseline of a mailbox as generated (nobody changed it yet) is not kept at all: its token carries the
 * window, the selection and the version, and the snapshot is made again from the generated mailbox if the
 * mailbox changed since. So 10,000 idle mailboxes hold no sync state in the sandbox.
 */
final class DeltaTracker {
    enum Kind { EVENTS, CONTACTS, CONTACT_FOLDERS }

    /** Marks a token that carries its baseline (stored tokens are base64url, which has no '.'). */
    private static final String CARRIED = "c.";
    private static final int MAX_ROUNDS = 256;
    /** Finished rounds kept for a client that retries the last page (a lost answer): a few, as they hold items. */
    private static final int MAX_FINISHED_ROUNDS = 16;

    /**
     * What a client has seen after a finished round, at {@code version} of the mailbox. {@code snapshot} null: the
     * mailbox as generated (at its pristine version), to be made again when needed.
     */
    record Baseline(Kind kind, String userId, String scopeId, Instant from, Instant to, Set<String> select,
            long version, Map<String, String> snapshot) {
    }

    /** One delta answer: entries (item or removed id) and the baseline it leads to. */
    record Round(Kind kind, String userId, String scopeId, Instant from, Instant to, Set<String> select,
            List<Entry> entries, long version, Map<String, String> nextSnapshot) {
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
    private final Map<String, Round> finished;
    private final Map<String, Window> expired;
    /** Expiry stamps: a carried token issued before its mailbox's (or everyone's) last expiry is dead. */
    private final AtomicLong clock = new AtomicLong();
    private final Map<String, Long> expiredAt = new ConcurrentHashMap<>();
    private volatile long allExpiredAt = -1;

    DeltaTracker(int maxStates) {
        this.baselines = lru(maxStates);
        // rounds only exist while an answer of several pages is read; a few hundred cover every reader at once
        this.rounds = lru(Math.min(maxStates, MAX_ROUNDS));
        this.finished = lru(Math.min(maxStates, MAX_FINISHED_ROUNDS));
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
        if (b.snapshot() == null) {
            return carried(b);
        }
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
        if (token.startsWith(CARRIED)) {
            Carried c = decode(token);
            return c == null || c.stamp() < Math.max(allExpiredAt, expiredAt.getOrDefault(c.baseline().userId(), -1L))
                    ? null : c.baseline();
        }
        return baselines.get(token);
    }

    Round round(String token) {
        Round r = rounds.get(token);
        return r != null ? r : finished.get(token);
    }

    /** The last page of a round was served: it moves to the few finished rounds kept for a retry of that page. */
    void finish(String token) {
        Round r = rounds.remove(token);
        if (r != null) {
            finished.put(token, r);
        }
    }

    Window expiredWindow(String token) {
        if (token.startsWith(CARRIED)) {
            Carried c = decode(token);
            return c == null ? null : new Window(c.baseline().from(), c.baseline().to());
        }
        return expired.get(token);
    }

    /** Forgets every token of a mailbox (null: of all mailboxes). */
    void expire(String userId) {
        long now = clock.incrementAndGet();
        if (userId == null) {
            allExpiredAt = now;
        } else {
            expiredAt.put(userId, now);
        }
        synchronized (baselines) {
            baselines.entrySet().removeIf(e -> {
                boolean hit = userId == null || userId.equals(e.getValue().userId());
                if (hit) {
                    expired.put(e.getKey(), new Window(e.getValue().from(), e.getValue().to()));
                }
                return hit;
            });
        }
        for (Map<String, Round> m : List.of(rounds, finished)) {
            synchronized (m) {
                m.entrySet().removeIf(e -> userId == null || userId.equals(e.getValue().userId()));
            }
        }
    }

    private String token() {
        byte[] b = new byte[36];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private record Carried(Baseline baseline, long stamp) {
    }

    private String carried(Baseline b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(b.kind().ordinal());
            out.writeUTF(b.userId());
            out.writeUTF(b.scopeId());
            writeInstant(out, b.from());
            writeInstant(out, b.to());
            out.writeInt(b.select() == null ? -1 : b.select().size());
            if (b.select() != null) {
                for (String s : b.select()) {
                    out.writeUTF(s);
                }
            }
            out.writeLong(b.version());
            out.writeLong(clock.get());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return CARRIED + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /** The baseline a carried token holds, or null for anything that is not one (a dead token to the client). */
    private static Carried decode(String token) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(
                Base64.getUrlDecoder().decode(token.substring(CARRIED.length()))))) {
            Kind kind = Kind.values()[in.readUnsignedByte()];
            String userId = in.readUTF();
            String scopeId = in.readUTF();
            Instant from = readInstant(in);
            Instant to = readInstant(in);
            int selected = in.readInt();
            Set<String> select = null;
            if (selected >= 0) {
                select = new LinkedHashSet<>();
                for (int i = 0; i < selected; i++) {
                    select.add(in.readUTF());
                }
            }
            long version = in.readLong();
            long stamp = in.readLong();
            return new Carried(new Baseline(kind, userId, scopeId, from, to, select, version, null), stamp);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
