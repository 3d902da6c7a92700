package io.nexchange.engine.control;

import java.util.List;

/**
 * One collection pair in a mailbox's last run.
 *
 * @param kind calendar or contacts
 * @param exchangeCollection the Exchange collection ("default" for the default folder)
 * @param nextcloudCollection the Nextcloud collection
 * @param outcome SYNCED, PARTIAL, GUARDED, LEASE_LOST or STOPPED
 * @param read changes read from both sides
 * @param written items created, updated or deleted on either side
 * @param adopted items found on both sides and linked without a write
 * @param conflicts items changed on both sides, resolved by the policy
 * @param leftAlone Nextcloud-side changes left alone (one-way)
 * @param errors per-item failures
 * @param alert the mass-deletion guard's alert, or empty
 */
public record PairView(String kind, String exchangeCollection, String nextcloudCollection, String outcome, int read,
        int written, int adopted, int conflicts, int leftAlone, List<String> errors, String alert) {
    public PairView {
        errors = List.copyOf(errors);
    }
}
