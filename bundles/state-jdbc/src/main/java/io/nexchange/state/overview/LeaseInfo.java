package io.nexchange.state.overview;

import java.time.Instant;

/**
 * Who holds (or last held) a mailbox's lease.
 *
 * @param holder the instance id
 * @param expiresAt when the lease ends unless renewed; in the past if the holder is gone
 */
public record LeaseInfo(String holder, Instant expiresAt) {
}
