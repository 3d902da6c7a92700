package io.nexchange.console.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The console's recent actions (who, what, when, how it ended), newest first; also written to the log. */
final class ActionLog {
    /** One action; its outcome is filled in when it ends. */
    static final class Entry {
        final Instant at;
        final String operator;
        final String action;
        final String target;
        private volatile String outcome = "running";

        Entry(Instant at, String operator, String action, String target) {
            this.at = at;
            this.operator = operator;
            this.action = action;
            this.target = target;
        }

        String outcome() {
            return outcome;
        }

        void outcome(String value) {
            outcome = value;
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    ActionLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized Entry add(String operator, String action, String target) {
        Entry entry = new Entry(Instant.now(), operator, action, target);
        entries.addFirst(entry);
        while (entries.size() > capacity) {
            entries.removeLast();
        }
        return entry;
    }

    synchronized List<Entry> recent() {
        return new ArrayList<>(entries);
    }
}
