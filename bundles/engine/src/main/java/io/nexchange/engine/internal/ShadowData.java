package io.nexchange.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The last shadow read of each mailbox ({@code nexchange:shadow}, or the console's) as data for the {@code /status} JSON
 * ({@code nexchange.status.data=shadow}): how many mailboxes were read and how many differ, and per mailbox the backends
 * compared, when, how many items differ (-1: not compared), the summary line, every difference and the error. Plain
 * maps, so the ops bundle needs no engine API to serialise them.
 */
@Component(service = Supplier.class, property = "nexchange.status.data=shadow")
public final class ShadowData implements Supplier<Map<String, Object>> {
    private final SyncControl engine;

    @Activate
    public ShadowData(@Reference SyncControl engine) {
        this.engine = engine;
    }

    @Override
    public Map<String, Object> get() {
        return data(engine.shadowReader().reports());
    }

    static Map<String, Object> data(Map<String, ShadowReport> reports) {
        Map<String, Object> mailboxes = new LinkedHashMap<>();
        reports.forEach((smtp, r) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("primary", r.primary());
            one.put("shadow", r.shadow());
            one.put("at", r.at().toString());
            one.put("differences", r.differences());
            one.put("summary", r.summary());
            one.put("report", r.render());
            one.put("error", r.error());
            mailboxes.put(smtp, one);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", reports.size());
        out.put("differing", reports.values().stream().filter(r -> r.differences() != 0).count());
        out.put("mailboxes", mailboxes);
        return out;
    }
}
