package io.nexchange.graph.calendar.internal.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series writes that failed half-way (the master PATCH went through, an occurrence step did not), so that the next
 * cycle finishes them instead of taking the half-applied series for an edit made in Exchange.
 *
 * <p>A write to a series is several Graph requests, each moving the master's changeKey. When one fails, the target
 * records the changeKey the engine expected ({@code before}) and the one the master has after the steps that went
 * through ({@code after}). While the master still has {@code after}, the source reports it in version {@code before}
 * (nothing happened in Exchange since the engine last synced it, but our own unfinished write), so the engine sees the
 * Nextcloud edit alone and asks for the write again; the target, whose writes are computed from the series as it is
 * now, then does only the steps still missing. Any other change of the master (someone edited it in Outlook) ends
 * the masquerade: the engine sees an edit on both sides and its conflict policy decides.
 *
 * <p>Kept in memory by the store component: a restart in between leaves the series to the conflict policy.
 */
final class PendingSeriesWrites {

    private record Pending(String before, String after) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static String key(String mailbox, String ref) {
        return mailbox.toLowerCase(java.util.Locale.ROOT) + "|" + ref;
    }

    /** A write to {@code ref} stopped with the master at {@code after}; the engine had it at {@code before}. */
    void unfinished(String mailbox, String ref, String before, String after) {
        pending.put(key(mailbox, ref), new Pending(before, after));
    }

    /** The write to {@code ref} is complete (or the series is gone). */
    void finished(String mailbox, String ref) {
        pending.remove(key(mailbox, ref));
    }

    /** The version to report for a master seen at {@code changeKey}: the engine's one while only our write moved it. */
    String reported(String mailbox, String ref, String changeKey) {
        Pending p = pending.get(key(mailbox, ref));
        return p != null && p.after().equals(changeKey) ? p.before() : changeKey;
    }

    /** The engine asks to write {@code ref} expecting {@code expected}, and the master is at {@code changeKey}: a resumption? */
    boolean resumes(String mailbox, String ref, String expected, String changeKey) {
        Pending p = pending.get(key(mailbox, ref));
        return p != null && p.before().equals(expected) && p.after().equals(changeKey);
    }

    /** The changeKey the engine expected when the unfinished write began, for a resumption that fails again. */
    String before(String mailbox, String ref, String fallback) {
        Pending p = pending.get(key(mailbox, ref));
        return p == null ? fallback : p.before();
    }
}
