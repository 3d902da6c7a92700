package io.nexchange.api.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance of the fleet sharing a state database, as its last heartbeat left it.
 *
 * @param instance the instance id (unique per running instance)
 * @param about what operators need to find it (host, process id, version), as the instance described itself
 * @param startedAt when its current process started
 * @param lastBeat its last heartbeat (database clock)
 * @param expiresAt when it counts as gone unless it beats again (database clock)
 * @param live whether {@code expiresAt} was still ahead when this view was read
 * @param leases how many live mailbox leases it holds
 * @since 1.4
 */
public record FleetMember(String instance, String about, Instant startedAt, Instant lastBeat, Instant expiresAt, boolean live,
        int leases) {
    public FleetMember {
        Objects.requireNonNull(instance, "instance");
        about = about == null ? "" : about;
    }
}
