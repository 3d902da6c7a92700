package io.nexchange.graph.calendar.internal.store;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.throttling.RegistrationAssignment;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** The Graph calendar ItemStore service; the work is done by {@link GraphCalendarStore}. */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.graph.calendar",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {ItemStore.BACKEND + "=graph", ItemStore.SIDE + "=exchange"})
@Designate(ocd = GraphCalendarStoreConfiguration.class)
public final class GraphCalendarStoreComponent implements ItemStore {

    private final GraphCalendarStore store;

    @Activate
    public GraphCalendarStoreComponent(@Reference GraphClients clients, GraphCalendarStoreConfiguration config) {
        CalendarSettings settings = new CalendarSettings(config.windowDaysBack(), config.windowDaysAhead(), config.pageSize(),
                config.allCalendars(), ZoneId.of(config.mailboxTimeZone()), config.windowRenewDays());
        this.store = new GraphCalendarStore(clients, RegistrationAssignment.of(config.registrations()), settings,
                WindowsZones.load(), Clock.systemUTC());
    }

    @Override
    public Set<CollectionKind> kinds() {
        return store.kinds();
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        return store.collections(owner, kind);
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        return store.ensureCollection(owner, kind, name);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        return store.source(owner, collection);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        return store.target(owner, collection);
    }
}
