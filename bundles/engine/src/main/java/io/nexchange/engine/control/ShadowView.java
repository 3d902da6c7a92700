package io.nexchange.engine.control;

import java.time.Instant;

/**
 * A shadow read of one mailbox: read through the backend that syncs it and through the other one, compared by item key
 * and field by field, nothing written.
 *
 * @param primary the backend the mailbox syncs through
 * @param shadow the other backend
 * @param differences items that differ (only one backend shows it, or its fields differ); -1 if not compared
 * @param summary one line: counts per kind, how many differ
 * @param report the summary and every difference, one per line
 * @param error why the two could not be compared (empty if they were)
 */
public record ShadowView(String mailbox, String primary, String shadow, Instant at, int differences, String summary,
        String report, String error) {}
