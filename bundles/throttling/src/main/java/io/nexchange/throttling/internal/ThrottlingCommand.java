package io.nexchange.throttling.internal;

import io.nexchange.throttling.KeyStats;
import io.nexchange.throttling.RegistrationStats;
import io.nexchange.throttling.ThrottleMonitor;
import io.nexchange.throttling.ThrottleStats;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code nexchange:throttling}: totals per app registration and who is being throttled now. */
@Component(service = ThrottlingCommand.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=throttling"
})
public final class ThrottlingCommand {
    private final ThrottleMonitor monitor;

    @Activate
    public ThrottlingCommand(@Reference ThrottleMonitor monitor) {
        this.monitor = monitor;
    }

    public String throttling() {
        return render(monitor.snapshot());
    }

    static String render(ThrottleStats stats) {
        StringBuilder out = new StringBuilder();
        ThrottleStats.LimitsView limits = stats.limits();
        out.append(String.format("Limits per app registration + mailbox: %d concurrent, %d of %d requests per %d s%n",
                limits.maxConcurrent(), limits.effectiveBudget(), limits.requestsPerWindow(), limits.windowSeconds()));
        out.append(String.format("%-24s %10s %9s %9s %10s %8s %8s %7s%n",
                "REGISTRATION", "REQUESTS", "THROTTLED", "REFUSED", "WAITED s", "MAILBOX", "INFLIGHT", "PAUSED"));
        for (RegistrationStats r : stats.registrations()) {
            out.append(String.format("%-24s %10d %9d %9d %10.1f %8d %8d %7d%n", r.registration(), r.requests(),
                    r.throttled(), r.refused(), r.waited().toMillis() / 1000.0, r.activeKeys(), r.inFlight(), r.pausedKeys()));
        }
        if (stats.throttledNow().isEmpty()) {
            out.append("Nobody is throttled now.\n");
        } else {
            out.append("Throttled now:\n");
            for (KeyStats k : stats.throttledNow()) {
                out.append(String.format("  %s / %s: next request in %.1f s (server pause %.1f s, %d/%d in window, %d in flight)%n",
                        k.key().registration(), k.key().mailbox().isEmpty() ? "(tenant)" : k.key().mailbox(),
                        k.nextAdmission().toMillis() / 1000.0, k.pausedFor().toMillis() / 1000.0,
                        k.windowRequests(), k.windowBudget(), k.inFlight()));
            }
        }
        return out.toString();
    }
}
