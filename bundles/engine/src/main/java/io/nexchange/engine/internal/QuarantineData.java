package io.nexchange.engine.internal;

import io.nexchange.api.state.SyncStateStore;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The quarantine as data for the {@code /status} JSON ({@code nexchange.status.data=quarantine}): the count of held
 * items, and per mailbox its count and items (id, key, subject, reason, version, first/last failure, attempts). Plain
 * maps and lists, so the ops bundle needs no engine API to serialise them.
 */
@Component(service = Supplier.class, property = "nexchange.status.data=quarantine")
public final class QuarantineData implements Supplier<Map<String, Object>> {
    private final SyncStateStore state;

    @Activate
    public QuarantineData(@Reference SyncStateStore state) {
        this.state = state;
    }

    @Override
    public Map<String, Object> get() {
        return QuarantineSection.data(QuarantineSection.items(state));
    }
}
