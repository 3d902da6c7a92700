package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.ResponseType;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.events.item.EventItemRequestBuilder;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.calendar.mapping.EventChanges;
import io.nexchange.graph.calendar.mapping.EventChanges.Field;
import io.nexchange.graph.calendar.mapping.GraphEventWrite;
import io.nexchange.graph.calendar.mapping.ICalendarToEvent;
import io.nexchange.graph.calendar.mapping.MappingException;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.graph.client.GraphCall;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes iCalendar objects into a Graph calendar (the two-way direction) so that Exchange sends no meeting message.
 * Graph has no switch for that (EWS's {@code SendToNone}): creating an event with attendees invites them, changing a
 * meeting the mailbox organises updates them, deleting it or one of its occurrences cancels it for them. So:
 * <ul>
 *   <li>every write is computed from the event as it is now in Exchange (one GET of the series) and PATCHes only the
 *       properties that differ ({@link EventChanges}), the master first, then each occurrence;</li>
 *   <li>what may be written depends on the mailbox's role ({@link Role}): its own appointments take every property but
 *       attendees, which stay in Nextcloud (writing them would invite); a meeting it organises with attendees takes
 *       only the organizer's own categories and reminder; an attendee copy (another organizer) only the attendee's own
 *       categories, reminder, free/busy and privacy, and its answer (PARTSTAT, recorded without telling the organizer).
 *       A write that needs more is refused whole, before any request, with
 *       an {@link ItemRejectedException} that says what and why (the engine quarantines it until it changes);</li>
 *   <li>a meeting organised elsewhere is never created (it would become one the mailbox organises, with invitations);
 *       a meeting the mailbox organises is never deleted (cancellations).</li>
 * </ul>
 * Series: an override PATCHes its occurrence, an EXDATE DELETEs it, an override no longer in Nextcloud is PATCHed back
 * to the series' values, a changed RRULE or end is a PATCH of the master's recurrence. Graph cannot restore a deleted
 * occurrence: an EXDATE removed in Nextcloud re-creates the series (DELETE, then POST of the whole object; a new Graph
 * id). STATUS:CANCELLED on the whole event deletes the mailbox's own appointment, as Exchange's cancel does for the
 * organizer. A write that stops after some steps went through is finished on the next cycle
 * ({@link PendingSeriesWrites}).
 *
 * <p>Optimistic concurrency: the series must still be in the expected changeKey (else
 * {@link PreconditionFailedException}); the first write carries {@code If-Match}. Idempotent create: the POST carries the
 * key's creation mark ({@link Change#markFor}) as its {@code transactionId}, which the source lists with the event.
 */
final class CalendarTarget implements ItemTarget {
    /** The most cancelled and modified occurrences of one series written to Exchange (each is a request of its own). */
    static final int MAX_OCCURRENCE_WRITES = 500;
    private static final Logger LOG = LoggerFactory.getLogger(CalendarTarget.class);
    /** What the target reads of a series: what the mapping reads, and who organises it. */
    private static final String[] SELECT = Stream.concat(Stream.of(EventRead.SELECT), Stream.of("isOrganizer")).toArray(String[]::new);

    /** The mailbox's part in an event, which decides what Graph may be told without a meeting message going out. */
    enum Role {
        /** The mailbox's own event without attendees: everything but attendees (adding some would invite them). */
        APPOINTMENT(EnumSet.complementOf(EnumSet.of(Field.ATTENDEES))),
        /** A meeting the mailbox organises, with attendees: any change but these sends them an update. */
        ORGANIZED_MEETING(EnumSet.of(Field.CATEGORIES, Field.REMINDER)),
        /** The mailbox's copy of a meeting someone else organises: only the attendee's own properties are its to change. */
        ATTENDEE_COPY(EnumSet.of(Field.CATEGORIES, Field.REMINDER, Field.SHOW_AS, Field.SENSITIVITY));

        final Set<Field> writable;

        Role(Set<Field> writable) {
            this.writable = writable;
        }

        static Role of(Event event, String mailbox) {
            String organizer = event.getOrganizer() == null || event.getOrganizer().getEmailAddress() == null ? null
                : event.getOrganizer().getEmailAddress().getAddress();
            if (Boolean.FALSE.equals(event.getIsOrganizer()) || organizer != null && !organizer.equalsIgnoreCase(mailbox)) {
                return ATTENDEE_COPY;
            }
            return attendeeCount(event, mailbox) > 0 ? ORGANIZED_MEETING : APPOINTMENT;
        }
    }

    private final GraphServiceClient graph;
    private final String mailbox;
    private final CollectionRef calendar;
    private final ICalendarToEvent reverse;
    private final WindowsZones zones;
    private final ZoneId mailboxZone;
    private final GraphCall call;
    private final PendingSeriesWrites pending;

    CalendarTarget(GraphServiceClient graph, String mailbox, CollectionRef calendar, WindowsZones zones, CalendarSettings settings,
            PendingSeriesWrites pending) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.calendar = calendar;
        this.zones = zones;
        this.mailboxZone = settings.mailboxZone();
        this.reverse = new ICalendarToEvent(zones, mailboxZone);
        this.call = new GraphCall(mailbox, GraphCalendarStore.PERMISSION);
        this.pending = pending;
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        GraphEventWrite write = map(content);
        Optional<String> elsewhere = write.organisedElsewhere(mailbox);
        if (elsewhere.isPresent()) {
            throw new ItemRejectedException(elsewhere.get());
        }
        if (write.cancelled()) {
            throw new ItemRejectedException(name(write.event()) + " is cancelled (STATUS:CANCELLED): Exchange keeps no cancelled "
                + "event of the mailbox's own, so it is not created there");
        }
        // the transactionId is the key's creation mark: a repeated POST gets the first event, and the source lists the
        // event with it, so the engine knows the event as this key's even if this answer is lost
        String created = post(write, content, Change.markFor(key));
        return finish(created, write, Role.APPOINTMENT, key, content);
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        GraphEventWrite write = map(content);
        Event current = read(ref).orElseThrow(() -> new PreconditionFailedException("Event " + ref + " of " + mailbox + " is gone"));
        String changeKey = current.getChangeKey();
        boolean resuming = pending.resumes(mailbox, ref, expectedVersion, changeKey);
        if (!resuming && expectedVersion != null && !expectedVersion.isEmpty() && !expectedVersion.equals(changeKey)) {
            throw new PreconditionFailedException("Event " + ref + " of " + mailbox + " changed since it was read");
        }
        Role role = Role.of(current, mailbox);
        if (write.cancelled() && !Boolean.TRUE.equals(current.getIsCancelled())) {
            if (role != Role.APPOINTMENT) {
                throw refusal(current, role, "cancelling it (STATUS:CANCELLED)");
            }
            // as Exchange's own cancel does for the organizer: the event leaves the calendar
            call.execUnlessGone("delete a cancelled event", () -> event(ref).delete(c -> c.headers.add("If-Match", etag(changeKey))));
            pending.finished(mailbox, ref);
            return new ItemVersion(ref, changeKey);
        }
        try {
            return apply(ref, current, write, role, key, content);
        } catch (ItemRejectedException refused) {
            throw refused;
        } catch (StoreException failed) {
            // some steps may have gone through: the next cycle finishes the write instead of taking it for an Exchange edit
            Optional<String> after = call.runIfPresent("read an event", () -> event(ref).get(c -> c.queryParameters.select =
                new String[] {"id", "changeKey"})).map(Event::getChangeKey);
            after.ifPresent(k -> pending.unfinished(mailbox, ref, expectedVersion, k));
            throw failed;
        }
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        Optional<Event> current = read(ref);
        if (current.isEmpty()) {
            pending.finished(mailbox, ref);
            return;
        }
        if (Role.of(current.get(), mailbox) == Role.ORGANIZED_MEETING) {
            throw new ItemRejectedException(name(current.get()) + " is a meeting " + mailbox + " organises with "
                + attendeeCount(current.get(), mailbox) + " attendee(s): deleting it through Graph would send them a cancellation, so "
                + "it stays in Exchange (and comes back to Nextcloud when it next changes there); cancel it in Outlook, which tells "
                + "the attendees (Nexchange sends no meeting messages)");
        }
        call.execUnlessGone("delete an event", () -> event(ref).delete(c -> c.headers.add("If-Match", etag(expectedVersion))));
        pending.finished(mailbox, ref);
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return call.runIfPresent("read an event", () -> event(ref).get(c -> c.queryParameters.select = new String[] {"id",
                "changeKey"})).map(e -> new ItemVersion(e.getId(), e.getChangeKey()));
    }

    // ---------------------------------------------------------------- writing a series

    /** Brings the series at {@code ref} to what {@code write} asks, refusing before any request what the role forbids. */
    private ItemVersion apply(String ref, Event current, GraphEventWrite write, Role role, ItemKey key, ItemContent content)
            throws StoreException {
        EventChanges master = EventChanges.between(current, write.event(), zones, mailbox);
        refuseOutside(current, role, master.fields(), "");
        Series now = series(current);
        Map<String, Instant> wantedCancelled = keyed(write.cancelledOccurrences(), now.allDay);
        Map<String, GraphEventWrite.Occurrence> wantedExceptions = new LinkedHashMap<>();
        write.exceptions().forEach(o -> wantedExceptions.put(now.key(o.originalStart(), mailboxZone), o));
        if (role != Role.APPOINTMENT) {
            checkOccurrences(ref, current, write, role, now, wantedCancelled, wantedExceptions);
        }
        Optional<ResponseType> answer = role == Role.ATTENDEE_COPY ? newAnswer(current, write.event()) : Optional.empty();
        if (answer.isPresent()) {
            answer(ref, answer.get());
            if (answer.get() == ResponseType.Declined) {
                pending.finished(mailbox, ref);
                return new ItemVersion(ref, current.getChangeKey());
            }
        }
        Set<Field> masterFields = intersect(master.fields(), role.writable);
        if (!masterFields.isEmpty()) {
            String ifMatch = etag(current.getChangeKey());
            call.run("update an event", () -> event(ref).patch(master.patch(masterFields), c -> c.headers.add("If-Match", ifMatch)));
        }
        Series series = masterFields.contains(Field.RECURRENCE) ? series(read(ref).orElseThrow(() ->
            new PreconditionFailedException("Event " + ref + " of " + mailbox + " vanished during the update"))) : now;
        if (!series.isSeries()) {
            return finished(ref);
        }
        Set<String> restored = new LinkedHashSet<>(series.cancelled.keySet());
        restored.removeAll(wantedCancelled.keySet());
        if (!restored.isEmpty()) {
            return recreate(ref, write, key, content, restored);
        }
        writeOccurrences(ref, write, role, series, wantedCancelled, wantedExceptions);
        return finished(ref);
    }

    /**
     * The mailbox's answer to a meeting organised elsewhere as Nextcloud has it (its own ATTENDEE's PARTSTAT), when it
     * differs from Exchange's.
     */
    private Optional<ResponseType> newAnswer(Event current, Event wanted) {
        ResponseType now = current.getResponseStatus() == null ? null : current.getResponseStatus().getResponse();
        return (wanted.getAttendees() == null ? List.<com.microsoft.graph.models.Attendee>of() : wanted.getAttendees()).stream()
            .filter(a -> a.getEmailAddress() != null && mailbox.equalsIgnoreCase(a.getEmailAddress().getAddress()))
            .map(a -> a.getStatus() == null ? null : a.getStatus().getResponse()).filter(r -> r != null && r != now).findFirst();
    }

    /**
     * Records the mailbox's answer with {@code sendResponse: false}: Exchange keeps it (a declined meeting leaves the
     * calendar, as in Outlook) and tells the organizer nothing.
     */
    private void answer(String ref, ResponseType answer) throws StoreException {
        switch (answer) {
            // each attempt sends a body made anew (a retried model serialises only what changed: nothing, so Graph's
            // default sendResponse=true would apply)
            case Accepted -> call.exec("accept a meeting", () -> {
                com.microsoft.graph.users.item.events.item.accept.AcceptPostRequestBody body =
                    new com.microsoft.graph.users.item.events.item.accept.AcceptPostRequestBody();
                body.setSendResponse(false);
                event(ref).accept().post(body);
            });
            case TentativelyAccepted -> call.exec("accept a meeting tentatively", () -> {
                com.microsoft.graph.users.item.events.item.tentativelyaccept.TentativelyAcceptPostRequestBody body =
                    new com.microsoft.graph.users.item.events.item.tentativelyaccept.TentativelyAcceptPostRequestBody();
                body.setSendResponse(false);
                event(ref).tentativelyAccept().post(body);
            });
            default -> call.exec("decline a meeting", () -> {
                com.microsoft.graph.users.item.events.item.decline.DeclinePostRequestBody body =
                    new com.microsoft.graph.users.item.events.item.decline.DeclinePostRequestBody();
                body.setSendResponse(false);
                event(ref).decline().post(body);
            });
        }
    }

    /** After a POST: the overrides and EXDATEs of the new series. */
    private ItemVersion finish(String ref, GraphEventWrite write, Role role, ItemKey key, ItemContent content) throws StoreException {
        if (write.event().getRecurrence() == null || write.exceptions().isEmpty() && write.cancelledOccurrences().isEmpty()) {
            return finished(ref);
        }
        Event current = read(ref).orElseThrow(() -> new StoreException("The event created in " + mailbox + " vanished at once", true));
        return apply(ref, current, write, role, key, content);
    }

    private ItemVersion finished(String ref) throws StoreException {
        pending.finished(mailbox, ref);
        return version(ref).orElseThrow(() -> new PreconditionFailedException("Event " + ref + " of " + mailbox
            + " vanished during the update"));
    }

    /**
     * Graph cannot bring back a deleted occurrence: the series is deleted and created again from the whole object
     * (the mailbox's own appointments only; a new Graph id and iCalUId, the engine keeps the new ref).
     */
    private ItemVersion recreate(String ref, GraphEventWrite write, ItemKey key, ItemContent content, Set<String> restored)
            throws StoreException {
        LOG.info("{}: {} restores cancelled occurrence(s) {}; Graph cannot restore an occurrence, so the series is created anew",
            mailbox, name(write.event()), restored);
        call.execUnlessGone("delete a series to restore an occurrence", () -> event(ref).delete());
        pending.finished(mailbox, ref);
        String created = post(write, content, UUID.nameUUIDFromBytes(("nexchange:" + key.value() + ":" + UUID.nameUUIDFromBytes(
                content.text().getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8)).toString());
        return finish(created, write, Role.APPOINTMENT, key, content);
    }

    /** EXDATEs, overrides and overrides no longer in Nextcloud, in that order. */
    private void writeOccurrences(String ref, GraphEventWrite write, Role role, Series series, Map<String, Instant> wantedCancelled,
            Map<String, GraphEventWrite.Occurrence> wantedExceptions) throws StoreException {
        for (Map.Entry<String, Instant> cancel : wantedCancelled.entrySet()) {
            if (series.cancelled.containsKey(cancel.getKey())) {
                continue;
            }
            Optional<Event> occurrence = occurrenceAt(ref, series, cancel.getKey(), cancel.getValue());
            if (occurrence.isPresent()) {
                call.execUnlessGone("cancel an occurrence", () -> event(occurrence.get().getId()).delete());
            }
        }
        for (Map.Entry<String, GraphEventWrite.Occurrence> wanted : wantedExceptions.entrySet()) {
            Optional<Event> occurrence = occurrenceAt(ref, series, wanted.getKey(), wanted.getValue().originalStart());
            if (occurrence.isEmpty()) {
                throw new ItemRejectedException(name(write.event()) + " overrides an occurrence at " + wanted.getValue().originalStart()
                    + " that the series in Exchange does not have");
            }
            patchOccurrence(occurrence.get(), wanted.getValue().event(), role);
        }
        for (Map.Entry<String, Event> exception : series.exceptions.entrySet()) {
            if (!wantedExceptions.containsKey(exception.getKey()) && !wantedCancelled.containsKey(exception.getKey())) {
                Instant originalStart = exception.getValue().getOriginalStart().toInstant();
                patchOccurrence(exception.getValue(), atOccurrence(write.event(), originalStart, series.allDay), role);
            }
        }
    }

    private void patchOccurrence(Event occurrence, Event wanted, Role role) throws StoreException {
        EventChanges changes = EventChanges.between(occurrence, wanted, zones, mailbox);
        Set<Field> fields = intersect(changes.fields(), role.writable);
        fields.remove(Field.RECURRENCE);
        if (!fields.isEmpty()) {
            call.run("modify an occurrence", () -> event(occurrence.getId()).patch(changes.patch(fields)));
        }
    }

    /** For a meeting the mailbox does not own alone: refuses occurrence changes that would send a message or are not its own. */
    private void checkOccurrences(String ref, Event current, GraphEventWrite write, Role role, Series now,
            Map<String, Instant> wantedCancelled, Map<String, GraphEventWrite.Occurrence> wantedExceptions) throws StoreException {
        if (!now.cancelled.keySet().containsAll(wantedCancelled.keySet()) && role == Role.ORGANIZED_MEETING) {
            throw refusal(current, role, "cancelling occurrences (EXDATE)");
        }
        if (!wantedCancelled.keySet().containsAll(now.cancelled.keySet())) {
            throw refusal(current, role, "restoring a cancelled occurrence (which Graph can only do by creating the series anew)");
        }
        for (Map.Entry<String, GraphEventWrite.Occurrence> wanted : wantedExceptions.entrySet()) {
            Optional<Event> occurrence = occurrenceAt(ref, now, wanted.getKey(), wanted.getValue().originalStart());
            if (occurrence.isPresent()) {
                Set<Field> changed = EventChanges.between(occurrence.get(), wanted.getValue().event(), zones, mailbox).fields();
                changed.remove(Field.RECURRENCE);
                refuseOutside(current, role, changed, " of the occurrence at " + wanted.getValue().originalStart());
            }
        }
        for (String exception : now.exceptions.keySet()) {
            if (!wantedExceptions.containsKey(exception) && !wantedCancelled.containsKey(exception)) {
                Event was = now.exceptions.get(exception);
                Set<Field> changed = EventChanges.between(was, atOccurrence(write.event(), was.getOriginalStart().toInstant(), now.allDay),
                    zones, mailbox).fields();
                changed.remove(Field.RECURRENCE);
                refuseOutside(current, role, changed, " (undoing the change of the occurrence at " + exception + ")");
            }
        }
    }

    private void refuseOutside(Event current, Role role, Set<Field> changed, String where) throws ItemRejectedException {
        Set<Field> outside = EnumSet.noneOf(Field.class);
        outside.addAll(changed);
        outside.removeAll(role.writable);
        if (role == Role.APPOINTMENT) {
            return; // attendees stay in Nextcloud; everything else is written
        }
        if (!outside.isEmpty()) {
            throw refusal(current, role, "changing its " + EventChanges.labels(outside) + where);
        }
    }

    private ItemRejectedException refusal(Event current, Role role, String what) {
        if (role == Role.ORGANIZED_MEETING) {
            return new ItemRejectedException(name(current) + " is a meeting " + mailbox + " organises with " + attendeeCount(current, mailbox)
                + " attendee(s): " + what + " through Graph would send them a meeting message (Graph cannot write a meeting without "
                + "telling its attendees), so Exchange keeps it as it is; make the change in Outlook, which tells the attendees. "
                + "Nexchange sends no meeting messages and writes only the organizer's own categories and reminder of such a meeting");
        }
        String organizer = address(current).orElse("someone else");
        return new ItemRejectedException(name(current) + " is a meeting organised by " + organizer + ": " + what + " is the "
            + "organizer's to do, so Exchange keeps it as it is. Nexchange writes only the attendee's own categories, reminder, "
            + "free/busy and privacy of such a meeting");
    }

    // ---------------------------------------------------------------- occurrences

    /** The exceptions and cancelled occurrences of a series as Exchange holds them, by occurrence key. */
    private record Series(Event master, boolean allDay, Map<String, Event> exceptions, Map<String, Instant> cancelled) {

        boolean isSeries() {
            return master.getRecurrence() != null;
        }

        String key(Instant originalStart, ZoneId dateZone) {
            return occurrenceKey(originalStart, allDay, dateZone);
        }
    }

    private Series series(Event master) {
        boolean allDay = Boolean.TRUE.equals(master.getIsAllDay());
        ZoneId zone = seriesZone(master);
        Map<String, Event> exceptions = new LinkedHashMap<>();
        for (Event exception : master.getExceptionOccurrences() == null ? List.<Event>of() : master.getExceptionOccurrences()) {
            if (exception.getOriginalStart() != null) {
                exceptions.put(occurrenceKey(exception.getOriginalStart().toInstant(), allDay, zone), exception);
            }
        }
        Map<String, Instant> cancelled = new LinkedHashMap<>();
        // all-day cancelled occurrences come as midnight UTC of their date
        CancelledOccurrences.starts(master, zones, mailbox).forEach(s -> cancelled.put(occurrenceKey(s, allDay, ZoneOffset.UTC), s));
        return new Series(master, allDay, exceptions, cancelled);
    }

    private Map<String, Instant> keyed(List<Instant> starts, boolean allDay) {
        Map<String, Instant> out = new LinkedHashMap<>();
        starts.forEach(s -> out.put(occurrenceKey(s, allDay, mailboxZone), s));
        return out;
    }

    /** An occurrence is the same one on both sides by its original start: the instant, or for all-day series the date. */
    static String occurrenceKey(Instant originalStart, boolean allDay, ZoneId dateZone) {
        return allDay ? originalStart.atZone(dateZone).toLocalDate().toString() : originalStart.toString();
    }

    private Optional<Event> occurrenceAt(String masterId, Series series, String key, Instant around) throws StoreException {
        Event exception = series.exceptions.get(key);
        if (exception != null) {
            return Optional.of(exception);
        }
        List<Event> instances = call.run("list occurrences", () -> event(masterId).instances().get(c -> {
            c.queryParameters.startDateTime = around.minus(2, ChronoUnit.DAYS).toString();
            c.queryParameters.endDateTime = around.plus(2, ChronoUnit.DAYS).toString();
            c.queryParameters.select = SELECT;
        }).getValue());
        return instances.stream().filter(i -> i.getOriginalStart() != null
            && key.equals(occurrenceKey(i.getOriginalStart().toInstant(), series.allDay, seriesZone(series.master)))).findFirst();
    }

    private ZoneId seriesZone(Event master) {
        Optional<String> name = Optional.ofNullable(master.getRecurrence()).map(r -> r.getRange()).map(r -> r.getRecurrenceTimeZone())
            .or(() -> Optional.ofNullable(master.getOriginalStartTimeZone()));
        return name.flatMap(zones::zoneOf).orElse(ZoneOffset.UTC);
    }

    /** The series' own values at one of its occurrences: what an override taken back in Nextcloud asks of Exchange. */
    private Event atOccurrence(Event master, Instant originalStart, boolean allDay) {
        Event e = new Event();
        e.setSubject(master.getSubject());
        e.setBody(master.getBody());
        e.setLocation(master.getLocation());
        e.setSensitivity(master.getSensitivity());
        e.setShowAs(master.getShowAs());
        e.setImportance(master.getImportance());
        e.setCategories(master.getCategories());
        e.setIsReminderOn(master.getIsReminderOn());
        e.setReminderMinutesBeforeStart(master.getReminderMinutesBeforeStart());
        e.setAttendees(master.getAttendees());
        e.setIsAllDay(master.getIsAllDay());
        ZoneId startZone = zones.zoneOf(master.getStart().getTimeZone()).orElse(mailboxZone);
        ZoneId endZone = zones.zoneOf(master.getEnd().getTimeZone()).orElse(startZone);
        LocalDateTime start = LocalDateTime.parse(master.getStart().getDateTime().replaceFirst("\\.\\d+$", ""));
        LocalDateTime end = LocalDateTime.parse(master.getEnd().getDateTime().replaceFirst("\\.\\d+$", ""));
        if (allDay) {
            LocalDate date = originalStart.atZone(mailboxZone).toLocalDate();
            e.setStart(time(date.atStartOfDay(), master.getStart().getTimeZone()));
            e.setEnd(time(date.plusDays(ChronoUnit.DAYS.between(start.toLocalDate(), end.toLocalDate())).atStartOfDay(),
                master.getEnd().getTimeZone()));
        } else {
            Duration length = Duration.between(start.atZone(startZone), end.atZone(endZone));
            e.setStart(time(LocalDateTime.ofInstant(originalStart, startZone), master.getStart().getTimeZone()));
            e.setEnd(time(LocalDateTime.ofInstant(originalStart.plus(length), endZone), master.getEnd().getTimeZone()));
        }
        return e;
    }

    private static DateTimeTimeZone time(LocalDateTime local, String zone) {
        DateTimeTimeZone t = new DateTimeTimeZone();
        t.setDateTime(local.toString());
        t.setTimeZone(zone);
        return t;
    }

    // ---------------------------------------------------------------- requests

    /**
     * POSTs the single event or series master, without attendees or organizer: the mailbox's own event invites nobody.
     * Each attempt sends a body made anew: the SDK's models serialise only what changed since their last serialisation,
     * so a retry with the same object would send an empty body.
     */
    private String post(GraphEventWrite write, ItemContent content, String transactionId) throws StoreException {
        Event wanted = write.event();
        if (attendeeCount(wanted, mailbox) > 0) {
            LOG.info("{}: {} is created in Exchange without its {} attendee(s), who stay in Nextcloud: Exchange would invite them",
                mailbox, name(wanted), attendeeCount(wanted, mailbox));
        }
        Event created = call.run("create an event", () -> {
            Event body = reverse.fromText(content.text()).event();
            body.setOrganizer(null);
            body.setAttendees(List.of());
            body.setResponseRequested(null);
            body.setTransactionId(transactionId);
            return calendar.isDefault()
                ? graph.users().byUserId(mailbox).calendar().events().post(body)
                : graph.users().byUserId(mailbox).calendars().byCalendarId(calendar.id()).events().post(body);
        });
        return created.getId();
    }

    /** The event with its exceptions and cancelled occurrences, as the target compares it. */
    private Optional<Event> read(String ref) throws StoreException {
        Optional<Event> event = call.runIfPresent("read an event", () -> event(ref).get(c -> {
            c.queryParameters.select = SELECT;
            c.queryParameters.expand = new String[] {"exceptionOccurrences"};
        }));
        return event;
    }

    private EventItemRequestBuilder event(String id) {
        return graph.users().byUserId(mailbox).events().byEventId(id);
    }

    private static String etag(String changeKey) {
        return changeKey == null || changeKey.isEmpty() ? "*" : "W/\"" + changeKey + "\"";
    }

    private GraphEventWrite map(ItemContent content) throws StoreException {
        GraphEventWrite write;
        try {
            write = reverse.fromText(content.text());
        } catch (MappingException | IllegalArgumentException e) {
            throw new ItemRejectedException("The event cannot be written to Exchange for " + mailbox + ": " + e.getMessage(), e);
        }
        int occurrences = write.exceptions().size() + write.cancelledOccurrences().size();
        if (occurrences > MAX_OCCURRENCE_WRITES) {
            // refused before anything is written: a series half written would be worse than none
            throw new ItemRejectedException("The event cannot be written to Exchange for " + mailbox + ": its series has "
                    + write.cancelledOccurrences().size() + " cancelled (EXDATE) and " + write.exceptions().size()
                    + " modified occurrences; Graph takes each as a request of its own, and more than "
                    + MAX_OCCURRENCE_WRITES + " would spend the mailbox's request budget on one item. Split the series in"
                    + " Nextcloud (end it and start a new one) or remove the old EXDATEs");
        }
        return write;
    }

    private static Set<Field> intersect(Set<Field> a, Set<Field> b) {
        Set<Field> out = EnumSet.noneOf(Field.class);
        out.addAll(a);
        out.retainAll(b);
        return out;
    }

    private static Optional<String> address(Event event) {
        return Optional.ofNullable(event.getOrganizer()).map(o -> o.getEmailAddress()).map(a -> a.getAddress())
            .filter(a -> !a.isBlank());
    }

    static int attendeeCount(Event event, String mailbox) {
        return (int) (event.getAttendees() == null ? 0 : event.getAttendees().stream()
            .filter(a -> a.getEmailAddress() != null && a.getEmailAddress().getAddress() != null
                && !a.getEmailAddress().getAddress().equalsIgnoreCase(mailbox)).count());
    }

    private static String name(Event event) {
        return "\"" + (event.getSubject() == null ? "" : event.getSubject()) + "\"";
    }
}
