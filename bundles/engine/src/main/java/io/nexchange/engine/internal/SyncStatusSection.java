package io.nexchange.engine.internal;

import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The engine's part of {@code nexchange:status} and {@code /status}: the same per-mailbox table as
 * {@code nexchange:sync-status}. The ops bundle collects {@code Supplier<String>} services with the property
 * {@code nexchange.status.section}.
 */
@Component(service = Supplier.class, property = "nexchange.status.section=sync")
public final class SyncStatusSection implements Supplier<String> {
    private final SyncControl engine;

    @Activate
    public SyncStatusSection(@Reference SyncControl engine) {
        this.engine = engine;
    }

    @Override
    public String get() {
        return SyncStatusCommand.render(engine.snapshot()) + automaticRoutes(engine.router())
                + shadowReports(engine.shadowReader());
    }

    /** The last shadow read of each mailbox (nexchange:shadow), one line each. */
    static String shadowReports(ShadowReader shadow) {
        var reports = shadow.reports();
        if (reports.isEmpty()) {
            return "Shadow reads (nexchange:shadow): none yet\n";
        }
        long differing = reports.values().stream().filter(r -> r.differences() != 0).count();
        StringBuilder out = new StringBuilder("Shadow reads (nexchange:shadow): ").append(reports.size()).append(" mailboxes, ")
                .append(differing).append(" with differences or not compared\n");
        reports.values().forEach(r -> out.append("  ").append(r.at()).append("  ").append(r.summary()).append('\n'));
        return out.toString();
    }

    /** The mailboxes automatic routing moved, each with the refusal and the setting behind it. */
    static String automaticRoutes(BackendRouter router) {
        var routes = router.automaticRoutes();
        StringBuilder out = new StringBuilder("Automatic routing (routing.automatic): ")
                .append(router.automaticEnabled() ? "on" : "off").append(", ").append(routes.size()).append(" mailboxes moved\n");
        routes.forEach((smtp, r) -> out.append("  ").append(smtp).append("  ").append(r.from()).append(" -> ").append(r.to())
                .append(" since ").append(r.since()).append(": ").append(r.why()).append('\n'));
        return out.toString();
    }
}
