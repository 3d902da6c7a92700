package io.nexchange.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The engine's state for the console and status page.
 *
 * @param cycleRunning whether a cycle is in progress
 * @param mailboxesDone mailboxes finished in the current (or last) cycle
 * @param mailboxesTotal mailboxes in the current (or last) cycle
 * @param itemsWritten items written in the current (or last) cycle
 * @param itemsPerSecond the current cycle's write rate
 * @param eta the current cycle's estimated remaining time, if it can be told
 * @param lastCycleFinished when the last cycle ended, if any
 * @param lastCycleDuration how long it took
 * @param directoryError why the mailbox list could not be read in the last cycle, or empty
 * @param mailboxes per mailbox, in mailbox order
 */
public record EngineSnapshot(boolean cycleRunning, int mailboxesDone, int mailboxesTotal, long itemsWritten,
        double itemsPerSecond, Optional<Duration> eta, Optional<Instant> lastCycleFinished, Duration lastCycleDuration,
        String directoryError, List<MailboxStatus> mailboxes) {

    /**
     * @param mailbox the primary SMTP address
     * @param running whether a worker is on it now
     * @param last the last finished run, if any
     * @param lastSuccess when it last ended OK, if ever
     */
    public record MailboxStatus(String mailbox, boolean running, Optional<MailboxResult> last, Optional<Instant> lastSuccess) {}
}
