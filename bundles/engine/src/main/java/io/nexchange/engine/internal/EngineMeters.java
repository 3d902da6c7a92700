package io.nexchange.engine.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Engine meters when a Micrometer {@link MeterRegistry} service exists (Micrometer is an optional import: without it
 * this component never becomes satisfied). {@code nexchange.sync.items} (counter; tags kind, direction
 * to-nextcloud/to-exchange, action create/update/delete), {@code nexchange.sync.mailboxes} (counter; tag state),
 * {@code nexchange.sync.errors} (counter of mailbox runs that did not end OK, guarded or leased elsewhere),
 * {@code nexchange.sync.cycle} (timer), {@code nexchange.sync.lag} (gauge, seconds since the least recently synced
 * mailbox last synced OK), {@code nexchange.sync.quarantined} (gauge, items held back in quarantine, as the last run of
 * each mailbox left them). No per-mailbox tags: thousands of mailboxes would swamp Prometheus.
 */
@Component(service = {}, immediate = true)
public final class EngineMeters implements EngineListener {
    private final MeterRegistry registry;
    private final SyncControl engine;
    private final Map<String, Counter> items = new ConcurrentHashMap<>();
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Counter errors;
    private final Timer cycle;
    /** Items in quarantine per mailbox, as its last run that reached its pairs left them. */
    private final Map<String, Integer> quarantined = new ConcurrentHashMap<>();

    @Activate
    public EngineMeters(@Reference MeterRegistry registry, @Reference SyncControl engine) {
        this.registry = registry;
        this.engine = engine;
        this.errors = Counter.builder("nexchange.sync.errors").description("Mailbox runs that failed or partly failed")
                .register(registry);
        this.cycle = Timer.builder("nexchange.sync.cycle").description("Duration of a sync cycle over every mailbox")
                .register(registry);
        meters.add(errors);
        meters.add(cycle);
        meters.add(Gauge.builder("nexchange.sync.lag", engine, SyncControl::lagSeconds).baseUnit("seconds")
                .description("Seconds since the least recently synced mailbox last synced OK").register(registry));
        meters.add(Gauge.builder("nexchange.sync.quarantined", quarantined, q -> q.values().stream().mapToInt(Integer::intValue).sum())
                .description("Items held back in quarantine after failing on their own (nexchange:quarantine list)").register(registry));
        engine.addListener(this);
    }

    @Deactivate
    void deactivate() {
        engine.removeListener(this);
        meters.forEach(registry::remove);
        items.values().forEach(registry::remove);
    }

    @Override
    public void written(SyncPair pair, Side target, String action) {
        String kind = pair.kind().name().toLowerCase(Locale.ROOT);
        String direction = target == Side.NEXTCLOUD ? "to-nextcloud" : "to-exchange";
        items.computeIfAbsent(kind + direction + action, k -> Counter.builder("nexchange.sync.items")
                .description("Items written by the sync").tag("kind", kind).tag("direction", direction)
                .tag("action", action).register(registry)).increment();
    }

    @Override
    public void mailboxDone(MailboxResult result) {
        String state = result.state().name().toLowerCase(Locale.ROOT);
        items.computeIfAbsent("mailbox" + state, k -> Counter.builder("nexchange.sync.mailboxes")
                .description("Mailbox runs by outcome").tag("state", state).register(registry)).increment();
        if (!result.pairs().isEmpty()) {
            quarantined.put(result.mailbox(), result.quarantined());
        }
        if (result.state() == MailboxResult.State.FAILED || result.state() == MailboxResult.State.PARTIAL) {
            errors.increment();
        }
    }

    @Override
    public void cycleDone(Duration duration, int mailboxes) {
        cycle.record(duration);
    }
}
