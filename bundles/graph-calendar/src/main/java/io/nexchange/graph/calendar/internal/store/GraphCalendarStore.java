package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.models.Calendar;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.client.GraphClients;
import io.nexchange.throttling.RegistrationAssignment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Exchange calendars through Microsoft Graph. Mailboxes are addressed by primary SMTP address (the throttling
 * key); each mailbox is served by the app registration the rendezvous hash assigns it.
 */
public final class GraphCalendarStore implements ItemStore {

    private final GraphClients clients;
    private final RegistrationAssignment registrations;
    private final CalendarSettings settings;
    private final WindowsZones zones;
    private final Clock clock;
    /**
     * The default calendar of each mailbox, read once: its id never changes, and an idle cycle is then one delta
     * request per calendar (Graph's budget per mailbox is 10,000 requests per 10 minutes).
     */
    private final java.util.Map<String, CollectionRef> defaultCalendars = new java.util.concurrent.ConcurrentHashMap<>();

    public GraphCalendarStore(GraphClients clients, RegistrationAssignment registrations, CalendarSettings settings,
            WindowsZones zones, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.zones = Objects.requireNonNull(zones, "zones");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Set<CollectionKind> kinds() {
        return Set.of(CollectionKind.CALENDAR);
    }

    GraphServiceClient graph(Owner owner) throws StoreException {
        String registration = registrations.assign(owner.mailbox().primarySmtp());
        try {
            return clients.forRegistration(registration);
        } catch (AuthException e) {
            throw new StoreException("Cannot reach Graph for " + owner + ": " + e.getMessage(), e.isTransient(), e);
        }
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        requireCalendar(kind);
        GraphServiceClient graph = graph(owner);
        String mailbox = owner.mailbox().primarySmtp();
        GraphCall call = new GraphCall(mailbox, "Calendars.ReadWrite");
        String cacheKey = mailbox.toLowerCase(java.util.Locale.ROOT);
        CollectionRef primaryRef = defaultCalendars.get(cacheKey);
        if (primaryRef == null) {
            Calendar primary = call.run("read the default calendar", () -> graph.users().byUserId(mailbox).calendar()
                    .get(c -> c.queryParameters.select = new String[] {"id", "name"}));
            primaryRef = new CollectionRef(CollectionKind.CALENDAR, primary.getId(), primary.getName(), true);
            defaultCalendars.put(cacheKey, primaryRef);
        }
        List<CollectionRef> out = new ArrayList<>();
        out.add(primaryRef);
        if (settings.allCalendars()) {
            String primaryId = primaryRef.id();
            List<Calendar> all = call.run("list the calendars", () -> graph.users().byUserId(mailbox).calendars()
                    .get(c -> c.queryParameters.select = new String[] {"id", "name"}).getValue());
            for (Calendar c : all) {
                if (!c.getId().equals(primaryId)) {
                    out.add(new CollectionRef(CollectionKind.CALENDAR, c.getId(), c.getName(), false));
                }
            }
        }
        return out;
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        requireCalendar(kind);
        if (name == null || name.isEmpty()) {
            return collections(owner, kind).get(0);
        }
        GraphServiceClient graph = graph(owner);
        String mailbox = owner.mailbox().primarySmtp();
        GraphCall call = new GraphCall(mailbox, "Calendars.ReadWrite");
        List<Calendar> all = call.run("list the calendars", () -> graph.users().byUserId(mailbox).calendars()
                .get(c -> c.queryParameters.select = new String[] {"id", "name", "isDefaultCalendar"}).getValue());
        for (Calendar c : all) {
            if (name.equals(c.getName())) {
                return new CollectionRef(CollectionKind.CALENDAR, c.getId(), c.getName(), Boolean.TRUE.equals(c.getIsDefaultCalendar()));
            }
        }
        Calendar body = new Calendar();
        body.setName(name);
        Calendar created = call.run("create a calendar", () -> graph.users().byUserId(mailbox).calendars().post(body));
        return new CollectionRef(CollectionKind.CALENDAR, created.getId(), created.getName(), false);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        requireCalendar(collection.kind());
        return new CalendarDeltaSource(graph(owner), owner.mailbox().primarySmtp(), collection, settings, zones, clock);
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        requireCalendar(collection.kind());
        return new CalendarTarget(graph(owner), owner.mailbox().primarySmtp(), collection, zones, settings);
    }

    private static void requireCalendar(CollectionKind kind) {
        if (kind != CollectionKind.CALENDAR) {
            throw new IllegalArgumentException("the Graph calendar store serves calendars, not " + kind);
        }
    }
}
