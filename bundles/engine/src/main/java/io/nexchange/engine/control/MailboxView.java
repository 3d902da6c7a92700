package io.nexchange.engine.control;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One mailbox as the engine last saw it.
 *
 * @param mailbox the primary SMTP address
 * @param state how its last run ended (OK, PARTIAL, GUARDED, FAILED, ...; see the engine README), or "-" if it has none
 *     yet; {@code running} tells whether a run is in progress
 * @param running whether a worker is on it now
 * @param backend the Exchange backend its last run used (graph, ews), or empty
 * @param lastRun when its last run ended
 * @param lastSuccess when a run last ended OK
 * @param read changes read in its last run
 * @param written items written in its last run
 * @param error what went wrong in its last run, naming what to fix; empty if nothing
 * @param alerts the mass-deletion guard's alerts of its last run (with the override to use)
 * @param pairs its pairs in its last run
 */
public record MailboxView(String mailbox, String state, boolean running, String backend, Optional<Instant> lastRun,
        Optional<Instant> lastSuccess, int read, int written, String error, List<String> alerts, List<PairView> pairs) {
    public MailboxView {
        alerts = List.copyOf(alerts);
        pairs = List.copyOf(pairs);
    }
}
