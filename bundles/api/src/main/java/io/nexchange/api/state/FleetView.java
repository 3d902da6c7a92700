package io.nexchange.api.state;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one heartbeat of an instance learnt: every instance on record (live or gone) and which of the heartbeat's
 * leases were no longer held (taken over by another instance after they ran out, or released).
 *
 * @param now the database's clock when the view was read
 * @param members every instance on record, by id; gone ones until an hour after they ran out
 * @param lost the mailboxes of the heartbeat's leases that were not renewed: the instance lost them
 * @since 1.4
 */
public record FleetView(Instant now, List<FleetMember> members, Set<String> lost) {
    public FleetView {
        members = List.copyOf(members);
        lost = Set.copyOf(lost);
    }

    /** The ids of the live instances, sorted. */
    public List<String> liveInstances() {
        return members.stream().filter(FleetMember::live).map(FleetMember::instance).sorted().toList();
    }
}
