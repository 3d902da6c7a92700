package io.nexchange.sandbox.internal.ews;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SyncFolderItems states: what a client has seen of a folder (item id → change key). The token the
 * client holds is opaque base64 (a marker and a random key); the snapshot stays on the server in a
 * bounded LRU map, so a forgotten, expired or tampered token is "corrupt or otherwise invalid", as
 * Exchange says of a state it cannot use.
 */
final class SyncStates {
    private static final byte[] MARKER = "NXEWSSS1".getBytes(StandardCharsets.US_ASCII);

    record State(String userId, String folderId, Map<String, String> snapshot) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, State> states;

    SyncStates(int max) {
        this.states = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > max;
            }
        });
    }

    String save(State s) {
        byte[] key = new byte[24];
        random.nextBytes(key);
        String token = Base64.getEncoder().encodeToString(ByteBuffer.allocate(MARKER.length + key.length).put(MARKER).put(key).array());
        states.put(token, s);
        return token;
    }

    /** The state behind a token, or null when the token is not one of ours or is forgotten. */
    State find(String token) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(token.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length != MARKER.length + 24 || !Arrays.equals(Arrays.copyOf(raw, MARKER.length), MARKER)) {
            return null;
        }
        return states.get(token.trim());
    }

    /** Forgets the states of a mailbox (null: all). */
    void expire(String userId) {
        synchronized (states) {
            states.values().removeIf(s -> userId == null || userId.equals(s.userId()));
        }
    }
}
