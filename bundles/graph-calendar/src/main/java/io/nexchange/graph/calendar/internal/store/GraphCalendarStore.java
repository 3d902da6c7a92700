package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.models.Calendar;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.graph.client.GraphItemStore;
import io.nexchange.throttling.RegistrationAssignment;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Exchange calendars through Microsoft Graph, as the ItemStore service of backend {@code graph}: the default
 * calendar of a mailbox (or all of them), read through calendarView delta ({@link CalendarDeltaSource}) and written
 * by {@link CalendarTarget}. Registration assignment and the default-calendar cache: {@link GraphItemStore}.
 */
// configuration required: the ews feature installs this bundle for its mapping only, and must not start a Graph store
// (the graph feature writes the default etc/io.nexchange.graph.calendar.cfg)
@Component(service = ItemStore.class, configurationPid = "io.nexchange.graph.calendar",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ItemStore.BACKEND + "=graph", ItemStore.SIDE + "=exchange"})
@Designate(ocd = GraphCalendarStoreConfiguration.class)
public final class GraphCalendarStore extends GraphItemStore {

    static final String PERMISSION = "Calendars.ReadWrite";

    private final CalendarSettings settings;
    private final WindowsZones zones;
    private final Clock clock;
    private final PendingSeriesWrites pending = new PendingSeriesWrites();

    @Activate
    public GraphCalendarStore(@Reference GraphClients clients, GraphCalendarStoreConfiguration config) {
        this(clients, RegistrationAssignment.of(config.registrations()), new CalendarSettings(config.windowDaysBack(),
                config.windowDaysAhead(), config.pageSize(), config.allCalendars(), ZoneId.of(config.mailboxTimeZone()),
                config.windowRenewDays()), WindowsZones.load(), Clock.systemUTC());
    }

    /** Wired by hand (tests, the sync benchmark). */
    public GraphCalendarStore(GraphClients clients, RegistrationAssignment registrations, CalendarSettings settings, WindowsZones zones,
            Clock clock) {
        super(clients, registrations, CollectionKind.CALENDAR, PERMISSION, settings.allCalendars());
        this.settings = settings;
        this.zones = Objects.requireNonNull(zones, "zones");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected CollectionRef readDefault(GraphServiceClient graph, String mailbox, GraphCall call) throws StoreException {
        Calendar primary = call.run("read the default calendar", () -> graph.users().byUserId(mailbox).calendar()
                .get(c -> c.queryParameters.select = new String[] {"id", "name"}));
        return new CollectionRef(CollectionKind.CALENDAR, primary.getId(), primary.getName(), true);
    }

    @Override
    protected List<CollectionRef> readAll(GraphServiceClient graph, String mailbox, GraphCall call) throws StoreException {
        return call.run("list the calendars", () -> graph.users().byUserId(mailbox).calendars()
                .get(c -> c.queryParameters.select = new String[] {"id", "name", "isDefaultCalendar"}).getValue()).stream()
                .map(c -> new CollectionRef(CollectionKind.CALENDAR, c.getId(), c.getName(), Boolean.TRUE.equals(c.getIsDefaultCalendar())))
                .toList();
    }

    @Override
    protected CollectionRef create(GraphServiceClient graph, String mailbox, GraphCall call, String name) throws StoreException {
        Calendar body = new Calendar();
        body.setName(name);
        Calendar created = call.run("create a calendar", () -> graph.users().byUserId(mailbox).calendars().post(body));
        return new CollectionRef(CollectionKind.CALENDAR, created.getId(), created.getName(), false);
    }

    @Override
    protected ItemSource newSource(GraphServiceClient graph, String mailbox, CollectionRef collection) {
        return new CalendarDeltaSource(graph, mailbox, collection, settings, zones, clock, pending);
    }

    @Override
    protected ItemTarget newTarget(GraphServiceClient graph, String mailbox, CollectionRef collection) {
        return new CalendarTarget(graph, mailbox, collection, zones, settings, pending);
    }
}
