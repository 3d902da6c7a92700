package io.nexchange.engine.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The current (or last) cycle.
 *
 * @param running whether a cycle is in progress
 * @param mailboxesDone mailboxes finished in it
 * @param mailboxesTotal mailboxes in it
 * @param itemsWritten items written in it
 * @param itemsPerSecond its write rate
 * @param eta its estimated remaining time, if it can be told
 * @param lastFinished when the last cycle ended, if any
 * @param lastDuration how long the last cycle took
 * @param directoryError why the mailbox list could not be read, or empty
 */
public record CycleView(boolean running, int mailboxesDone, int mailboxesTotal, long itemsWritten, double itemsPerSecond,
        Optional<Duration> eta, Optional<Instant> lastFinished, Duration lastDuration, String directoryError) {
}
