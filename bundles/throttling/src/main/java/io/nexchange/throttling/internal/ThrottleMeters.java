package io.nexchange.throttling.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexchange.throttling.RegistrationStats;
import io.nexchange.throttling.ThrottleMonitor;
import io.nexchange.throttling.ThrottleStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes per-registration meters when a Micrometer {@link MeterRegistry} service exists (Micrometer is an
 * optional import: without it this component simply never becomes satisfied).
 *
 * <p>Meters, tagged {@code registration}: {@code nexchange.throttle.requests}, {@code .throttled},
 * {@code .refused}, {@code .wait} (seconds) as counters; {@code .inflight}, {@code .paused.keys}, {@code .keys}
 * as gauges. Per mailbox there are no meters (20,000 mailboxes × registrations would swamp Prometheus); the
 * {@link ThrottleMonitor} snapshot lists the throttled keys instead. Values come from a snapshot refreshed every
 * {@value #REFRESH_SECONDS} s off the scrape path, which also discovers new registrations.
 */
@Component(service = {}, immediate = true)
public final class ThrottleMeters {

    static final int REFRESH_SECONDS = 10;

    private final MeterRegistry registry;
    private final ThrottleMonitor monitor;
    private final ScheduledExecutorService refresher;
    private final Map<String, RegistrationStats> latest = new ConcurrentHashMap<>();
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private final List<Meter> meters = new ArrayList<>();

    @Activate
    public ThrottleMeters(@Reference MeterRegistry registry, @Reference ThrottleMonitor monitor) {
        this.registry = registry;
        this.monitor = monitor;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nexchange-throttle-meters");
            t.setDaemon(true);
            return t;
        });
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        refresher.shutdownNow();
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    void refresh() {
        ThrottleStats stats = monitor.snapshot();
        for (RegistrationStats r : stats.registrations()) {
            latest.put(r.registration(), r);
            if (bound.add(r.registration())) {
                bind(r.registration());
            }
        }
    }

    private void bind(String registration) {
        synchronized (meters) {
            meters.add(counter("nexchange.throttle.requests", "Requests admitted (a $batch counts its inner requests)",
                    registration, RegistrationStats::requests, null));
            meters.add(counter("nexchange.throttle.throttled", "Throttling answers (429, 503 + Retry-After, ErrorServerBusy)",
                    registration, RegistrationStats::throttled, null));
            meters.add(counter("nexchange.throttle.refused", "Requests turned away because the key was not admissible",
                    registration, RegistrationStats::refused, null));
            meters.add(counter("nexchange.throttle.wait", "Time callers waited for a permit", registration,
                    r -> r.waited().toNanos() / 1e9, "seconds"));
            meters.add(gauge("nexchange.throttle.inflight", "Requests in flight", registration, RegistrationStats::inFlight));
            meters.add(gauge("nexchange.throttle.paused.keys", "Mailboxes paused by the server now", registration,
                    RegistrationStats::pausedKeys));
            meters.add(gauge("nexchange.throttle.keys", "Mailboxes with throttling state in memory", registration,
                    RegistrationStats::activeKeys));
        }
    }

    private FunctionCounter counter(String name, String description, String registration,
            ToDoubleFunction<RegistrationStats> value, String unit) {
        FunctionCounter.Builder<Map<String, RegistrationStats>> b = FunctionCounter
                .builder(name, latest, m -> valueOf(m.get(registration), value))
                .description(description).tag("registration", registration);
        if (unit != null) {
            b.baseUnit(unit);
        }
        return b.register(registry);
    }

    private Gauge gauge(String name, String description, String registration, ToDoubleFunction<RegistrationStats> value) {
        return Gauge.builder(name, latest, m -> valueOf(m.get(registration), value))
                .description(description).tag("registration", registration).register(registry);
    }

    private static double valueOf(RegistrationStats r, ToDoubleFunction<RegistrationStats> value) {
        return r == null ? 0 : value.applyAsDouble(r);
    }
}
