package io.nexchange.engine.internal;

import io.nexchange.api.state.FleetMember;
import io.nexchange.api.state.FleetView;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The fleet in {@code nexchange:status} and {@code /status} (section and JSON data {@code fleet}): this instance's name,
 * every instance sharing the state database (live or gone, with its lease count, last heartbeat, host and process), and
 * which instance holds which mailbox (the live leases, read from the database when asked).
 */
@Component(service = Supplier.class, property = "nexchange.status.section=fleet")
public final class FleetSection implements Supplier<String> {
    private final SyncControl engine;
    private final SyncStateStore state;

    @Activate
    public FleetSection(@Reference SyncControl engine, @Reference SyncStateStore state) {
        this.engine = engine;
        this.state = state;
    }

    @Override
    public String get() {
        return render(engine.fleet(), state);
    }

    static String render(Fleet fleet, SyncStateStore state) {
        StringBuilder out = new StringBuilder("This instance: ").append(fleet.self()).append(", holds ")
                .append(fleet.heldMailboxes().size()).append(" mailbox leases (lease ").append(fleet.ttl().toSeconds())
                .append(" s, renewed every ").append(seconds(fleet.beatEvery())).append(" s; the fleet checked every ")
                .append(seconds(fleet.checkEvery())).append(" s)");
        if (!fleet.lastError().isEmpty()) {
            out.append("; LAST HEARTBEAT FAILED: ").append(fleet.lastError());
        }
        out.append('\n');
        FleetView view = fleet.lastView().orElse(null);
        if (view == null) {
            return out.append("No heartbeat yet (the engine's schedule is off, or it has just started)\n").toString();
        }
        out.append(String.format(Locale.ROOT, "%-32s %-5s %7s  %-20s  %s%n", "INSTANCE", "LIVE", "LEASES", "LAST HEARTBEAT", "HOST, PROCESS"));
        for (FleetMember m : view.members()) {
            out.append(String.format(Locale.ROOT, "%-32s %-5s %7d  %-20s  %s%n", m.instance(), m.live() ? "yes" : "GONE", m.leases(),
                    m.lastBeat().truncatedTo(ChronoUnit.SECONDS), m.about()));
        }
        try {
            Map<String, String> holders = state.leaseHolders();
            out.append("Mailbox leases (").append(holders.size()).append("):\n");
            holders.forEach((mailbox, holder) -> out.append("  ").append(mailbox).append("  ").append(holder).append('\n'));
        } catch (StateException e) {
            out.append("Mailbox leases: not readable now: ").append(e.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
    }

    /** The same as data ({@link FleetData}): {@code self}, {@code instances} (list) and {@code holders} (mailbox to instance). */
    static Map<String, Object> data(Fleet fleet, SyncStateStore state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("self", fleet.self());
        data.put("leaseSeconds", fleet.ttl().toSeconds());
        data.put("held", fleet.heldMailboxes().size());
        data.put("lastError", fleet.lastError());
        List<Map<String, Object>> instances = new ArrayList<>();
        fleet.lastView().ifPresent(view -> view.members().forEach(m -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("instance", m.instance());
            row.put("live", m.live());
            row.put("leases", m.leases());
            row.put("lastBeat", m.lastBeat().toString());
            row.put("startedAt", m.startedAt().toString());
            row.put("about", m.about());
            instances.add(row);
        }));
        data.put("instances", instances);
        try {
            data.put("holders", state.leaseHolders());
        } catch (StateException e) {
            data.put("holdersError", e.getMessage());
        }
        return data;
    }
}
