package io.nexchange.throttling.internal;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.throttling.KeyStats;
import io.nexchange.throttling.ThrottleMonitor;
import io.nexchange.throttling.ThrottleStats;
import io.nexchange.throttling.WeightedThrottlePolicy;
import java.time.Duration;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the throttling policy. Thin: the work is in {@link ThrottleController}. Configuration changes are
 * applied by {@link #modified} to the same controller, so permits in flight, pauses and counted requests survive
 * them (re-creating the controller would forget the budget already spent and allow a burst over the limit).
 */
@Component(name = "io.nexchange.throttling", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ThrottlePolicy.class, WeightedThrottlePolicy.class, ThrottleMonitor.class})
@Designate(ocd = ThrottlingConfiguration.class)
public final class ThrottlingComponent implements WeightedThrottlePolicy, ThrottleMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(ThrottlingComponent.class);

    private final ThrottleController controller;

    @Activate
    public ThrottlingComponent(ThrottlingConfiguration config) {
        ThrottleLimits limits = limits(config);
        this.controller = new ThrottleController(limits);
        LOG.info("Throttling per app registration and mailbox: {}", describe(limits));
    }

    @Modified
    void modified(ThrottlingConfiguration config) {
        ThrottleLimits limits;
        try {
            limits = limits(config);
        } catch (IllegalArgumentException e) {
            // keep serving with the limits in force rather than stopping every Microsoft call
            LOG.error("Configuration io.nexchange.throttling rejected, keeping {}: {}", describe(controller.limits()),
                    e.getMessage());
            return;
        }
        controller.reconfigure(limits);
        LOG.info("Throttling reconfigured: {}", describe(limits));
    }

    /** Maps the configuration; invalid values fail with a message naming the setting. */
    static ThrottleLimits limits(ThrottlingConfiguration c) {
        if (c.windowSeconds() < 1) {
            throw new IllegalArgumentException("windowSeconds must be at least 1, was " + c.windowSeconds());
        }
        if (c.backoffBaseMillis() < 0 || c.backoffMaxMillis() < c.backoffBaseMillis()) {
            throw new IllegalArgumentException("need 0 <= backoffBaseMillis <= backoffMaxMillis, were "
                    + c.backoffBaseMillis() + " and " + c.backoffMaxMillis());
        }
        if (c.maxRetryAfterSeconds() < 0) {
            throw new IllegalArgumentException("maxRetryAfterSeconds must not be negative, was " + c.maxRetryAfterSeconds());
        }
        return new ThrottleLimits(c.maxConcurrent(), c.requestsPerWindow(), Duration.ofSeconds(c.windowSeconds()),
                c.safetyMargin(), c.budgetBuckets(), Duration.ofMillis(c.backoffBaseMillis()),
                Duration.ofMillis(c.backoffMaxMillis()), c.jitter(), Duration.ofSeconds(c.maxRetryAfterSeconds()));
    }

    private static String describe(ThrottleLimits l) {
        return l.maxConcurrent() + " concurrent, " + l.effectiveBudget() + " of " + l.requestsPerWindow()
                + " requests per " + l.window().getSeconds() + " s, back-off " + l.backoffBase().toMillis() + ".."
                + l.backoffMax().toMillis() + " ms" + (l.jitter() ? " with jitter" : "");
    }

    @Override
    public Optional<Permit> tryAcquire(ThrottleKey key) {
        return controller.tryAcquire(key);
    }

    @Override
    public Duration delay(ThrottleKey key) {
        return controller.delay(key);
    }

    @Override
    public Optional<Permit> acquire(ThrottleKey key, Duration maxWait) throws InterruptedException {
        return controller.acquire(key, maxWait);
    }

    @Override
    public Optional<Permit> tryAcquire(ThrottleKey key, int requests) {
        return controller.tryAcquire(key, requests);
    }

    @Override
    public Optional<Permit> acquire(ThrottleKey key, int requests, Duration maxWait) throws InterruptedException {
        return controller.acquire(key, requests, maxWait);
    }

    @Override
    public Duration delay(ThrottleKey key, int requests) {
        return controller.delay(key, requests);
    }

    @Override
    public ThrottleStats snapshot() {
        return controller.snapshot();
    }

    @Override
    public Optional<KeyStats> stats(ThrottleKey key) {
        return controller.stats(key);
    }
}
