package io.nexchange.engine.internal;

import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The quarantine in {@code nexchange:status} and {@code /status}: the text section ({@code nexchange.status.section}, the
 * table of {@code nexchange:quarantine list}). {@link QuarantineData} gives the JSON its structured form.
 */
@Component(service = Supplier.class, property = "nexchange.status.section=quarantine")
public final class QuarantineSection implements Supplier<String> {
    private final SyncStateStore state;

    @Activate
    public QuarantineSection(@Reference SyncStateStore state) {
        this.state = state;
    }

    @Override
    public String get() {
        return QuarantineCommands.render(items(state));
    }

    static List<QuarantinedItem> items(SyncStateStore state) {
        try {
            return state.quarantined();
        } catch (StateException e) {
            throw new IllegalStateException("the quarantine cannot be read: " + e.getMessage(), e);
        }
    }

    /** Per mailbox: {@code count} (held items) and {@code items}; {@code count} over all. */
    static Map<String, Object> data(List<QuarantinedItem> items) {
        Map<String, Map<String, Object>> byMailbox = new TreeMap<>();
        for (QuarantinedItem q : items) {
            Map<String, Object> mailbox = byMailbox.computeIfAbsent(q.pair().mailbox(), m -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("count", 0);
                entry.put("items", new ArrayList<Map<String, Object>>());
                return entry;
            });
            if (q.held()) {
                mailbox.put("count", (Integer) mailbox.get("count") + 1);
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", q.pair().kind().name().toLowerCase(Locale.ROOT));
            item.put("side", q.side().name().toLowerCase(Locale.ROOT));
            item.put("id", q.ref());
            item.put("key", q.key() == null ? null : q.key().value());
            item.put("version", q.version());
            item.put("subject", q.summary());
            item.put("reason", q.reason());
            item.put("firstFailed", q.firstFailed().toString());
            item.put("lastFailed", q.lastFailed().toString());
            item.put("attempts", q.attempts());
            item.put("held", q.held());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) mailbox.get("items");
            list.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", items.stream().filter(QuarantinedItem::held).count());
        out.put("mailboxes", byMailbox);
        return out;
    }

}
