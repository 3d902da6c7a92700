package io.nexchange.throttling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThrottlingComponentTest {

    private static final ThrottleKey KEY = new ThrottleKey("app1", "alice@example.org");

    /** A configuration as Configuration Admin would hand it: the given values, defaults for the rest. */
    static ThrottlingConfiguration config(Map<String, Object> values) {
        return (ThrottlingConfiguration) Proxy.newProxyInstance(ThrottlingConfiguration.class.getClassLoader(),
                new Class<?>[] {ThrottlingConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ThrottlingConfiguration.class;
                    }
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void defaultsAreOutlooksLimits() {
        assertEquals(ThrottleLimits.OUTLOOK, ThrottlingComponent.limits(config(Map.of())));
    }

    @Test
    void modifiedAppliesLiveWithoutDroppingPermits() {
        ThrottlingComponent c = new ThrottlingComponent(config(Map.of()));
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(c.tryAcquire(KEY).orElseThrow());
        }
        c.modified(config(Map.of("maxConcurrent", 1)));
        held.remove(0).close();
        held.remove(0).close();
        held.remove(0).close();
        assertTrue(c.tryAcquire(KEY).isEmpty(), "one still in flight against the new limit of 1");
        held.remove(0).close();
        c.tryAcquire(KEY).orElseThrow().close();
        assertEquals(5, c.stats(KEY).orElseThrow().requests(), "the key's state survived the change");
        assertEquals(1, c.snapshot().limits().maxConcurrent());
    }

    @Test
    void invalidChangeKeepsTheLimitsInForce() {
        ThrottlingComponent c = new ThrottlingComponent(config(Map.of("maxConcurrent", 2)));
        c.modified(config(Map.of("safetyMargin", 1.5)));
        assertEquals(2, c.snapshot().limits().maxConcurrent());
    }

    @Test
    void invalidActivationNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThrottlingComponent(config(Map.of("windowSeconds", 0L))));
        assertTrue(e.getMessage().contains("windowSeconds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ThrottlingComponent(config(Map.of("backoffBaseMillis", 5000L, "backoffMaxMillis", 10L))));
        assertTrue(e.getMessage().contains("backoffMaxMillis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ThrottlingComponent(config(Map.of("maxConcurrent", 0))));
        assertTrue(e.getMessage().contains("maxConcurrent"), e.getMessage());
    }

    @Test
    void metersPerRegistration() {
        ThrottlingComponent policy = new ThrottlingComponent(config(Map.of()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ThrottleMeters meters = new ThrottleMeters(registry, policy);
        try {
            Permit a = policy.tryAcquire(KEY).orElseThrow();
            a.throttled(Duration.ofSeconds(3));
            a.close();
            policy.tryAcquire(KEY);
            policy.tryAcquire(new ThrottleKey("app2", "bob@example.org")).orElseThrow();
            meters.refresh();
            assertEquals(1.0, registry.get("nexchange.throttle.requests").tag("registration", "app1").functionCounter().count());
            assertEquals(1.0, registry.get("nexchange.throttle.throttled").tag("registration", "app1").functionCounter().count());
            assertEquals(1.0, registry.get("nexchange.throttle.refused").tag("registration", "app1").functionCounter().count());
            assertEquals(1.0, registry.get("nexchange.throttle.paused.keys").tag("registration", "app1").gauge().value());
            Gauge inflight = registry.get("nexchange.throttle.inflight").tag("registration", "app2").gauge();
            assertEquals(1.0, inflight.value());
            FunctionCounter wait = registry.get("nexchange.throttle.wait").tag("registration", "app2").functionCounter();
            assertEquals(0.0, wait.count());
        } finally {
            meters.deactivate();
        }
        assertTrue(registry.getMeters().isEmpty(), "meters are removed on deactivation");
    }
}
