package io.nexchange.engine.internal;

import java.time.Instant;
import java.util.List;

/**
 * What one sync of one mailbox did.
 *
 * @param mailbox the primary SMTP address
 * @param state how it ended
 * @param exchangeBackend the backend used for the Exchange side (empty if none was reached)
 * @param started when it began
 * @param finished when it ended
 * @param pairs one result per collection pair
 * @param error what went wrong, naming what to fix; empty if nothing
 */
public record MailboxResult(String mailbox, State state, String exchangeBackend, Instant started, Instant finished,
        List<PairResult> pairs, String error) {
    public MailboxResult {
        pairs = List.copyOf(pairs);
        error = error == null ? "" : error;
    }

    public enum State {
        /** Every pair synced. */
        OK,
        /** Some items or pairs failed; retried next cycle. */
        PARTIAL,
        /** The mass-deletion guard held at least one pair back: an operator must look. */
        GUARDED,
        /** Nothing synced: a store or the state store failed. */
        FAILED,
        /** No Nextcloud account has this mailbox's address. */
        UNMAPPED,
        /** Several Nextcloud accounts have this mailbox's address; none is guessed. */
        AMBIGUOUS,
        /** Another instance holds the mailbox's lease. */
        LEASED_ELSEWHERE,
        /**
         * The Nextcloud account's credentials were rejected (401), or are held back after a rejection until their retry
         * is due or they change: the error names the fix. Nothing was written or lost; the cursors were kept.
         */
        CREDENTIALS_REJECTED,
        /**
         * A server throttles the whole connector (429, e.g. Nextcloud's brute-force protection): the mailbox's sync
         * stopped between items and resumes when the server admits requests again. Nothing failed; the cursors were kept.
         */
        THROTTLED,
        /** The lease was lost during the run (another instance took it, or the state store did not answer). */
        LEASE_LOST,
        /** The engine stopped during the run; the next start resumes from the last commit. */
        STOPPED
    }

    public int writes() {
        return pairs.stream().mapToInt(PairResult::writes).sum();
    }

    public int read() {
        return pairs.stream().mapToInt(p -> PairResult.sum(p.read())).sum();
    }

    public List<String> alerts() {
        return pairs.stream().map(PairResult::alert).filter(a -> !a.isEmpty()).toList();
    }

    /** The guard's alerts, and the pairs with quarantined items (for the status table). */
    public List<String> notes() {
        List<String> alerts = new java.util.ArrayList<>(alerts());
        for (PairResult pair : pairs) {
            if (pair.quarantined() > 0) {
                alerts.add(pair.pair().kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + pair.quarantined()
                        + (pair.quarantined() == 1 ? " item" : " items") + " quarantined (nexchange:quarantine list " + mailbox + ")");
            }
        }
        return alerts;
    }

    /** Items held back in quarantine over every pair. */
    public int quarantined() {
        return pairs.stream().mapToInt(PairResult::quarantined).sum();
    }

    public String summary() {
        StringBuilder out = new StringBuilder(mailbox).append(": ").append(state);
        if (!exchangeBackend.isEmpty()) {
            out.append(" (").append(exchangeBackend).append(')');
        }
        out.append(", ").append(read()).append(" changes read, ").append(writes()).append(" written in ")
                .append(java.time.Duration.between(started, finished).toMillis()).append(" ms");
        for (PairResult pair : pairs) {
            out.append("\n  ").append(pair);
        }
        if (!error.isEmpty()) {
            out.append("\n  error: ").append(error);
        }
        return out.toString();
    }
}
