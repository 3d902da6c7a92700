package io.nexchange.engine.internal;

import io.nexchange.api.state.SyncStateStore;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The fleet as data for the {@code /status} JSON ({@code nexchange.status.data=fleet}); see {@link FleetSection}. */
@Component(service = Supplier.class, property = "nexchange.status.data=fleet")
public final class FleetData implements Supplier<Map<String, Object>> {
    private final SyncControl engine;
    private final SyncStateStore state;

    @Activate
    public FleetData(@Reference SyncControl engine, @Reference SyncStateStore state) {
        this.engine = engine;
        this.state = state;
    }

    @Override
    public Map<String, Object> get() {
        return FleetSection.data(engine.fleet(), state);
    }
}
