package io.nexchange.ews.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.throttling.RegistrationAssignment;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Exchange calendars and contacts through EWS. Each mailbox is served by the registration the rendezvous hash
 * assigns it (an Entra app registration for Exchange Online, or an on-premises service account) and impersonated
 * in every request. The collections are the mailbox's default calendar and contacts folders, addressed by their
 * distinguished names (no request needed to list them).
 */
public final class EwsStore implements ItemStore {
    static final String CALENDAR = "calendar";
    static final String CONTACTS = "contacts";

    private final EwsClient client;
    private final Function<String, Optional<EwsCredentials>> credentials;
    private final RegistrationAssignment registrations;
    private final EwsSettings settings;
    private final WindowsZones zones;
    private final Clock clock;

    EwsStore(EwsClient client, Function<String, Optional<EwsCredentials>> credentials, RegistrationAssignment registrations,
            EwsSettings settings, WindowsZones zones, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.zones = Objects.requireNonNull(zones, "zones");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Set<CollectionKind> kinds() {
        return Set.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS);
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) {
        return List.of(defaultFolder(kind));
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        if (name == null || name.isEmpty()) {
            return defaultFolder(kind);
        }
        throw new StoreException("The EWS store serves each mailbox's default calendar and contacts folder only; '" + name
                + "' was asked for " + owner, false);
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        EwsMailbox mailbox = mailbox(owner);
        return collection.kind() == CollectionKind.CALENDAR
                ? new EwsCalendarSource(mailbox, collection.id(), settings, zones, clock)
                : new EwsContactsSource(mailbox, collection.id());
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        EwsMailbox mailbox = mailbox(owner);
        return collection.kind() == CollectionKind.CALENDAR
                ? new EwsCalendarTarget(mailbox, collection.id(), zones, settings)
                : new EwsContactsTarget(mailbox, collection.id());
    }

    /** Requests sent so far by this store. */
    long requests() {
        return client.requests();
    }

    private static CollectionRef defaultFolder(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? new CollectionRef(kind, CALENDAR, "Calendar", true)
                : new CollectionRef(kind, CONTACTS, "Contacts", true);
    }

    private EwsMailbox mailbox(Owner owner) throws StoreException {
        String smtp = owner.mailbox().primarySmtp();
        String registration = registrations.assign(smtp);
        EwsCredentials c = credentials.apply(registration).orElseThrow(() -> new StoreException("No app registration or EWS "
                + "service account named '" + registration + "' is available for " + smtp + ": configure "
                + "etc/io.nexchange.auth.entra-" + registration + ".cfg (Exchange Online) or etc/io.nexchange.auth.ews-onprem-"
                + registration + ".cfg (on-premises), or fix registrations in etc/io.nexchange.ews.cfg", true));
        return new EwsMailbox(client, c, smtp, settings);
    }
}
