package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.Importance;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.OutlookGeoCoordinates;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.ResponseType;
import com.microsoft.graph.models.Sensitivity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.TextList;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.CuType;
import net.fortuna.ical4j.model.parameter.FmtType;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.parameter.ScheduleAgent;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Action;
import net.fortuna.ical4j.model.property.CalScale;
import net.fortuna.ical4j.model.property.Categories;
import net.fortuna.ical4j.model.property.Clazz;
import net.fortuna.ical4j.model.property.Created;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.Geo;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.Priority;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Transp;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Version;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.validate.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one Graph event or series as one iCalendar object (RFC 5545): the master VEVENT (with RRULE and
 * EXDATE for a series), one VEVENT with RECURRENCE-ID per modified occurrence, all with the master's UID,
 * and a VTIMEZONE per zone used. The output is a function of the input alone (no "now", fixed property
 * order, sorted lists), so that an unchanged item hashes the same on every read.
 *
 * <p>Field decisions (the full table is in docs/graph-mapping.md):
 * <ul>
 *   <li>Times are shown in the zone the organiser created them in ({@code originalStartTimeZone}),
 *       whatever zone Graph delivered them in; Windows names become IANA TZIDs.
 *   <li>{@code sensitivity}: normal→PUBLIC, private→PRIVATE, confidential→CONFIDENTIAL and
 *       personal→PRIVATE (privacy errs on the safe side: a shared Nextcloud calendar must not show a
 *       personal appointment's details), with {@code X-NEXCHANGE-SENSITIVITY:PERSONAL} so it comes back
 *       as personal.
 *   <li>ORGANIZER and every ATTENDEE carry {@code SCHEDULE-AGENT=CLIENT} (RFC 6638 §7.1): Exchange has
 *       already sent the invitations, and Nextcloud (sabre/dav) must not send them a second time nor
 *       send replies on behalf of the mailbox user.
 * </ul>
 */
public final class EventToICalendar {

    public static final String PRODID = "-//Nexchange//Graph calendar mapping 1.0//EN";
    static final String X_ALT_DESC = "X-ALT-DESC";
    static final String X_BUSYSTATUS = "X-MICROSOFT-CDO-BUSYSTATUS";
    static final String X_SENSITIVITY = "X-NEXCHANGE-SENSITIVITY";
    static final String ALARM_DESCRIPTION = "Reminder";
    /** DTSTAMP is required; with no modification time known, a fixed value keeps the output stable. */
    private static final Instant NO_TIMESTAMP = Instant.EPOCH;

    private static final Logger LOG = LoggerFactory.getLogger(EventToICalendar.class);

    private final WindowsZones zones;

    public EventToICalendar(WindowsZones zones) {
        this.zones = zones;
    }

    /** {@link #toText(EventSeries, String)} without knowing whose mailbox it is. */
    public String toText(EventSeries series) {
        return toText(series, null);
    }

    /**
     * The iCalendar text, CRLF line endings, folded at 75 octets (never inside a character).
     *
     * @param mailboxAddress the SMTP address of the mailbox the events were read from, or null; its own
     *     ATTENDEE gets its PARTSTAT from the event's {@code responseStatus} (Graph lists the mailbox user
     *     among the attendees with response "none" while the real answer is in responseStatus)
     */
    public String toText(EventSeries series, String mailboxAddress) {
        Calendar calendar = named(series.master(), () -> toCalendar(series, mailboxAddress));
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ValidationException e) {
            throw new MappingException("iCalendar not valid: " + e.getMessage(), e);
        }
        return ContentLines.refold(out.toString());
    }

    /**
     * Runs a mapping step so that whatever fails names the event: a {@link MappingException} with its id, subject and
     * the reason (an unexpected failure's reason is its type and message: Graph sent something not foreseen).
     */
    static <T> T named(Event event, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            String reason = e instanceof MappingException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new MappingException("event " + event.getId() + " (\"" + (event.getSubject() == null ? "" : event.getSubject())
                + "\") cannot be mapped: " + reason, e);
        }
    }

    public Calendar toCalendar(EventSeries series, String mailboxAddress) {
        Event master = series.master();
        if (master.getType() == EventType.Occurrence || master.getType() == EventType.Exception) {
            throw new MappingException("event " + master.getId() + " is an occurrence (type " + master.getType().getValue()
                + "); map its series master " + master.getSeriesMasterId() + " with the occurrence as an exception");
        }
        String uid = master.getICalUId();
        if (uid == null || uid.isBlank()) {
            throw new MappingException("event " + master.getId() + " has no iCalUId");
        }
        ZoneUse zoneUse = new ZoneUse();
        Times masterTimes = times(master, true);
        zoneUse.note(masterTimes);

        List<VEvent> events = new ArrayList<>();
        VEvent masterEvent = new VEvent(false);
        PatternedRecurrence recurrence = master.getRecurrence();
        boolean isSeries = recurrence != null && recurrence.getPattern() != null;
        List<net.fortuna.ical4j.model.Property> seriesProperties = new ArrayList<>();
        if (isSeries) {
            seriesProperties.add(new RRule<>(Recurrences.toRrule(recurrence, masterTimes.start())));
            Set<Instant> modified = series.exceptions().stream().map(EventSeries::originalStartOf).collect(Collectors.toSet());
            TreeSet<String> exdates = new TreeSet<>();
            for (Instant cancelled : series.cancelledOccurrences()) {
                if (!modified.contains(cancelled)) {
                    IcalTime exdate = occurrenceId(cancelled, masterTimes);
                    zoneUse.note(exdate);
                    exdates.add(exdate.value());
                }
            }
            if (!exdates.isEmpty()) {
                seriesProperties.add(new ExDate<>(dateParameters(masterTimes.start()), String.join(",", exdates)));
            }
        }
        fill(masterEvent, master, uid, masterTimes, null, seriesProperties, mailboxAddress);
        events.add(masterEvent);

        if (isSeries) {
            for (Event exception : series.exceptions()) {
                IcalTime recurrenceId = occurrenceId(EventSeries.originalStartOf(exception), masterTimes);
                Times times = times(exception, false);
                zoneUse.note(times);
                zoneUse.note(recurrenceId);
                VEvent override = new VEvent(false);
                fill(override, exception, uid, times, recurrenceId, List.of(), mailboxAddress);
                events.add(override);
            }
        }

        Calendar calendar = new Calendar();
        calendar.add(new ProdId(PRODID));
        calendar.add(new Version(new ParameterList(), Version.VALUE_2_0));
        calendar.add(new CalScale(CalScale.VALUE_GREGORIAN));
        for (Map.Entry<String, Integer> zone : zoneUse.firstYears.entrySet()) {
            calendar.add(VTimeZones.build(ZoneId.of(zone.getKey()), zone.getValue()));
        }
        for (VEvent event : events) {
            calendar.add(event);
        }
        return calendar;
    }

    // ---------------------------------------------------------------- fields

    private void fill(VEvent vevent, Event event, String uid, Times times, IcalTime recurrenceId,
                      List<? extends net.fortuna.ical4j.model.Property> seriesProperties, String mailboxAddress) {
        vevent.add(new Uid(uid));
        vevent.add(new DtStamp(utcText(stampOf(event))));
        if (event.getCreatedDateTime() != null) {
            vevent.add(new Created(utcText(event.getCreatedDateTime().toInstant())));
        }
        if (event.getLastModifiedDateTime() != null) {
            vevent.add(new LastModified(utcText(event.getLastModifiedDateTime().toInstant())));
        }
        if (recurrenceId != null) {
            vevent.add(new RecurrenceId<>(dateParameters(recurrenceId), recurrenceId.value()));
        }
        vevent.add(new DtStart<>(dateParameters(times.start()), times.start().value()));
        vevent.add(new DtEnd<>(dateParameters(times.end()), times.end().value()));
        for (net.fortuna.ical4j.model.Property property : seriesProperties) {
            vevent.add(property);
        }
        if (notBlank(event.getSubject())) {
            vevent.add(new Summary(event.getSubject()));
        }
        location(vevent, event);
        Optional<OnlineMeetings.Join> join = OnlineMeetings.of(event);
        body(vevent, event.getBody(), join);
        join.ifPresent(j -> OnlineMeetings.write(vevent, j));
        people(vevent, event, mailboxAddress);
        privacy(vevent, event.getSensitivity());
        availability(vevent, event.getShowAs());
        if (event.getImportance() != null) {
            vevent.add(new Priority(switch (event.getImportance()) {
                case High -> 1;
                case Low -> 9;
                default -> 5;
            }));
        }
        List<String> categories = event.getCategories() == null ? List.of()
            : event.getCategories().stream().filter(EventToICalendar::notBlank).distinct().toList();
        if (!categories.isEmpty()) {
            vevent.add(new Categories(new TextList(categories)));
        }
        if (Boolean.TRUE.equals(event.getIsCancelled())) {
            vevent.add(new Status(Status.VALUE_CANCELLED));
        }
        if (Boolean.TRUE.equals(event.getIsReminderOn())) {
            int minutes = event.getReminderMinutesBeforeStart() == null ? 15 : Math.max(0, event.getReminderMinutesBeforeStart());
            VAlarm alarm = new VAlarm(Duration.ofMinutes(-minutes));
            alarm.add(new Action(Action.VALUE_DISPLAY));
            alarm.add(new Description(ALARM_DESCRIPTION));
            vevent.add(alarm);
        }
    }

    private static void location(VEvent vevent, Event event) {
        Location location = event.getLocation();
        String name = location == null ? null : location.getDisplayName();
        if (!notBlank(name) && event.getLocations() != null) {
            // several rooms: Graph usually joins their names into location.displayName; if not, do so
            name = event.getLocations().stream().map(Location::getDisplayName).filter(EventToICalendar::notBlank)
                .collect(Collectors.joining("; "));
        }
        if (notBlank(name)) {
            vevent.add(new net.fortuna.ical4j.model.property.Location(name));
        }
        OutlookGeoCoordinates geo = location == null ? null : location.getCoordinates();
        if (geo != null && geo.getLatitude() != null && geo.getLongitude() != null) {
            vevent.add(new Geo(BigDecimal.valueOf(geo.getLatitude()), BigDecimal.valueOf(geo.getLongitude())));
        }
    }

    private static void body(VEvent vevent, ItemBody body, Optional<OnlineMeetings.Join> join) {
        String content = body == null || body.getContent() == null ? ""
            : body.getContent().replace("\r\n", "\n").replace('\r', '\n');
        boolean html = body != null && body.getContentType() == BodyType.Html && notBlank(content);
        String plain = !notBlank(content) ? "" : html ? HtmlText.toPlainText(content) : HtmlText.tidy(content);
        if (join.isPresent()) {
            plain = OnlineMeetings.withJoinText(plain, join.get());
        }
        if (!plain.isEmpty()) {
            vevent.add(new Description(plain));
        }
        if (html) {
            // the original HTML as Outlook and Thunderbird exchange it, so nothing of the formatting is lost
            vevent.add(new XProperty(X_ALT_DESC, new ParameterList(List.of(new FmtType("text/html"))), content));
        }
    }

    private void people(VEvent vevent, Event event, String mailboxAddress) {
        Recipient organizer = event.getOrganizer();
        String organizerAddress = address(organizer);
        if (organizerAddress != null) {
            List<Parameter> params = new ArrayList<>();
            String name = organizer.getEmailAddress().getName();
            if (notBlank(name)) {
                params.add(new Cn(name));
            }
            params.add(ScheduleAgent.CLIENT);
            addCalAddress(vevent, () -> new Organizer(new ParameterList(params), "mailto:" + organizerAddress), organizerAddress);
        }
        if (event.getAttendees() == null) {
            return;
        }
        boolean rsvp = !Boolean.FALSE.equals(event.getResponseRequested());
        // attendees in Graph's order, each address once
        Set<String> seen = new LinkedHashSet<>();
        for (Attendee attendee : event.getAttendees()) {
            String address = address(attendee);
            if (address == null || !seen.add(address.toLowerCase(Locale.ROOT))) {
                continue;
            }
            List<Parameter> params = new ArrayList<>();
            String name = attendee.getEmailAddress().getName();
            if (notBlank(name)) {
                params.add(new Cn(name));
            }
            ResponseType response = attendee.getStatus() == null ? null : attendee.getStatus().getResponse();
            if (mailboxAddress != null && address.equalsIgnoreCase(mailboxAddress) && event.getResponseStatus() != null
                && event.getResponseStatus().getResponse() != null && event.getResponseStatus().getResponse() != ResponseType.None) {
                response = event.getResponseStatus().getResponse();
            }
            if (attendee.getType() == AttendeeType.Resource) {
                params.add(CuType.RESOURCE);
                params.add(Role.NON_PARTICIPANT);
            } else if (response == ResponseType.Organizer) {
                params.add(Role.CHAIR);
            } else {
                params.add(attendee.getType() == AttendeeType.Optional ? Role.OPT_PARTICIPANT : Role.REQ_PARTICIPANT);
            }
            params.add(partStat(response));
            if (rsvp && attendee.getType() != AttendeeType.Resource) {
                params.add(Rsvp.TRUE);
            }
            params.add(ScheduleAgent.CLIENT);
            addCalAddress(vevent, () -> new net.fortuna.ical4j.model.property.Attendee(new ParameterList(params), "mailto:" + address), address);
        }
    }

    /**
     * Adds an ORGANIZER or ATTENDEE. An address that is not a valid URI (seen with legacy X.500 addresses)
     * drops that one person rather than the whole event; it is logged.
     */
    private static void addCalAddress(VEvent vevent, java.util.function.Supplier<net.fortuna.ical4j.model.Property> property, String address) {
        try {
            vevent.add(property.get());
        } catch (RuntimeException invalidAddress) {
            LOG.warn("Left out calendar user '{}': not usable as a mailto: address ({})", address, invalidAddress.getMessage());
        }
    }

    static PartStat partStat(ResponseType response) {
        if (response == null) {
            return PartStat.NEEDS_ACTION;
        }
        return switch (response) {
            case Accepted, Organizer -> PartStat.ACCEPTED;
            case Declined -> PartStat.DECLINED;
            case TentativelyAccepted -> PartStat.TENTATIVE;
            default -> PartStat.NEEDS_ACTION;
        };
    }

    private static void privacy(VEvent vevent, Sensitivity sensitivity) {
        if (sensitivity == null) {
            return;
        }
        switch (sensitivity) {
            case Normal -> vevent.add(new Clazz(Clazz.VALUE_PUBLIC));
            case Private -> vevent.add(new Clazz(Clazz.VALUE_PRIVATE));
            case Confidential -> vevent.add(new Clazz(Clazz.VALUE_CONFIDENTIAL));
            case Personal -> {
                vevent.add(new Clazz(Clazz.VALUE_PRIVATE));
                vevent.add(new XProperty(X_SENSITIVITY, "PERSONAL"));
            }
            default -> {
            }
        }
    }

    private static void availability(VEvent vevent, FreeBusyStatus showAs) {
        if (showAs == null) {
            return;
        }
        vevent.add(new Transp(showAs == FreeBusyStatus.Free ? Transp.VALUE_TRANSPARENT : Transp.VALUE_OPAQUE));
        String busyStatus = switch (showAs) {
            case Free -> "FREE";
            case Tentative -> "TENTATIVE";
            case Busy -> "BUSY";
            case Oof -> "OOF";
            case WorkingElsewhere -> "WORKINGELSEWHERE";
            default -> null;
        };
        if (busyStatus != null) {
            vevent.add(new XProperty(X_BUSYSTATUS, busyStatus));
        }
    }

    // ---------------------------------------------------------------- times

    /**
     * Start and end as written, and the zone the series' occurrences are expressed in.
     *
     * @param zone for all-day events the zone whose midnight the dates stand for; otherwise the start's zone
     */
    record Times(IcalTime start, IcalTime end, ZoneId zone) {
    }

    Times times(Event event, boolean isMaster) {
        DateTimeTimeZone start = event.getStart();
        DateTimeTimeZone end = event.getEnd();
        if (start == null) {
            throw new MappingException("event " + event.getId() + " has no start");
        }
        ZoneId startSource = sourceZone(start, event, "start");
        Instant startInstant = GraphTimes.parseLocal(start.getDateTime(), "start of event " + event.getId()).atZone(startSource).toInstant();
        ZoneId display = firstResolvable(event.getOriginalStartTimeZone(),
            isMaster && event.getRecurrence() != null && event.getRecurrence().getRange() != null
                ? event.getRecurrence().getRange().getRecurrenceTimeZone() : null,
            start.getTimeZone()).orElse(startSource);

        DateTimeTimeZone effectiveEnd = end != null ? end : start;
        ZoneId endSource = end != null ? sourceZone(end, event, "end") : startSource;
        Instant endInstant = GraphTimes.parseLocal(effectiveEnd.getDateTime(), "end of event " + event.getId()).atZone(endSource).toInstant();

        if (Boolean.TRUE.equals(event.getIsAllDay())) {
            LocalDate startDate = allDayDate(start, startSource, display);
            LocalDate endDate = allDayDate(effectiveEnd, endSource, display);
            if (!endDate.isAfter(startDate)) {
                // DTEND of a DATE event is exclusive: an all-day event ends the next day at the earliest
                endDate = startDate.plusDays(1);
            }
            return new Times(IcalTime.ofDate(startDate), IcalTime.ofDate(endDate), display);
        }
        ZoneId endDisplay = firstResolvable(event.getOriginalEndTimeZone(), null, null).orElse(display);
        if (endInstant.isBefore(startInstant)) {
            endInstant = startInstant;
        }
        return new Times(IcalTime.of(startInstant, display), IcalTime.of(endInstant, endDisplay), WindowsZones.normalise(display));
    }

    private ZoneId sourceZone(DateTimeTimeZone value, Event event, String which) {
        String name = value.getTimeZone();
        if (name == null || name.isBlank()) {
            // Graph always names the zone; a missing one is read as UTC, the zone Graph delivers in by default
            return ZoneOffset.UTC;
        }
        return zones.zoneOf(name).orElseThrow(() -> new MappingException(
            "the " + which + " of event " + event.getId() + " is in time zone '" + name + "', which is neither a Windows"
                + " nor an IANA zone; read events with Prefer: outlook.timezone=\"UTC\""));
    }

    private Optional<ZoneId> firstResolvable(String... names) {
        for (String name : names) {
            Optional<ZoneId> zone = zones.zoneOf(name);
            if (zone.isPresent()) {
                return zone;
            }
        }
        return Optional.empty();
    }

    /**
     * The date of an all-day boundary. Graph keeps all-day events at midnight of their own zone, but when
     * asked for UTC it may shift them (22:00 the day before for Berlin); such values are moved back into
     * the event's zone.
     */
    private static LocalDate allDayDate(DateTimeTimeZone value, ZoneId source, ZoneId display) {
        LocalDateTime literal = GraphTimes.parseLocal(value.getDateTime(), "all-day date");
        if (literal.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            return literal.toLocalDate();
        }
        LocalDateTime shown = LocalDateTime.ofInstant(literal.atZone(source).toInstant(), display);
        return shown.toLocalTime().equals(LocalTime.MIDNIGHT) ? shown.toLocalDate() : literal.toLocalDate();
    }

    /** An occurrence's original start in the form of the series' DTSTART (RECURRENCE-ID, EXDATE). */
    static IcalTime occurrenceId(Instant originalStart, Times master) {
        if (master.start().isDate()) {
            LocalDateTime local = LocalDateTime.ofInstant(originalStart, master.zone());
            if (!local.toLocalTime().equals(LocalTime.MIDNIGHT) && originalStart.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
                return IcalTime.ofDate(originalStart.atOffset(ZoneOffset.UTC).toLocalDate());
            }
            return IcalTime.ofDate(local.toLocalDate());
        }
        return IcalTime.of(originalStart, master.start().zone());
    }

    private static ParameterList dateParameters(IcalTime time) {
        List<Parameter> params = new ArrayList<>();
        if (time.isDate()) {
            params.add(Value.DATE);
        } else if (time.tzid() != null) {
            params.add(new TzId(time.tzid()));
        }
        return new ParameterList(params);
    }

    private static Instant stampOf(Event event) {
        OffsetDateTime stamp = event.getLastModifiedDateTime() != null ? event.getLastModifiedDateTime() : event.getCreatedDateTime();
        return stamp == null ? NO_TIMESTAMP : stamp.toInstant();
    }

    private static String utcText(Instant instant) {
        return IcalTime.DATE_TIME.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)) + "Z";
    }

    private static String address(Recipient recipient) {
        if (recipient == null) {
            return null;
        }
        EmailAddress email = recipient.getEmailAddress();
        return email == null || !notBlank(email.getAddress()) ? null : email.getAddress().trim();
    }

    static boolean notBlank(String text) {
        return text != null && !text.isBlank();
    }

    /** The zones used in the object, each with the first year a time in it is written. */
    private static final class ZoneUse {
        private final Map<String, Integer> firstYears = new TreeMap<>();

        void note(Times times) {
            note(times.start());
            note(times.end());
        }

        void note(IcalTime time) {
            if (time.tzid() != null) {
                firstYears.merge(time.tzid(), time.local().getYear(), Math::min);
            }
        }
    }
}
